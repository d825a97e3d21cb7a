"""Pieces shared by the ``guichet`` subcommands."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from typing import Any

from guichet.domain.clock import parse_local
from guichet.errors import GuichetError


class UsageError(GuichetError):
    """A bad command line the parser could not catch (one line, exit code 2)."""


def instant(text: str) -> datetime:
    """argparse type: ``YYYY-MM-DDTHH:MM`` in Europe/Paris."""
    try:
        return parse_local(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def day(text: str) -> date:
    """argparse type: ``YYYY-MM-DD``."""
    try:
        value = date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {text!r}") from None
    if not 1900 <= value.year <= 2200:
        raise argparse.ArgumentTypeError(f"year out of range (1900-2200): {text!r}")
    return value


def positive(text: str) -> int:
    """argparse type: an integer from 1 to 1000."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"expected a number from 1 to 1000, got {value}")
    return value


def record_id(text: str) -> int:
    """argparse type: a record id (positive integer)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a record number, got {text!r}") from None
    if value < 1 or value > 2**62:
        raise argparse.ArgumentTypeError(f"expected a record number, got {text!r}")
    return value


def dump(data: Any) -> None:
    import json  # not on the TUI's start-up path

    print(json.dumps(data, ensure_ascii=False, indent=2))

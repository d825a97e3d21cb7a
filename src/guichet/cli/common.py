"""Pieces shared by the ``guichet`` subcommands."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from typing import Any

from guichet.domain.clock import parse_local
from guichet.errors import GuichetError


class UsageError(GuichetError):
    """A bad command line the parser could not catch (one line, exit code 2)."""


def has_terminal() -> bool:
    """Whether both stdin and stdout are a terminal, as the full-screen interface needs
    (``guichet < /dev/null`` or ``guichet | cat`` would start it blind and hang)."""
    streams = (sys.stdin, sys.stdout)
    try:
        return all(stream is not None and stream.isatty() for stream in streams)
    except (AttributeError, ValueError):  # a replaced or closed stream
        return False


def instant(text: str) -> datetime:
    """argparse type: ``YYYY-MM-DDTHH:MM`` in Europe/Paris."""
    try:
        return parse_local(text)
    except ValueError as exc:
        message = str(exc)
        if message.startswith("expected "):  # the domain's words for a malformed instant
            message = (f"date et heure attendues au format AAAA-MM-JJTHH:MM (par exemple 2026-11-23T10:00), "
                       f"reçu {text!r}")
        elif message.startswith("year out of range"):
            message = f"année hors limites : {text!r}"
        raise argparse.ArgumentTypeError(message) from None  # else: the French word of a change of hour


def day(text: str) -> date:
    """argparse type: ``YYYY-MM-DD``."""
    try:
        value = date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"date attendue au format AAAA-MM-JJ (par exemple 2026-11-23), "
                                         f"reçu {text!r}") from None
    if not 1900 <= value.year <= 2200:
        raise argparse.ArgumentTypeError(f"année hors limites (1900-2200) : {text!r}")
    return value


def positive(text: str) -> int:
    """argparse type: an integer from 1 to 1000."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"nombre entier attendu, reçu {text!r}") from None
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"nombre de 1 à 1000 attendu, reçu {value}")
    return value


def record_id(text: str) -> int:
    """argparse type: a record id (positive integer)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"numéro attendu (un nombre entier positif), reçu {text!r}") from None
    if value < 1 or value > 2**62:
        raise argparse.ArgumentTypeError(f"numéro attendu (un nombre entier positif), reçu {text!r}")
    return value


# C0 controls, DEL and C1 controls: ESC starts a terminal sequence (OSC 52 writes the clipboard,
# CSI moves the cursor), CR rewrites the line, and a lone C1 byte such as U+009B is itself a CSI.
_CONTROLS = (*range(0x00, 0x20), *range(0x7F, 0xA0))
_VISIBLE = {code: f"\\x{code:02x}" for code in _CONTROLS}
_VISIBLE_LINES = {code: text for code, text in _VISIBLE.items() if chr(code) not in "\n\t"}
# json.dumps escapes C0 controls even with ensure_ascii=False, but not DEL nor the C1 controls.
_JSON_ESCAPES = {code: f"\\u{code:04x}" for code in range(0x7F, 0xA0)}


def safe(text: str, *, multiline: bool = False) -> str:
    """``text`` from a data file, the database or the environment, fit to print on a terminal:
    every control character is shown as a visible escape (``\\x1b``), so that no terminal
    sequence is ever emitted. ``multiline`` keeps the line breaks and tabs of a text meant to
    span several lines (a message); a carriage return is escaped even then."""
    return text.translate(_VISIBLE_LINES if multiline else _VISIBLE)


def dump(data: Any) -> None:
    """``data`` as indented JSON, non-ASCII letters as they are and every control character escaped."""
    import json  # not on the TUI's start-up path

    print(json.dumps(data, ensure_ascii=False, indent=2).translate(_JSON_ESCAPES))

"""Errors the user can cause or fix, turned into one sentence by the UI and the CLI."""

from __future__ import annotations


class InvalidInput(Exception):
    """A request the user can fix: the message is one French sentence."""


class StoreError(Exception):
    """The database cannot be used as configured (English message for logs and stderr)."""

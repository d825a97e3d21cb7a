"""The one root of the errors a person can cause or fix, turned into one sentence by the UI and the CLI.

Everything guichet raises on purpose is a :class:`GuichetError`: the CLI catches that one class
(one line on stderr, exit code 2) and the UI shows its message as it is. Anything else is a bug:
logged with its traceback, shown as one French sentence, never swallowed.
"""

from __future__ import annotations


class GuichetError(Exception):
    """An error with a message meant for people (one sentence, French where an agent reads it)."""


class InvalidInput(GuichetError):
    """A request the user can fix: the message is one French sentence."""


class NotFound(InvalidInput):
    """The record asked for does not exist (or no longer does)."""


class LostRace(GuichetError):
    """Another counter changed the record (or took the seat) between our read and our write.

    The message says what happened and, where it helps, the current state.
    """


class StoreError(GuichetError):
    """The database cannot be used as configured (a setup problem: wrong URL, old schema, share)."""


class DatabaseUnreachable(StoreError):
    """The database server does not answer (a connection failure, nothing the agent typed)."""

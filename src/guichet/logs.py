"""The log file: what happened, never who it happened to.

Records name record ids, agencies, kinds and statuses; never a name, a phone number, a CAF
file number or a free text. ``GUICHET_LOG_LEVEL`` (DEBUG, INFO…) sets the level.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path

from guichet.paths import ensure_private_dir

LOGGER = "guichet"
_MAX_BYTES = 1_000_000
_BACKUPS = 3


_unwritable_reported = False  # the one line on stderr, once per process


def _report_unwritable(path: str, error: OSError) -> None:
    """Say once, on one line of stderr, that the log cannot be written: the agent goes on."""
    global _unwritable_reported
    if _unwritable_reported:
        return
    _unwritable_reported = True
    reason = "".join(c if c.isprintable() else "?" for c in f"{path} : {error.strerror or type(error).__name__}")
    try:
        if sys.stderr is not None:  # None under pythonw
            sys.stderr.write(f"guichet : journal impossible à écrire ({reason}) : la suite n'est pas journalisée.\n")
            sys.stderr.flush()
    except (OSError, ValueError):
        pass  # stderr is gone too: nothing left to tell


class _LogFile(RotatingFileHandler):
    """The log file, which gives up quietly when it cannot be written (a full disk, a directory
    that became read-only, a backup that cannot be moved).

    logging's own ``handleError`` prints a "--- Logging error ---" block with a traceback for every
    record that fails: the agent would see one per action. Here the first failure to write says so
    in one line (once per process), closes the file, and every later record is dropped; guichet goes
    on without its log. A record that cannot be formatted (a bug in a log call) is not a write
    failure: logging reports it as usual.
    """

    broken = False

    def _open(self) -> io.TextIOWrapper:
        """Every file of the log, the ones a rollover starts included, is born owner-only."""
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        if os.name == "posix":
            os.chmod(self.baseFilename, 0o600)  # made by an older guichet, or under a wider umask
        return io.TextIOWrapper(io.FileIO(descriptor, "a"), encoding=self.encoding, errors=self.errors)

    def emit(self, record: logging.LogRecord) -> None:
        if not self.broken:
            super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:
        error = sys.exc_info()[1]
        if not isinstance(error, OSError):
            super().handleError(record)
            return
        self.broken = True
        stream, self.stream = self.stream, None  # no flush at exit either
        if stream is not None:
            with contextlib.suppress(OSError, ValueError):
                stream.close()  # the unwritten buffer fails once more; the descriptor is closed all the same
        _report_unwritable(self.baseFilename, error)


def setup_logging(path: Path, level: str | None = None) -> Path | None:
    """Send guichet's records to the file ``path`` (owner-only); None if it cannot be written.

    A log that cannot be opened, or later written, is said once on stderr and guichet goes on.
    """
    chosen = (level or os.environ.get("GUICHET_LOG_LEVEL") or "INFO").upper()
    logger = logging.getLogger(LOGGER)
    logger.setLevel(getattr(logging, chosen, logging.INFO))
    if any(isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == path for h in logger.handlers):
        return path
    try:
        ensure_private_dir(path.parent)
        handler = _LogFile(path, maxBytes=_MAX_BYTES, backupCount=_BACKUPS, encoding="utf-8",
                           errors="backslashreplace")
        if os.name == "posix":
            path.chmod(0o600)
    except OSError as exc:  # a read-only profile must not stop the counter
        _report_unwritable(str(path), exc)
        if not logger.handlers:  # nor show it logging's last-resort output: tracebacks on stderr
            logger.addHandler(logging.NullHandler())
            logger.propagate = False
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.propagate = False
    return path


def get(name: str) -> logging.Logger:
    """A child logger of guichet's (``guichet.services.appointments``…)."""
    return logging.getLogger(f"{LOGGER}.{name}")


def unexpected(logger: logging.Logger, exc: BaseException, where: str) -> None:
    """Log a bug: its type, where it happened and its traceback, without any exception's message."""
    logger.error("unexpected %s in %s\n%s", _type_name(exc), where, traceback_without_messages(exc))


_CAUSE = "\nThe above exception was the direct cause of the following exception:\n\n"
_CONTEXT = "\nDuring handling of the above exception, another exception occurred:\n\n"


def traceback_without_messages(exc: BaseException) -> str:
    """The traceback Python would print for ``exc`` (with its causes), each exception named by its
    type only: their messages may quote personal data (a typed name, the parameters of an SQL
    statement), which the log never holds. The frames show code, never values."""
    chain: list[tuple[BaseException, str]] = []  # newest first, each with how it led to the newer one
    current: BaseException | None = exc
    link = ""
    while current is not None and all(current is not seen for seen, _ in chain):
        chain.append((current, link))
        if current.__cause__ is not None:
            current, link = current.__cause__, _CAUSE
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = current.__context__, _CONTEXT
        else:
            current = None
    parts: list[str] = []
    for error, led_to_newer in reversed(chain):
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_list(traceback.extract_tb(error.__traceback__)))
        parts.append(f"{_type_name(error)} (message withheld from the log)\n")
        if led_to_newer:
            parts.append(led_to_newer)
    return "".join(parts).rstrip("\n")


def _type_name(exc: BaseException) -> str:
    kind = type(exc)
    return kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"

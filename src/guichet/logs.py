"""The log file: what happened, never who it happened to.

Records name record ids, agencies, kinds and statuses; never a name, a phone number, a CAF
file number or a free text. ``GUICHET_LOG_LEVEL`` (DEBUG, INFO…) sets the level.
"""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

from guichet.paths import ensure_private_dir

LOGGER = "guichet"
_MAX_BYTES = 1_000_000
_BACKUPS = 3


def setup_logging(path: Path, level: str | None = None) -> Path | None:
    """Send guichet's records to the file ``path`` (owner-only); None if it cannot be written."""
    chosen = (level or os.environ.get("GUICHET_LOG_LEVEL") or "INFO").upper()
    logger = logging.getLogger(LOGGER)
    logger.setLevel(getattr(logging, chosen, logging.INFO))
    if any(isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == path for h in logger.handlers):
        return path
    try:
        ensure_private_dir(path.parent)
        handler = RotatingFileHandler(path, maxBytes=_MAX_BYTES, backupCount=_BACKUPS, encoding="utf-8")
        if os.name == "posix":
            path.chmod(0o600)
    except OSError:
        return None  # a read-only profile must not stop the counter
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.propagate = False
    return path


def get(name: str) -> logging.Logger:
    """A child logger of guichet's (``guichet.services.appointments``…)."""
    return logging.getLogger(f"{LOGGER}.{name}")

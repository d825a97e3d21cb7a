"""Every file location guichet uses; ``GUICHET_HOME`` moves them all under one directory."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

APP = "guichet"


def _shipped_data() -> Path:
    """The data files guichet ships (agencies, services, demo scripts): ``data/`` at the repository
    root is the one copy. A wheel carries it inside the package (``guichet/data``, see pyproject's
    ``force-include``); an editable install or a source checkout reads it where it lies. A plain
    path: guichet is installed as files, and importlib.resources would cost the start-up a few
    milliseconds of imports for nothing (``__file__`` is absolute: no resolve())."""
    package = Path(__file__).parent
    inside = package / "data"
    return inside if (inside / "agencies.toml").is_file() else package.parent.parent / "data"


SHIPPED_DATA = _shipped_data()


@dataclass(frozen=True, slots=True)
class Paths:
    """Where guichet keeps its configuration, data (the SQLite file) and logs."""

    config_dir: Path
    data_dir: Path
    log_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def database_file(self) -> Path:
        return self.data_dir / "guichet.sqlite3"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "guichet.log"

    @property
    def exports_dir(self) -> Path:
        """Where the day sheets exported from the interface go (personal data: the purge covers them)."""
        return self.data_dir / "exports"


def default_paths(env: dict[str, str] | None = None) -> Paths:
    """The paths for this user; ``GUICHET_HOME`` (if set) overrides every one of them."""
    env = dict(os.environ) if env is None else env
    home = env.get("GUICHET_HOME", "").strip()
    if home:
        root = Path(home).expanduser()
        return Paths(root / "config", root / "data", root / "logs")
    import platformdirs  # imported here: it is only needed when no GUICHET_HOME is set

    return Paths(
        Path(platformdirs.user_config_dir(APP, appauthor=False)),
        Path(platformdirs.user_data_dir(APP, appauthor=False)),
        Path(platformdirs.user_log_dir(APP, appauthor=False)),
    )


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` and its missing parents readable by their owner only, where the OS allows it.

    Only the directories created here are given that mode: a directory that already exists is
    someone's, and its permissions are not ours to change.
    """
    missing = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:  # created meanwhile by another process
            continue
        if os.name == "posix":
            folder.chmod(0o700)  # mkdir's mode is filtered by the umask
    if not path.is_dir():
        raise NotADirectoryError(str(path))
    return path


def write_private(path: Path, data: str | bytes, *, encoding: str = "utf-8", durable: bool = True) -> Path:
    """Write ``data`` to ``path`` readable by its owner only, atomically: a temporary file beside it,
    created exclusively (never through a link), then renamed over ``path`` (a link at ``path`` is
    replaced, never followed). On an error (a full disk…) the temporary file is removed and
    ``path`` is left as it was. ``durable``: fsync before the rename (not needed for a cache,
    which checks itself when read). No ``tempfile`` import: the catalog cache writes at start-up."""
    import threading

    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    descriptor = os.open(temporary, flags, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data.encode(encoding) if isinstance(data, str) else data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return path

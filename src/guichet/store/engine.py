"""Engine factory: the embedded SQLite file by default, PostgreSQL when configured.

SQLite runs in WAL mode with a busy timeout; a write transaction starts with
``BEGIN IMMEDIATE`` so that two writers queue on the lock instead of failing half-way.
Nothing here runs at import time: an engine exists only once :func:`make_engine` is called.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine as Engine  # re-exported: the services name the type without importing SQLAlchemy
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlmodel import Session

from guichet.errors import DatabaseUnreachable, StoreError
from guichet.paths import ensure_private_dir

BUSY_TIMEOUT_MS = 10_000
OPTIMIZE_TIMEOUT_MS = 200  # at close, statistics are not worth making the agent wait for a lock
_NETWORK_FS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "fuse.sshfs", "9p", "afs", "ncpfs", "davfs"}


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL, or None for an in-memory database."""
    database = make_url(url).database
    if not database or database == ":memory:":
        return None
    return Path(database)


def on_network_share(path: Path) -> bool:
    """Whether ``path`` lies on a network share (UNC path, or NFS/SMB/… mount)."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    mounts = Path("/proc/mounts")
    if not mounts.exists():
        return False
    resolved = str(path.resolve())
    best, best_type = "", ""
    for line in mounts.read_text(encoding="utf-8", errors="replace").splitlines():
        fields = line.split()
        if len(fields) < 3 or len(fields[1]) <= len(best):
            continue
        if resolved == fields[1] or resolved.startswith(fields[1].rstrip("/") + "/"):
            best, best_type = fields[1], fields[2]
    return best_type in _NETWORK_FS


def _prepare_sqlite_file(path: Path) -> None:
    if on_network_share(path.parent if not path.exists() else path):
        raise StoreError(
            f"{path}: SQLite must not be used on a network share; "
            "set GUICHET_DATABASE_URL to a shared PostgreSQL server instead (see README)"
        )
    ensure_private_dir(path.parent)
    if os.name == "posix":
        # Create the file ourselves so that it is born owner-only (WAL/SHM files inherit it).
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
        os.close(fd)
        path.chmod(0o600)


def make_engine(url: str) -> Engine:
    """An engine for ``url``, configured for guichet's transactions."""
    if not is_sqlite(url):
        return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5, hide_parameters=True)
    path = sqlite_path(url)
    if path is not None:
        _prepare_sqlite_file(path)
    engine = create_engine(
        url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        hide_parameters=True,  # an error's text (logged with its traceback) never carries personal data
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own is deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if path is not None:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # A deleted row is overwritten, not left in a free page: the purge must leave nothing behind.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute("PRAGMA synchronous=NORMAL" if path is None else "PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "close")
    def _on_close(dbapi_connection: Any, _record: Any) -> None:
        # SQLite's advice for every connection: PRAGMA optimize before closing it. It gathers the
        # query planner's statistics for the tables this connection searched (with them the
        # follow-up list of 50,000 handoffs takes ~5 ms instead of ~80 ms). It waits at most
        # OPTIMIZE_TIMEOUT_MS for a lock, and gives up on any error.
        try:
            dbapi_connection.execute(f"PRAGMA busy_timeout={OPTIMIZE_TIMEOUT_MS}")
            dbapi_connection.execute("PRAGMA optimize")
        except sqlite3.Error:
            pass  # locked or read-only: the old statistics stay

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get("guichet_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


@contextmanager
def storage_errors() -> Iterator[None]:
    """Turn the database's failures into guichet's errors: a connection that cannot be made or
    was lost is :class:`DatabaseUnreachable` ("injoignable"); a database that stays locked or
    refuses to work is a :class:`StoreError`. Constraint violations (``IntegrityError``) and
    every other error pass through unchanged: they are the caller's to handle, or bugs."""
    try:
        yield
    except (OperationalError, InterfaceError) as exc:
        if exc.connection_invalidated or exc.statement is None:  # connecting, or the connection died
            raise DatabaseUnreachable("Base de données injoignable.") from exc
        raise StoreError("La base de données n'a pas pu traiter la demande (occupée ou indisponible) : "
                         "rien n'a été enregistré, réessayez.") from exc
    except DBAPIError as exc:
        if exc.connection_invalidated:
            raise DatabaseUnreachable("Base de données injoignable.") from exc
        raise


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session whose transaction takes the write lock at once, committed on success."""
    bound = engine.execution_options(guichet_write=True)
    with storage_errors(), Session(bound, expire_on_commit=False) as session, session.begin():
        yield session


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A read-only session (a plain deferred transaction on SQLite)."""
    with storage_errors(), Session(engine, expire_on_commit=False) as session:
        yield session


def ping(engine: Engine) -> bool:
    """Whether the database answers a trivial query."""
    try:
        with storage_errors(), engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (DatabaseUnreachable, StoreError, DBAPIError):
        return False
    return True


def masked_url(url: str) -> str:
    """``url`` with its password hidden, for display."""
    return make_url(url).render_as_string(hide_password=True)

"""Engine factory: the embedded SQLite file by default, PostgreSQL when configured.

SQLite runs in WAL mode with a busy timeout; a write transaction starts with
``BEGIN IMMEDIATE`` so that two writers queue on the lock instead of failing half-way.
Nothing here runs at import time: an engine exists only once :func:`make_engine` is called.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine as Engine  # re-exported: the services name the type without importing SQLAlchemy
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlmodel import Session

from guichet.errors import DatabaseUnreachable, StoreError
from guichet.paths import ensure_private_dir

BUSY_TIMEOUT_MS = 10_000
OPTIMIZE_TIMEOUT_MS = 200  # at close, statistics are not worth making the agent wait for a lock
_NETWORK_FS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "fuse.sshfs", "9p", "afs", "ncpfs", "davfs"}


SQLITE_HEADER = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database file
_SECRET_KEYS = ("password", "passwd", "pwd", "secret", "token", "sslpassword")


def _parse(url: str) -> URL:
    """``url`` parsed; a :class:`StoreError` that does not repeat it (it may hold a password)."""
    try:
        return make_url(url)
    except (ArgumentError, ValueError, TypeError):
        raise StoreError("L'adresse de la base de données est illisible : vérifiez GUICHET_DATABASE_URL "
                         "ou database_url dans config.toml (forme : postgresql+psycopg://utilisateur@serveur/base)."
                         ) from None


def is_sqlite(url: str) -> bool:
    return _parse(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL, or None for an in-memory database."""
    database = _parse(url).database
    if not database or database == ":memory:":
        return None
    return Path(database)


def _sqlite_file(url: str) -> Path:
    """The file of a SQLite URL, which must be a file, named by an absolute path."""
    parsed = _parse(url)
    database = parsed.database or ""
    if not database or database == ":memory:" or "memory" in str(parsed.query.get("mode", "")) \
            or database.startswith("file::memory:"):
        raise StoreError("Base SQLite en mémoire refusée : rien n'y serait conservé à la fermeture. "
                         "Indiquez le chemin absolu d'un fichier, ou laissez la base par défaut.")
    path = Path(database)
    if not path.is_absolute():
        raise StoreError(f"Chemin de base SQLite relatif refusé : « {database} » changerait selon le dossier "
                         "d'où guichet est lancé. Indiquez un chemin absolu.")
    return path


def backups_of(database: Path) -> list[Path]:
    """The backup copies made of ``database`` before upgrades (``migrations.backup_sqlite``), oldest first."""
    return sorted(database.parent.glob(f"{database.name}.v*.bak"))


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
    """Check ``path`` before anything is touched; create it (owner-only) when it does not exist."""
    if on_network_share(path.parent if not path.exists() else path):
        raise StoreError(f"{path} : une base SQLite ne doit pas être sur un partage réseau ; pour partager "
                         "les rendez-vous entre guichets, utilisez un serveur PostgreSQL (voir le README).")
    if path.exists():
        if not path.is_file():
            raise StoreError(f"{path} n'est pas un fichier : ce ne peut pas être la base de guichet.")
        try:
            with path.open("rb") as stream:
                header = stream.read(len(SQLITE_HEADER))
        except OSError as exc:
            raise StoreError(f"Impossible de lire la base {path} ({exc.strerror}) : vérifiez ses droits.") from None
        if header and header != SQLITE_HEADER:
            raise StoreError(f"{path} n'est pas une base SQLite : rien n'a été modifié. "
                             "Vérifiez le chemin de la base (guichet info).")
        return  # an existing database: its permissions are its owner's
    try:
        ensure_private_dir(path.parent)
        # Created here, so that it is born owner-only (the WAL and SHM files inherit its mode).
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
        os.close(fd)
    except FileExistsError:
        pass  # created meanwhile by another counter's guichet
    except OSError as exc:
        raise StoreError(f"Impossible de créer la base {path} ({exc.strerror}) : vérifiez le dossier.") from None


def make_engine(url: str) -> Engine:
    """An engine for ``url``, configured for guichet's transactions."""
    if not is_sqlite(url):
        from guichet.store.tables import name_postgresql_options

        name_postgresql_options()
        return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5, hide_parameters=True)
    path = _sqlite_file(url)
    _prepare_sqlite_file(path)
    # A file this account may read but not write (a read-only share or copy) is opened read-only, so
    # that the day sheet and the lists still work; a write then says "lecture seule" with the file.
    read_only = not os.access(path, os.W_OK)
    if read_only:
        url = f"sqlite:///file:{path.as_posix()}?mode=ro&uri=true"
    engine = create_engine(
        url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        hide_parameters=True,  # an error's text (logged with its traceback) never carries personal data
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own is deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not read_only:  # a read-only file keeps the journal mode it has
            _use_wal(cursor)
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # A deleted row is overwritten, not left in a free page: the purge must leave nothing behind.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute("PRAGMA synchronous=FULL")
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


def _use_wal(cursor: Any) -> None:
    """Put the file in WAL mode (once: the mode is stored in the file). Changing the mode needs the
    file to itself, and SQLite does not wait for it as it waits for a lock: another connection
    opening the same file at that instant (two upgrades at once) is waited for here, as long as
    the busy timeout allows."""
    if cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
        return
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


@contextmanager
def storage_errors(engine: Engine | None = None) -> Iterator[None]:
    """Turn the database's failures into guichet's errors, each saying what is wrong and what to do:
    a server that cannot be reached is :class:`DatabaseUnreachable` ("injoignable"); a SQLite file
    that is damaged, full, read-only or cannot be opened, or a database that stays locked, is a
    :class:`StoreError` naming the file. Constraint violations (``IntegrityError``) and every other
    error pass through unchanged: they are the caller's to handle, or bugs."""
    try:
        yield
    except IntegrityError:
        raise  # a constraint: the caller's to handle (a seat taken, the journal's guard)
    except DBAPIError as exc:
        sqlite_error = str(getattr(exc.orig, "sqlite_errorname", ""))
        if sqlite_error:
            raise _sqlite_failure(sqlite_error, engine) from exc
        if exc.connection_invalidated or (isinstance(exc, OperationalError | InterfaceError) and exc.statement is None):
            raise DatabaseUnreachable("Base de données injoignable.") from exc  # connecting, or the connection died
        if isinstance(exc, OperationalError | InterfaceError):
            raise StoreError("La base de données n'a pas pu traiter la demande (occupée ou indisponible) : "
                             "rien n'a été enregistré, réessayez.") from exc
        raise


def _sqlite_failure(name: str, engine: Engine | None) -> StoreError:
    """The error to show for a SQLite failure (``SQLITE_CORRUPT``, ``SQLITE_FULL``…)."""
    database = engine.url.database if engine is not None else None
    path = Path(database) if database else None
    where = f"La base {path}" if path else "La base de données"
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        copies = backups_of(path) if path else []
        restore = (f"restaurez la dernière sauvegarde ({copies[-1]}) ou celle de votre service informatique"
                   if copies else "restaurez la sauvegarde de votre service informatique")
        return StoreError(f"{where} est endommagée (ou n'est pas une base guichet) : rien n'a été modifié. "
                          f"Fermez guichet, {restore} ; `guichet db check` en dit plus.")
    if name.startswith("SQLITE_FULL"):
        return StoreError(f"Disque plein : {where[0].lower()}{where[1:]} ne peut plus rien enregistrer "
                          "(rien n'a été enregistré). Libérez de la place, puis recommencez.")
    if name.startswith(("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_AUTH")):
        return StoreError(f"{where} est en lecture seule pour ce compte : rien n'a été enregistré. "
                          "Vérifiez les droits du fichier et de son dossier.")
    if name.startswith("SQLITE_CANTOPEN"):
        return StoreError(f"{where} ne peut pas être ouverte (fichier ou dossier inaccessible) : "
                          "vérifiez le chemin (guichet info) et les droits.")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StoreError(f"{where} est occupée par un autre programme : rien n'a été enregistré, réessayez.")
    if name.startswith("SQLITE_IOERR"):
        return StoreError(f"{where} n'a pas pu être lue ou écrite (erreur du disque) : rien n'a été enregistré. "
                          "Vérifiez le disque, puis recommencez.")
    return StoreError(f"{where} a refusé la demande ({name}) : rien n'a été enregistré.")


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session whose transaction takes the write lock at once, committed on success."""
    bound = engine.execution_options(guichet_write=True)
    with storage_errors(engine), Session(bound, expire_on_commit=False) as session, session.begin():
        yield session


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A read-only session (a plain deferred transaction on SQLite)."""
    with storage_errors(engine), Session(engine, expire_on_commit=False) as session:
        yield session


def ping(engine: Engine) -> bool:
    """Whether the database answers a trivial query."""
    try:
        with storage_errors(engine), engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (DatabaseUnreachable, StoreError, DBAPIError):
        return False
    return True


def masked_url(url: str) -> str:
    """``url`` with every credential hidden (the password, and query parameters such as
    ``?password=``), for display; a URL that cannot be read is not repeated at all."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError, TypeError):
        return "(adresse illisible)"
    query = {key: ("***" if any(word in key.lower() for word in _SECRET_KEYS) else value)
             for key, value in parsed.query.items()}
    return parsed.set(query=query).render_as_string(hide_password=True)

"""A throwaway PostgreSQL server for the tests and the benchmarks.

:class:`PostgresServer` runs ``initdb`` and ``pg_ctl`` from the local binaries
(``/usr/lib/postgresql/*/bin`` on Debian, or ``GUICHET_PG_BINDIR``) into a temporary
directory: trust authentication, a unix socket in that directory and no TCP port at all,
``fsync`` off. ``initdb`` refuses to run as root, so under root (CI) the server runs as the
``postgres`` system account that the Debian package creates; otherwise as the current user.

Fixtures:

- ``pg_url`` (session): the SQLAlchemy URL ``postgresql+psycopg://...`` of a database
  ``guichet`` on a server started for the session, stopped and deleted at the end.
  Skips the test when no PostgreSQL binaries (or no psycopg) are found.
- ``pg_database_url`` (function): the URL of a FRESH database ``guichet_<n>`` on that
  server, copied from a template that holds guichet's schema and no rows, dropped after the
  test, so that tests never see each other's rows.

Outside pytest (``bench/``): ``with running_server() as server: server.create_database(...)``.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import itertools
import os
import pwd
import re
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SUPERUSER = "postgres"  # the database role initdb creates (-U), whatever the OS account
MAINTENANCE_DB = "postgres"
SESSION_DB = "guichet"
PORT = 5432  # only names the socket file (.s.PGSQL.5432): the server listens on no TCP port
SERVER_USER = "postgres"  # the OS account the server runs as when we are root
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class PostgresUnavailable(RuntimeError):
    """No way to run a local PostgreSQL server here (the reason says why)."""


def find_bindir() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl``: GUICHET_PG_BINDIR, the newest Debian
    or RHEL install, else the one on PATH. None when there is none."""
    candidates: list[Path] = []
    override = os.environ.get("GUICHET_PG_BINDIR", "").strip()
    if override:
        candidates.append(Path(override))

    def version(path: str) -> tuple[int, ...]:
        return tuple(int(n) for n in re.findall(r"\d+", path)) or (0,)

    for pattern in ("/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin", "/opt/homebrew/opt/postgresql@*/bin"):
        candidates += [Path(p) for p in sorted(glob.glob(pattern), key=version, reverse=True)]
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    for directory in candidates:
        if all(os.access(directory / tool, os.X_OK) for tool in ("initdb", "pg_ctl", "postgres")):
            return directory
    return None


def _world_traversable(path: Path) -> bool:
    """Whether every directory from / down to ``path`` lets other users through (o+x)."""
    for part in (path, *path.parents):
        try:
            if not part.stat().st_mode & stat.S_IXOTH:
                return False
        except OSError:
            return False
    return True


def _clean_env() -> dict[str, str]:
    """The environment for the server's tools, without PG* variables that would redirect them."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_ALL"] = "C"
    return env


class PostgresServer:
    """One throwaway server: :meth:`start` it, build URLs, :meth:`stop` it (which deletes it)."""

    def __init__(self, bindir: Path, base: Path, run_as: pwd.struct_passwd | None) -> None:
        self.bindir = bindir
        self.base = base
        self.data_dir = base / "data"
        self.socket_dir = base / "sock"
        self.log_file = base / "server.log"
        self.run_as = run_as
        self._running = False

    # -- life cycle ----------------------------------------------------------------------
    @classmethod
    def start(cls) -> PostgresServer:
        """Initialise and start a server in a new temporary directory.

        Raises :class:`PostgresUnavailable` when there are no binaries, no ``psycopg`` or (as
        root) no ``postgres`` account; ``RuntimeError`` with the server log if it fails to start.
        """
        try:
            import psycopg  # noqa: F401  (the URLs we hand out need it)
        except ImportError:
            raise PostgresUnavailable("psycopg is not installed (pip install -e '.[postgres]')") from None
        bindir = find_bindir()
        if bindir is None:
            raise PostgresUnavailable(
                "no PostgreSQL binaries (initdb, pg_ctl) in /usr/lib/postgresql/*/bin or on PATH; "
                "install them (apt-get install postgresql) or set GUICHET_PG_BINDIR"
            )
        run_as: pwd.struct_passwd | None = None
        if os.geteuid() == 0:  # initdb refuses root: run the server as the packaged account
            try:
                run_as = pwd.getpwnam(SERVER_USER)
            except KeyError:
                raise PostgresUnavailable(
                    f"running as root and there is no '{SERVER_USER}' system user to run the server as"
                ) from None
        parent = Path(tempfile.gettempdir())
        if run_as is not None and not _world_traversable(parent):
            parent = Path("/tmp")  # the server's account must be able to reach its directory
        base = Path(tempfile.mkdtemp(prefix="guichet-pg-", dir=parent))
        server = cls(bindir, base, run_as)
        try:
            server._init_and_start()
        except BaseException:
            server.stop()
            raise
        return server

    def _init_and_start(self) -> None:
        self.socket_dir.mkdir(mode=0o700)
        if self.run_as is not None:
            for path in (self.base, self.socket_dir):
                os.chown(path, self.run_as.pw_uid, self.run_as.pw_gid)
        self._tool("initdb", "-D", str(self.data_dir), "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8",
                   "--no-locale", "--no-sync")
        settings = {
            "listen_addresses": "''",
            "unix_socket_directories": f"'{self.socket_dir}'",
            "unix_socket_permissions": "0700",  # the owner (and root) only: trust auth otherwise
            "port": str(PORT),
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "max_connections": "120",
            "shared_buffers": "64MB",
            "log_min_messages": "warning",
            "log_min_error_statement": "panic",  # expected unique violations are not news
        }
        with (self.data_dir / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n# guichet test server\n")
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
        self._running = True  # from here on, stop() must try pg_ctl stop
        atexit.register(self.stop)
        try:
            self._tool("pg_ctl", "-D", str(self.data_dir), "-l", str(self.log_file), "-w", "-t", "60", "start")
        except RuntimeError as exc:
            log = self.log_file.read_text(errors="replace") if self.log_file.exists() else ""
            raise RuntimeError(f"{exc}\n--- server log ---\n{log}") from None
        self.create_database(SESSION_DB)

    def stop(self) -> None:
        """Stop the server (if running) and delete its directory. Idempotent."""
        if self._running:
            self._running = False
            try:
                self._tool("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "-t", "30", "stop")
            except RuntimeError:
                with contextlib.suppress(RuntimeError):
                    self._tool("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.base, ignore_errors=True)

    def _tool(self, name: str, *args: str) -> None:
        """Run one of the server's programs, as the server's account."""
        extra: dict[str, Any] = {}
        if self.run_as is not None:
            extra = {"user": self.run_as.pw_uid, "group": self.run_as.pw_gid, "extra_groups": []}
        result = subprocess.run(
            [str(self.bindir / name), *args], cwd=self.base, env=_clean_env(), capture_output=True,
            text=True, timeout=120, check=False, **extra,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{name} failed ({result.returncode}): {result.stdout}{result.stderr}")

    # -- databases -----------------------------------------------------------------------
    def url(self, database: str = SESSION_DB) -> str:
        """The SQLAlchemy URL of ``database`` on this server (through the unix socket)."""
        return f"postgresql+psycopg://{SUPERUSER}@/{database}?host={self.socket_dir}&port={PORT}"

    def create_database(self, name: str) -> str:
        """Create the empty database ``name``; return its URL."""
        _admin(self.url(), f'CREATE DATABASE "{_checked(name)}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop ``name``, disconnecting whoever is still on it."""
        _admin(self.url(), f'DROP DATABASE IF EXISTS "{_checked(name)}" WITH (FORCE)')


def _checked(name: str) -> str:
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a plain database name: {name!r}")
    return name


def _admin(url: str, sql: str) -> None:
    """Run one statement outside a transaction on the maintenance database of ``url``'s server."""
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    query = {k: v if isinstance(v, str) else v[0] for k, v in parsed.query.items()}
    with psycopg.connect(host=query.get("host", parsed.host or ""), port=query.get("port", parsed.port or PORT),
                         user=parsed.username or SUPERUSER, dbname=MAINTENANCE_DB, autocommit=True) as conn:
        conn.execute(sql.encode())


@contextlib.contextmanager
def running_server() -> Iterator[PostgresServer]:
    """A started server for the duration of the ``with`` block (raises PostgresUnavailable)."""
    server = PostgresServer.start()
    try:
        yield server
    finally:
        server.stop()


# -- pytest fixtures -------------------------------------------------------------------------
_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of the database ``guichet`` on a server started for the test session."""
    try:
        server = PostgresServer.start()
    except PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL not available: {exc}")
    try:
        yield server.url()
    finally:
        server.stop()


_TEMPLATES: dict[str, str] = {}


def _schema_template(pg_url: str) -> str:
    """A database holding guichet's schema and no rows, made once per server: copying it is about
    twice as fast as creating a database and its schema for every test."""
    if pg_url not in _TEMPLATES:
        from datetime import UTC, datetime

        from sqlalchemy.engine import make_url

        from guichet.store.engine import make_engine
        from guichet.store.schema import init_schema

        name = "guichet_template"
        _admin(pg_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _admin(pg_url, f'CREATE DATABASE "{name}"')
        engine = make_engine(make_url(pg_url).set(database=name).render_as_string(hide_password=False))
        try:
            init_schema(engine, datetime(2026, 1, 1, tzinfo=UTC))
        finally:
            engine.dispose()  # a template must have no connection while it is copied
        _TEMPLATES[pg_url] = name
    return _TEMPLATES[pg_url]


@pytest.fixture
def pg_database_url(pg_url: str) -> Iterator[str]:
    """URL of a fresh database for this test alone, with guichet's schema and no rows (dropped afterwards)."""
    from sqlalchemy.engine import make_url

    name = f"guichet_{next(_numbers)}"
    _admin(pg_url, f'CREATE DATABASE "{name}" TEMPLATE "{_schema_template(pg_url)}"')
    try:
        yield make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    finally:
        _admin(pg_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

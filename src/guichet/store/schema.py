"""Creating the schema, protecting the journal, reading the schema version, checking the database."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

from guichet.errors import StoreError
from guichet.store import tables
from guichet.store.engine import sqlite_path, write_session
from guichet.store.migrations import LATEST, backup_sqlite, pending, upgrade

SCHEMA_VERSION = LATEST


# The journal is append-only: the database refuses to delete or rewrite an entry. The one
# change allowed is the anonymisation done by the retention purge (record_id set to NULL).
_SQLITE_JOURNAL_GUARDS = (
    """CREATE TRIGGER IF NOT EXISTS journal_no_delete BEFORE DELETE ON journal
       BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS journal_no_update BEFORE UPDATE ON journal
       WHEN NEW.at IS NOT OLD.at OR NEW.actor IS NOT OLD.actor OR NEW.action IS NOT OLD.action
            OR NEW.record_type IS NOT OLD.record_type OR NEW.record_id IS NOT NULL
       BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END""",
)
_POSTGRES_JOURNAL_GUARDS = (
    """CREATE OR REPLACE FUNCTION journal_guard() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'the journal is append-only'; END IF;
         IF NEW.at IS DISTINCT FROM OLD.at OR NEW.actor IS DISTINCT FROM OLD.actor
            OR NEW.action IS DISTINCT FROM OLD.action OR NEW.record_type IS DISTINCT FROM OLD.record_type
            OR NEW.record_id IS NOT NULL THEN
           RAISE EXCEPTION 'the journal is append-only';
         END IF;
         RETURN NEW;
       END $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS journal_guard ON journal",
    """CREATE TRIGGER journal_guard BEFORE UPDATE OR DELETE ON journal
       FOR EACH ROW EXECUTE FUNCTION journal_guard()""",
)


def current_version(engine: Engine) -> int | None:
    """The database's schema version, or None for an empty database."""
    if not inspect(engine).has_table(tables.SchemaVersion.__tablename__):
        return None
    with engine.connect() as connection:
        value = connection.execute(select(func.max(tables.SchemaVersion.version))).scalar()
    return int(value) if value is not None else None


def init_schema(engine: Engine, now: datetime, *, auto_upgrade: bool = True) -> int:
    """Create the tables of an empty database; upgrade an older one; refuse a newer one.

    On SQLite an older database is upgraded at once, after a backup copy of the file. On a
    shared PostgreSQL server the administrator upgrades it (``guichet db upgrade``), since
    every counter must move together.
    """
    version = current_version(engine)
    if version is not None and version > SCHEMA_VERSION:
        raise StoreError(
            f"the database has schema version {version}, newer than this guichet "
            f"({SCHEMA_VERSION}): install the newer guichet on this workstation"
        )
    if version is None:
        _create(engine, now)
        return SCHEMA_VERSION
    if pending(version):
        if not auto_upgrade:
            raise StoreError(
                f"the database has schema version {version}, older than this guichet ({SCHEMA_VERSION}): "
                "an administrator must run `guichet db upgrade` (after backing the database up)"
            )
        backup_of(engine, version, now)
        upgrade(engine, version, now)
    return SCHEMA_VERSION


def _create(engine: Engine, now: datetime) -> None:
    """Create the tables, the journal's guards and the version row in one write transaction.

    Two counters opening a new database at the same moment (two workstations started together on a
    new shared server, two guichet processes on a new file) must not both create it: the write lock
    (SQLite's ``BEGIN IMMEDIATE``, an advisory lock on PostgreSQL) lets one in at a time, and the
    second finds the version row of the first and creates nothing."""
    postgres = engine.dialect.name == "postgresql"
    with write_session(engine) as session:
        connection = session.connection()
        if postgres:
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(741300)")  # guichet's schema creation
        if inspect(connection).has_table(tables.SchemaVersion.__tablename__):
            return  # created by another counter while this one waited for the lock
        SQLModel.metadata.create_all(connection)
        for statement in _POSTGRES_JOURNAL_GUARDS if postgres else _SQLITE_JOURNAL_GUARDS:
            connection.exec_driver_sql(statement)
        session.add(tables.SchemaVersion(version=SCHEMA_VERSION, applied_at=now.astimezone(UTC).replace(tzinfo=None)))


def backup_of(engine: Engine, version: int, now: datetime) -> str | None:
    """Back the SQLite file up before an upgrade; None for other databases."""
    path = sqlite_path(engine.url.render_as_string(hide_password=False)) if engine.dialect.name == "sqlite" else None
    if path is None:
        return None
    return str(backup_sqlite(path, version, now))


def check(engine: Engine) -> dict[str, Any]:
    """What ``guichet db check`` reports beside the version: the tables, whether the journal refuses
    a rewrite and, on SQLite, ``PRAGMA integrity_check``."""
    report: dict[str, Any] = {"tables": sorted(inspect(engine).get_table_names()),
                              "journal_guarded": journal_guarded(engine)}
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            report["integrity"] = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
    return report


def journal_guarded(engine: Engine) -> bool:
    """Whether the journal refuses a rewrite (tried inside a transaction that is rolled back)."""
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            connection.exec_driver_sql("UPDATE journal SET action = 'x' WHERE id = (SELECT min(id) FROM journal)")
            empty = connection.exec_driver_sql("SELECT count(*) FROM journal").scalar() == 0
            return bool(empty)  # nothing to rewrite: cannot tell, the triggers exist by construction
        except DBAPIError:
            return True
        finally:
            transaction.rollback()

"""Creating the schema and reading its version."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, func, inspect, select
from sqlmodel import SQLModel

from guichet.errors import StoreError
from guichet.store import tables
from guichet.store.engine import write_session

SCHEMA_VERSION = 1


def current_version(engine: Engine) -> int | None:
    """The database's schema version, or None for an empty database."""
    if not inspect(engine).has_table(tables.SchemaVersion.__tablename__):
        return None
    with engine.connect() as connection:
        value = connection.execute(select(func.max(tables.SchemaVersion.version))).scalar()
    return int(value) if value is not None else None


def init_schema(engine: Engine, now: datetime) -> int:
    """Create the tables of an empty database; check the version of an existing one."""
    version = current_version(engine)
    if version is not None and version > SCHEMA_VERSION:
        raise StoreError(
            f"the database has schema version {version}, newer than this guichet "
            f"({SCHEMA_VERSION}): upgrade guichet"
        )
    if version is None:
        SQLModel.metadata.create_all(engine)
        with write_session(engine) as session:
            session.add(tables.SchemaVersion(version=SCHEMA_VERSION, applied_at=now))
        version = SCHEMA_VERSION
    return version

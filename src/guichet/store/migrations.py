"""Versioned schema migrations: a database of any released version opens intact.

A new database is created from the current tables and stamped with the latest version. An
older one is upgraded one step at a time, each step in its own transaction with its version
row; on SQLite a backup copy of the file is made first. A newer database is refused.
Steps use plain DDL that SQLite and PostgreSQL both understand (ADD COLUMN, CREATE INDEX),
so no table rebuild ("batch mode") is needed; a step that needs one must say so here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine

from guichet.errors import StoreError


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: from ``version - 1`` to ``version``."""

    version: int
    description: str
    apply: Callable[[Connection], None]


def _v2_checked_in_at(connection: Connection) -> None:
    # When the person was checked in at the counter (waiting-time figures for the agency).
    connection.exec_driver_sql("ALTER TABLE appointment ADD COLUMN checked_in_at TIMESTAMP NULL")


def _v3_handoff_listing_index(connection: Connection) -> None:
    # The follow-up list sorts urgent first, then newest: without this index SQLite sorts the
    # whole table (about 80 ms at 50,000 handoffs, 5 ms with it).
    connection.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_handoff_listing ON handoff (urgent, created_at, id)")


def _v4_moved_and_agent_name(connection: Connection) -> None:
    # The agent's name (set in the settings) beside the login that booked.
    connection.exec_driver_sql("ALTER TABLE appointment ADD COLUMN booked_by_name VARCHAR(80) NULL")
    # A moved appointment shows its successor (the one whose rescheduled_from is its id).
    connection.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_appointment_rescheduled_from "
                               "ON appointment (rescheduled_from)")
    # Rescheduling used to mark the old appointment « annulé par la personne » (excused): one that
    # another appointment replaced was moved, and says so from now on.
    connection.exec_driver_sql(
        "UPDATE appointment SET status = 'moved' WHERE status = 'excused' AND id IN "
        "(SELECT rescheduled_from FROM appointment WHERE rescheduled_from IS NOT NULL)"
    )


def _v5_due_dates_expiry_refusals(connection: Connection) -> None:
    from sqlalchemy import Date, bindparam, text

    from guichet.domain.clock import to_paris
    from guichet.domain.followup import due_date
    from guichet.store.retention import minimise_refusals

    # The answer's due date (004 annex 1, 7 to 10 days): the late ones are listed first, so it is a column.
    connection.exec_driver_sql("ALTER TABLE handoff ADD COLUMN due_on DATE NULL")
    connection.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_handoff_due ON handoff (status, due_on)")
    # The retention run expires the handoffs nothing moved for a long time (004 annex 7).
    connection.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_handoff_open_since ON handoff (status, updated_at)")
    # A handoff transmitted before v5 is due 10 days after its (last) move to « transmise ».
    rows = connection.execute(text("SELECT handoff_id, max(at) FROM handoff_event WHERE status = 'transmise' "
                                   "GROUP BY handoff_id")).all()
    dues = []
    for handoff_id, at in rows:
        moment = datetime.fromisoformat(at) if isinstance(at, str) else at  # SQLite gives text back here
        dues.append({"id": handoff_id, "due": due_date(to_paris(moment.replace(tzinfo=UTC)).date())})
    if dues:
        update = text("UPDATE handoff SET due_on = :due WHERE id = :id").bindparams(bindparam("due", type_=Date))
        connection.execute(update, dues)
    # A refusal keeps only its minimum from now on; the refusals recorded before keep no more.
    minimise_refusals(connection)


def _v6_passages(connection: Connection) -> None:
    from sqlmodel import SQLModel

    from guichet.store import tables

    # The reception log (issue 17): two new tables, as tables.py defines them at version 6.
    created = [SQLModel.metadata.tables[name] for name in (tables.PassageRow.__tablename__,
                                                           tables.PassageItemRow.__tablename__,
                                                           tables.PassageTallyRow.__tablename__)]
    SQLModel.metadata.create_all(connection, tables=created)
    # A period's statistics over every agency: appointments by their slot, handoffs by when they were logged.
    connection.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_appointment_period "
                               "ON appointment (start, kind, channel, status)")
    connection.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_handoff_created ON handoff (created_at)")


MIGRATIONS: tuple[Migration, ...] = (
    Migration(2, "appointment.checked_in_at", _v2_checked_in_at),
    Migration(3, "index for the handoff list", _v3_handoff_listing_index),
    Migration(4, "appointment.booked_by_name, rescheduled appointments marked moved", _v4_moved_and_agent_name),
    Migration(5, "handoff.due_on, indexes for the late and the stale handoffs, refusals minimised",
              _v5_due_dates_expiry_refusals),
    Migration(6, "passage, passage_item and passage_tally: the reception log", _v6_passages),
)
LATEST = 6
FIRST = 1  # the first released schema: created by SQLModel.metadata.create_all as it was then


def pending(version: int) -> list[Migration]:
    """The steps that take a database from ``version`` to :data:`LATEST`."""
    return [m for m in MIGRATIONS if m.version > version]


def backup_sqlite(database: Path, version: int, now: datetime) -> Path:
    """A consistent copy of the SQLite file beside it (the online backup API, WAL included)."""
    target = database.with_name(f"{database.name}.v{version}-{now:%Y%m%d-%H%M%S}.bak")  # see backups_of
    source = sqlite3.connect(database)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    target.chmod(0o600)
    return target


def upgrade(engine: Engine, version: int, now: datetime) -> list[Migration]:
    """Apply the pending steps, each with its version row, in order.

    Each step first reads the version again under the write lock (SQLite's ``BEGIN IMMEDIATE``,
    PostgreSQL's lock on ``schema_version``): a step another administrator applied meanwhile is
    skipped, so two upgrades at once both end with the database up to date.
    """
    from sqlalchemy import func, select

    from guichet.store.engine import write_session
    from guichet.store.tables import SchemaVersion

    done = []
    for migration in pending(version):
        try:
            with write_session(engine) as session:
                connection = session.connection()
                if engine.dialect.name == "postgresql":
                    connection.exec_driver_sql("LOCK TABLE schema_version IN EXCLUSIVE MODE")
                current = connection.execute(select(func.max(SchemaVersion.version))).scalar() or 0
                if current >= migration.version:
                    continue  # applied by another upgrade meanwhile
                migration.apply(connection)
                applied = now.astimezone(UTC).replace(tzinfo=None)
                session.add(SchemaVersion(version=migration.version, applied_at=applied))
        except StoreError:
            raise
        except Exception as exc:  # the step rolled back: say which one, keep the database as it was
            raise StoreError(f"La mise à jour du schéma en version {migration.version} ({migration.description}) "
                             f"a échoué ({exc.__class__.__name__}) : la base est restée en version "
                             f"{migration.version - 1}.") from exc
        done.append(migration)
    return done

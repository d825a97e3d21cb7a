"""Retention's queries: count and delete what is due, set-based (no list of ids is ever bound,
so the purge works at any volume: SQLite's and PostgreSQL's limits on bound variables never apply).

Journal entries stay (who did what, when) but lose the link to the deleted record.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import ColumnElement, Engine, create_engine, delete, func, select, update
from sqlmodel import Session, col

from guichet.store.tables import AppointmentRow, HandoffEventRow, HandoffRow, JournalRow, to_db


@dataclass(frozen=True, slots=True)
class Due:
    """How many records the retention rules say must go."""

    handoffs: int
    appointments: int
    journal_entries: int


def _due_handoffs(cutoff: datetime) -> ColumnElement[bool]:
    return col(HandoffRow.closed_at).is_not(None) & (col(HandoffRow.closed_at) < to_db(cutoff))


def _due_appointments(cutoff: datetime) -> ColumnElement[bool]:
    return col(AppointmentRow.start) < to_db(cutoff)


def _linked_journal(handoff_cutoff: datetime, appointment_cutoff: datetime) -> ColumnElement[bool]:
    handoffs = select(col(HandoffRow.id)).where(_due_handoffs(handoff_cutoff))
    appointments = select(col(AppointmentRow.id)).where(_due_appointments(appointment_cutoff))
    return ((col(JournalRow.record_type) == "handoff") & col(JournalRow.record_id).in_(handoffs)) | (
        (col(JournalRow.record_type) == "appointment") & col(JournalRow.record_id).in_(appointments)
    )


def _count(session: Session, table: type, where: ColumnElement[bool]) -> int:
    return int(session.execute(select(func.count()).select_from(table).where(where)).scalar() or 0)


def due(*, session: Session, handoff_cutoff: datetime, appointment_cutoff: datetime) -> Due:
    """Handoffs closed before ``handoff_cutoff``, appointments that started before
    ``appointment_cutoff``, and the journal entries that point at them."""
    return Due(
        handoffs=_count(session, HandoffRow, _due_handoffs(handoff_cutoff)),
        appointments=_count(session, AppointmentRow, _due_appointments(appointment_cutoff)),
        journal_entries=_count(session, JournalRow, _linked_journal(handoff_cutoff, appointment_cutoff)),
    )


def delete_due(*, session: Session, handoff_cutoff: datetime, appointment_cutoff: datetime) -> Due:
    """Delete what :func:`due` counts (the journal entries are unlinked, not deleted)."""
    found = due(session=session, handoff_cutoff=handoff_cutoff, appointment_cutoff=appointment_cutoff)
    session.execute(update(JournalRow).where(_linked_journal(handoff_cutoff, appointment_cutoff))
                    .values(record_id=None).execution_options(synchronize_session=False))
    handoffs = select(col(HandoffRow.id)).where(_due_handoffs(handoff_cutoff))
    session.execute(delete(HandoffEventRow).where(col(HandoffEventRow.handoff_id).in_(handoffs))
                    .execution_options(synchronize_session=False))
    session.execute(delete(HandoffRow).where(_due_handoffs(handoff_cutoff))
                    .execution_options(synchronize_session=False))
    session.execute(delete(AppointmentRow).where(_due_appointments(appointment_cutoff))
                    .execution_options(synchronize_session=False))
    return found


def squeeze_sqlite(engine: Engine) -> None:
    """After a purge on SQLite: write the WAL back into the file and truncate it, so that no deleted
    row survives in the ``-wal`` file (deleted pages are zeroed: ``secure_delete`` is on)."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def purge_sqlite_copy(path: Path, *, handoff_cutoff: datetime, appointment_cutoff: datetime) -> Due:
    """Apply the retention rules inside a backup copy of the SQLite file, then rewrite it (VACUUM)
    so that nothing deleted stays in its free pages."""
    engine = create_engine(f"sqlite:///{path.as_posix()}", hide_parameters=True)
    try:
        with Session(engine) as session, session.begin():
            found = delete_due(session=session, handoff_cutoff=handoff_cutoff, appointment_cutoff=appointment_cutoff)
        with engine.connect() as connection:
            connection.exec_driver_sql("VACUUM")
    finally:
        engine.dispose()
    return found


def copy_mentions(path: Path, file_number: str) -> bool:
    """Whether the backup copy at ``path`` holds anything about this CAF file number."""
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True),
                           hide_parameters=True)
    try:
        with engine.connect() as connection:
            for table in (AppointmentRow, HandoffRow):
                found = connection.execute(select(func.count()).select_from(table)
                                           .where(col(table.file_number) == file_number)).scalar()
                if found:
                    return True
    finally:
        engine.dispose()
    return False

"""Retention's queries: expire, count and delete what is due, set-based (no list of ids is ever
bound, so the purge works at any volume: SQLite's and PostgreSQL's limits on bound variables never apply).

Journal entries stay (who did what, when) but lose the link to the deleted record. A refusal keeps only
its minimum (domain.handoff.refusal_minimum): :func:`minimise_refusals` makes sure of it in the
database and in the backup copies.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    String,
    create_engine,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy import text as sql_text
from sqlmodel import Session, col

from guichet.domain.followup import OPEN_STATUSES
from guichet.domain.handoff import Destination, HandoffStatus
from guichet.store.tables import UTC_NAIVE, AppointmentRow, HandoffEventRow, HandoffRow, JournalRow, to_db


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


def _stale_handoffs(before: datetime) -> ColumnElement[bool]:
    return col(HandoffRow.status).in_([s.value for s in OPEN_STATUSES]) & (col(HandoffRow.updated_at) < to_db(before))


def stale(*, session: Session, before: datetime) -> int:
    """How many handoffs still open were last moved before ``before`` (the retention run expires them)."""
    return _count(session, HandoffRow, _stale_handoffs(before))


def expire_stale(*, session: Session, before: datetime, at: datetime, actor: str, reason: str) -> int:
    """Move every handoff :func:`stale` counts to « expirée » at ``at``, closing it (``closed_at``: its two
    years of retention start), each with its history entry and its journal entry."""
    found = stale(session=session, before=before)
    if not found:
        return 0
    expired = HandoffStatus.EXPIREE.value
    moment = literal(to_db(at), UTC_NAIVE)
    session.execute(insert(HandoffEventRow).from_select(
        ["handoff_id", "at", "actor", "status", "reason"],
        select(col(HandoffRow.id), moment, literal(actor, String), literal(expired, String), literal(reason, String))
        .where(_stale_handoffs(before))))
    session.execute(insert(JournalRow).from_select(
        ["at", "actor", "action", "record_type", "record_id"],
        select(moment, literal(actor, String), literal(f"handoff.{expired}", String), literal("handoff", String),
               col(HandoffRow.id)).where(_stale_handoffs(before))))
    session.execute(update(HandoffRow).where(_stale_handoffs(before))
                    .values(status=expired, status_reason=reason, updated_at=to_db(at), closed_at=to_db(at))
                    .execution_options(synchronize_session=False))
    return found


# What a refusal keeps (domain.handoff.refusal_minimum) written as SQL, so that it also runs on a database or a
# backup copy of an older schema version (migration v5, the purge of the copies): plain columns, no due_on.
_REFUSAL_BLANKS = ("name = '', file_number = NULL, phone = NULL, event_date = NULL, motifs = '', benefits = '', "
                   "comment = '', specificities = '', specificity_other = '', rights_opened = NULL, "
                   "non_payment_since = NULL, period_start = NULL, period_end = NULL, sharp_drop = false, "
                   "emergency = NULL, already_followed = false, referent = '', partner = '', "
                   "documents_to_professional = false, message = NULL")
_REFUSAL_KEPT_MORE = ("name <> '' OR file_number IS NOT NULL OR phone IS NOT NULL OR event_date IS NOT NULL "
                      "OR motifs <> '' OR benefits <> '' OR comment <> '' OR specificities <> '' "
                      "OR specificity_other <> '' OR rights_opened IS NOT NULL OR non_payment_since IS NOT NULL "
                      "OR period_start IS NOT NULL OR period_end IS NOT NULL OR emergency IS NOT NULL "
                      "OR referent <> '' OR partner <> '' OR message IS NOT NULL "
                      "OR (destination = 'referent' AND destination_label <> :referent) "
                      "OR (destination = 'partenaire' AND destination_label <> :partner)")


def minimise_refusals(connection: Connection | Session) -> int:
    """Blank what a refusal (consent refused) holds beyond its minimum; the referent's or the partner's name
    in the destination goes too. Returns how many refusals held more."""
    result = connection.execute(sql_text(
        f"UPDATE handoff SET {_REFUSAL_BLANKS}, destination_label = CASE destination "
        "WHEN 'referent' THEN :referent WHEN 'partenaire' THEN :partner ELSE destination_label END "
        f"WHERE status = 'refusee' AND consent = false AND ({_REFUSAL_KEPT_MORE})"),
        {"referent": Destination.REFERENT.label, "partner": Destination.PARTENAIRE.label})
    return int(result.rowcount)  # type: ignore[attr-defined]


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
    minimise_refusals(session)
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

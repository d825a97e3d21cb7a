"""Repository functions: keyword-only ``session``, domain objects in and out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from guichet.domain.clock import to_paris
from guichet.domain.models import Appointment, Channel, Kind, Status
from guichet.store.tables import ACTIVE_STATUSES, AppointmentRow, JournalRow


def to_db(moment: datetime) -> datetime:
    """An aware instant → naive UTC, the storage convention."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def from_db(moment: datetime) -> datetime:
    """Naive UTC from the database → Europe/Paris."""
    return to_paris(moment.replace(tzinfo=UTC))


def appointment(row: AppointmentRow) -> Appointment:
    assert row.id is not None
    return Appointment(
        id=row.id,
        agency_id=row.agency,
        kind=Kind(row.kind),
        channel=Channel(row.channel),
        start=from_db(row.start),
        end=from_db(row.end),
        seat=row.seat,
        name=row.name,
        status=Status(row.status),
        booked_by=row.booked_by,
        created_at=from_db(row.created_at),
        updated_at=from_db(row.updated_at),
        file_number=row.file_number,
        phone=row.phone,
        service_id=row.service_id,
        objective=row.objective,
        rescheduled_from=row.rescheduled_from,
        checked_in_at=from_db(row.checked_in_at) if row.checked_in_at else None,
    )


def taken_counts(
    *, session: Session, agency_ids: Sequence[str], kind: Kind, channel: Channel,
    start: datetime, end: datetime,
) -> dict[tuple[str, datetime], int]:
    """Seats held per (agency, slot start) for slots starting in [start, end)."""
    statement = (
        select(col(AppointmentRow.agency), col(AppointmentRow.start), func.count())
        .where(col(AppointmentRow.agency).in_(agency_ids))
        .where(col(AppointmentRow.kind) == kind.value, col(AppointmentRow.channel) == channel.value)
        .where(col(AppointmentRow.start) >= to_db(start), col(AppointmentRow.start) < to_db(end))
        .where(col(AppointmentRow.status).in_(ACTIVE_STATUSES))
        .group_by(col(AppointmentRow.agency), col(AppointmentRow.start))
    )
    return {(agency, from_db(moment)): int(n) for agency, moment, n in session.execute(statement)}


def seats_held(*, session: Session, agency_id: str, kind: Kind, channel: Channel, start: datetime) -> set[int]:
    """The seats of one slot held by active appointments."""
    statement = (
        select(col(AppointmentRow.seat))
        .where(col(AppointmentRow.agency) == agency_id, col(AppointmentRow.kind) == kind.value)
        .where(col(AppointmentRow.channel) == channel.value, col(AppointmentRow.start) == to_db(start))
        .where(col(AppointmentRow.status).in_(ACTIVE_STATUSES))
    )
    return set(session.execute(statement).scalars())


def add_appointment(*, session: Session, row: AppointmentRow) -> Appointment:
    """Insert ``row`` and flush, so that a seat conflict raises here, inside the transaction."""
    session.add(row)
    session.flush()
    return appointment(row)


def get_row(*, session: Session, appointment_id: int) -> AppointmentRow | None:
    return session.get(AppointmentRow, appointment_id)


def get_appointment(*, session: Session, appointment_id: int) -> Appointment | None:
    row = get_row(session=session, appointment_id=appointment_id)
    return appointment(row) if row is not None else None


def day_appointments(*, session: Session, agency_id: str, start: datetime, end: datetime) -> list[Appointment]:
    """The appointments of ``agency_id`` starting in [start, end), by time then seat."""
    statement = (
        select(AppointmentRow)
        .where(col(AppointmentRow.agency) == agency_id)
        .where(col(AppointmentRow.start) >= to_db(start), col(AppointmentRow.start) < to_db(end))
        .order_by(col(AppointmentRow.start), col(AppointmentRow.kind), col(AppointmentRow.channel),
                  col(AppointmentRow.seat), col(AppointmentRow.id))
    )
    return [appointment(row) for row in session.execute(statement).scalars()]


def journal(*, session: Session, at: datetime, actor: str, action: str, record_type: str,
            record_id: int | None) -> None:
    """Append one journal entry (who, when, what, which record; never personal data)."""
    session.add(JournalRow(at=to_db(at), actor=actor, action=action, record_type=record_type,
                           record_id=record_id))

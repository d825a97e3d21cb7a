"""Appointments in the database: keyword-only ``session``, domain objects in and out.

A change of an existing appointment is conditional on the status it was read in
(``UPDATE … WHERE id = :id AND status = :expected``): when another counter changed it first,
nothing is written and the caller learns it (None), on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from guichet.domain.models import Appointment, Channel, Kind, Status
from guichet.store.tables import ACTIVE_STATUSES, AppointmentRow, from_db, to_db


class SeatTaken(Exception):
    """The database refused the insert: another transaction holds that seat (the unique index)."""


def _appointment(row: AppointmentRow) -> Appointment:
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
    # Keyed by the instant in UTC: two Paris datetimes compare by wall clock, which would merge the
    # two 02:00 hours of the autumn night into one key.
    return {(agency, moment.replace(tzinfo=UTC)): int(n) for agency, moment, n in session.execute(statement)}


def seats_held(*, session: Session, agency_id: str, kind: Kind, channel: Channel, start: datetime) -> set[int]:
    """The seats of one slot held by active appointments."""
    statement = (
        select(col(AppointmentRow.seat))
        .where(col(AppointmentRow.agency) == agency_id, col(AppointmentRow.kind) == kind.value)
        .where(col(AppointmentRow.channel) == channel.value, col(AppointmentRow.start) == to_db(start))
        .where(col(AppointmentRow.status).in_(ACTIVE_STATUSES))
    )
    return set(session.execute(statement).scalars())


def insert(
    *, session: Session, agency_id: str, kind: Kind, channel: Channel, start: datetime, end: datetime,
    seat: int, name: str, booked_by: str, at: datetime, file_number: str | None = None,
    phone: str | None = None, service_id: str | None = None, objective: str = "",
    rescheduled_from: int | None = None,
) -> Appointment:
    """Insert a booked appointment on ``seat`` and flush, so that a seat conflict raises here, inside
    the caller's transaction, as :class:`SeatTaken` (the unique index on active seats refused it)."""
    row = AppointmentRow(
        agency=agency_id, kind=kind.value, channel=channel.value, start=to_db(start), end=to_db(end),
        seat=seat, service_id=service_id, file_number=file_number, name=name, phone=phone,
        objective=objective, status=Status.BOOKED.value, booked_by=booked_by,
        created_at=to_db(at), updated_at=to_db(at), rescheduled_from=rescheduled_from,
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:
        raise SeatTaken(f"seat {seat} of {agency_id} {kind}/{channel} {start.isoformat()} is held") from exc
    return _appointment(row)


def get(*, session: Session, appointment_id: int) -> Appointment | None:
    """The appointment ``appointment_id``, or None."""
    row = session.get(AppointmentRow, appointment_id)
    return _appointment(row) if row is not None else None


def change_status(*, session: Session, appointment_id: int, expected: Status, target: Status,
                  at: datetime) -> Appointment | None:
    """Move the appointment from ``expected`` to ``target``, only if it is still in ``expected``;
    None when another transaction changed (or deleted) it first. A check-in notes its time."""
    values: dict[str, object] = {"status": target.value, "updated_at": to_db(at)}
    if target is Status.SEEN:
        values["checked_in_at"] = to_db(at)
    result = session.execute(
        update(AppointmentRow)
        .where(col(AppointmentRow.id) == appointment_id, col(AppointmentRow.status) == expected.value)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    session.expire_all()
    return get(session=session, appointment_id=appointment_id)


def day_appointments(*, session: Session, agency_id: str, start: datetime, end: datetime) -> list[Appointment]:
    """The appointments of ``agency_id`` starting in [start, end), by time then seat."""
    statement = (
        select(AppointmentRow)
        .where(col(AppointmentRow.agency) == agency_id)
        .where(col(AppointmentRow.start) >= to_db(start), col(AppointmentRow.start) < to_db(end))
        .order_by(col(AppointmentRow.start), col(AppointmentRow.kind), col(AppointmentRow.channel),
                  col(AppointmentRow.seat), col(AppointmentRow.id))
    )
    return [_appointment(row) for row in session.execute(statement).scalars()]


def by_file_number(*, session: Session, file_number: str) -> list[Appointment]:
    """Every appointment held for one CAF file number, by time (right of access)."""
    statement = (select(AppointmentRow).where(col(AppointmentRow.file_number) == file_number)
                 .order_by(col(AppointmentRow.start), col(AppointmentRow.id)))
    return [_appointment(row) for row in session.execute(statement).scalars()]

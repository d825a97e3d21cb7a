"""Appointments in the database: keyword-only ``session``, domain objects in and out.

A change of an existing appointment is conditional on the status it was read in
(``UPDATE … WHERE id = :id AND status = :expected``): when another counter changed it first,
nothing is written and the caller learns it (None), on SQLite and PostgreSQL alike.

A moved appointment is read with its successor (the appointment whose ``rescheduled_from`` is its
id) in the same query, an outer self-join: a day sheet costs one query, not one per moved row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Select, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from guichet.domain.models import Appointment, Channel, Kind, Status
from guichet.store.tables import ACTIVE_STATUSES, AppointmentRow, from_db, to_db


class SeatTaken(Exception):
    """The database refused the insert: another transaction holds that seat (the unique index)."""


def _appointment(row: AppointmentRow, successor: tuple[int, datetime, str] | None = None) -> Appointment:
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
        booked_by_name=row.booked_by_name,
        moved_to=successor[0] if successor else None,
        moved_to_start=from_db(successor[1]) if successor else None,
        moved_to_agency=successor[2] if successor else None,
    )


_Rows = Select[AppointmentRow]  # sqlmodel.select of one table


def _successors(session: Session, moved: list[int]) -> dict[int, tuple[int, datetime, str]]:
    """The appointment that replaced each of ``moved`` (the first, by id): id, start, agency."""
    found: dict[int, tuple[int, datetime, str]] = {}
    for chunk in (moved[n:n + 500] for n in range(0, len(moved), 500)):  # SQLite's bound-parameter limit
        statement = (select(col(AppointmentRow.rescheduled_from), col(AppointmentRow.id), col(AppointmentRow.start),
                            col(AppointmentRow.agency))
                     .where(col(AppointmentRow.rescheduled_from).in_(chunk)).order_by(col(AppointmentRow.id)))
        for moved_from, successor_id, start, agency in session.execute(statement):
            if moved_from is not None:
                found.setdefault(moved_from, (successor_id, start, agency))
    return found


def _read(session: Session, statement: _Rows) -> list[Appointment]:
    """The appointments of a ``select(AppointmentRow)`` statement, each moved one with its successor.

    The successors are read apart (:func:`_successors`), by the index on ``rescheduled_from``. Joined
    in the same statement, SQLite's planner would rather read the whole table at every read once it
    has statistics (``PRAGMA optimize``, from a database's second session on: almost every
    ``rescheduled_from`` is NULL): a scan for each row, or an automatic index of the whole table; the
    day sheet of 300,000 appointments took 263 to 640 ms instead of about 10 (test_appointment_plans.py)."""
    rows = list(session.execute(statement).scalars())
    moved = [row.id for row in rows if row.status == Status.MOVED.value and row.id is not None]
    successors = _successors(session, moved) if moved else {}
    return [_appointment(row, successors.get(row.id or 0)) for row in rows]


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
    rescheduled_from: int | None = None, booked_by_name: str | None = None,
) -> Appointment:
    """Insert a booked appointment on ``seat`` and flush, so that a seat conflict raises here, inside
    the caller's transaction, as :class:`SeatTaken` (the unique index on active seats refused it)."""
    row = AppointmentRow(
        agency=agency_id, kind=kind.value, channel=channel.value, start=to_db(start), end=to_db(end),
        seat=seat, service_id=service_id, file_number=file_number, name=name, phone=phone,
        objective=objective, status=Status.BOOKED.value, booked_by=booked_by,
        created_at=to_db(at), updated_at=to_db(at), rescheduled_from=rescheduled_from,
        booked_by_name=booked_by_name[:80] if booked_by_name else None,
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:
        raise SeatTaken(f"seat {seat} of {agency_id} {kind}/{channel} {start.isoformat()} is held") from exc
    return _appointment(row)


def get(*, session: Session, appointment_id: int) -> Appointment | None:
    """The appointment ``appointment_id`` (with its successor when it was moved), or None."""
    found = _read(session, select(AppointmentRow).where(col(AppointmentRow.id) == appointment_id))
    return found[0] if found else None


def change_status(*, session: Session, appointment_id: int, expected: Status, target: Status,
                  at: datetime) -> Appointment | None:
    """Move the appointment from ``expected`` to ``target``, only if it is still in ``expected``;
    None when another transaction changed (or deleted) it first. A check-in notes its time; a
    return to booked (a mistaken check-in undone) clears it."""
    values: dict[str, object] = {"status": target.value, "updated_at": to_db(at)}
    if target is Status.SEEN:
        values["checked_in_at"] = to_db(at)
    elif target is Status.BOOKED:
        values["checked_in_at"] = None
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
    return _read(session, statement)


def by_file_number(*, session: Session, file_number: str) -> list[Appointment]:
    """Every appointment held for one CAF file number, by time (right of access)."""
    statement = (select(AppointmentRow).where(col(AppointmentRow.file_number) == file_number)
                 .order_by(col(AppointmentRow.start), col(AppointmentRow.id)))
    return _read(session, statement)


# -- finding a person's appointments (the finder, the warning before a second booking) ------------
# Bounded on purpose: every query below starts at ``since`` (the finder: 30 days ago; the warning:
# now) and ends with a LIMIT. A file number goes through ix_appointment_file_number; a phone or a
# name through ix_appointment_day, as ``agency IN (the catalog's agencies) AND start >= since``
# (a range on the index's second column for each agency), so no new index is needed for them.


def for_person_since(
    *, session: Session, since: datetime, agency_ids: Sequence[str], file_number: str | None = None,
    phone: str | None = None, status: Status | None = None, limit: int = 200,
) -> list[Appointment]:
    """Appointments starting at or after ``since`` held for ``file_number`` and those (in
    ``agency_ids``) held for ``phone`` (both normalised, compared exactly), by time; at most ``limit``
    of each. One query per identifier, so that each uses its own index."""
    found: dict[int, Appointment] = {}
    for condition in (
        (col(AppointmentRow.file_number) == file_number) if file_number is not None else None,
        (col(AppointmentRow.agency).in_(list(agency_ids)) & (col(AppointmentRow.phone) == phone))
        if phone is not None else None,
    ):
        if condition is None:
            continue
        statement = select(AppointmentRow).where(condition, col(AppointmentRow.start) >= to_db(since))
        if status is not None:
            statement = statement.where(col(AppointmentRow.status) == status.value)
        statement = statement.order_by(col(AppointmentRow.start), col(AppointmentRow.id)).limit(limit)
        for appointment in _read(session, statement):
            found.setdefault(appointment.id, appointment)
    return sorted(found.values(), key=lambda a: (a.start.astimezone(UTC), a.id))


def names_since(*, session: Session, since: datetime, agency_ids: Sequence[str], limit: int) -> list[tuple[int, str]]:
    """(id, name) of the appointments of ``agency_ids`` starting at or after ``since``, by time; at
    most ``limit``: the candidates of a fuzzy name search, matched by the caller (never logged)."""
    statement = (
        select(col(AppointmentRow.id), col(AppointmentRow.name))
        .where(col(AppointmentRow.agency).in_(list(agency_ids)), col(AppointmentRow.start) >= to_db(since))
        .order_by(col(AppointmentRow.start), col(AppointmentRow.id))
        .limit(limit)
    )
    return [(int(found_id), str(name)) for found_id, name in session.execute(statement)]


def by_ids(*, session: Session, ids: Sequence[int]) -> list[Appointment]:
    """The appointments ``ids`` (a short list: the matches of a search), by time."""
    if not ids:
        return []
    statement = (select(AppointmentRow).where(col(AppointmentRow.id).in_(list(ids)))
                 .order_by(col(AppointmentRow.start), col(AppointmentRow.id)))
    return _read(session, statement)

"""The counts behind the agency's statistics (issue 17): a period of whole Paris days, one agency or
all. Every query groups in the database and returns a few rows; the indexes of schema v6 serve them
(a month of four agencies among a million passages and 300,000 appointments: ``bench/stats.py``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import case, func, select
from sqlmodel import Session, col

from guichet.domain.passage import REF_IS_ID
from guichet.store.tables import AppointmentRow, HandoffRow, PassageItemRow, PassageRow, to_db


def passages_by_half_day(
    *, session: Session, agency: str | None, first: date, last: date
) -> list[tuple[date, str, str, int]]:
    """(day, half, channel, passages) for each half-day that received someone."""
    statement = (
        select(col(PassageRow.day), col(PassageRow.half), col(PassageRow.channel), func.count())
        .where(col(PassageRow.day).between(first, last))
        .group_by(col(PassageRow.day), col(PassageRow.half), col(PassageRow.channel))
    )
    if agency is not None:
        statement = statement.where(col(PassageRow.agency) == agency)
    return [(d, h, c, int(n)) for d, h, c, n in session.execute(statement).all()]


def durations(*, session: Session, agency: str | None, first: date, last: date) -> list[int]:
    """The closed passages' lengths in seconds (quick questions have none)."""
    statement = select(col(PassageRow.seconds)).where(
        col(PassageRow.day).between(first, last), col(PassageRow.seconds).is_not(None)
    )
    if agency is not None:
        statement = statement.where(col(PassageRow.agency) == agency)
    return [int(s) for (s,) in session.execute(statement).all()]


def still_open(*, session: Session, agency: str | None, first: date, last: date) -> int:
    statement = (
        select(func.count())
        .select_from(PassageRow)
        .where(col(PassageRow.day).between(first, last), col(PassageRow.ended_at).is_(None))
    )
    if agency is not None:
        statement = statement.where(col(PassageRow.agency) == agency)
    return int(session.execute(statement).scalar_one())


def items(*, session: Session, agency: str | None, first: date, last: date) -> list[tuple[str, str, int]]:
    """(kind, ref, count) of the items: the ref kept where it says which partner, service or emergency,
    dropped where it is a record's id (those are counted by kind)."""
    ref = case((col(PassageItemRow.kind).in_([o.value for o in REF_IS_ID]), ""), else_=col(PassageItemRow.ref))
    statement = (
        select(col(PassageItemRow.kind), ref, func.count())
        .where(col(PassageItemRow.day).between(first, last))
        .group_by(col(PassageItemRow.kind), ref)
    )
    if agency is not None:
        statement = statement.where(col(PassageItemRow.agency) == agency)
    return [(k, r, int(n)) for k, r, n in session.execute(statement).all()]


def appointments(
    *, session: Session, agency: str | None, start: datetime, end: datetime
) -> list[tuple[str, str, str, int]]:
    """(kind, channel, status, appointments) of the slots from ``start`` to ``end`` (aware instants)."""
    statement = (
        select(col(AppointmentRow.kind), col(AppointmentRow.channel), col(AppointmentRow.status), func.count())
        .where(col(AppointmentRow.start) >= to_db(start), col(AppointmentRow.start) < to_db(end))
        .group_by(col(AppointmentRow.kind), col(AppointmentRow.channel), col(AppointmentRow.status))
    )
    if agency is not None:
        statement = statement.where(col(AppointmentRow.agency) == agency)
    return [(k, c, s, int(n)) for k, c, s, n in session.execute(statement).all()]


def handoffs(
    *, session: Session, agency: str | None, start: datetime, end: datetime
) -> list[tuple[str, str, str, bool, int]]:
    """(life event, destination, status, urgent, handoffs) logged from ``start`` to ``end``."""
    statement = (
        select(
            col(HandoffRow.life_event),
            col(HandoffRow.destination),
            col(HandoffRow.status),
            col(HandoffRow.urgent),
            func.count(),
        )
        .where(col(HandoffRow.created_at) >= to_db(start), col(HandoffRow.created_at) < to_db(end))
        .group_by(
            col(HandoffRow.life_event), col(HandoffRow.destination), col(HandoffRow.status), col(HandoffRow.urgent)
        )
    )
    if agency is not None:
        statement = statement.where(col(HandoffRow.agency) == agency)
    return [(e, d, s, bool(u), int(n)) for e, d, s, u, n in session.execute(statement).all()]


def overdue_handoffs(
    *, session: Session, agency: str | None, start: datetime, end: datetime, today: date, awaiting: str
) -> list[int]:
    """Ids of the handoffs logged in the period, transmitted and unanswered past their due date."""
    statement = (
        select(col(HandoffRow.id))
        .where(
            col(HandoffRow.created_at) >= to_db(start),
            col(HandoffRow.created_at) < to_db(end),
            col(HandoffRow.status) == awaiting,
            col(HandoffRow.due_on) < today,
        )
        .order_by(col(HandoffRow.due_on), col(HandoffRow.id))
    )
    if agency is not None:
        statement = statement.where(col(HandoffRow.agency) == agency)
    return [int(i) for (i,) in session.execute(statement).all()]

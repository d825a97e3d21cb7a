"""The counts behind the agency's statistics (issue 17): a period of whole Paris days, one agency or all.

Every query groups in the database and returns a few rows, read from the covering indexes of schema v6
alone (no table row), grouped in the order of the index where it can (no sort). ``bench/stats.py``
measures a month among a million passages: under 100 ms for one agency on SQLite and PostgreSQL, and
for every agency on PostgreSQL; the items come from their day tally (``passage_tally``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from guichet.store.tables import AppointmentRow, HandoffRow, PassageRow, PassageTallyRow, to_db


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
    """The closed passages' lengths in seconds (quick questions have none), in ascending order.
    Counted by length in the database: a few thousand rows for tens of thousands of passages."""
    seconds = col(PassageRow.seconds)
    statement = (
        select(seconds, func.count())
        .where(col(PassageRow.day).between(first, last), seconds.is_not(None))
        .group_by(seconds)
        .order_by(seconds)
    )
    if agency is not None:
        statement = statement.where(col(PassageRow.agency) == agency)
    lengths: list[int] = []
    for length, count in session.execute(statement).all():
        lengths += [int(length)] * int(count)
    return lengths


def still_open(*, session: Session, agency: str | None, first: date, last: date) -> int:
    """Passages not closed yet. ``closed_how`` is set with ``ended_at`` when a passage closes, and never
    before (``store.passages.close``): the covering indexes hold the former, not the latter."""
    statement = (
        select(func.count())
        .select_from(PassageRow)
        .where(col(PassageRow.day).between(first, last), col(PassageRow.closed_how).is_(None))
    )
    if agency is not None:
        statement = statement.where(col(PassageRow.agency) == agency)
    return int(session.execute(statement).scalar_one())


def items(*, session: Session, agency: str | None, first: date, last: date) -> list[tuple[str, str, int]]:
    """(kind, ref, count) of the items: the ref kept where it says which partner, service or emergency,
    empty where it is a record's id (those are counted by kind). Added up from the day tally that
    ``store.passages`` keeps with the items (a few thousand counts a month, read from a covering index)
    rather than grouped from every item."""
    tally = PassageTallyRow
    statement = (select(col(tally.kind), col(tally.ref), func.sum(col(tally.n)))
                 .where(col(tally.day).between(first, last))
                 .group_by(col(tally.kind), col(tally.ref)))
    if agency is not None:
        statement = statement.where(col(tally.agency) == agency)
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

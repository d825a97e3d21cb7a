"""The reception log in the database (schema v6): keyword-only ``session``, plain values in and out.

A passage's row is written when it opens (so that every counter's live figure counts the person at
the counter now), its items as they happen, and its end once: ``UPDATE … WHERE id = :id AND
ended_at IS NULL``, so that a passage is never closed twice nor reopened. Nothing here holds a
person's name, file number or phone: the columns are the counter's, the catalog's and record ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import case, delete, func, insert, select, update
from sqlmodel import Session, col

from guichet.domain.passage import REF_IS_ID, ClosedHow, Half, Item, PassageChannel
from guichet.store.tables import PassageItemRow, PassageRow, PassageTallyRow, to_db


def open_passage(*, session: Session, agency: str | None, workstation: str, agent: str, channel: PassageChannel,
                 started: datetime, day: date, half: Half) -> int:
    """Insert an open passage; its id."""
    row = PassageRow(agency=agency, workstation=workstation, agent=agent, channel=channel.value, day=day,
                     half=half.value, started_at=to_db(started))
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def add_items(*, session: Session, passage_id: int, agency: str | None, day: date, items: Sequence[Item]) -> None:
    """The items, and their day's tally counted up in the same statement order (an upsert: two counters
    adding to one count at once both count)."""
    session.add_all(PassageItemRow(passage_id=passage_id, agency=agency, day=day, kind=item.kind.value,
                                   ref=item.ref) for item in items)
    for item in items:
        _count_up(session, agency, day, item)


def _tally_ref(item: Item) -> str:
    return "" if item.kind in REF_IS_ID else item.ref


def _count_up(session: Session, agency: str | None, day: date, item: Item) -> None:
    # The upsert of the session's own dialect only: importing the other would load it whole (PostgreSQL's
    # is 2.2 MB on a SQLite counter).
    tally = PassageTallyRow.__table__  # type: ignore[attr-defined]
    values = {"agency": agency or "", "day": day, "kind": item.kind.value, "ref": _tally_ref(item), "n": 1}
    keys, more = ["agency", "day", "kind", "ref"], {"n": tally.c.n + 1}
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        session.execute(postgresql.insert(tally).values(**values).on_conflict_do_update(index_elements=keys,
                                                                                        set_=more))
    else:
        from sqlalchemy.dialects import sqlite

        session.execute(sqlite.insert(tally).values(**values).on_conflict_do_update(index_elements=keys, set_=more))


def rebuild_tally(*, session: Session) -> int:
    """Count the tally again from the items (a bulk load that wrote items alone: bench/stats.py); rows."""
    kind, ref = col(PassageItemRow.kind), col(PassageItemRow.ref)
    tally_ref = case((kind.in_([o.value for o in REF_IS_ID]), ""), else_=ref)
    agency = func.coalesce(col(PassageItemRow.agency), "")
    counts = (select(agency, col(PassageItemRow.day), kind, tally_ref, func.count())
              .group_by(agency, col(PassageItemRow.day), kind, tally_ref))
    session.execute(delete(PassageTallyRow))
    columns = ["agency", "day", "kind", "ref", "n"]
    result = session.execute(insert(PassageTallyRow.__table__).from_select(columns, counts))  # type: ignore[attr-defined]
    return int(result.rowcount)  # type: ignore[attr-defined]


def set_channel(*, session: Session, passage_id: int, channel: PassageChannel) -> bool:
    """Change an open passage's channel; False when it is closed already."""
    result = session.execute(update(PassageRow).where(col(PassageRow.id) == passage_id,
                                                      col(PassageRow.ended_at).is_(None))
                             .values(channel=channel.value))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def close(*, session: Session, passage_id: int, ended: datetime, seconds: int | None, how: ClosedHow) -> bool:
    """Close an open passage; False when it was closed already (never twice)."""
    result = session.execute(update(PassageRow).where(col(PassageRow.id) == passage_id,
                                                      col(PassageRow.ended_at).is_(None))
                             .values(ended_at=to_db(ended), seconds=seconds, closed_how=how.value))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def received(*, session: Session, agency: str | None, day: date, half: Half, workstation: str) -> tuple[int, int]:
    """People received in this half-day: (at this workstation, in the agency), from one covering index."""
    here = func.coalesce(func.sum(case((col(PassageRow.workstation) == workstation, 1), else_=0)), 0)
    agency_test = col(PassageRow.agency).is_(None) if agency is None else col(PassageRow.agency) == agency
    counter, total = session.execute(
        select(here, func.count()).where(agency_test, col(PassageRow.day) == day, col(PassageRow.half) == half.value)
    ).one()
    return int(counter), int(total)


def delete_before(*, session: Session, day: date) -> int:
    """Delete the passages started before ``day`` and their items (set-based, any volume); how many passages."""
    session.execute(delete(PassageItemRow).where(col(PassageItemRow.day) < day))
    session.execute(delete(PassageTallyRow).where(col(PassageTallyRow.day) < day))
    result = session.execute(delete(PassageRow).where(col(PassageRow.day) < day))
    return int(result.rowcount)  # type: ignore[attr-defined]


def count_before(*, session: Session, day: date) -> int:
    return int(session.execute(select(func.count()).select_from(PassageRow).where(col(PassageRow.day) < day))
               .scalar_one())

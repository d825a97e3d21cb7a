"""Handoffs and their follow-up in the database: keyword-only ``session``, domain objects in and out.

A status move is conditional on the status it was read in (``UPDATE … WHERE id = :id AND
status = :expected``), and the status, its reason and ``closed_at`` change in that one statement:
two counters can never both move the same handoff, and the three never disagree.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, not_, select, update
from sqlmodel import Session, col

from guichet.domain.followup import AWAITING_ANSWER, HandoffRecord, StatusChange
from guichet.domain.handoff import Contact, Destination, HandoffDraft, HandoffStatus, Specificity, refusal_minimum
from guichet.domain.models import LifeEvent
from guichet.domain.orientation import Emergency
from guichet.store.tables import HandoffEventRow, HandoffRow, from_db, to_db


def _codes(text: str) -> tuple[str, ...]:
    return tuple(code for code in text.split(",") if code)


def _draft_of(row: HandoffRow) -> HandoffDraft:
    return HandoffDraft(
        name=row.name, life_event=LifeEvent(row.life_event), motifs=row.motifs, comment=row.comment,
        benefits=_codes(row.benefits), file_number=row.file_number, phone=row.phone, contact=Contact(row.contact),
        event_date=row.event_date, specificities=tuple(Specificity(c) for c in _codes(row.specificities)),
        specificity_other=row.specificity_other, rights_opened=row.rights_opened,
        non_payment_since=row.non_payment_since, period_start=row.period_start, period_end=row.period_end,
        sharp_drop=row.sharp_drop, emergency=Emergency(row.emergency) if row.emergency else None,
        already_followed=row.already_followed, referent=row.referent, partner=row.partner,
        documents_to_professional=row.documents_to_professional, consent=row.consent, service_id=row.service_id,
    )


def _record_of(row: HandoffRow, events: list[HandoffEventRow] | None = None) -> HandoffRecord:
    assert row.id is not None
    history = tuple(
        StatusChange(from_db(e.at), e.actor, HandoffStatus(e.status), e.reason) for e in (events or [])
    )
    return HandoffRecord(
        id=row.id, draft=_draft_of(row), status=HandoffStatus(row.status), status_reason=row.status_reason,
        created_at=from_db(row.created_at), updated_at=from_db(row.updated_at),
        closed_at=from_db(row.closed_at) if row.closed_at else None, created_by=row.created_by,
        agency=row.agency, urgent=row.urgent, destination=Destination(row.destination),
        destination_label=row.destination_label, message=row.message, history=history, due_on=row.due_on,
    )


def _columns_of(draft: HandoffDraft) -> dict[str, Any]:
    """The columns that come from the draft."""
    return {
        "name": draft.name, "file_number": draft.file_number, "phone": draft.phone, "contact": draft.contact.value,
        "life_event": draft.life_event.value, "event_date": draft.event_date, "motifs": draft.motifs,
        "benefits": ",".join(draft.benefits), "comment": draft.comment,
        "specificities": ",".join(s.value for s in draft.specificities),
        "specificity_other": draft.specificity_other, "rights_opened": draft.rights_opened,
        "non_payment_since": draft.non_payment_since, "period_start": draft.period_start,
        "period_end": draft.period_end, "sharp_drop": draft.sharp_drop,
        "emergency": draft.emergency.value if draft.emergency else None,
        "already_followed": draft.already_followed, "referent": draft.referent, "partner": draft.partner,
        "documents_to_professional": draft.documents_to_professional, "consent": bool(draft.consent),
        "service_id": draft.service_id,
    }


def _add_event(*, session: Session, handoff_id: int, at: datetime, actor: str, status: HandoffStatus,
               reason: str = "") -> None:
    session.add(HandoffEventRow(handoff_id=handoff_id, at=to_db(at), actor=actor, status=status.value,
                                reason=reason))


def _events(*, session: Session, handoff_id: int) -> list[HandoffEventRow]:
    statement = (select(HandoffEventRow).where(col(HandoffEventRow.handoff_id) == handoff_id)
                 .order_by(col(HandoffEventRow.at), col(HandoffEventRow.id)))
    return list(session.execute(statement).scalars())


def get(*, session: Session, handoff_id: int) -> HandoffRecord | None:
    row = session.get(HandoffRow, handoff_id)
    return _record_of(row, _events(session=session, handoff_id=handoff_id)) if row else None


def _late(today: date) -> ColumnElement[bool]:
    """Waiting for an answer past its due date on ``today`` (domain.followup.days_late > 0)."""
    return ((col(HandoffRow.status) == AWAITING_ANSWER.value) & col(HandoffRow.due_on).is_not(None)
            & (col(HandoffRow.due_on) < today))


def listing(*, session: Session, statuses: tuple[HandoffStatus, ...] = (), today: date | None = None,
            limit: int = 500, offset: int = 0) -> list[HandoffRecord]:
    """Handoffs without their history (for lists): the late ones on ``today`` first (urgent first, then the
    longest late), then the others, urgent first then newest first. Two queries, each along its index
    (``ix_handoff_due``, ``ix_handoff_listing``), paged as one list."""
    statement: Select[tuple[HandoffRow]] = select(HandoffRow)
    if statuses:
        statement = statement.where(col(HandoffRow.status).in_([s.value for s in statuses]))
    rest = statement.order_by(col(HandoffRow.urgent).desc(), col(HandoffRow.created_at).desc(),
                              col(HandoffRow.id).desc())
    if today is None:
        return [_record_of(row) for row in session.execute(rest.limit(limit).offset(offset)).scalars()]
    late_where = _late(today)
    late_total = int(session.execute(statement.with_only_columns(func.count()).where(late_where)).scalar() or 0)
    rows: list[HandoffRow] = []
    if offset < late_total:
        late = (statement.where(late_where).order_by(col(HandoffRow.urgent).desc(), col(HandoffRow.due_on),
                                                     col(HandoffRow.id)).limit(limit).offset(offset))
        rows += session.execute(late).scalars()
    if len(rows) < limit:
        others = rest.where(not_(late_where)).limit(limit - len(rows)).offset(max(0, offset - late_total))
        rows += session.execute(others).scalars()
    return [_record_of(row) for row in rows]


def by_file_number(*, session: Session, file_number: str) -> list[HandoffRecord]:
    statement = select(HandoffRow).where(col(HandoffRow.file_number) == file_number).order_by(col(HandoffRow.id))
    rows = session.execute(statement).scalars()
    return [_record_of(row, _events(session=session, handoff_id=row.id or 0)) for row in rows]


def insert(*, session: Session, draft: HandoffDraft, status: HandoffStatus, at: datetime, actor: str,
           agency: str | None, urgent: bool, destination: Destination, destination_label: str,
           message: str | None, reason: str = "", closed: bool = False) -> HandoffRecord:
    """Insert a handoff with its first history entry; a refusal keeps its minimum only, whatever it is given."""
    columns = _columns_of(refusal_minimum(draft) if status is HandoffStatus.REFUSEE else draft)
    row = HandoffRow(
        **columns, created_at=to_db(at), updated_at=to_db(at), closed_at=to_db(at) if closed else None,
        created_by=actor, agency=agency, status=status.value, status_reason=reason, urgent=urgent,
        destination=destination.value, destination_label=destination_label, message=message,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    _add_event(session=session, handoff_id=row.id, at=at, actor=actor, status=status, reason=reason)
    session.flush()
    found = get(session=session, handoff_id=row.id)
    assert found is not None
    return found


def change_status(*, session: Session, handoff_id: int, expected: HandoffStatus, target: HandoffStatus,
                  reason: str, at: datetime, actor: str, closes: bool,
                  due_on: date | None = None) -> HandoffRecord | None:
    """Move the handoff from ``expected`` to ``target`` (with its history entry), only if it is still
    in ``expected``, setting its answer's ``due_on`` when given; None when another transaction moved (or
    deleted) it first."""
    values: dict[str, object] = {"status": target.value, "status_reason": reason, "updated_at": to_db(at)}
    if closes:
        values["closed_at"] = to_db(at)
    if due_on is not None:
        values["due_on"] = due_on
    result = session.execute(
        update(HandoffRow)
        .where(col(HandoffRow.id) == handoff_id, col(HandoffRow.status) == expected.value)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    _add_event(session=session, handoff_id=handoff_id, at=at, actor=actor, status=target, reason=reason)
    session.flush()
    session.expire_all()
    return get(session=session, handoff_id=handoff_id)

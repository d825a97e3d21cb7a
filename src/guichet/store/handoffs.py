"""Repository functions for handoffs and their follow-up (keyword-only ``session``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from guichet.domain.followup import HandoffRecord, StatusChange
from guichet.domain.handoff import Contact, Destination, HandoffDraft, HandoffStatus, Specificity
from guichet.domain.models import LifeEvent
from guichet.domain.orientation import Emergency
from guichet.store.appointments import from_db, to_db
from guichet.store.tables import HandoffEventRow, HandoffRow


def _codes(text: str) -> tuple[str, ...]:
    return tuple(code for code in text.split(",") if code)


def draft_of(row: HandoffRow) -> HandoffDraft:
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


def record_of(row: HandoffRow, events: list[HandoffEventRow] | None = None) -> HandoffRecord:
    assert row.id is not None
    history = tuple(
        StatusChange(from_db(e.at), e.actor, HandoffStatus(e.status), e.reason) for e in (events or [])
    )
    return HandoffRecord(
        id=row.id, draft=draft_of(row), status=HandoffStatus(row.status), status_reason=row.status_reason,
        created_at=from_db(row.created_at), updated_at=from_db(row.updated_at),
        closed_at=from_db(row.closed_at) if row.closed_at else None, created_by=row.created_by,
        agency=row.agency, urgent=row.urgent, destination=Destination(row.destination),
        destination_label=row.destination_label, message=row.message, history=history,
    )


def row_of(draft: HandoffDraft) -> dict[str, Any]:
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


def add_event(*, session: Session, handoff_id: int, at: datetime, actor: str, status: HandoffStatus,
              reason: str = "") -> None:
    session.add(HandoffEventRow(handoff_id=handoff_id, at=to_db(at), actor=actor, status=status.value,
                                reason=reason))


def events(*, session: Session, handoff_id: int) -> list[HandoffEventRow]:
    statement = (select(HandoffEventRow).where(col(HandoffEventRow.handoff_id) == handoff_id)
                 .order_by(col(HandoffEventRow.at), col(HandoffEventRow.id)))
    return list(session.execute(statement).scalars())


def get(*, session: Session, handoff_id: int) -> HandoffRecord | None:
    row = session.get(HandoffRow, handoff_id)
    return record_of(row, events(session=session, handoff_id=handoff_id)) if row else None


def listing(*, session: Session, statuses: tuple[HandoffStatus, ...] = (), limit: int = 500,
            offset: int = 0) -> list[HandoffRecord]:
    """Handoffs, urgent first then newest first, without their history (for lists)."""
    statement = select(HandoffRow)
    if statuses:
        statement = statement.where(col(HandoffRow.status).in_([s.value for s in statuses]))
    statement = statement.order_by(col(HandoffRow.urgent).desc(), col(HandoffRow.created_at).desc(),
                                   col(HandoffRow.id).desc()).limit(limit).offset(offset)
    return [record_of(row) for row in session.execute(statement).scalars()]


def by_file_number(*, session: Session, file_number: str) -> list[HandoffRecord]:
    statement = select(HandoffRow).where(col(HandoffRow.file_number) == file_number).order_by(col(HandoffRow.id))
    rows = session.execute(statement).scalars()
    return [record_of(row, events(session=session, handoff_id=row.id or 0)) for row in rows]

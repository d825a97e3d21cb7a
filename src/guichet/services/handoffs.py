"""Handoffs to a social worker: log (with consent), follow up, export.

One situation per handoff (004, annex 1). The message is rendered when the handoff is
logged and kept as sent; a refusal of the person is recorded without any message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from guichet import logs
from guichet.domain.followup import HandoffRecord
from guichet.domain.handoff import (
    LIFE_EVENT_LABELS,
    HandoffDraft,
    HandoffStatus,
    Qualification,
    can_move,
    problems,
    qualify,
    render_message,
    validate,
)
from guichet.domain.person import note
from guichet.errors import InvalidInput
from guichet.services.exports import to_csv

if TYPE_CHECKING:
    from guichet.services import Services

log = logs.get("handoffs")
TERMINAL = (HandoffStatus.CLOTUREE, HandoffStatus.REFUSEE)
REFUSAL_REASON = "La personne n'a pas donné son accord."


@dataclass(frozen=True, slots=True)
class Preview:
    """What the handoff form shows live: the rules' verdict, what is missing, the message."""

    qualification: Qualification
    problems: tuple[str, ...]
    message: str | None


class Handoffs:
    """The handoff half of the services."""

    def __init__(self, services: Services) -> None:
        self.services = services

    @property
    def agent_name(self) -> str:
        return self.services.settings.agent_name or self.services.agent

    def preview(self, draft: HandoffDraft) -> Preview:
        """Qualify ``draft`` and render its message when it is complete (pure, no database)."""
        today = self.services.now().date()
        qualification = qualify(draft, today)
        missing = tuple(problems(draft, today))
        message = None
        if not missing and draft.consent:
            message = render_message(validate(draft, today), qualification, self.agent_name, today)
        return Preview(qualification, missing, message)

    def create(self, draft: HandoffDraft) -> HandoffRecord:
        """Validate and log ``draft`` in one transaction with its journal entry."""
        from guichet.store import appointments as repos
        from guichet.store import handoffs as handoff_repos
        from guichet.store.engine import write_session
        from guichet.store.tables import HandoffRow

        services = self.services
        now = services.now()
        clean = validate(draft, now.date())
        qualification = qualify(clean, now.date())
        refused = clean.consent is False
        message = None if refused else render_message(clean, qualification, self.agent_name, now.date())
        status = HandoffStatus.REFUSEE if refused else HandoffStatus.A_TRANSMETTRE
        fields = handoff_repos.row_of(clean)
        if refused:  # the refusal is recorded, the situation is not
            fields.update(motifs="", comment="", specificity_other="", referent="", partner="")
        home = services.home_agency
        with write_session(services.engine) as session:
            row = HandoffRow(
                **fields, created_at=repos.to_db(now), updated_at=repos.to_db(now),
                closed_at=repos.to_db(now) if refused else None, created_by=services.agent,
                agency=home.id if home else None, status=status.value,
                status_reason=REFUSAL_REASON if refused else "", urgent=qualification.urgent and not refused,
                destination=qualification.destination.value, destination_label=qualification.destination_label,
                message=message,
            )
            session.add(row)
            session.flush()
            assert row.id is not None
            handoff_repos.add_event(session=session, handoff_id=row.id, at=now, actor=services.agent,
                                    status=status, reason=row.status_reason)
            repos.journal(session=session, at=now, actor=services.agent,
                          action="handoff.refused" if refused else "handoff.created",
                          record_type="handoff", record_id=row.id)
            record = handoff_repos.get(session=session, handoff_id=row.id)
        assert record is not None
        log.info("handoff %d logged: %s, urgent=%s, destination=%s", record.id, record.status.value, record.urgent,
                 record.destination.value)
        return record

    def get(self, handoff_id: int) -> HandoffRecord:
        from guichet.store import handoffs as handoff_repos
        from guichet.store.engine import read_session

        with read_session(self.services.engine) as session:
            found = handoff_repos.get(session=session, handoff_id=handoff_id)
        if found is None:
            raise InvalidInput(f"Passage de relais n° {handoff_id} introuvable.")
        return found

    def listing(
        self, statuses: tuple[HandoffStatus, ...] = (), limit: int = 500, offset: int = 0
    ) -> list[HandoffRecord]:
        """Handoffs by status, urgent first then newest first."""
        from guichet.store import handoffs as handoff_repos
        from guichet.store.engine import read_session

        with read_session(self.services.engine) as session:
            return handoff_repos.listing(session=session, statuses=statuses, limit=limit, offset=offset)

    def set_status(self, handoff_id: int, target: HandoffStatus, reason: str = "") -> HandoffRecord:
        """Move a handoff one step of its follow-up (no skipping, no going back)."""
        from guichet.store import appointments as repos
        from guichet.store import handoffs as handoff_repos
        from guichet.store.engine import write_session
        from guichet.store.tables import HandoffRow

        services = self.services
        reason = note(reason, max_len=300, label="Le motif")
        if target is HandoffStatus.REFUSEE and not reason:
            raise InvalidInput("Un refus doit être motivé : indiquez la raison.")
        with write_session(services.engine) as session:
            row = session.get(HandoffRow, handoff_id)
            if row is None:
                raise InvalidInput(f"Passage de relais n° {handoff_id} introuvable.")
            current = HandoffStatus(row.status)
            if not can_move(current, target):
                raise InvalidInput(f"Le passage de relais n° {handoff_id} est « {current.label} » : "
                                   f"impossible de le passer à « {target.label} ».")
            now = services.now()
            row.status = target.value
            row.status_reason = reason
            row.updated_at = repos.to_db(now)
            if target in TERMINAL:
                row.closed_at = repos.to_db(now)
            handoff_repos.add_event(session=session, handoff_id=handoff_id, at=now, actor=services.agent,
                                    status=target, reason=reason)
            repos.journal(session=session, at=now, actor=services.agent, action=f"handoff.{target.value}",
                          record_type="handoff", record_id=handoff_id)
            session.flush()
            record = handoff_repos.get(session=session, handoff_id=handoff_id)
        assert record is not None
        log.info("handoff %d: %s", handoff_id, target.value)
        return record


# -- exports for the social-work team ----------------------------------------------------------
def record_json(record: HandoffRecord) -> dict[str, Any]:
    """One handoff as a JSON object (dates ISO, codes as in the data files)."""
    d = record.draft

    def iso(value: object) -> str | None:
        return value.isoformat() if value is not None else None  # type: ignore[attr-defined]

    return {
        "id": record.id, "status": record.status.value, "status_label": record.status.label,
        "status_reason": record.status_reason, "urgent": record.urgent,
        "destination": record.destination.value, "destination_label": record.destination_label,
        "created_at": record.created_at.replace(tzinfo=None).isoformat(timespec="minutes"),
        "created_by": record.created_by, "agency": record.agency,
        "name": d.name, "file_number": d.file_number, "phone": d.phone, "contact": d.contact.value,
        "life_event": d.life_event.value, "life_event_label": LIFE_EVENT_LABELS[d.life_event],
        "event_date": iso(d.event_date), "motifs": d.motifs, "benefits": list(d.benefits),
        "comment": d.comment, "specificities": [s.value for s in d.specificities],
        "specificity_other": d.specificity_other, "rights_opened": iso(d.rights_opened),
        "non_payment_since": iso(d.non_payment_since), "period_start": iso(d.period_start),
        "period_end": iso(d.period_end), "emergency": d.emergency.value if d.emergency else None,
        "already_followed": d.already_followed, "referent": d.referent, "partner": d.partner,
        "documents_to_professional": d.documents_to_professional, "consent": d.consent,
        "service": d.service_id, "message": record.message,
        "history": [{"at": h.at.replace(tzinfo=None).isoformat(timespec="minutes"), "actor": h.actor,
                     "status": h.status.value, "reason": h.reason} for h in record.history],
    }


CSV_COLUMNS = ("id", "statut", "urgence", "destination", "cree_le", "nom", "numero_allocataire", "telephone",
               "evenement", "date_evenement", "prestations", "motifs", "commentaire")


def records_csv(records: list[HandoffRecord]) -> str:
    """Handoffs as CSV (``;``-separated, formulas neutralised)."""
    return to_csv(CSV_COLUMNS, (
        (r.id, r.status.value, "URGENCE DEFINIE" if r.urgent else "", r.destination_label,
         r.created_at.replace(tzinfo=None).isoformat(timespec="minutes"), r.draft.name, r.draft.file_number,
         r.draft.phone, LIFE_EVENT_LABELS[r.draft.life_event],
         r.draft.event_date.isoformat() if r.draft.event_date else "", ", ".join(r.draft.benefits), r.draft.motifs,
         r.draft.comment)
        for r in records
    ))


def records_json(records: list[HandoffRecord]) -> str:
    return json.dumps([record_json(r) for r in records], ensure_ascii=False, indent=2)


def summary_line(record: HandoffRecord) -> str:
    """One line for lists: ``n° 12 · URGENCE · À transmettre · 23/11 · Séparation · APL``."""
    d = record.draft
    parts = [f"n° {record.id}", record.status.label, record.created_at.strftime("%d/%m"),
             LIFE_EVENT_LABELS[d.life_event]]
    if record.urgent:
        parts.insert(1, "URGENCE DEFINIE")
    if d.benefits:
        parts.append(", ".join(d.benefits))
    return " · ".join(parts)


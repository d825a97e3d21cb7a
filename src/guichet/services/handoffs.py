"""Handoffs to a social worker: log (with consent), follow up.

One situation per handoff (004, annex 1). The message is rendered when the handoff is
logged and kept as sent; a refusal of the person is recorded without any message.
"""

from __future__ import annotations

from dataclasses import dataclass

from guichet import logs
from guichet.domain.followup import HandoffRecord, due_date
from guichet.domain.handoff import (
    HandoffDraft,
    HandoffStatus,
    Qualification,
    can_move,
    problems,
    qualify,
    validate,
)
from guichet.domain.handoff_message import render_message
from guichet.domain.person import note
from guichet.errors import InvalidInput, LostRace, NotFound
from guichet.services.context import Context

log = logs.get("handoffs")
TERMINAL = (HandoffStatus.CLOTUREE, HandoffStatus.REFUSEE, HandoffStatus.EXPIREE)
REFUSAL_REASON = "La personne n'a pas donné son accord."


@dataclass(frozen=True, slots=True)
class Preview:
    """What the handoff form shows live: the rules' verdict, what is missing, the message."""

    qualification: Qualification
    problems: tuple[str, ...]
    message: str | None


class Handoffs:
    """The handoff use cases, on one workstation's context."""

    def __init__(self, context: Context) -> None:
        self.context = context

    def preview(self, draft: HandoffDraft) -> Preview:
        """Qualify ``draft`` and render its message when it is complete (pure, no database)."""
        today = self.context.now().date()
        qualification = qualify(draft, today, self.context.catalog.perimeter)
        missing = tuple(problems(draft, today))
        message = None
        if not missing and draft.consent:
            message = render_message(validate(draft, today), qualification, self.context.agent_name, today)
        return Preview(qualification, missing, message)

    def create(self, draft: HandoffDraft) -> HandoffRecord:
        """Validate and log ``draft`` in one transaction with its journal entry."""
        from guichet.store import handoffs as store
        from guichet.store import journal
        from guichet.store.engine import write_session

        ctx = self.context
        now = ctx.now()
        clean = validate(draft, now.date())
        qualification = qualify(clean, now.date(), ctx.catalog.perimeter)
        refused = clean.consent is False
        message = None if refused else render_message(clean, qualification, ctx.agent_name, now.date())
        status = HandoffStatus.REFUSEE if refused else HandoffStatus.A_TRANSMETTRE
        home = ctx.home_agency
        with write_session(ctx.engine) as session:
            record = store.insert(
                session=session, draft=clean, status=status, at=now, actor=ctx.agent,
                agency=home.id if home else None, urgent=qualification.urgent and not refused,
                destination=qualification.destination, destination_label=qualification.destination_label,
                message=message, reason=REFUSAL_REASON if refused else "", closed=refused,
            )
            journal.record(session=session, at=now, actor=ctx.agent,
                           action="handoff.refused" if refused else "handoff.created",
                           record_type="handoff", record_id=record.id)
        log.info("handoff %d logged: %s, urgent=%s, destination=%s", record.id, record.status.value, record.urgent,
                 record.destination.value)
        return record

    def get(self, handoff_id: int) -> HandoffRecord:
        """The handoff ``handoff_id`` with its history; :class:`NotFound` otherwise."""
        from guichet.store import handoffs as store
        from guichet.store.engine import read_session

        with read_session(self.context.engine) as session:
            found = store.get(session=session, handoff_id=handoff_id)
        if found is None:
            raise NotFound(f"Passage de relais n° {handoff_id} introuvable.")
        return found

    def listing(
        self, statuses: tuple[HandoffStatus, ...] = (), limit: int = 500, offset: int = 0
    ) -> list[HandoffRecord]:
        """Handoffs by status: the ones late for their answer today first, then urgent first, newest first."""
        from guichet.store import handoffs as store
        from guichet.store.engine import read_session

        today = self.context.now().date()
        with read_session(self.context.engine) as session:
            return store.listing(session=session, statuses=statuses, today=today, limit=limit, offset=offset)

    def set_status(self, handoff_id: int, target: HandoffStatus, reason: str = "") -> HandoffRecord:
        """Move a handoff one step of its follow-up (no skipping, no going back)."""
        from guichet.store import handoffs as store
        from guichet.store import journal
        from guichet.store.engine import write_session

        ctx = self.context
        reason = note(reason, max_len=300, label="Le motif")
        if target is HandoffStatus.REFUSEE and not reason:
            raise InvalidInput("Un refus doit être motivé : indiquez la raison.")
        with write_session(ctx.engine) as session:
            current = store.get(session=session, handoff_id=handoff_id)
            if current is None:
                raise NotFound(f"Passage de relais n° {handoff_id} introuvable.")
            if not can_move(current.status, target):
                raise InvalidInput(f"Le passage de relais n° {handoff_id} est « {current.status.label} » : "
                                   f"impossible de le passer à « {target.label} ».")
            now = ctx.now()
            # Transmitted: the answer is due within 10 days (004 annex 1; domain.followup.due_date).
            due = due_date(now.date()) if target is HandoffStatus.TRANSMISE else None
            record = store.change_status(session=session, handoff_id=handoff_id, expected=current.status,
                                         target=target, reason=reason, at=now, actor=ctx.agent,
                                         closes=target in TERMINAL, due_on=due)
            if record is None:
                now_state = store.get(session=session, handoff_id=handoff_id)
                state = f"il est maintenant « {now_state.status.label} »" if now_state else "il vient d'être supprimé"
                raise LostRace(f"Le passage de relais n° {handoff_id} a déjà été modifié par un autre guichet : "
                               f"{state}. Rien n'a été changé.")
            journal.record(session=session, at=now, actor=ctx.agent, action=f"handoff.{target.value}",
                           record_type="handoff", record_id=handoff_id)
        log.info("handoff %d: %s", handoff_id, target.value)
        return record

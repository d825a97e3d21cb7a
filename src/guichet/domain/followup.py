"""A logged handoff and its follow-up, as the UI and the CLI see it: the answer's due date, the delay
after which a handoff never closed expires.

Sources: 004_a86ec49ae4cb90e1.txt, annex 1 (« Un délai de réponse de 7 à 10 jours maximum suivant la
réception de la demande est un engagement hors situation urgente »), annex 7 (« Elles seront conservées
deux ans après la clôture d'un suivi d'intervention »); 000 p.10 (« un accompagnement (6 mois maximum) »).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from guichet.domain import fr
from guichet.domain.handoff import Destination, HandoffDraft, HandoffStatus

# 004 annex 1: « 7 à 10 jours maximum suivant la réception de la demande ». The convention counts days, not
# working days, so guichet does too; it takes the maximum (10), counted from the day the handoff was
# transmitted (the receiving service gets it that day): a handoff transmitted on Monday 23 November is due
# on Thursday 3 December and late from Friday 4 December.
# Emergencies: the delay is a commitment « hors situation urgente » and the convention gives urgent cases no
# figure of their own, only « un traitement prioritaire ». guichet invents none: an urgent handoff keeps the
# same 10-day ceiling (it cannot be allowed longer than an ordinary one), and lists show urgent ones first.
ANSWER_DAYS = 10
# Only a handoff waiting for its answer can be late: once taken in charge, the answer came.
AWAITING_ANSWER = HandoffStatus.TRANSMISE
# Still followed: not closed, refused nor expired. One of these that nothing moved for the expiry delay
# (Settings.handoff_expiry_months) expires: annex 7 keeps the data two years after a follow-up is closed,
# so a follow-up must end; then it goes two years later like a closed one.
OPEN_STATUSES = (HandoffStatus.A_TRANSMETTRE, HandoffStatus.TRANSMISE, HandoffStatus.PRISE_EN_CHARGE)


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One step of the follow-up: who moved the handoff to which status, when."""

    at: datetime
    actor: str
    status: HandoffStatus
    reason: str = ""


@dataclass(frozen=True, slots=True)
class HandoffRecord:
    """A handoff as stored: the draft, what the rules said, and its follow-up."""

    id: int
    draft: HandoffDraft
    status: HandoffStatus
    created_at: datetime
    updated_at: datetime
    created_by: str
    urgent: bool
    destination: Destination
    destination_label: str
    status_reason: str = ""
    closed_at: datetime | None = None
    agency: str | None = None
    message: str | None = None  # None when the person refused
    history: tuple[StatusChange, ...] = ()
    due_on: date | None = None  # the answer's due date, set when transmitted (schema v5)


def due_date(transmitted_on: date) -> date:
    """The last day of the answer's delay for a handoff transmitted on ``transmitted_on``."""
    return transmitted_on + timedelta(days=ANSWER_DAYS)


def days_late(record: HandoffRecord, today: date) -> int:
    """How many days past its due date ``record`` still waits for an answer on ``today`` (0: not late)."""
    if record.status is not AWAITING_ANSWER or record.due_on is None:
        return 0
    return max(0, (today - record.due_on).days)


def late_text(days: int) -> str:
    """« en retard depuis 1 jour », « en retard depuis 3 jours »; empty when not late."""
    if days <= 0:
        return ""
    return f"en retard depuis {days} jour{'s' if days > 1 else ''}"


def due_note(record: HandoffRecord, today: date) -> str:
    """« en retard depuis 3 jours », or « réponse attendue au plus tard le jeudi 3 décembre 2026 » for a
    transmitted handoff whose answer is not late yet; empty otherwise."""
    if late := days_late(record, today):
        return late_text(late)
    if record.status is AWAITING_ANSWER and record.due_on is not None:
        return f"réponse attendue au plus tard le {fr.day(record.due_on, year=True)}"
    return ""


def short_due_note(record: HandoffRecord, today: date) -> str:
    """The same in a narrow column: « en retard 3 j », « avant le 03/12 »; empty otherwise."""
    if late := days_late(record, today):
        return f"en retard {late} j"
    if record.status is AWAITING_ANSWER and record.due_on is not None:
        return f"avant le {record.due_on:%d/%m}"
    return ""


def expiry_reason(months: int) -> str:
    """The reason written in the history of a handoff the retention run expired."""
    return (f"Sans suite depuis plus de {months} mois : passage de relais expiré automatiquement "
            "(les données ne sont pas conservées sans fin).")

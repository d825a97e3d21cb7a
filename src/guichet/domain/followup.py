"""A logged handoff and its follow-up, as the UI and the CLI see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from guichet.domain.handoff import Destination, HandoffDraft, HandoffStatus


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

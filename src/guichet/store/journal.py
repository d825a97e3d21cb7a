"""The journal: who did what to which record, when. Append-only, and never any personal data."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from guichet.store.tables import JournalRow, to_db


def record(*, session: Session, at: datetime, actor: str, action: str, record_type: str,
           record_id: int | None) -> None:
    """Append one entry (e.g. ``appointment.booked`` on appointment 12 by ``agent``)."""
    session.add(JournalRow(at=to_db(at), actor=actor, action=action, record_type=record_type,
                           record_id=record_id))

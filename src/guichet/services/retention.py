"""Retention and right of access (004, annex 7; GDPR).

- Handoffs closed (clôturée or refusée) more than ``handoff_years`` ago are deleted.
- Appointments that took place more than ``appointment_years`` ago are deleted.
- Their journal entries stay (who did what, when) but lose the link to the deleted record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from guichet.domain import person
from guichet.errors import InvalidInput

if TYPE_CHECKING:
    from guichet.services import Services


@dataclass(frozen=True, slots=True)
class PurgeReport:
    """What a purge deleted (or would delete, in a dry run)."""

    handoffs: int
    appointments: int
    journal_entries: int
    handoff_cutoff: datetime
    appointment_cutoff: datetime
    dry_run: bool


def _years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def purge(services: Services, *, dry_run: bool = False) -> PurgeReport:
    """Delete what the retention rules say must go, in one transaction."""
    from sqlalchemy import delete, func, select, update
    from sqlmodel import col

    from guichet.store import appointments as repos
    from guichet.store.engine import write_session
    from guichet.store.tables import AppointmentRow, HandoffEventRow, HandoffRow, JournalRow

    settings = services.settings
    now = services.now()
    handoff_cutoff = _years_before(now, settings.retention_handoff_years)
    appointment_cutoff = _years_before(now, settings.retention_appointment_years)
    with write_session(services.engine) as session:
        handoff_ids = list(session.execute(
            select(col(HandoffRow.id)).where(col(HandoffRow.closed_at).is_not(None))
            .where(col(HandoffRow.closed_at) < repos.to_db(handoff_cutoff))
        ).scalars())
        appointment_ids = list(session.execute(
            select(col(AppointmentRow.id)).where(col(AppointmentRow.start) < repos.to_db(appointment_cutoff))
        ).scalars())
        linked = (
            (col(JournalRow.record_type) == "handoff") & col(JournalRow.record_id).in_(handoff_ids)
        ) | ((col(JournalRow.record_type) == "appointment") & col(JournalRow.record_id).in_(appointment_ids))
        journal_entries = int(session.execute(select(func.count()).select_from(JournalRow).where(linked)).scalar() or 0)
        if dry_run:
            session.rollback()
        else:
            session.execute(update(JournalRow).where(linked).values(record_id=None))
            session.execute(delete(HandoffEventRow).where(col(HandoffEventRow.handoff_id).in_(handoff_ids)))
            session.execute(delete(HandoffRow).where(col(HandoffRow.id).in_(handoff_ids)))
            session.execute(delete(AppointmentRow).where(col(AppointmentRow.id).in_(appointment_ids)))
            repos.journal(session=session, at=now, actor=services.agent, action="retention.purge",
                          record_type="purge", record_id=None)
    return PurgeReport(len(handoff_ids), len(appointment_ids), journal_entries, handoff_cutoff,
                       appointment_cutoff, dry_run)


def person_data(services: Services, file_number: str) -> dict[str, Any]:
    """Everything held on the person with this CAF file number (right of access)."""
    from guichet.cli.appointments import appointment_json
    from guichet.services.handoffs import record_json
    from guichet.store import handoffs as handoff_repos
    from guichet.store.engine import read_session
    from guichet.store.tables import AppointmentRow

    number = person.file_number(file_number, required=True)
    assert number is not None
    from sqlalchemy import select
    from sqlmodel import col

    from guichet.store.appointments import appointment

    with read_session(services.engine) as session:
        rows = session.execute(
            select(AppointmentRow).where(col(AppointmentRow.file_number) == number).order_by(col(AppointmentRow.start))
        ).scalars()
        appointments = [appointment_json(appointment(row)) for row in rows]
        handoffs = [record_json(r) for r in handoff_repos.by_file_number(session=session, file_number=number)]
    if not appointments and not handoffs:
        raise InvalidInput(f"Aucune donnée n'est conservée pour le numéro allocataire {number}.")
    return {"file_number": number, "appointments": appointments, "handoffs": handoffs,
            "retention": {"handoffs_years_after_closing": services.settings.retention_handoff_years,
                          "appointments_years": services.settings.retention_appointment_years}}

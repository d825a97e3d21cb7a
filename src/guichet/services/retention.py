"""Retention and right of access (004, annex 7; GDPR).

- Handoffs closed (clôturée or refusée) more than ``retention_handoff_years`` ago are deleted.
- Appointments that took place more than ``retention_appointment_years`` ago are deleted.
- Their journal entries stay (who did what, when) but lose the link to the deleted record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from guichet import logs
from guichet.domain import person
from guichet.errors import NotFound
from guichet.services import exports
from guichet.services.context import Context

log = logs.get("retention")


@dataclass(frozen=True, slots=True)
class PurgeReport:
    """What a purge deleted (or would delete, in a dry run)."""

    handoffs: int
    appointments: int
    journal_entries: int
    handoff_cutoff: datetime
    appointment_cutoff: datetime
    dry_run: bool


def years_before(moment: datetime, years: int) -> datetime:
    """The same instant ``years`` earlier (28 February for a 29 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


class Retention:
    """The purge and the right of access, on one workstation's context."""

    def __init__(self, context: Context) -> None:
        self.context = context

    def purge(self, *, dry_run: bool = False) -> PurgeReport:
        """Delete what the retention rules say must go, in one transaction with its journal entry."""
        from guichet.store import journal
        from guichet.store import retention as store
        from guichet.store.engine import read_session, write_session

        ctx = self.context
        now = ctx.now()
        handoff_cutoff = years_before(now, ctx.settings.retention_handoff_years)
        appointment_cutoff = years_before(now, ctx.settings.retention_appointment_years)
        if dry_run:
            with read_session(ctx.engine) as session:
                found = store.due(session=session, handoff_cutoff=handoff_cutoff,
                                  appointment_cutoff=appointment_cutoff)
        else:
            with write_session(ctx.engine) as session:
                found = store.delete_due(session=session, handoff_cutoff=handoff_cutoff,
                                         appointment_cutoff=appointment_cutoff)
                journal.record(session=session, at=now, actor=ctx.agent, action="retention.purge",
                               record_type="purge", record_id=None)
            log.info("purge: %d handoffs, %d appointments, %d journal entries unlinked",
                     found.handoffs, found.appointments, found.journal_entries)
        return PurgeReport(found.handoffs, found.appointments, found.journal_entries, handoff_cutoff,
                           appointment_cutoff, dry_run)

    def person_data(self, file_number: str) -> dict[str, Any]:
        """Everything held on the person with this CAF file number (right of access)."""
        from guichet.store import appointments, handoffs
        from guichet.store.engine import read_session

        number = person.file_number(file_number, required=True)
        assert number is not None
        with read_session(self.context.engine) as session:
            held = appointments.by_file_number(session=session, file_number=number)
            records = handoffs.by_file_number(session=session, file_number=number)
        if not held and not records:
            raise NotFound(f"Aucune donnée n'est conservée pour le numéro allocataire {number}.")
        settings = self.context.settings
        return {"file_number": number,
                "appointments": [exports.appointment_json(a) for a in held],
                "handoffs": [exports.record_json(r) for r in records],
                "retention": {"handoffs_years_after_closing": settings.retention_handoff_years,
                              "appointments_years": settings.retention_appointment_years}}

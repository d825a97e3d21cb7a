"""Retention and right of access (004, annex 7; GDPR).

- Handoffs still open that nothing moved for ``handoff_expiry_months`` (Settings, 12 by default) expire first:
  status « expirée », with the reason, closed at that moment (a follow-up cannot stay open forever).
- Handoffs closed (clôturée, refusée or expirée) more than ``retention_handoff_years`` ago are deleted.
- A refusal of the person keeps only its minimum (domain.handoff.refusal_minimum): made sure again here.
- Appointments that took place more than ``retention_appointment_years`` ago are deleted.
- The reception log's passages (no personal data) started more than ``retention_passage_years`` ago
  (3 by default: the year and the two before it, for the plan's figures) are deleted with their items.
- Their journal entries stay (who did what, when) but lose the link to the deleted record.
- Every copy guichet made goes by the same rules: the SQLite file's ``-wal`` is written back
  and truncated, deleted rows are overwritten (``secure_delete``); the backup copies made
  before an upgrade are purged the same way, and deleted once older than
  :data:`BACKUP_KEEP_DAYS`; the day sheets exported from the interface are deleted once the
  day they list is past the appointments' retention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from guichet import logs
from guichet.domain import person
from guichet.domain.followup import expiry_reason
from guichet.domain.perimeter import add_months
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
    backups_purged: int = 0
    backups_deleted: int = 0
    exports_deleted: int = 0
    handoffs_expired: int = 0
    expiry_cutoff: datetime | None = None  # open handoffs last moved before this expire
    passages: int = 0  # passages of the reception log (and their items) started before passage_cutoff
    passage_cutoff: date | None = None


BACKUP_KEEP_DAYS = 30  # a copy made before an upgrade is there to undo it, not to keep data
CLIPBOARD_KEEP_DAYS = 1  # the text the interface saved when no clipboard took it (ui/clipboard.py): to paste now
_EXPORT_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})\.csv$")


def months_before(moment: datetime, months: int) -> datetime:
    """The same instant ``months`` earlier, the day clamped to the month's end (31 March - 1 → 28 February)."""
    day = add_months(moment.date(), -months)
    return moment.replace(year=day.year, month=day.month, day=day.day)


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
        """Expire the handoffs left open too long, then delete what the retention rules say must go, in one
        transaction with its journal entries."""
        from guichet.store import journal
        from guichet.store import passages as reception
        from guichet.store import retention as store
        from guichet.store.engine import read_session, write_session

        ctx = self.context
        now = ctx.now()
        months = ctx.settings.handoff_expiry_months
        expiry_cutoff = months_before(now, months)
        handoff_cutoff = years_before(now, ctx.settings.retention_handoff_years)
        appointment_cutoff = years_before(now, ctx.settings.retention_appointment_years)
        passage_cutoff = years_before(now, ctx.settings.retention_passage_years).date()
        if dry_run:
            with read_session(ctx.engine) as session:
                expired = store.stale(session=session, before=expiry_cutoff)
                found = store.due(session=session, handoff_cutoff=handoff_cutoff,
                                  appointment_cutoff=appointment_cutoff)
                passages = reception.count_before(session=session, day=passage_cutoff)
        else:
            with write_session(ctx.engine) as session:
                # Expired now, closed now: their two years start today, so none of them is deleted in this run.
                expired = store.expire_stale(session=session, before=expiry_cutoff, at=now, actor=ctx.agent,
                                             reason=expiry_reason(months))
                found = store.delete_due(session=session, handoff_cutoff=handoff_cutoff,
                                         appointment_cutoff=appointment_cutoff)
                passages = reception.delete_before(session=session, day=passage_cutoff)
                journal.record(session=session, at=now, actor=ctx.agent, action="retention.purge",
                               record_type="purge", record_id=None)
            store.squeeze_sqlite(ctx.engine)
            log.info("purge: %d handoffs expired, %d handoffs, %d appointments, %d journal entries unlinked, "
                     "%d passages", expired, found.handoffs, found.appointments, found.journal_entries, passages)
        purged, deleted = self._backups(handoff_cutoff, appointment_cutoff, dry_run)
        exports = self._exports(appointment_cutoff.date(), dry_run)
        return PurgeReport(found.handoffs, found.appointments, found.journal_entries, handoff_cutoff,
                           appointment_cutoff, dry_run, purged, deleted, exports, expired, expiry_cutoff, passages,
                           passage_cutoff)

    # -- the copies ------------------------------------------------------------------------------
    def backups(self) -> list[Path]:
        """The backup copies of the SQLite file made before upgrades (none on a shared server)."""
        from guichet.store.engine import backups_of, sqlite_path

        if self.context.is_shared_database:
            return []
        database = sqlite_path(self.context.settings.effective_database_url)
        return backups_of(database) if database is not None else []

    def exports(self) -> list[Path]:
        """The day sheets exported from the interface, and its clipboard copies."""
        folder = self.context.settings.paths.exports_dir
        return sorted([*folder.glob("*.csv"), *folder.glob(exports.CLIPBOARD_FILE)]) if folder.is_dir() else []

    def _backups(self, handoff_cutoff: datetime, appointment_cutoff: datetime, dry_run: bool) -> tuple[int, int]:
        """Purge the recent backup copies, delete the old ones: (purged, deleted)."""
        from guichet.store import retention as store

        oldest_kept = self.context.now() - timedelta(days=BACKUP_KEEP_DAYS)
        purged = deleted = 0
        for backup in self.backups():
            made = datetime.fromtimestamp(backup.stat().st_mtime, oldest_kept.tzinfo)
            if dry_run:
                deleted, purged = (deleted + 1, purged) if made < oldest_kept else (deleted, purged + 1)
                continue
            if made >= oldest_kept:
                try:
                    store.purge_sqlite_copy(backup, handoff_cutoff=handoff_cutoff,
                                            appointment_cutoff=appointment_cutoff)
                    purged += 1
                    continue
                except Exception as exc:  # not a readable copy: it cannot be purged, so it goes
                    log.warning("backup copy %s could not be purged (%s): deleted", backup.name, type(exc).__name__)
            backup.unlink(missing_ok=True)
            deleted += 1
        if purged or deleted:
            log.info("purge: %d backup copies purged, %d deleted", purged, deleted)
        return purged, deleted

    def _exports(self, cutoff: date, dry_run: bool) -> int:
        """Delete the exported day sheets whose day is past the appointments' retention."""
        deleted = 0
        now = self.context.now()
        for export in self.exports():
            found = _EXPORT_DAY.search(export.name)
            made = datetime.fromtimestamp(export.stat().st_mtime, now.tzinfo)
            if export.suffix == ".txt":  # a clipboard copy: kept a day, not as long as the appointments
                due = made < now - timedelta(days=CLIPBOARD_KEEP_DAYS)
            else:
                due = (date.fromisoformat(found.group(1)) if found else made.date()) < cutoff
            if due:
                if not dry_run:
                    export.unlink(missing_ok=True)
                deleted += 1
        if deleted and not dry_run:
            log.info("purge: %d exported day sheets deleted", deleted)
        return deleted

    def person_data(self, file_number: str) -> dict[str, Any]:
        """Everything held on the person with this CAF file number (right of access)."""
        from guichet.store import appointments, handoffs
        from guichet.store.engine import read_session

        number = person.file_number(file_number, required=True)
        assert number is not None
        with read_session(self.context.engine) as session:
            held = appointments.by_file_number(session=session, file_number=number)
            records = handoffs.by_file_number(session=session, file_number=number)
        copies = self._copies_mentioning(number)
        if not held and not records and not copies:
            raise NotFound(f"Aucune donnée n'est conservée pour le numéro allocataire {number}.")
        settings = self.context.settings
        return {"file_number": number,
                "appointments": [exports.appointment_json(a) for a in held],
                "handoffs": [exports.record_json(r) for r in records],
                "copies": copies,
                "retention": {"handoffs_years_after_closing": settings.retention_handoff_years,
                              "handoffs_expire_after_months_unmoved": settings.handoff_expiry_months,
                              "appointments_years": settings.retention_appointment_years,
                              "passages_years": settings.retention_passage_years,
                              "passages_hold_personal_data": False}}

    def _copies_mentioning(self, file_number: str) -> list[dict[str, str]]:
        """The copies guichet made that hold something about this file number (right of access)."""
        from guichet.store import retention as store

        found = []
        for backup in self.backups():
            try:
                if store.copy_mentions(backup, file_number):
                    found.append({"kind": "sauvegarde avant mise à jour", "path": str(backup)})
            except Exception:  # an unreadable copy may hold anything: say that it exists
                found.append({"kind": "sauvegarde avant mise à jour (illisible)", "path": str(backup)})
        for export in self.exports():
            try:
                mentioned = file_number in export.read_text(encoding="utf-8-sig", errors="replace")
            except OSError:
                mentioned = True
            if mentioned:
                kind = "copie du presse-papiers" if export.suffix == ".txt" else "export de la liste du jour"
                found.append({"kind": kind, "path": str(export)})
        return found

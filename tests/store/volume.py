"""Many due records at once: the retention test at real volume and its benchmark (bench/retention.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, insert, select

from guichet.store.tables import AppointmentRow, HandoffRow, JournalRow, to_db

BATCH = 5_000
KEPT = 1_000  # appointments, and handoffs, recent enough (or open) to stay
DUE_DAYS = 3 * 365  # past every retention period
RECENT_DAYS = 30


def appointment_row(now: datetime, n: int, days_ago: int) -> dict[str, Any]:
    start = now - timedelta(days=days_ago, minutes=n % 600)
    return {"agency": "nanterre", "kind": "gca", "channel": "telephone", "start": to_db(start),
            "end": to_db(start + timedelta(minutes=30)), "seat": n, "name": f"Personne {n}",
            "file_number": f"{n % 10**7:07d}", "phone": "0612345678", "objective": "", "status": "seen",
            "booked_by": "test", "created_at": to_db(start), "updated_at": to_db(start)}


def handoff_row(now: datetime, n: int, closed_days_ago: int | None) -> dict[str, Any]:
    created = now - timedelta(days=(closed_days_ago or 10) + 30)
    closed = now - timedelta(days=closed_days_ago) if closed_days_ago is not None else None
    return {"created_at": to_db(created), "updated_at": to_db(closed or created),
            "closed_at": to_db(closed) if closed else None, "created_by": "test", "agency": "nanterre",
            "status": "cloturee" if closed else "transmise", "status_reason": "", "name": f"Personne {n}",
            "file_number": f"{n % 10**7:07d}", "phone": "0612345678", "contact": "telephone",
            "life_event": "separation", "motifs": "m", "benefits": "APL", "comment": "c", "specificities": "",
            "specificity_other": "", "sharp_drop": False, "already_followed": False, "referent": "", "partner": "",
            "documents_to_professional": False, "consent": True, "urgent": False, "destination": "service_social_caf",
            "destination_label": "Service social de la Caf", "message": "Objet"}


def fill(engine: Engine, now: datetime, due_appointments: int, due_handoffs: int, journal_links: int) -> None:
    """``due_*`` records past retention, :data:`KEPT` recent (or open) ones of each, and
    ``journal_links`` journal entries pointing at due appointments."""
    appointments = [appointment_row(now, n, DUE_DAYS) for n in range(due_appointments)]
    appointments += [appointment_row(now, due_appointments + n, RECENT_DAYS) for n in range(KEPT)]
    handoffs = [handoff_row(now, n, DUE_DAYS) for n in range(due_handoffs)]
    handoffs += [handoff_row(now, due_handoffs + n, RECENT_DAYS) for n in range(KEPT // 2)]  # closed lately
    handoffs += [handoff_row(now, due_handoffs + KEPT + n, None) for n in range(KEPT // 2)]  # still open
    with engine.begin() as connection:
        for table, rows in ((AppointmentRow, appointments), (HandoffRow, handoffs)):
            for start in range(0, len(rows), BATCH):
                connection.execute(insert(table), rows[start:start + BATCH])
        first = int(connection.execute(select(func.min(AppointmentRow.id))).scalar() or 0)  # type: ignore[arg-type]
        journal = [{"at": to_db(now), "actor": "test", "action": "appointment.booked",
                    "record_type": "appointment", "record_id": first + n} for n in range(journal_links)]
        for start in range(0, len(journal), BATCH):
            connection.execute(insert(JournalRow), journal[start:start + BATCH])

"""Retention at real volume, on SQLite and PostgreSQL.

The agencies plan 62,800 appointments a year: a purge must delete hundreds of thousands of rows
in one go. Binding every id in one ``IN (…)`` fails past 32,766 variables on a stock SQLite
(python.org builds) and 65,535 parameters on PostgreSQL; the purge must not depend on that.
The SQLite connections of this test are limited to the stock value.
"""

from __future__ import annotations

import sqlite3
import time
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, insert, select

from guichet.services import Services
from guichet.store.tables import AppointmentRow, HandoffRow, JournalRow, to_db
from tests.conftest import FIXED_NOW

pytestmark = pytest.mark.slow

DUE_APPOINTMENTS = 200_000
DUE_HANDOFFS = 100_000
KEPT = 1_000  # of each: recent enough to stay
STOCK_SQLITE_VARIABLES = 32_766
BATCH = 5_000


def _stock_sqlite_limits(services: Services) -> None:
    engine = services.engine
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _limit(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, STOCK_SQLITE_VARIABLES)

    engine.dispose()  # every later connection gets the limit


def _appointment(n: int, days_ago: int) -> dict[str, Any]:
    start = FIXED_NOW - timedelta(days=days_ago, minutes=n % 600)
    return {"agency": "nanterre", "kind": "gca", "channel": "telephone", "start": to_db(start),
            "end": to_db(start + timedelta(minutes=30)), "seat": n, "name": f"Personne {n}",
            "file_number": f"{n % 10**7:07d}", "phone": "0612345678", "objective": "", "status": "seen",
            "booked_by": "test", "created_at": to_db(start), "updated_at": to_db(start)}


def _handoff(n: int, closed_days_ago: int | None) -> dict[str, Any]:
    created = FIXED_NOW - timedelta(days=(closed_days_ago or 10) + 30)
    closed = FIXED_NOW - timedelta(days=closed_days_ago) if closed_days_ago is not None else None
    return {"created_at": to_db(created), "updated_at": to_db(closed or created),
            "closed_at": to_db(closed) if closed else None, "created_by": "test", "agency": "nanterre",
            "status": "cloturee" if closed else "transmise", "status_reason": "", "name": f"Personne {n}",
            "file_number": f"{n % 10**7:07d}", "phone": "0612345678", "contact": "telephone",
            "life_event": "separation", "motifs": "m", "benefits": "APL", "comment": "c", "specificities": "",
            "specificity_other": "", "sharp_drop": False, "already_followed": False, "referent": "", "partner": "",
            "documents_to_professional": False, "consent": True, "urgent": False, "destination": "service_social_caf",
            "destination_label": "Service social de la Caf", "message": "Objet"}


def _fill(services: Services) -> None:
    appointments = [_appointment(n, 3 * 365) for n in range(DUE_APPOINTMENTS)]
    appointments += [_appointment(DUE_APPOINTMENTS + n, 30) for n in range(KEPT)]
    handoffs = [_handoff(n, 3 * 365) for n in range(DUE_HANDOFFS)]
    handoffs += [_handoff(DUE_HANDOFFS + n, 30) for n in range(KEPT // 2)]  # closed recently: kept
    handoffs += [_handoff(DUE_HANDOFFS + KEPT + n, None) for n in range(KEPT // 2)]  # still open: kept
    with services.engine.begin() as connection:
        for table, rows in ((AppointmentRow, appointments), (HandoffRow, handoffs)):
            for start in range(0, len(rows), BATCH):
                connection.execute(insert(table), rows[start:start + BATCH])
        first_ids = connection.execute(select(func.min(AppointmentRow.id))).scalar()  # type: ignore[arg-type]
        journal = [{"at": to_db(FIXED_NOW), "actor": "test", "action": "appointment.booked",
                    "record_type": "appointment", "record_id": first_ids + n} for n in range(50_000)]
        for start in range(0, len(journal), BATCH):
            connection.execute(insert(JournalRow), journal[start:start + BATCH])


def _count(services: Services, table: Any) -> int:
    with services.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar() or 0)


def test_purge_of_200000_appointments_and_100000_handoffs(services: Services) -> None:
    _stock_sqlite_limits(services)
    _fill(services)
    dry = services.retention.purge(dry_run=True)
    assert (dry.appointments, dry.handoffs, dry.journal_entries) == (DUE_APPOINTMENTS, DUE_HANDOFFS, 50_000)
    started = time.perf_counter()
    done = services.retention.purge()
    seconds = time.perf_counter() - started
    assert (done.appointments, done.handoffs, done.journal_entries) == (DUE_APPOINTMENTS, DUE_HANDOFFS, 50_000)
    assert _count(services, AppointmentRow) == KEPT
    assert _count(services, HandoffRow) == KEPT
    with services.engine.connect() as connection:
        linked = connection.execute(select(func.count()).select_from(JournalRow)
                                    .where(JournalRow.record_id.is_not(None))).scalar()  # type: ignore[union-attr]
    assert linked == 0  # the entries stay, unlinked (and the purge's own entry has no record)
    print(f"\npurge {services.engine.dialect.name}: {DUE_APPOINTMENTS:,} appointments + {DUE_HANDOFFS:,} handoffs "
          f"+ 50,000 journal links in {seconds:.2f} s")

"""Retention at real volume, on SQLite and PostgreSQL.

The agencies plan 62,800 appointments a year: a purge must delete hundreds of thousands of rows
in one go. Binding every id in one ``IN (…)`` fails past 32,766 variables on a stock SQLite
(python.org builds) and 65,535 parameters on PostgreSQL; the purge must not depend on that.
The SQLite connections of this test are limited to the stock value.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

import pytest
from sqlalchemy import event, func, select

from guichet.services import Services
from guichet.store.tables import AppointmentRow, HandoffRow, JournalRow
from tests.conftest import FIXED_NOW
from tests.store.volume import KEPT, fill

pytestmark = pytest.mark.slow

DUE_APPOINTMENTS = 200_000
DUE_HANDOFFS = 100_000
JOURNAL_LINKS = 50_000
STOCK_SQLITE_VARIABLES = 32_766


def _stock_sqlite_limits(services: Services) -> None:
    engine = services.engine
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _limit(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, STOCK_SQLITE_VARIABLES)

    engine.dispose()  # every later connection gets the limit


def _count(services: Services, table: Any) -> int:
    with services.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar() or 0)


def test_purge_of_200000_appointments_and_100000_handoffs(services: Services) -> None:
    _stock_sqlite_limits(services)
    fill(services.engine, FIXED_NOW, DUE_APPOINTMENTS, DUE_HANDOFFS, JOURNAL_LINKS)
    dry = services.retention.purge(dry_run=True)
    assert (dry.appointments, dry.handoffs, dry.journal_entries) == (DUE_APPOINTMENTS, DUE_HANDOFFS, JOURNAL_LINKS)
    started = time.perf_counter()
    done = services.retention.purge()
    seconds = time.perf_counter() - started
    assert (done.appointments, done.handoffs, done.journal_entries) == (DUE_APPOINTMENTS, DUE_HANDOFFS, JOURNAL_LINKS)
    assert _count(services, AppointmentRow) == KEPT
    assert _count(services, HandoffRow) == KEPT
    with services.engine.connect() as connection:
        linked = connection.execute(select(func.count()).select_from(JournalRow)
                                    .where(JournalRow.record_id.is_not(None))).scalar()  # type: ignore[union-attr]
    assert linked == 0  # the entries stay, unlinked (and the purge's own entry has no record)
    print(f"\npurge {services.engine.dialect.name}: {DUE_APPOINTMENTS:,} appointments + {DUE_HANDOFFS:,} handoffs "
          f"+ {JOURNAL_LINKS:,} journal links in {seconds:.2f} s")

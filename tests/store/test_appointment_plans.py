"""The appointments' reads keep their indexes once SQLite has planner statistics.

On SQLite each connection runs ``PRAGMA optimize`` when it closes (store/engine.py), so from a
database's second session on the planner has statistics. Almost every ``rescheduled_from`` is NULL:
its index then looks as if it found every row for any value, and SQLite scanned the whole table for
each appointment read to find its successor (a moved appointment's replacement): the day sheet of
300,000 appointments took 10 ms on a database's first session and 640 ms on the next ones
(bench/scale.py, issue 16's « keep all three lists » row). No table scan, statistics or not."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, insert, text

from guichet.domain.clock import PARIS
from guichet.domain.models import Status
from guichet.services import Services
from guichet.store import appointments as store
from guichet.store.engine import read_session
from guichet.store.tables import AppointmentRow, to_db

DAY = datetime(2026, 11, 23, tzinfo=PARIS)


def _fill(services: Services, total: int) -> None:
    rows = []
    for n in range(total):
        start = DAY - timedelta(days=n // 40) + timedelta(hours=9, minutes=15 * (n % 40) // 4)
        rows.append({"agency": "nanterre", "kind": "gca", "channel": "agence", "start": to_db(start),
                     "end": to_db(start + timedelta(minutes=15)), "seat": n % 4, "service_id": None,
                     "file_number": f"{n:07d}", "name": f"Personne {n}", "phone": None, "objective": "",
                     "status": Status.SEEN.value, "booked_by": "test", "created_at": to_db(start),
                     "updated_at": to_db(start), "rescheduled_from": None})
    with services.engine.begin() as connection:
        connection.execute(insert(AppointmentRow), rows)
        connection.execute(text("ANALYZE"))  # what PRAGMA optimize does on closing, at this size


def _plans(services: Services, read: Any) -> list[str]:
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    engine = services.engine
    with read_session(engine) as session:
        raw = session.connection().connection.dbapi_connection
        assert raw is not None
        event.listen(engine, "before_cursor_execute", record)
        try:
            read(session)
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return [row[3] for sql, params in seen for row in raw.execute(f"EXPLAIN QUERY PLAN {sql}", params)]


@pytest.mark.parametrize("read", [
    lambda session: store.day_appointments(session=session, agency_id="nanterre", start=DAY,
                                           end=DAY + timedelta(days=1)),
    lambda session: store.by_file_number(session=session, file_number="0000007"),
], ids=["day sheet", "file number"])
def test_no_table_scan_once_the_planner_has_statistics(services: Services, read: Any) -> None:
    if services.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's planner (PostgreSQL's plans are left to its own statistics)")
    _fill(services, 4_000)
    plans = _plans(services, read)
    assert plans
    # Neither a scan nor an automatic index (built by reading the whole table, at each read).
    assert not [step for step in plans if step.startswith("SCAN") or "AUTOMATIC" in step], plans

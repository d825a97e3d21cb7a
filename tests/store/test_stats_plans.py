"""The statistics and the live header figure read covering indexes alone (issue 17, item 5: « a month's
statistics in under 100 ms of database time and the live header figure in under 5 ms »; bench/stats.py
measures them among a million passages). On SQLite, every query of ``store.stats`` on the passages and
their items, and ``store.passages.received``, is planned on an index holding every column it needs
(« COVERING INDEX »: no table row read), and the per-half-day counts are grouped in the index's order
(no « TEMP B-TREE »: no sort); the items are added up from their day tally. The database is new: no
planner statistics, no ANALYZE needed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event

from guichet.domain.passage import Half
from guichet.services import Services
from guichet.store import passages as store_passages
from guichet.store import stats as store
from guichet.store.engine import read_session

FIRST, LAST = date(2026, 10, 1), date(2026, 10, 31)


@pytest.fixture
def plans(services: Services) -> Iterator[dict[str, list[list[str]]]]:
    """Each function's statements → their SQLite query plans, for one agency and for all."""
    engine = services.engine
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    found: dict[str, list[list[str]]] = {}
    calls = {
        "passages_by_half_day": store.passages_by_half_day, "durations": store.durations,
        "still_open": store.still_open, "items": store.items,
    }
    with read_session(engine) as session:
        raw = session.connection().connection.dbapi_connection
        assert raw is not None
        event.listen(engine, "before_cursor_execute", record)
        try:
            for agency in ("nanterre", None):
                for name, call in calls.items():
                    seen.clear()
                    call(session=session, agency=agency, first=FIRST, last=LAST)
                    found[f"{name} {agency}"] = [[row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
                                                 for sql, params in seen]
            seen.clear()
            store_passages.received(session=session, agency="nanterre", day=LAST, half=Half.MATIN,
                                    workstation="nan-01")
            found["received"] = [[row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
                                 for sql, params in seen]
        finally:
            event.remove(engine, "before_cursor_execute", record)
    yield found


@pytest.mark.parametrize("backend", ["sqlite"])
def test_every_statistic_and_the_header_read_a_covering_index(plans: dict[str, list[list[str]]]) -> None:
    assert len(plans) == 9
    for name, statements in plans.items():
        assert statements, name
        for steps in statements:
            searches = [step for step in steps if step.startswith(("SEARCH", "SCAN"))]
            assert searches and all("USING COVERING INDEX" in step for step in searches), (name, steps)
    # One agency: its own index (agency first); all of them: the one by day.
    assert "ix_passage_half_day (agency=? AND day=? AND half=?)" in plans["received"][0][0]
    # The items: their day tally, not the items themselves.
    assert "ix_passage_tally_agency (agency=? AND day>? AND day<?)" in plans["items nanterre"][0][0]
    assert "ix_passage_tally_day (day>? AND day<?)" in plans["items None"][0][0]
    assert "ix_passage_day" in plans["passages_by_half_day None"][0][0]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_half_days_and_items_are_grouped_without_a_sort(plans: dict[str, list[list[str]]]) -> None:
    for agency in ("nanterre", "None"):
        assert not any("TEMP B-TREE" in step for step in plans[f"passages_by_half_day {agency}"][0])
        assert len(plans[f"items {agency}"]) == 1  # one statement on the tally (a few thousand counts a month)

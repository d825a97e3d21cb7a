"""Two counters opening a new database at the same moment (found in tmux: two guichet started together on
a new file, one header said « base locale INJOIGNABLE » for 30 seconds and the log held an
IntegrityError on schema_version): one creates it, the other finds it created; both answer."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from sqlalchemy import text

from guichet.domain.clock import FixedClock
from guichet.services import Services, make_services
from guichet.settings import Settings
from guichet.store.schema import SCHEMA_VERSION
from tests.conftest import FIXED_NOW

COUNTERS = 4


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_counters_opening_a_new_database_together_all_answer(backend: str, settings: Settings,
                                                            request: pytest.FixtureRequest) -> None:
    if backend == "postgresql":
        settings = replace(settings, database_url=request.getfixturevalue("pg_database_url"))
    counters = [make_services(settings, clock=FixedClock(FIXED_NOW)) for _ in range(COUNTERS)]
    start = threading.Barrier(COUNTERS)
    answers: list[bool] = []

    def open_it(services: Services) -> None:
        start.wait()
        answers.append(services.ping())

    threads = [threading.Thread(target=open_it, args=(services,)) for services in counters]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert answers == [True] * COUNTERS
        with counters[0].engine.connect() as connection:
            assert connection.execute(text("SELECT version FROM schema_version")).scalars().all() == [SCHEMA_VERSION]
            assert connection.execute(text("SELECT count(*) FROM journal")).scalar() == 0
    finally:
        for services in counters:
            services.close()

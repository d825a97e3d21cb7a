"""The store and service tests run on SQLite and on a real PostgreSQL server (tests/pg.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from guichet.domain.clock import FixedClock
from guichet.services import Services, make_services
from guichet.settings import Settings


# PostgreSQL in the full suite (CI); the everyday loop (-m "not slow") runs the same tests on SQLite.
@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=[pytest.mark.postgres, pytest.mark.slow])])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def services(backend: str, settings: Settings, clock: FixedClock, request: pytest.FixtureRequest) -> Iterator[Services]:
    """Services on the backend of this run of the test (a fresh database each time)."""
    if backend == "postgresql":
        settings = replace(settings, database_url=request.getfixturevalue("pg_database_url"))
    built = make_services(settings, clock=clock)
    yield built
    built.close()

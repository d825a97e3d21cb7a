"""Schema v6 (issue 17): the reception log's two tables and the statistics' indexes, added to a version-5
database with its data untouched, on SQLite and PostgreSQL; what the migration builds is what
``tables.py`` declares (a new database and an upgraded one have the same indexes)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import Engine, inspect, text

from guichet.domain.clock import FixedClock
from guichet.domain.models import Channel, Kind
from guichet.services import Services, make_services
from guichet.services.appointments import BookingRequest
from guichet.settings import Settings
from guichet.store.migrations import LATEST, upgrade
from guichet.store.schema import current_version
from tests.conftest import FIXED_NOW

NEW_INDEXES = {"appointment": {"ix_appointment_period"}, "handoff": {"ix_handoff_created"}}


@pytest.fixture(params=["sqlite", "postgresql"])
def services(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Services]:
    if request.param == "postgresql":
        settings = replace(settings, database_url=request.getfixturevalue("pg_database_url"))
    built = make_services(settings, clock=FixedClock(FIXED_NOW))
    yield built
    built.close()


def _indexes(engine: Engine, table: str) -> set[str]:
    return {str(i["name"]) for i in inspect(engine).get_indexes(table)}


def undo_v6(engine: Engine) -> None:
    """Take what v6 added out of a freshly created (latest) database, and stamp it version 5."""
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE passage_tally"))
        connection.execute(text("DROP TABLE passage_item"))
        connection.execute(text("DROP TABLE passage"))
        for names in NEW_INDEXES.values():
            for name in names:
                connection.execute(text(f"DROP INDEX {name}"))
        connection.execute(text("DELETE FROM schema_version"))  # a new database holds its one version row
        connection.execute(text("INSERT INTO schema_version (version, applied_at) VALUES (5, '2026-01-01 00:00:00')"))


def test_upgrading_a_version_five_database(services: Services) -> None:
    engine = services.engine
    expected = {table: _indexes(engine, table) for table in ("passage", "passage_item", "passage_tally", "appointment",
                                                            "handoff")}
    slot = services.appointments.find_slots(Kind.GCA, Channel.TELEPHONE, "nanterre", limit=1)[0]
    booked = services.appointments.book(BookingRequest(slot.agency_id, slot.kind, slot.channel, slot.start,
                                                       name="Awa Diallo", phone="0612345678"))
    undo_v6(engine)
    assert current_version(engine) == 5 and not inspect(engine).has_table("passage")
    assert [m.version for m in upgrade(engine, 5, FIXED_NOW)] == [6]
    assert current_version(engine) == LATEST == 6
    # The same tables and indexes as a database created at version 6.
    assert {table: _indexes(engine, table) for table in expected} == expected
    assert NEW_INDEXES["appointment"] <= expected["appointment"] and NEW_INDEXES["handoff"] <= expected["handoff"]
    # The data of version 5 are untouched, and the reception log works.
    assert services.appointments.get(booked.id).name == "Awa Diallo"
    services.passages.touch()
    services.passages.close()
    assert services.passages.flush() == 2 and services.passages.received().counter == 1


def test_an_upgrade_run_twice_changes_nothing(services: Services) -> None:
    engine = services.engine
    undo_v6(engine)
    assert [m.version for m in upgrade(engine, 5, FIXED_NOW)] == [6]
    assert upgrade(engine, 5, FIXED_NOW) == []  # another administrator's upgrade found it done

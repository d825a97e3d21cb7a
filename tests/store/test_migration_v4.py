"""Schema v4 (issue 14, items 6 and 18): ``appointment.booked_by_name`` and the index on
``rescheduled_from`` are added, and an appointment that a reschedule replaced (excused, with a
successor) becomes « déplacé » (moved); a real cancellation stays excused. On SQLite (the
kept version-1 file, and a version-3 database) and on PostgreSQL (a version-3 database)."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from guichet.domain.clock import FixedClock
from guichet.domain.models import Status
from guichet.services import make_services
from guichet.settings import Settings
from guichet.store.migrations import LATEST, MIGRATIONS, upgrade
from guichet.store.schema import current_version
from tests.conftest import FIXED_NOW, make_settings

V1 = Path(__file__).parent / "data" / "schema_v1.sqlite3"


def test_v4_is_a_step() -> None:
    assert LATEST >= 4 and [m.version for m in MIGRATIONS][2] == 4  # v5 follows (test_migration_v5.py)


def test_the_kept_version_one_file_upgrades_its_rescheduled_appointment_to_moved(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    shutil.copy(V1, tmp_path / "data" / "guichet.sqlite3")
    services = make_services(make_settings(tmp_path), clock=FixedClock(FIXED_NOW))
    # n° 2 (Châtenay-Malabry, Tuesday 09:00) was rescheduled as n° 4; n° 3 was really cancelled.
    moved = services.appointments.get(2)
    assert (moved.status, moved.moved_to, moved.booked_by_name) == (Status.MOVED, 4, None)
    assert services.appointments.get(3).status is Status.EXCUSED
    assert services.appointments.get(4).status is Status.BOOKED and services.appointments.get(4).rescheduled_from == 2
    services.close()
    con = sqlite3.connect(tmp_path / "data" / "guichet.sqlite3")
    versions = [v for (v,) in con.execute("SELECT version FROM schema_version ORDER BY version")]
    assert versions == list(range(1, LATEST + 1))
    assert "booked_by_name" in [r[1] for r in con.execute("PRAGMA table_info(appointment)")]
    assert con.execute("SELECT count(*) FROM sqlite_master WHERE name = 'ix_appointment_rescheduled_from'"
                       ).fetchone() == (1,)
    assert con.execute("SELECT id, status FROM appointment ORDER BY id").fetchall() == [
        (1, "booked"), (2, "moved"), (3, "excused"), (4, "booked")]
    con.close()


def _as_version_three(engine: Engine) -> None:
    """Turn a freshly created (latest) database back into version 3, with rows written by the old code."""
    from tests.store.test_migration_v5 import undo_v5

    undo_v5(engine)
    with engine.begin() as connection:
        connection.execute(text("DROP INDEX ix_appointment_rescheduled_from"))
        connection.execute(text("ALTER TABLE appointment DROP COLUMN booked_by_name"))
        connection.execute(text("DELETE FROM schema_version"))  # a new database has one row: its version
        connection.execute(text("INSERT INTO schema_version (version, applied_at) VALUES (3, '2026-01-01 00:00:00')"))
        rows = [  # id, status, rescheduled_from
            (1, "excused", None),  # cancelled by the person
            (2, "excused", None),  # rescheduled as n° 3 by the old code
            (3, "excused", 2),  # rescheduled again, as n° 4
            (4, "booked", 3),
            (5, "revoked", None),  # cancelled by the Caf
            (6, "seen", None),
        ]
        for number, status, origin in rows:
            connection.execute(text(
                "INSERT INTO appointment (id, agency, kind, channel, start, \"end\", seat, name, objective, status, "
                "booked_by, created_at, updated_at, rescheduled_from) VALUES (:id, 'nanterre', 'gca', 'telephone', "
                ":start, :end, 1, 'Awa Diallo', '', :status, 'agent', :at, :at, :origin)"),
                {"id": number, "start": f"2026-11-{10 + number} 10:00:00", "end": f"2026-11-{10 + number} 10:30:00",
                 "status": status, "at": "2026-11-01 09:00:00", "origin": origin})


@pytest.fixture
def database_settings(backend: str, settings: Settings, request: pytest.FixtureRequest) -> Settings:
    if backend == "postgresql":
        return replace(settings, database_url=request.getfixturevalue("pg_database_url"))
    return settings


def test_upgrading_a_version_three_database(database_settings: Settings) -> None:
    services = make_services(database_settings, clock=FixedClock(FIXED_NOW))
    engine = services.engine
    _as_version_three(engine)
    assert current_version(engine) == 3
    assert "booked_by_name" not in [c["name"] for c in inspect(engine).get_columns("appointment")]
    assert [m.version for m in upgrade(engine, 3, FIXED_NOW)] == [4, 5, 6]
    assert current_version(engine) == LATEST
    with engine.connect() as connection:
        statuses = connection.execute(text("SELECT id, status FROM appointment ORDER BY id")).all()
    assert [tuple(r) for r in statuses] == [(1, "excused"), (2, "moved"), (3, "moved"), (4, "booked"),
                                            (5, "revoked"), (6, "seen")]
    assert "ix_appointment_rescheduled_from" in {i["name"] for i in inspect(engine).get_indexes("appointment")}
    assert (services.appointments.get(2).moved_to, services.appointments.get(3).moved_to) == (3, 4)
    assert services.appointments.get(1).moved_to is None
    assert upgrade(engine, 3, FIXED_NOW) == []  # applied already: skipped, nothing changes twice
    services.close()

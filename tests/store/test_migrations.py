"""Schema upgrades: a database made by the first released schema opens intact."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from guichet.cli.main import main
from guichet.domain.clock import FixedClock
from guichet.errors import StoreError
from guichet.services import make_services
from guichet.store.migrations import FIRST, LATEST
from tests.conftest import FIXED_NOW, make_settings

V1 = Path(__file__).parent / "data" / "schema_v1.sqlite3"
V1_COLUMNS = {
    "appointment": ["id", "agency", "kind", "channel", "start", "end", "seat", "service_id", "file_number", "name",
                    "phone", "objective", "status", "booked_by", "created_at", "updated_at", "rescheduled_from"],
    "handoff": None,  # every column of the v1 file
    "handoff_event": None,
    "journal": None,
}


def _rows(path: Path, table: str, columns: list[str] | None) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        names = columns or [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
        quoted = ", ".join(f'"{n}"' for n in names)
        return con.execute(f"SELECT {quoted} FROM {table} ORDER BY id").fetchall()
    finally:
        con.close()


@pytest.fixture
def old_home(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    shutil.copy(V1, tmp_path / "data" / "guichet.sqlite3")
    return tmp_path


def test_the_kept_file_is_version_one() -> None:
    con = sqlite3.connect(V1)
    assert con.execute("SELECT max(version) FROM schema_version").fetchone() == (FIRST,)
    assert con.execute("SELECT count(*) FROM appointment").fetchone() == (4,)
    assert con.execute("SELECT count(*) FROM handoff").fetchone() == (2,)


def test_opening_an_old_database_upgrades_it_after_a_backup(old_home: Path) -> None:
    database = old_home / "data" / "guichet.sqlite3"
    before = {table: _rows(V1, table, columns) for table, columns in V1_COLUMNS.items()}
    services = make_services(make_settings(old_home), clock=FixedClock(FIXED_NOW))
    appointments = services.appointments.day_sheet("nanterre")  # first use opens and upgrades
    services.close()
    assert [a.name for a in appointments] == ["Awa Diallo"]
    con = sqlite3.connect(database)
    versions = [v for (v,) in con.execute("SELECT version FROM schema_version ORDER BY version")]
    assert versions == list(range(1, LATEST + 1))
    assert con.execute("SELECT count(*) FROM sqlite_master WHERE name = 'ix_handoff_listing'").fetchone() == (1,)
    assert con.execute("SELECT count(*) FROM appointment WHERE checked_in_at IS NOT NULL").fetchone() == (0,)
    con.close()
    status = V1_COLUMNS["appointment"].index("status")  # v4: the rescheduled appointment n° 2 is now moved
    names = [r[1] for r in sqlite3.connect(V1).execute("PRAGMA table_info(handoff)")]
    name = names.index("name")  # v5: the refusal n° 2 keeps no name (domain.handoff.refusal_minimum)
    upgraded = {**before, "appointment": [(*row[:status], "moved", *row[status + 1:]) if row[0] == 2 else row
                                          for row in before["appointment"]],
                "handoff": [(*row[:name], "", *row[name + 1:]) if row[0] == 2 else row for row in before["handoff"]]}
    for table, columns in V1_COLUMNS.items():
        names = columns or [r[1] for r in sqlite3.connect(V1).execute(f"PRAGMA table_info({table})")]
        assert _rows(database, table, names) == upgraded[table], table
    [backup] = list((old_home / "data").glob("guichet.sqlite3.v1-*.bak"))
    assert _rows(backup, "appointment", V1_COLUMNS["appointment"]) == before["appointment"]
    assert backup.stat().st_mode & 0o077 == 0


def test_upgraded_database_works_and_keeps_its_guards(old_home: Path) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from guichet.domain.models import Status

    services = make_services(make_settings(old_home), clock=FixedClock(FIXED_NOW))
    seen = services.appointments.set_status(1, Status.SEEN)
    assert seen.checked_in_at == FIXED_NOW
    with pytest.raises(DBAPIError), services.engine.begin() as connection:
        connection.execute(text("DELETE FROM journal"))
    services.close()


def test_a_newer_database_is_refused(old_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    con = sqlite3.connect(old_home / "data" / "guichet.sqlite3")
    con.execute("INSERT INTO schema_version VALUES (99, '2030-01-01 00:00:00')")
    con.commit()
    con.close()
    services = make_services(make_settings(old_home), clock=FixedClock(FIXED_NOW))
    with pytest.raises(StoreError, match="newer than this guichet"):
        services.appointments.day_sheet("nanterre")
    services.close()


def test_cli_refuses_a_newer_database_in_one_line(old_home: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    con = sqlite3.connect(old_home / "data" / "guichet.sqlite3")
    con.execute("INSERT INTO schema_version VALUES (99, '2030-01-01 00:00:00')")
    con.commit()
    con.close()
    monkeypatch.setenv("GUICHET_HOME", str(old_home))
    code = main(["day", "--agency", "nanterre", "--now", "2026-11-23T10:00"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "newer than this guichet" in err[0]


def test_shared_database_is_not_upgraded_by_a_counter(old_home: Path) -> None:
    from guichet.store.engine import make_engine
    from guichet.store.schema import init_schema

    engine = make_engine(f"sqlite:///{(old_home / 'data' / 'guichet.sqlite3').as_posix()}")
    with pytest.raises(StoreError, match="guichet db upgrade"):
        init_schema(engine, FIXED_NOW, auto_upgrade=False)
    engine.dispose()


def test_db_commands(old_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    monkeypatch.setenv("GUICHET_HOME", str(old_home))
    assert main(["db", "check", "--json"]) == 1  # version 1: not current
    assert json.loads(capsys.readouterr().out)["version"] == 1
    assert main(["db", "upgrade", "--json", "--now", "2026-11-23T10:00"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["applied"] == list(range(2, LATEST + 1)) and report["backup"].endswith(".bak")
    assert main(["db", "check", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["version"] == LATEST and report["integrity"] == "ok" and report["journal_guarded"] is True
    assert main(["db", "init"]) == 2
    assert "already has a schema" in capsys.readouterr().err

"""The database as configured, on a bad day: wrong URLs, files that are not databases, damage, a full disk,
two administrators upgrading at once. Each case ends in one French line that says what to do, and
nothing is touched that guichet did not create.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from guichet.cli.main import main
from guichet.domain.clock import FixedClock
from guichet.domain.models import Channel, Kind
from guichet.errors import StoreError
from guichet.services import make_services
from guichet.services.appointments import BookingRequest
from guichet.services.database import administer
from guichet.store.engine import masked_url
from guichet.store.migrations import LATEST
from tests.conftest import FIXED_NOW, make_settings

NOW = ["--now", "2026-11-23T10:00"]
BOOK = ["book", "--agency", "nanterre", "--kind", "gca", "--channel", "telephone", "--at", "2026-11-23T11:00",
        "--name", "Awa Diallo", "--phone", "0612345678", *NOW]
V1 = Path(__file__).parent / "data" / "schema_v1.sqlite3"


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, home: Path, url: str | None,
        *argv: str) -> tuple[int, str, str]:
    monkeypatch.setenv("GUICHET_HOME", str(home))
    if url is None:
        monkeypatch.delenv("GUICHET_DATABASE_URL", raising=False)
    else:
        monkeypatch.setenv("GUICHET_DATABASE_URL", url)
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _one_line(err: str) -> str:
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


# -- item 4: an in-memory or relative SQLite URL -------------------------------------------------------------------


@pytest.mark.parametrize("url", ["sqlite:///:memory:", "sqlite://", "sqlite:///file::memory:?cache=shared"])
def test_an_in_memory_database_is_refused(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run(capsys, monkeypatch, tmp_path, url, *BOOK)
    assert (code, out) == (2, "")
    assert "en mémoire refusée" in _one_line(err)


def test_a_relative_sqlite_path_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, monkeypatch, tmp_path, "sqlite:///guichet-local.sqlite3", *BOOK)
    assert (code, out) == (2, "")
    assert "relatif refusé" in _one_line(err)
    assert not (tmp_path / "guichet-local.sqlite3").exists()


# -- item 5: a URL pointing at a file that is not a database; permissions of what guichet did not create -----------


def test_a_file_that_is_not_a_database_is_left_untouched(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    folder.chmod(0o755)
    notes = folder / "notes.txt"
    notes.write_text("des notes\n", encoding="utf-8")
    notes.chmod(0o644)
    code, out, err = run(capsys, monkeypatch, tmp_path, f"sqlite:///{notes}", *BOOK)
    assert (code, out) == (2, "")
    assert "n'est pas une base SQLite" in _one_line(err)
    assert notes.read_text(encoding="utf-8") == "des notes\n"
    assert stat.S_IMODE(notes.stat().st_mode) == 0o644
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]  # no -wal, no -journal


def test_an_existing_folder_keeps_its_permissions(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "existing"
    shared.mkdir()
    shared.chmod(0o755)
    created = tmp_path / "new" / "deeper"
    for folder, expected_folder_mode in ((shared, 0o755), (created, 0o700)):
        database = folder / "guichet.sqlite3"
        code, _, err = run(capsys, monkeypatch, tmp_path, f"sqlite:///{database}", *BOOK)
        assert (code, err) == (0, "")
        assert stat.S_IMODE(folder.stat().st_mode) == expected_folder_mode
        assert stat.S_IMODE(database.stat().st_mode) == 0o600  # created by guichet: owner only
        monkeypatch.setattr("sys.argv", ["guichet"])
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700  # created by guichet too


# -- item 9: credentials never printed; an unreadable URL in one line ----------------------------------------------


@pytest.mark.parametrize("url", [
    "postgresql+psycopg://guichet:s3cr3t@server/guichet",
    "postgresql+psycopg://guichet@server/guichet?password=s3cr3t",
    "postgresql+psycopg://guichet@server/guichet?sslmode=require&PASSWORD=s3cr3t",
    "postgresql+psycopg:///guichet?host=/run&user=g&password=s3cr3t",
])
def test_info_never_prints_a_password(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run(capsys, monkeypatch, tmp_path, url, "info", "--json", *NOW)
    assert code == 0, err
    assert "s3cr3t" not in out + err
    assert "s3cr3t" not in masked_url(url)


def test_an_unreadable_url_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    url = "postgresql+psycopg://guichet:s3cr3t@server:port/guichet"
    code, out, err = run(capsys, monkeypatch, tmp_path, url, "info", *NOW)
    assert code == 0 and "(adresse illisible)" in out and "s3cr3t" not in out + err
    code, out, err = run(capsys, monkeypatch, tmp_path, url, "day", "--agency", "nanterre", *NOW)
    assert (code, out) == (2, "")
    assert "illisible" in _one_line(err) and "s3cr3t" not in err


# -- item 12: damaged, full ----------------------------------------------------------------------------------------


def _database(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Path:
    code, _, err = run(capsys, monkeypatch, tmp_path, None, *BOOK)
    assert (code, err) == (0, "")
    return tmp_path / "data" / "guichet.sqlite3"


def test_a_truncated_database_says_so_and_what_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    database = _database(tmp_path, capsys, monkeypatch)
    data = database.read_bytes()
    database.write_bytes(data[: len(data) // 3 + 100])  # the header survives, the pages do not
    for argv in (("day", "--agency", "nanterre", *NOW), ("db", "check", *NOW)):
        code, _out, err = run(capsys, monkeypatch, tmp_path, None, *argv)
        assert code != 0
        line = _one_line(err)
        assert "endommagée" in line and str(database) in line and "sauvegarde" in line
        assert "connexion" not in line


def test_garbage_in_place_of_the_database_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    database = _database(tmp_path, capsys, monkeypatch)
    database.write_bytes(b"\x00garbage" * 512)
    code, out, err = run(capsys, monkeypatch, tmp_path, None, "day", "--agency", "nanterre", *NOW)
    assert (code, out) == (2, "")
    assert "n'est pas une base SQLite" in _one_line(err)


def test_a_damaged_page_is_reported_by_db_check(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    database = _database(tmp_path, capsys, monkeypatch)
    con = sqlite3.connect(database)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    data = bytearray(database.read_bytes())
    for offset in range(2 * page_size, len(data), page_size):  # every page after the schema's
        data[offset + 8: offset + 200] = b"\xff" * 192
    database.write_bytes(bytes(data))
    code, out, err = run(capsys, monkeypatch, tmp_path, None, "db", "check", "--json", *NOW)
    assert code != 0
    assert "Traceback" not in err
    if out:  # the schema could be read: the integrity check says what is wrong
        assert '"ok": false' in out and '"integrity": "ok"' not in out
    else:
        assert "endommagée" in _one_line(err)


def test_a_full_disk_says_so(tmp_path: Path) -> None:
    services = make_services(make_settings(tmp_path), clock=FixedClock(FIXED_NOW))
    slots = services.appointments.find_slots(Kind.GCA, Channel.TELEPHONE, "nanterre", limit=80)

    @event.listens_for(services.engine, "connect")
    def _full(dbapi_connection: Any, _record: Any) -> None:  # the disk has room for no new page
        current = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {current}")

    services.engine.dispose()
    with pytest.raises(StoreError, match=r"^Disque plein") as caught:
        for slot in slots:
            services.appointments.book(BookingRequest(
                agency_id="nanterre", kind=Kind.GCA, channel=Channel.TELEPHONE, start=slot.start,
                name="Awa Diallo", phone="0612345678", objective="y" * 290))
    assert "rien n'a été enregistré" in str(caught.value)
    services.close()


# -- item 14: two upgrades at once; an upgrade of a newer database -------------------------------------------------


def test_two_upgrades_at_once_both_end_up_to_date(tmp_path: Path) -> None:
    database = tmp_path / "guichet.sqlite3"
    shutil.copy(V1, database)
    url = f"sqlite:///{database}"
    reports: list[dict[str, Any]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def upgrade() -> None:
        try:
            start.wait()
            reports.append(administer(url, "upgrade", FIXED_NOW))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=upgrade) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert [(r["version"], r["ok"]) for r in reports] == [(LATEST, True), (LATEST, True)]
    assert sorted(len(r["applied"]) for r in reports)[-1] >= 1  # one of them did the work
    versions = [v for (v,) in sqlite3.connect(database).execute("SELECT version FROM schema_version ORDER BY 1")]
    assert versions == list(range(1, LATEST + 1))


def test_upgrading_a_newer_database_says_why(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "data").mkdir()
    database = tmp_path / "data" / "guichet.sqlite3"
    shutil.copy(V1, database)
    con = sqlite3.connect(database)
    con.execute("INSERT INTO schema_version VALUES (99, '2030-01-01 00:00:00')")
    con.commit()
    con.close()
    code, out, err = run(capsys, monkeypatch, tmp_path, None, "db", "upgrade", *NOW)
    assert (code, out) == (2, "")
    assert "version 99, plus récente que ce guichet" in _one_line(err)


def test_a_read_only_database_still_reads_and_says_why_it_cannot_write(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    services = make_services(make_settings(tmp_path), clock=FixedClock(FIXED_NOW))
    request = BookingRequest(agency_id="nanterre", kind=Kind.GCA, channel=Channel.TELEPHONE,
                             start=FIXED_NOW.replace(hour=11), name="Awa Diallo", phone="0612345678")
    booked = services.appointments.book(request)
    database = services.settings.paths.database_file
    services.close()
    real_access = os.access  # tests run as root, who may write anything: the file is made read-only for guichet

    def access(path: Any, mode: int) -> bool:
        return False if Path(path) == database and mode == os.W_OK else real_access(path, mode)

    monkeypatch.setattr(os, "access", access)
    reader = make_services(make_settings(tmp_path), clock=FixedClock(FIXED_NOW))
    assert [a.id for a in reader.appointments.day_sheet("nanterre")] == [booked.id]  # the day sheet still works
    with pytest.raises(StoreError, match="en lecture seule") as caught:
        reader.appointments.book(replace(request, start=FIXED_NOW.replace(hour=14)))
    assert str(database) in str(caught.value)
    reader.close()
    assert [a.id for a in make_services(make_settings(tmp_path)).appointments.day_sheet(
        "nanterre", FIXED_NOW.date())] == [booked.id]  # nothing was written

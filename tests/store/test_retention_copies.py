"""The purge covers every copy guichet made, and the right of access names them (SQLite).

- the ``-wal`` file is written back and truncated, and deleted rows are overwritten;
- the backup copies made before an upgrade are purged by the same rules (recent ones) or deleted (old ones);
- the day sheets exported from the interface go once their day is past the appointments' retention;
- ``guichet person`` lists the copies that mention the person.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert

from guichet.domain.clock import FixedClock
from guichet.services import Services, make_services
from guichet.store.migrations import backup_sqlite
from guichet.store.tables import AppointmentRow, to_db
from tests.conftest import FIXED_NOW, make_settings

OLD_NAME = "Ancienne Personne"  # an appointment 3 years ago: due
NEW_NAME = "Recente Personne"  # 30 days ago: kept
OLD_FILE, NEW_FILE = "7654321", "1234567"


def _row(name: str, file_number: str, days_ago: int) -> dict[str, Any]:
    start = FIXED_NOW - timedelta(days=days_ago)
    return {"agency": "nanterre", "kind": "gca", "channel": "telephone", "start": to_db(start),
            "end": to_db(start + timedelta(minutes=30)), "seat": 1, "name": name, "file_number": file_number,
            "phone": "0612345678", "objective": "", "status": "seen", "booked_by": "test",
            "created_at": to_db(start), "updated_at": to_db(start)}


@pytest.fixture
def filled(tmp_path: Path) -> Services:
    services = make_services(make_settings(tmp_path), clock=FixedClock(FIXED_NOW))
    with services.engine.begin() as connection:
        connection.execute(insert(AppointmentRow), [_row(OLD_NAME, OLD_FILE, 3 * 365), _row(NEW_NAME, NEW_FILE, 30)])
    return services


def _database(services: Services) -> Path:
    return services.settings.paths.database_file


def _bytes_of(path: Path) -> bytes:
    return path.read_bytes() if path.exists() else b""


def test_nothing_purged_survives_in_the_file_or_its_wal(filled: Services) -> None:
    database = _database(filled)
    other = sqlite3.connect(database)  # another counter's connection stays open
    try:
        other.execute("SELECT count(*) FROM appointment").fetchone()
        assert OLD_NAME.encode() in _bytes_of(database) + _bytes_of(Path(f"{database}-wal"))
        report = filled.retention.purge()
        assert report.appointments == 1
        for path in (database, Path(f"{database}-wal")):
            assert OLD_NAME.encode() not in _bytes_of(path), path.name
        assert NEW_NAME.encode() in _bytes_of(database) + _bytes_of(Path(f"{database}-wal"))
    finally:
        other.close()
        filled.close()


def test_backups_are_purged_by_the_same_rules_or_deleted_when_old(filled: Services) -> None:
    database = _database(filled)
    filled.close()
    recent = backup_sqlite(database, 2, FIXED_NOW - timedelta(days=3))
    old = backup_sqlite(database, 1, FIXED_NOW - timedelta(days=60))
    two_months_ago = (FIXED_NOW - timedelta(days=60)).timestamp()
    os.utime(old, (two_months_ago, two_months_ago))
    os.utime(recent, (FIXED_NOW.timestamp(), FIXED_NOW.timestamp()))
    listed = {Path(c["path"]).name for c in filled.retention.person_data(NEW_FILE)["copies"]}
    assert listed == {recent.name, old.name}  # both copies hold the recent person

    dry = filled.retention.purge(dry_run=True)
    assert (dry.backups_purged, dry.backups_deleted) == (1, 1) and old.exists()
    report = filled.retention.purge()
    assert (report.backups_purged, report.backups_deleted) == (1, 1)
    assert not old.exists() and recent.exists()
    assert OLD_NAME.encode() not in recent.read_bytes()
    assert NEW_NAME.encode() in recent.read_bytes()
    names = [row[0] for row in sqlite3.connect(recent).execute("SELECT name FROM appointment")]
    assert names == [NEW_NAME]


def test_exported_day_sheets_go_with_the_appointments(filled: Services) -> None:
    folder = filled.settings.paths.exports_dir
    folder.mkdir(parents=True)
    old = folder / "rendez-vous-nanterre-2023-11-01.csv"
    recent = folder / "rendez-vous-nanterre-2026-11-20.csv"
    old.write_text(f"id;nom;numero_allocataire\n1;{OLD_NAME};{OLD_FILE}\n", encoding="utf-8-sig")
    recent.write_text(f"id;nom;numero_allocataire\n2;{NEW_NAME};{NEW_FILE}\n", encoding="utf-8-sig")
    assert [c["path"] for c in filled.retention.person_data(NEW_FILE)["copies"]] == [str(recent)]
    assert filled.retention.purge(dry_run=True).exports_deleted == 1 and old.exists()
    assert filled.retention.purge().exports_deleted == 1
    assert not old.exists() and recent.exists()
    filled.close()


def test_person_is_found_in_a_copy_alone(filled: Services) -> None:
    folder = filled.settings.paths.exports_dir
    folder.mkdir(parents=True)
    (folder / "rendez-vous-nanterre-2026-11-20.csv").write_text("1;Quelqu'un;5555555\n", encoding="utf-8")
    data = filled.retention.person_data("5555555")
    assert (data["appointments"], data["handoffs"]) == ([], [])
    assert [c["kind"] for c in data["copies"]] == ["export de la liste du jour"]
    filled.close()

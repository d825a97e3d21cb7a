"""``guichet purge`` through the command line: what the retention rules keep and delete.

Handoffs go 2 years after they were *closed* (clôturée, refusée or expirée), whenever they were created; one
never closed expires when nothing moved it for 12 months (Settings.handoff_expiry_months), then goes 2 years later;
appointments go 2 years after they *took place*, whenever they were booked (004, annex 7).
Everything is written at fixed instants with ``--now``, in a GUICHET_HOME of the test's own; the
purge runs on Monday 23 November 2026, 10:00, so the cutoff is 23 November 2024.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from guichet.cli.main import main

PURGE_NOW = "2026-11-23T10:00"  # cutoff: 2024-11-23T10:00


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A database of this test's own, whatever the developer's settings."""
    monkeypatch.setenv("GUICHET_HOME", str(tmp_path / "home"))
    for name in ("GUICHET_NOW", "GUICHET_DATABASE_URL", "GUICHET_DATA"):
        monkeypatch.delenv(name, raising=False)


def run(capsys: pytest.CaptureFixture[str], now: str, *argv: str) -> str:
    """``guichet argv --now now`` in-process; it must succeed with nothing on stderr but the rules' warnings
    to the agent (« Attention : … », from `handoff new`). Its stdout."""
    code = main([*argv, "--now", now])
    out, err = capsys.readouterr()
    problems = [line for line in err.splitlines() if not line.startswith("Attention : ")]
    assert (code, problems) == (0, []), (argv, err)
    return out


def run_json(capsys: pytest.CaptureFixture[str], now: str, *argv: str) -> Any:
    return json.loads(run(capsys, now, *argv, "--json"))


# -- handoffs ---------------------------------------------------------------------------------


def new_handoff(capsys: pytest.CaptureFixture[str], name: str, now: str, *, consent: bool = True) -> int:
    """A separation handoff for ``name`` logged at ``now`` (refused at once without consent)."""
    record = run_json(
        capsys, now, "handoff", "new", "--name", name, "--event", "separation",
        "--event-date", "2023-12-01", "--motifs", "Séparation récente",
        "--comment", "Demande un accompagnement.", "--contact", "telephone", "--phone", "0612345678",
        "--benefit", "AF", "--consent", "yes" if consent else "no",
    )
    assert record["status"] == ("a_transmettre" if consent else "refusee")
    return int(record["id"])


def move(capsys: pytest.CaptureFixture[str], handoff_id: int, status: str, now: str, reason: str = "") -> None:
    extra = ["--reason", reason] if reason else []
    record = run_json(capsys, now, "handoff", "status", str(handoff_id), status, *extra)
    assert record["status"] == status


def closed_handoff(capsys: pytest.CaptureFixture[str], name: str, created: str, closed: str) -> int:
    """A handoff created at ``created``, taken in charge within days, closed at ``closed``."""
    handoff_id = new_handoff(capsys, name, created)
    move(capsys, handoff_id, "transmise", created.replace("T10:00", "T11:00"))
    move(capsys, handoff_id, "prise_en_charge", created.replace("T10:00", "T12:00"))
    move(capsys, handoff_id, "cloturee", closed)
    return handoff_id


def handoffs(capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    """Name → status of every handoff still held, from ``guichet handoff list --format json``."""
    records = json.loads(run(capsys, PURGE_NOW, "handoff", "list", "--format", "json"))
    return {record["name"]: record["status"] for record in records}


def test_handoffs_are_kept_two_years_after_closing_not_after_creation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Created long ago (January 2024), each closed at a different time.
    closed_handoff(capsys, "Close early", "2024-01-10T10:00", "2024-03-01T10:00")
    closed_handoff(capsys, "Close before cutoff", "2024-01-10T10:00", "2024-11-20T10:00")
    closed_handoff(capsys, "Close after cutoff", "2024-01-10T10:00", "2024-11-26T10:00")
    closed_handoff(capsys, "Close recently", "2024-01-10T10:00", "2025-06-01T10:00")
    new_handoff(capsys, "Refused at once", "2024-01-10T10:00", consent=False)
    refused_late = new_handoff(capsys, "Refused later", "2024-01-10T10:00")
    move(capsys, refused_late, "refusee", "2025-02-03T10:00", reason="La personne a déménagé.")
    still_open = new_handoff(capsys, "Still followed", "2024-01-10T10:00")
    move(capsys, still_open, "transmise", "2024-01-11T10:00")
    move(capsys, still_open, "prise_en_charge", "2024-01-12T10:00")
    everything = handoffs(capsys)
    assert len(everything) == 7

    dry = run_json(capsys, PURGE_NOW, "purge", "--dry-run")
    assert (dry["dry_run"], dry["handoffs"], dry["appointments"], dry["handoffs_expired"]) == (True, 3, 0, 1)
    assert dry["expiry_cutoff"] == "2025-11-23"
    assert dry["handoff_cutoff"] == "2024-11-23"
    assert handoffs(capsys) == everything  # a dry run deletes nothing

    done = run_json(capsys, PURGE_NOW, "purge")
    assert (done["dry_run"], done["handoffs"], done["appointments"], done["handoffs_expired"]) == (False, 3, 0, 1)
    assert handoffs(capsys) == {
        "Close after cutoff": "cloturee",
        "Close recently": "cloturee",  # created nearly 3 years ago, closed 18 months ago: kept
        "Refused later": "refusee",
        "Still followed": "expiree",  # never closed, nothing moved it since January 2024: expired, kept 2 years
    }
    again = run_json(capsys, PURGE_NOW, "purge")
    assert (again["handoffs"], again["appointments"], again["handoffs_expired"]) == (0, 0, 0)
    text = run(capsys, "2028-11-24T10:00", "purge", "--dry-run")  # two years after its expiry, and a day: all 4 go
    assert "Passages de relais clôturés ou expirés avant le mardi 24 novembre 2026 seraient supprimés : 4" in text
    assert "Passages de relais ouverts sans changement depuis le mercredi 24 novembre 2027 expireraient : 0" in text


def test_a_purged_handoff_is_gone_and_a_kept_one_is_whole(capsys: pytest.CaptureFixture[str]) -> None:
    gone = closed_handoff(capsys, "Close early", "2024-01-10T10:00", "2024-03-01T10:00")
    kept = closed_handoff(capsys, "Close recently", "2024-01-10T10:00", "2025-06-01T10:00")
    run_json(capsys, PURGE_NOW, "purge")
    shown = run_json(capsys, PURGE_NOW, "handoff", "show", str(kept))
    assert (shown["name"], shown["status"], shown["created_at"]) == ("Close recently", "cloturee", "2024-01-10T10:00")
    assert [step["status"] for step in shown["history"]] == [
        "a_transmettre", "transmise", "prise_en_charge", "cloturee",
    ]
    assert main(["handoff", "show", str(gone), "--now", PURGE_NOW]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert f"n° {gone} introuvable" in err


# -- appointments -----------------------------------------------------------------------------


def book(capsys: pytest.CaptureFixture[str], name: str, booked_at: str, start: str) -> int:
    """A GCA phone appointment in Nanterre, booked at ``booked_at`` for ``start``."""
    booked = run_json(
        capsys, booked_at, "book", "--agency", "nanterre", "--kind", "gca", "--channel", "telephone",
        "--name", name, "--phone", "0612345678", "--at", start,
    )
    assert booked["start"] == start
    return int(booked["id"])


def day_names(capsys: pytest.CaptureFixture[str], day: str) -> list[str]:
    sheet = run_json(capsys, PURGE_NOW, "day", "--agency", "nanterre", "--date", day)
    return [appointment["name"] for appointment in sheet]


def test_appointments_are_kept_two_years_after_they_took_place(capsys: pytest.CaptureFixture[str]) -> None:
    book(capsys, "Long ago", "2024-01-08T10:00", "2024-01-10T10:30")
    book(capsys, "Before cutoff", "2024-11-18T10:00", "2024-11-20T10:30")
    # Booked before the cutoff, held after it: the start counts, not the booking.
    book(capsys, "Held after cutoff", "2024-11-18T10:00", "2024-12-02T10:30")
    book(capsys, "Tomorrow", PURGE_NOW, "2026-11-24T10:30")
    days = ("2024-01-10", "2024-11-20", "2024-12-02", "2026-11-24")
    assert [day_names(capsys, day) for day in days] == [
        ["Long ago"], ["Before cutoff"], ["Held after cutoff"], ["Tomorrow"],
    ]

    done = run_json(capsys, PURGE_NOW, "purge")
    assert (done["handoffs"], done["appointments"]) == (0, 2)
    assert done["appointment_cutoff"] == "2024-11-23"
    assert [day_names(capsys, day) for day in days] == [[], [], ["Held after cutoff"], ["Tomorrow"]]

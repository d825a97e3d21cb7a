"""``guichet handoff list|show`` and the answer's due date: late ones first, flagged in French; JSON and CSV
carry the due date. 004_a86ec49ae4cb90e1.txt, annex 1: « Répondre dans un délai de 7 à 10 jours maximum ».

Everything is written at fixed instants with ``--now``, in a GUICHET_HOME of the test's own.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from guichet.cli.main import main

MONDAY = "2026-11-23T10:00"


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUICHET_HOME", str(tmp_path / "home"))
    for name in ("GUICHET_NOW", "GUICHET_DATABASE_URL", "GUICHET_DATA"):
        monkeypatch.delenv(name, raising=False)


def run(capsys: pytest.CaptureFixture[str], now: str, *argv: str) -> str:
    code = main([*argv, "--now", now])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def run_json(capsys: pytest.CaptureFixture[str], now: str, *argv: str) -> Any:
    return json.loads(run(capsys, now, *argv, "--json"))


def new(capsys: pytest.CaptureFixture[str], name: str, now: str, *, transmit: bool = True) -> int:
    record = run_json(capsys, now, "handoff", "new", "--name", name, "--event", "deces_conjoint",
                      "--event-date", "2026-10-01", "--motifs", "Demande d'accompagnement", "--comment",
                      "Veuve depuis octobre.", "--contact", "courrier", "--file-number", "1234567",
                      "--benefit", "ASF", "--consent", "yes")
    if transmit:
        moved = run_json(capsys, now, "handoff", "status", str(record["id"]), "transmise")
        assert moved["due_on"] is not None and moved["late"] is False
    return int(record["id"])


def test_the_late_ones_come_first_flagged_in_french(capsys: pytest.CaptureFixture[str]) -> None:
    late = new(capsys, "Awa Diallo", MONDAY)  # due Thursday 3 December
    recent = new(capsys, "Li Wei", "2026-12-01T10:00")  # due Friday 11 December
    waiting = new(capsys, "Paul Martin", "2026-12-02T10:00", transmit=False)
    lines = run(capsys, "2026-12-06T09:00", "handoff", "list").splitlines()
    assert lines[0].startswith(f"En retard depuis 3 jours · n° {late} · Transmise · 23/11")
    assert lines[1].startswith(f"n° {waiting} · À transmettre")
    assert lines[2].startswith(f"n° {recent} · Transmise") and \
        lines[2].endswith("réponse attendue au plus tard le vendredi 11 décembre 2026")
    assert len(lines) == 3
    one_day = run(capsys, "2026-12-04T09:00", "handoff", "list", "--status", "transmise").splitlines()
    assert one_day[0].startswith(f"En retard depuis 1 jour · n° {late}")  # singular
    on_time = run(capsys, "2026-12-03T18:00", "handoff", "list").splitlines()  # the last day of the delay
    assert not any("retard" in line for line in on_time)


def test_json_and_csv_carry_the_due_date(capsys: pytest.CaptureFixture[str]) -> None:
    late = new(capsys, "Awa Diallo", MONDAY)
    waiting = new(capsys, "Paul Martin", "2026-12-02T10:00", transmit=False)
    objects = json.loads(run(capsys, "2026-12-06T09:00", "handoff", "list", "--format", "json"))
    assert [(o["id"], o["due_on"], o["days_late"], o["late"]) for o in objects] == [
        (late, "2026-12-03", 3, True), (waiting, None, 0, False)]
    rows = list(csv.reader(io.StringIO(run(capsys, "2026-12-06T09:00", "handoff", "list", "--format", "csv")),
                           delimiter=";"))
    assert rows[0][-2:] == ["echeance_reponse", "jours_de_retard"] and rows[0][0] == "id"
    assert [(r[0], r[-2], r[-1]) for r in rows[1:]] == [(str(late), "2026-12-03", "3"), (str(waiting), "", "")]
    shown = run(capsys, "2026-12-06T09:00", "handoff", "show", str(late))
    assert "\nEn retard depuis 3 jours.\n" in shown
    assert run_json(capsys, "2026-12-06T09:00", "handoff", "show", str(late))["days_late"] == 3


def test_expired_is_listed_but_cannot_be_set_by_hand(capsys: pytest.CaptureFixture[str]) -> None:
    handoff = new(capsys, "Awa Diallo", MONDAY, transmit=False)
    code = main(["handoff", "status", str(handoff), "expiree", "--now", MONDAY])
    assert code == 2 and "expiree" in capsys.readouterr().err  # argparse: not one of the choices
    run(capsys, "2027-12-01T10:00", "purge")
    assert "Expirée" in run(capsys, "2027-12-01T10:00", "handoff", "list", "--status", "expiree")


def test_a_refusal_is_listed_without_a_name(capsys: pytest.CaptureFixture[str]) -> None:
    out = run_json(capsys, MONDAY, "handoff", "new", "--name", "Awa Diallo", "--event", "separation",
                   "--file-number", "1234567", "--consent", "no")
    assert (out["status"], out["name"], out["file_number"], out["phone"]) == ("refusee", "", None, None)
    listed = run(capsys, MONDAY, "handoff", "list", "--format", "csv")
    assert "Awa" not in listed and "1234567" not in listed

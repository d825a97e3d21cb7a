"""``guichet slots|book|cancel|reschedule|arrived|noshow|day`` in-process.

The autouse fixture of conftest.py gives every test its own GUICHET_HOME, hence its own SQLite
database; the clock is frozen with ``--now`` (Monday 23 November 2026, 10:00 by default).
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from guichet.cli.main import main
from guichet.services.exports import APPOINTMENT_CSV_COLUMNS as CSV_COLUMNS
from guichet.settings import load_settings

NOW = "2026-11-23T10:00"
PHONE_BOOKING = ["book", "--agency", "nanterre", "--kind", "gca", "--channel", "telephone",
                 "--name", "Camille Dupont", "--phone", "+33 6 12 34 56 78", "--file-number", "1234567"]
ONSITE_BOOKING = ["book", "--agency", "nanterre", "--kind", "gca", "--channel", "agence", "--name", "Jean Martin"]


def run(capsys: pytest.CaptureFixture[str], *argv: str, now: str | None = NOW) -> tuple[int, str, str]:
    """Run ``guichet argv`` in-process: (exit code, stdout, stderr); argparse exits count as codes."""
    args = [*argv, "--now", now] if now else list(argv)
    try:
        code = main(args)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str, now: str | None = NOW) -> Any:
    code, out, err = run(capsys, *argv, "--json", now=now)
    assert (code, err) == (0, ""), err
    return json.loads(out)


def book(capsys: pytest.CaptureFixture[str], at: str, *extra: str, onsite: bool = False) -> dict[str, Any]:
    base = ONSITE_BOOKING if onsite else PHONE_BOOKING
    booked: dict[str, Any] = run_json(capsys, *base, "--at", at, *extra)
    return booked


def day_json(capsys: pytest.CaptureFixture[str], agency: str = "nanterre", day: str = "2026-11-23") -> list[Any]:
    sheet: list[Any] = run_json(capsys, "day", "--agency", agency, "--date", day)
    return sheet


def stored() -> tuple[int, int]:
    """(appointments, journal entries) in the test's SQLite database; (0, 0) if it was never created."""
    path = load_settings().paths.database_file
    if not path.exists():
        return 0, 0
    with closing(sqlite3.connect(path)) as db:
        return (db.execute("SELECT count(*) FROM appointment").fetchone()[0],
                db.execute("SELECT count(*) FROM journal").fetchone()[0])


def assert_one_line_error(code: int, out: str, err: str, fragment: str) -> None:
    assert code == 2
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith(("guichet: ", "guichet : erreur : "))  # a service's refusal, or argparse's
    assert fragment in err
    assert "Traceback" not in err


# -- slots ----------------------------------------------------------------------------------------


def test_slots_json_all_agencies(capsys: pytest.CaptureFixture[str]) -> None:
    slots = run_json(capsys, "slots", "--agency", "all", "--kind", "gca", "--channel", "telephone")
    assert isinstance(slots, list) and len(slots) == 20
    for slot in slots:
        assert {"agency", "kind", "channel", "start", "end", "free"} <= set(slot)
        assert (slot["kind"], slot["channel"]) == ("gca", "telephone")
        assert isinstance(slot["free"], int) and slot["free"] >= 1
    assert slots[0]["start"] == "2026-11-23T10:30"
    assert [(s["agency"], s["start"], s["end"], s["free"]) for s in slots[:5]] == [
        ("chatenay-malabry", "2026-11-23T10:30", "2026-11-23T11:00", 4),
        ("gennevilliers", "2026-11-23T10:30", "2026-11-23T11:00", 4),
        ("montrouge", "2026-11-23T10:30", "2026-11-23T11:00", 4),
        ("nanterre", "2026-11-23T10:30", "2026-11-23T11:00", 5),
        ("chatenay-malabry", "2026-11-23T11:00", "2026-11-23T11:30", 4),
    ]
    assert [s["start"] for s in slots] == sorted(s["start"] for s in slots)


def test_slots_is_the_default_agency_all(capsys: pytest.CaptureFixture[str]) -> None:
    explicit = run_json(capsys, "slots", "--agency", "all", "--kind", "gca", "--channel", "telephone")
    default = run_json(capsys, "slots", "--kind", "gca", "--channel", "telephone")
    assert default == explicit


def test_slots_filters(capsys: pytest.CaptureFixture[str]) -> None:
    slots = run_json(capsys, "slots", "--agency", "nanterre", "--kind", "gca", "--channel", "agence",
                     "--from", "2026-11-24", "--to", "2026-11-26", "--limit", "100")
    assert [s["start"] for s in slots] == [f"2026-11-26T{h}" for h in
                                           ("09:00", "09:30", "10:00", "10:30", "11:00", "11:30")]
    assert {s["free"] for s in slots} == {3}
    afternoon = run_json(capsys, "slots", "--kind", "csu", "--channel", "agence", "--part", "apres-midi",
                         "--limit", "3")
    assert [(s["agency"], s["start"]) for s in afternoon] == [
        ("chatenay-malabry", "2026-11-23T13:00"),
        ("chatenay-malabry", "2026-11-23T13:30"),
        ("chatenay-malabry", "2026-11-23T14:00"),
    ]


def test_slots_human_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "slots", "--agency", "nanterre", "--kind", "gca", "--channel", "telephone",
                         "--limit", "2")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "lundi 23 novembre, 10:30  Nanterre           5/5 libre(s)",
        "lundi 23 novembre, 11:00  Nanterre           5/5 libre(s)",
    ]


def test_slots_csu_by_phone_only_at_gennevilliers_monday_wednesday_friday(capsys: pytest.CaptureFixture[str]) -> None:
    # 000, p.5, Gennevilliers: « Lundi, mercredi, vendredi » read as its CSU appointments by phone (DOMAIN.md).
    slots = run_json(capsys, "slots", "--kind", "csu", "--channel", "telephone", "--to", "2026-11-30",
                     "--limit", "100")
    assert {s["agency"] for s in slots} == {"gennevilliers"}
    assert {s["start"][:10] for s in slots} == {"2026-11-23", "2026-11-25", "2026-11-27", "2026-11-30"}
    assert slots[0] == {"agency": "gennevilliers", "kind": "csu", "channel": "telephone", "start": "2026-11-23T10:30",
                        "end": "2026-11-23T11:00", "free": 2, "desks": 2}
    code, out, _ = run(capsys, "slots", "--kind", "csu", "--channel", "telephone", "--limit", "1")
    assert (code, out) == (0, "lundi 23 novembre, 10:30  Gennevilliers      2/2 libre(s)\n")


def test_booking_reduces_free_seats(capsys: pytest.CaptureFixture[str]) -> None:
    book(capsys, "2026-11-23T10:30")
    slots = run_json(capsys, "slots", "--agency", "nanterre", "--kind", "gca", "--channel", "telephone",
                     "--limit", "1")
    assert (slots[0]["start"], slots[0]["free"]) == ("2026-11-23T10:30", 4)


# -- book and the appointment's life ---------------------------------------------------------------


def test_book_json(capsys: pytest.CaptureFixture[str]) -> None:
    booked = book(capsys, "2026-11-23T11:00")
    assert isinstance(booked["id"], int) and booked["id"] >= 1
    assert {k: booked[k] for k in ("agency", "kind", "channel", "start", "end", "seat", "status", "phone",
                                   "file_number", "name", "rescheduled_from")} == {
        "agency": "nanterre", "kind": "gca", "channel": "telephone", "start": "2026-11-23T11:00",
        "end": "2026-11-23T11:30", "seat": 1, "status": "booked", "phone": "0612345678",
        "file_number": "1234567", "name": "Camille Dupont", "rescheduled_from": None,
    }
    assert book(capsys, "2026-11-23T11:00")["seat"] == 2


def test_book_prints_the_confirmation(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *PHONE_BOOKING, "--at", "2026-11-23T11:00")
    assert (code, err) == (0, "")
    assert "Nous vous appellerons au 06 12 34 56 78." in out
    assert "lundi 23 novembre 2026, 11:00" in out
    code, out, _ = run(capsys, *ONSITE_BOOKING, "--at", "2026-11-23T11:00")
    assert code == 0
    # The head office's postal address (a Cedex) is not where the person goes; no street address is known.
    assert "À l'accueil de la Caf : agence de Nanterre (adresse de l'accueil non connue de guichet : " \
           "vérifiez-la sur caf.fr)." in out
    assert "Lescop" not in out and "Cedex" not in out


@pytest.mark.parametrize(("by", "status"), [([], "excused"), (["--by", "person"], "excused"),
                                             (["--by", "caf"], "revoked")])
def test_cancel(capsys: pytest.CaptureFixture[str], by: list[str], status: str) -> None:
    booked = book(capsys, "2026-11-23T11:00")
    cancelled = run_json(capsys, "cancel", str(booked["id"]), *by)
    assert (cancelled["id"], cancelled["status"]) == (booked["id"], status)
    assert book(capsys, "2026-11-23T11:00")["seat"] == 1  # the seat is free again


def test_cancel_human(capsys: pytest.CaptureFixture[str]) -> None:
    booked = book(capsys, "2026-11-23T11:00")
    code, out, err = run(capsys, "cancel", str(booked["id"]))
    assert (code, err) == (0, "")
    assert out == f"Rendez-vous n° {booked['id']} du lundi 23 novembre, 11:00 : annulé par la personne.\n"


def test_reschedule(capsys: pytest.CaptureFixture[str]) -> None:
    booked = book(capsys, "2026-11-23T11:00")
    moved = run_json(capsys, "reschedule", str(booked["id"]), "--to", "2026-11-24T14:00")
    assert moved["rescheduled_from"] == booked["id"]
    assert (moved["start"], moved["seat"], moved["status"], moved["agency"]) == (
        "2026-11-24T14:00", 1, "booked", "nanterre")
    sheet = day_json(capsys)
    assert [(a["id"], a["status"], a["moved_to"]) for a in sheet] == [(booked["id"], "moved", moved["id"])]
    elsewhere = run_json(capsys, "reschedule", str(moved["id"]), "--to", "2026-11-25T09:00",
                         "--agency", "montrouge")
    assert (elsewhere["agency"], elsewhere["rescheduled_from"]) == ("montrouge", moved["id"])


def test_reschedule_human(capsys: pytest.CaptureFixture[str]) -> None:
    booked = book(capsys, "2026-11-23T11:00")
    code, out, err = run(capsys, "reschedule", str(booked["id"]), "--to", "2026-11-23T14:00")
    assert (code, err) == (0, "")
    assert out.startswith(f"Rendez-vous n° {booked['id']} déplacé : nouveau rendez-vous n° ")
    assert "lundi 23 novembre 2026, 14:00" in out


def test_arrived_and_noshow(capsys: pytest.CaptureFixture[str]) -> None:
    first = book(capsys, "2026-11-23T10:30")
    second = book(capsys, "2026-11-23T10:30")
    arrived = run_json(capsys, "arrived", str(first["id"]), now="2026-11-23T10:25")
    assert arrived["status"] == "seen"
    missed = run_json(capsys, "noshow", str(second["id"]), now="2026-11-23T10:45")
    assert missed["status"] == "noshow"
    late = run_json(capsys, "arrived", str(second["id"]), now="2026-11-23T10:50")
    assert late["status"] == "seen"
    code, out, err = run(capsys, "arrived", str(first["id"]))
    assert_one_line_error(code, out, err, "impossible de le passer à « reçu »")


def test_noshow_before_the_start_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    booked = book(capsys, "2026-11-23T10:30")
    code, out, err = run(capsys, "noshow", str(booked["id"]))
    assert_one_line_error(code, out, err, "n'a pas encore commencé")
    assert [a["status"] for a in day_json(capsys)] == ["booked"]


def test_arrived_another_day_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    booked = book(capsys, "2026-11-24T10:30")
    code, out, err = run(capsys, "arrived", str(booked["id"]))
    assert_one_line_error(code, out, err, "l'arrivée se note le jour même")


def test_day_csv_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    late = book(capsys, "2026-11-23T14:00")
    early = book(capsys, "2026-11-23T10:30", onsite=True)
    formula = book(capsys, "2026-11-23T11:00", "--name", "=Dupont+1", onsite=True)
    target = tmp_path / "feuille.csv"
    code, out, err = run(capsys, "day", "--agency", "nanterre", "--date", "2026-11-23", "--csv", str(target))
    assert (code, out, err) == (0, "", "")
    assert target.is_file()
    text = target.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == ";".join(CSV_COLUMNS)
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [(r["N°"], r["Heure"], r["Canal"]) for r in rows] == [
        (str(early["id"]), "10:30", "en agence"), (str(formula["id"]), "11:00", "en agence"),
        (str(late["id"]), "14:00", "par téléphone"),
    ]
    assert rows[1]["Nom"] == "'=Dupont+1"


def test_day_csv_stdout_and_human(capsys: pytest.CaptureFixture[str]) -> None:
    booked = book(capsys, "2026-11-23T11:00")
    code, out, _ = run(capsys, "day", "--agency", "nanterre", "--csv", "-")
    assert code == 0
    assert out.splitlines()[0] == ";".join(CSV_COLUMNS)
    assert out.splitlines()[1].startswith(
        f"{booked['id']};11:00;11:30;gestionnaire-conseil (GCA);par téléphone;1;réservé;Camille Dupont;")
    code, out, _ = run(capsys, "day", "--agency", "nanterre")
    assert code == 0
    assert out.splitlines()[0] == "Nanterre — lundi 23 novembre 2026 — 1 rendez-vous"
    assert "Camille Dupont" in out.splitlines()[1]


# -- impossible requests: exit 2, one line, nothing written ----------------------------------------

IMPOSSIBLE_BOOKINGS = [
    ("montrouge-csu", ["book", "--agency", "montrouge", "--kind", "csu", "--channel", "agence",
                       "--at", "2026-11-25T10:00", "--name", "Camille Dupont"], "Montrouge ne propose pas"),
    ("outside-schedule", [*ONSITE_BOOKING, "--at", "2026-11-24T10:00"], "Pas de créneau"),
    ("off-boundary", [*PHONE_BOOKING, "--at", "2026-11-23T10:10"], "Pas de créneau"),
    ("past-slot", [*PHONE_BOOKING, "--at", "2026-11-23T09:00"], "est passé ou trop proche"),
    ("within-notice", [*PHONE_BOOKING, "--at", "2026-11-23T10:00"], "est passé ou trop proche"),
    ("beyond-horizon", [*PHONE_BOOKING, "--at", "2027-03-01T10:00"], "au-delà de l'horizon"),
    ("bad-phone", ["book", "--agency", "nanterre", "--kind", "gca", "--channel", "telephone",
                   "--at", "2026-11-23T11:00", "--name", "Camille Dupont", "--phone", "06 12"],
     "Numéro de téléphone invalide"),
    ("missing-phone", ["book", "--agency", "nanterre", "--kind", "gca", "--channel", "telephone",
                       "--at", "2026-11-23T11:00", "--name", "Camille Dupont"], "téléphone est obligatoire"),
    ("bad-file-number", [*PHONE_BOOKING[:-1], "123456", "--at", "2026-11-23T11:00"], "7 chiffres"),
    ("letters-file-number", [*PHONE_BOOKING[:-1], "12A4567", "--at", "2026-11-23T11:00"], "7 chiffres"),
    ("escape-in-name", [*ONSITE_BOOKING[:-1], "\x1b[31mJean", "--at", "2026-11-23T11:00"], "non autorisés"),
    ("unknown-agency", ["book", "--agency", "lyon", "--kind", "gca", "--channel", "telephone",
                        "--at", "2026-11-23T11:00", "--name", "Camille Dupont", "--phone", "0612345678"],
     "Agence inconnue"),
    ("unknown-service", [*PHONE_BOOKING, "--at", "2026-11-23T11:00", "--service", "licorne"], "Service inconnu"),
]


@pytest.mark.parametrize(("argv", "fragment"), [(a, f) for _, a, f in IMPOSSIBLE_BOOKINGS],
                         ids=[i for i, _, _ in IMPOSSIBLE_BOOKINGS])
def test_impossible_booking_exits_2_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str
) -> None:
    code, out, err = run(capsys, *argv, "--json")
    assert_one_line_error(code, out, err, fragment)
    assert stored() == (0, 0)


def test_full_slot_exits_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    for _ in range(3):
        book(capsys, "2026-11-23T11:00", onsite=True)
    code, out, err = run(capsys, *ONSITE_BOOKING, "--at", "2026-11-23T11:00")
    assert_one_line_error(code, out, err, "vient d'être pris")
    assert len(day_json(capsys)) == 3
    assert stored() == (3, 3)


def test_reschedule_to_a_full_slot_changes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    mover = book(capsys, "2026-11-23T10:30", onsite=True)
    for _ in range(3):
        book(capsys, "2026-11-23T11:00", onsite=True)
    before = day_json(capsys)
    code, out, err = run(capsys, "reschedule", str(mover["id"]), "--to", "2026-11-23T11:00")
    assert_one_line_error(code, out, err, "vient d'être pris")
    assert day_json(capsys) == before
    assert stored() == (4, 4)


@pytest.mark.parametrize("argv", [
    ["cancel", "999"], ["cancel", "999", "--by", "caf"], ["arrived", "999"], ["noshow", "999"],
    ["reschedule", "999", "--to", "2026-11-23T14:00"],
], ids=["cancel", "cancel-by-caf", "arrived", "noshow", "reschedule"])
def test_unknown_appointment_id(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert_one_line_error(code, out, err, "Rendez-vous n° 999 introuvable")
    assert stored() == (0, 0)


def test_slots_agency_not_offering_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "slots", "--agency", "montrouge", "--kind", "csu", "--channel", "agence")
    assert_one_line_error(code, out, err, "Montrouge ne propose pas")
    code, out, err = run(capsys, "slots", "--agency", "lyon", "--kind", "gca", "--channel", "agence")
    assert_one_line_error(code, out, err, "Agence inconnue")


def test_slots_to_before_from_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "slots", "--kind", "gca", "--channel", "telephone",
                         "--from", "2026-11-30", "--to", "2026-11-29")
    assert_one_line_error(code, out, err, "--to est avant --from")


ARGPARSE_ERRORS = [
    ("limit-0", ["slots", "--kind", "gca", "--channel", "telephone", "--limit", "0"], "--limit"),
    ("limit-word", ["slots", "--kind", "gca", "--channel", "telephone", "--limit", "dix"], "--limit"),
    ("from-bad-date", ["slots", "--kind", "gca", "--channel", "telephone", "--from", "2026-13-01"], "--from"),
    ("from-french-date", ["slots", "--kind", "gca", "--channel", "telephone", "--from", "30/11/2026"], "--from"),
    ("day-bad-date", ["day", "--agency", "nanterre", "--date", "demain"], "--date"),
    ("book-at-bare-date", [*PHONE_BOOKING, "--at", "2026-11-23"], "--at"),
    ("cancel-bad-id", ["cancel", "abc"], "NUMÉRO"),
    ("cancel-id-0", ["cancel", "0"], "NUMÉRO"),
]


@pytest.mark.parametrize(("argv", "option"), [(a, o) for _, a, o in ARGPARSE_ERRORS],
                         ids=[i for i, _, _ in ARGPARSE_ERRORS])
def test_bad_arguments_exit_2_and_write_nothing(
    capsys: pytest.CaptureFixture[str], argv: list[str], option: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    last = err.strip().splitlines()[-1]
    assert last.startswith("guichet : erreur : ") and option in last
    assert "Traceback" not in err
    assert stored() == (0, 0)


@pytest.mark.parametrize(("argv", "option"), [(a, o) for _, a, o in ARGPARSE_ERRORS],
                         ids=[i for i, _, _ in ARGPARSE_ERRORS])
def test_bad_arguments_give_exactly_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], option: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert_one_line_error(code, out, err, option)

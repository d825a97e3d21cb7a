"""Issue 14, items 6 and 18: the day sheet's CSV (`e`, and `guichet day --csv`) speaks French
(headers, status, kind, channel), shows a moved appointment as « déplacé au … (n° …) » and the
agent's name beside the login; the JSON keeps its codes, with the labels and ``moved_to`` beside
them. Still Excel-friendly (UTF-8 with BOM, ``;``) and still safe from formulas."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

import pytest

from guichet.cli.main import main
from guichet.domain.clock import PARIS
from guichet.domain.models import Channel, Kind, Status
from guichet.services.appointments import BookingRequest
from guichet.services.exports import APPOINTMENT_CSV_COLUMNS, appointment_json
from tests.ui.conftest import AppFactory
from tests.ui.test_screens import settle

MONDAY = date(2026, 11, 23)


def _at(hour: int, minute: int = 0, day: date = MONDAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


async def test_the_exported_day_sheet_is_in_french_with_the_move_and_the_agent(make_app: AppFactory) -> None:
    app = make_app()
    booking = app.services.appointments
    awa = booking.book(BookingRequest("nanterre", Kind.GCA, Channel.AGENCE, _at(10, 30), "Awa Diallo", "7654321"))
    jean = booking.book(BookingRequest("nanterre", Kind.GCA, Channel.TELEPHONE, _at(11), "=Jean+Dupont",
                                       None, "06 12 34 56 78", None, "@SOMME(A1)"))
    li = booking.book(BookingRequest("nanterre", Kind.GCA, Channel.TELEPHONE, _at(11, 30), "Li Wei", None,
                                     "06 98 76 54 32"))
    moved = booking.reschedule(jean.id, _at(9, day=date(2026, 11, 25)), "montrouge")
    booking.set_status(li.id, Status.EXCUSED)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
    target = app.services.settings.paths.exports_dir / "rendez-vous-nanterre-2026-11-23.csv"
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the accents right
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == list(APPOINTMENT_CSV_COLUMNS) == [
        "N°", "Heure", "Fin", "Type", "Canal", "Place", "Statut", "Nom", "N° allocataire", "Téléphone", "Motif",
        "Objet", "Remplace le n°", "Réservé par", "Identifiant agent"]
    sheet = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    login = app.services.context.agent
    assert sheet[str(awa.id)] == {
        "N°": str(awa.id), "Heure": "10:30", "Fin": "11:00", "Type": "gestionnaire-conseil (GCA)",
        "Canal": "en agence", "Place": "1", "Statut": "réservé", "Nom": "Awa Diallo", "N° allocataire": "7654321",
        "Téléphone": "", "Motif": "", "Objet": "", "Remplace le n°": "", "Réservé par": "Camille Martin",
        "Identifiant agent": login,
    }
    assert sheet[str(jean.id)]["Statut"] == f"déplacé au mercredi 25 novembre, 09:00 à Montrouge (n° {moved.id})"
    assert sheet[str(li.id)]["Statut"] == "annulé par la personne"
    # CSV injection: a cell that starts like a formula is quoted.
    assert (sheet[str(jean.id)]["Nom"], sheet[str(jean.id)]["Objet"]) == ("'=Jean+Dupont", "'@SOMME(A1)")
    codes = {"excused", "gca", "agence", "telephone", "booked", "moved"}
    assert not codes & {cell for row in rows[1:] for cell in row}


def test_the_json_keeps_codes_with_labels_and_the_move(make_app: AppFactory) -> None:
    app = make_app()
    booking = app.services.appointments
    old = booking.book(BookingRequest("nanterre", Kind.GCA, Channel.TELEPHONE, _at(11), "Awa Diallo", None,
                                      "06 12 34 56 78"))
    new = booking.reschedule(old.id, _at(14, day=date(2026, 11, 24)))
    data = appointment_json(booking.get(old.id))
    assert {k: data[k] for k in ("status", "status_label", "kind", "kind_label", "channel", "channel_label",
                                 "moved_to", "moved_to_start", "moved_to_agency", "booked_by", "booked_by_name")} == {
        "status": "moved", "status_label": f"déplacé au mardi 24 novembre, 14:00 (n° {new.id})",
        "kind": "gca", "kind_label": "gestionnaire-conseil (GCA)", "channel": "telephone",
        "channel_label": "par téléphone", "moved_to": new.id, "moved_to_start": "2026-11-24T14:00",
        "moved_to_agency": "nanterre", "booked_by": app.services.context.agent, "booked_by_name": "Camille Martin",
    }
    assert appointment_json(new)["rescheduled_from"] == old.id
    json.dumps(data)


def test_the_command_line_day_sheet_shows_the_move(monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """`guichet day` (text, CSV, JSON) after `guichet reschedule`: « déplacé », never « annulé »."""
    now = ["--now", "2026-11-23T10:00"]
    assert main(["book", "--agency", "nanterre", "--kind", "gca", "--channel", "telephone", "--at",
                 "2026-11-23T11:00", "--name", "Awa Diallo", "--phone", "0612345678", "--json", *now]) == 0
    booked = json.loads(capsys.readouterr().out)
    assert main(["reschedule", str(booked["id"]), "--to", "2026-11-25T09:00", "--agency", "montrouge",
                 "--json", *now]) == 0
    moved = json.loads(capsys.readouterr().out)
    assert main(["day", "--agency", "nanterre", *now]) == 0
    text = capsys.readouterr().out
    assert "déplacé" in text and "annulé" not in text
    assert main(["day", "--agency", "nanterre", "--csv", "-", *now]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out), delimiter=";"))
    assert [r["Statut"] for r in rows] == [f"déplacé au mercredi 25 novembre, 09:00 à Montrouge (n° {moved['id']})"]
    assert main(["day", "--agency", "nanterre", "--json", *now]) == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert (entry["status"], entry["moved_to"], entry["moved_to_agency"]) == ("moved", moved["id"], "montrouge")

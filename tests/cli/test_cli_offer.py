"""``guichet slots`` and ``guichet hours`` when nothing can be offered: offered nowhere (an error
naming who offers it and when), closed those days, all taken, no walk-in that day.

The table is 000_fb1f5dfc0eaffb6c.txt, p.5, read as in DOMAIN.md. Variants of the shipped
``agencies.toml`` are given with ``--data`` (the other data files stay the shipped ones).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from guichet.cli.main import main
from guichet.paths import SHIPPED_DATA

NOW = "2026-11-23T10:00"  # Monday
CSU_PHONE_BLOCK = re.compile(r'\[\[agency\.schedule\]\]\nkind = "csu"\nchannel = "telephone"\n[^\[]*')


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main([*argv, "--now", NOW])
    out, err = capsys.readouterr()
    return code, out, err


def agencies_variant(tmp_path: Path, edit: object) -> Path:
    """A data directory whose agencies.toml is the shipped one passed through ``edit``."""
    text = (SHIPPED_DATA / "agencies.toml").read_text(encoding="utf-8")
    assert callable(edit)
    changed = edit(text)
    assert changed != text
    directory = tmp_path / "data"
    directory.mkdir()
    (directory / "agencies.toml").write_text(changed, encoding="utf-8")
    return directory


def one_line_error(code: int, out: str, err: str) -> str:
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith("guichet: ") and "Traceback" not in err
    return err.removeprefix("guichet: ").rstrip("\n")


# -- slots: offered nowhere ------------------------------------------------------------------------


def test_csu_by_phone_at_nanterre_says_nanterre_does_not_offer_it_and_who_does(
        capsys: pytest.CaptureFixture[str]) -> None:
    # 000, p.5: Gennevilliers « Lundi, mercredi, vendredi » = its CSU appointments by phone.
    for extra in ([], ["--json"]):
        code, out, err = run(capsys, "slots", "--kind", "csu", "--channel", "telephone", "--agency", "nanterre", *extra)
        assert one_line_error(code, out, err) == (
            "Nanterre ne propose pas de rendez-vous conseiller (CSU) par téléphone. Agences qui le proposent : "
            "Gennevilliers (lundi, mercredi, vendredi 09:00–12:00, 13:00–16:00).")


def test_offered_by_no_agency_is_not_no_free_slot(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = agencies_variant(tmp_path, lambda text: CSU_PHONE_BLOCK.sub("", text))
    for extra in ([], ["--json"]):  # not an empty list, which would read "all taken"
        code, out, err = run(capsys, "slots", "--kind", "csu", "--channel", "telephone", "--data", str(data), *extra)
        message = one_line_error(code, out, err)
        assert message.startswith("Aucune agence ne propose de rendez-vous conseiller (CSU) par téléphone. "
                                  "En revanche, rendez-vous conseiller (CSU) en agence : Châtenay-Malabry")
        assert "aucun créneau libre" not in message.casefold()


def test_booking_what_an_agency_does_not_offer_names_who_does(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "book", "--agency", "montrouge", "--kind", "csu", "--channel", "telephone",
                         "--at", "2026-11-25T10:00", "--name", "Camille Dupont", "--phone", "0612345678")
    assert one_line_error(code, out, err).endswith(
        "Agences qui le proposent : Gennevilliers (lundi, mercredi, vendredi 09:00–12:00, 13:00–16:00).")


# -- slots: closed those days, all taken ---------------------------------------------------------------


def test_closed_that_day_says_when_it_runs(capsys: pytest.CaptureFixture[str]) -> None:
    # Nanterre « Lundi matin et jeudi matin »: nothing on Tuesday 24 November.
    code, out, err = run(capsys, "slots", "--kind", "gca", "--channel", "agence", "--agency", "nanterre",
                         "--from", "2026-11-24", "--to", "2026-11-24")
    assert (code, err) == (0, "")
    assert out == ("Pas de rendez-vous gestionnaire-conseil (GCA) en agence à Nanterre le mardi 24 novembre "
                   "(pas de rendez-vous ces jours-là). Jours habituels : Nanterre (lundi, jeudi 09:00–12:00).\n")


def test_all_taken_is_told_apart(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # One CSU phone slot a week, one agent: once booked, the day is full, not closed.
    data = agencies_variant(tmp_path, lambda text: text.replace(
        'opening_hours = "Mo,We,Fr 09:00-12:00,13:00-16:00; PH off"\ndesks = 2',
        'opening_hours = "We 09:00-09:30; PH off"\ndesks = 1'))
    slots = ["slots", "--kind", "csu", "--channel", "telephone", "--from", "2026-11-25", "--to", "2026-11-25",
             "--data", str(data)]
    code, out, _ = run(capsys, *slots)
    assert (code, out) == (0, "mercredi 25 novembre, 09:00  Gennevilliers      1/1 libre(s)\n")
    code, _, err = run(capsys, "book", "--agency", "gennevilliers", "--kind", "csu", "--channel", "telephone",
                       "--at", "2026-11-25T09:00", "--name", "Camille Dupont", "--phone", "0612345678",
                       "--data", str(data))
    assert (code, err) == (0, "")
    code, out, err = run(capsys, *slots)
    assert (code, err) == (0, "")
    assert out == ("Aucun créneau libre de rendez-vous conseiller (CSU) par téléphone le mercredi 25 novembre : "
                   "tous les créneaux sont pris.\n")
    code, out, _ = run(capsys, *slots, "--json")
    assert (code, json.loads(out)) == (0, [])


# -- hours ------------------------------------------------------------------------------------------


def test_friday_morning_no_agency_has_a_walk_in(capsys: pytest.CaptureFixture[str]) -> None:
    # « Tous les matins de 9h à 12h30 sauf le vendredi » (Châtenay), « Tous les après-midis de 12h30 à
    # 16h sauf le vendredi » (Nanterre); Gennevilliers and Montrouge receive by appointment only.
    code, out, err = run(capsys, "hours", "--at", "2026-11-27T10:00")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Accueil sans rendez-vous — vendredi 27 novembre, 10:00",
        "Châtenay-Malabry — fermé — ouvre lundi 30 novembre à 09:00",
        "    aujourd'hui : fermé",
        "Gennevilliers — pas d'accueil sans rendez-vous",
        "Montrouge — pas d'accueil sans rendez-vous",
        "Nanterre — fermé — ouvre lundi 30 novembre à 12:30",
        "    aujourd'hui : fermé",
        "Aucune agence n'a d'accueil sans rendez-vous le vendredi.",
        "Accueil sans rendez-vous : Châtenay-Malabry (du lundi au jeudi 09:00–12:30) ; "
        "Nanterre (du lundi au jeudi 12:30–16:00).",
        "Prochaine ouverture : Châtenay-Malabry, lundi 30 novembre à 09:00.",
    ]


def test_one_agency_without_walk_in_points_to_those_open(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "hours", "gennevilliers", "--at", "2026-11-23T10:00")
    assert code == 0
    assert out.splitlines() == [
        "Accueil sans rendez-vous — lundi 23 novembre, 10:00",
        "Gennevilliers — pas d'accueil sans rendez-vous",
        "Ouvert en ce moment : Châtenay-Malabry (ouvert, ferme à 12:30).",
    ]
    code, out, _ = run(capsys, "hours", "gennevilliers", "--at", "2026-11-27T10:00")
    assert out.splitlines()[2] == "Aucune agence n'a d'accueil sans rendez-vous le vendredi."


def test_no_walk_in_in_any_agency(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = agencies_variant(tmp_path, lambda text: re.sub(r'(?m)^walk_in = ".*"\n', "", text))
    code, out, _ = run(capsys, "hours", "--at", "2026-11-23T10:00", "--data", str(data))
    assert code == 0
    assert out.splitlines()[-1] == "Aucune agence n'a d'accueil sans rendez-vous."
    assert out.count("pas d'accueil sans rendez-vous") == 4

"""``guichet stats``: the agency's statistics for managers (issue 17, item 4: « `guichet stats` with
`--agency`, `--from`, `--to`, `--json`, `--csv`: the same figures for managers' own tools »).

The database is the one of tests/store/test_stats_figures.py (a November at Nanterre and a little of
Montrouge, known counts), read on Friday 4 December 2026 at 10:00; every figure is asserted exactly, in
text, JSON and CSV. Every bad request is one French line and exit code 2; an unreachable server, 1.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from guichet.cli.main import main
from guichet.domain.clock import FixedClock
from guichet.domain.stats import DEFINITIONS
from guichet.services import make_services
from tests.conftest import FIXED_NOW, make_settings
from tests.store.test_stats_figures import SSD, build

NOW = ["--now", "2026-12-04T10:00"]
NOVEMBER = ["--from", "2026-11-01", "--to", "30/11/2026"]


@pytest.fixture(scope="module")
def built_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A GUICHET_HOME whose database holds tests/store/test_stats_figures.py's November (built once)."""
    root = tmp_path_factory.mktemp("stats-home")
    clock = FixedClock(FIXED_NOW)
    services = make_services(make_settings(root), clock=clock)
    try:
        build(services, clock)
    finally:
        services.close()
    return root


@pytest.fixture
def home(built_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("GUICHET_HOME", str(built_home))
    yield built_home


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(["stats", *argv, *NOW])
    out, err = capsys.readouterr()
    assert (code, err) == (0, ""), err
    return out


def fails(capsys: pytest.CaptureFixture[str], *argv: str, code: int = 2) -> str:
    """The one line on stderr of a refused ``guichet stats``; nothing on stdout."""
    assert main(["stats", *argv, *NOW]) == code
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "Traceback" not in err, err
    return err.rstrip("\n")


# -- text -----------------------------------------------------------------------------------------


def row(label: str, count: int) -> str:
    """A line of a table: the label, the count right-aligned in column 76."""
    return f"  {label.ljust(66)}{count:>8}"


def test_the_text_report_says_every_figure_and_what_it_counts(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 17: « Each figure says what it counts »; and (the issue's brief) « never « passage » for the
    reception log (« passage de relais » is the handoff): say « personnes reçues », « accueils » »."""
    lines = run(capsys, "--agency", "nanterre", *NOVEMBER).splitlines()
    assert lines[:3] == ["Statistiques de l'accueil — Nanterre",
                         "Du dimanche 1 novembre au lundi 30 novembre 2026.",
                         "Calculées le vendredi 4 décembre 2026, 10:00."]
    expected = [
        "Personnes reçues : 11 (au guichet 9, au téléphone 2)",
        "  dont 1 accueil encore ouvert",
        "  en moyenne 2,8 par demi-journée travaillée",
        "  la plus chargée : lun. 23/11 matin (5)",
        "                         total  guichet  téléphone",
        "  lun. 23/11 matin           5        4          1  " + "█" * 26,
        "  lun. 23/11 après-midi      2        1          1  " + "█" * 10,
        "  mar. 24/11 matin           2        2          0  " + "█" * 10,
        "  lun. 30/11 après-midi      2        2          0  " + "█" * 10,
        row("renseigné", 1), row("orienté vers un partenaire : CPAM", 1),
        row(f"orienté vers le Département : {SSD}", 2), row("question rapide", 3), row("Aide au Bafa", 2),
        "Durée médiane : 5 min 00 s (7 accueils terminés)",
        "Rendez-vous : 9 ; taux d'absence : 50,0 %",
        "  réservé 2 · reçu 2 · absent 2 · annulé par la personne 1 ·",  # never a label cut from its count
        "    annulé par la Caf 1 · déplacé 1",
        "  - gestionnaire-conseil (GCA) en agence : 3 ; taux d'absence : 100,0 %",
        "      réservé 1 · absent 1 · déplacé 1",
        "  - gestionnaire-conseil (GCA) par téléphone : 6 ; taux d'absence : 33,3 %",
        "Passages de relais : 5, dont URGENCE DEFINIE : 1 ; en retard : 1 (n° 1)",
        "  Par statut : À transmettre 2 · Prise en charge 1 · Refusée 1 · Transmise 1",
    ]
    positions = [lines.index(line) for line in expected]  # each is there, exactly
    assert positions == sorted(positions)
    # Each block says what it counts, and the report fits an 80-column terminal.
    text = " ".join(line.strip().removeprefix("» ") for line in lines)
    for definition in DEFINITIONS.values():
        assert definition in text
    assert max(len(line) for line in lines) <= 78
    assert "passage " not in text.replace("passage de relais", "").replace("Passages de relais", "")


def test_every_agency_and_the_agency_by_default(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    for spelling in ("toutes", "TOUTES", "all"):
        lines = run(capsys, "--agency", spelling, *NOVEMBER).splitlines()
        assert lines[0] == "Statistiques de l'accueil — toutes les agences"
        assert "Personnes reçues : 13 (au guichet 11, au téléphone 2)" in lines
    # No agency in the settings: every agency. The counter's agency when config.toml names one.
    assert run(capsys, *NOVEMBER).splitlines()[0] == "Statistiques de l'accueil — toutes les agences"
    other = tmp_path / "home"
    shutil.copytree(home, other)
    (other / "config").mkdir(exist_ok=True)
    (other / "config" / "config.toml").write_text('agency = "montrouge"\n', encoding="utf-8")
    monkeypatch.setenv("GUICHET_HOME", str(other))
    lines = run(capsys, *NOVEMBER).splitlines()
    assert lines[0] == "Statistiques de l'accueil — Montrouge"
    assert "Personnes reçues : 2 (au guichet 2, au téléphone 0)" in lines


def test_the_period_shortcuts_and_the_french_days(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Default: this month (December here: nothing yet but the 1 December question and handoff)."""
    month = json.loads(run(capsys, "--agency", "nanterre", "--json"))
    assert month["period"] == {"first": "2026-12-01", "last": "2026-12-31", "kind": "mois", "days": 31,
                               "label": "ce mois-ci, du mardi 1 décembre au jeudi 31 décembre 2026"}
    assert (month["passages"]["total"], month["handoffs"]["total"], month["appointments"]["total"]) == (1, 1, 1)
    week = json.loads(run(capsys, "--agency", "nanterre", "--periode", "semaine", "--json"))
    assert (week["period"]["first"], week["period"]["last"], week["period"]["kind"]) == ("2026-11-30", "2026-12-06",
                                                                                         "semaine")
    assert week["passages"]["total"] == 3  # the 23:59 question, the one still open, the 00:00 one
    day = json.loads(run(capsys, "--agency", "nanterre", "--periode", "jour", "--json"))
    assert (day["period"]["first"], day["period"]["last"], day["passages"]["total"]) == ("2026-12-04", "2026-12-04", 0)
    # French days, seen from Friday 4 December: « 23/11 », « hier »; --from alone runs to today.
    monday = json.loads(run(capsys, "--agency", "nanterre", "--from", "23/11", "--to", "23/11", "--json"))
    assert (monday["period"]["days"], monday["passages"]["total"], monday["appointments"]["total"]) == (1, 7, 3)
    since = json.loads(run(capsys, "--agency", "nanterre", "--from", "30/11", "--json"))
    assert (since["period"]["first"], since["period"]["last"], since["period"]["kind"]) == ("2026-11-30",
                                                                                           "2026-12-04", "plage")
    yesterday = json.loads(run(capsys, "--agency", "nanterre", "--from", "hier", "--to", "hier", "--json"))
    assert yesterday["period"]["first"] == "2026-12-03"


# -- JSON -----------------------------------------------------------------------------------------


def test_the_json_has_stable_english_keys_and_every_figure(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data: dict[str, Any] = json.loads(run(capsys, "--agency", "nanterre", *NOVEMBER, "--json"))
    assert list(data) == ["agency", "agency_label", "period", "computed_at", "passages", "appointments", "handoffs",
                          "definitions"]
    assert (data["agency"], data["agency_label"], data["computed_at"]) == ("nanterre", "Nanterre", "2026-12-04T10:00")
    assert data["period"] == {"first": "2026-11-01", "last": "2026-11-30", "kind": "plage", "days": 30,
                              "label": "du dimanche 1 novembre au lundi 30 novembre 2026"}
    assert data["definitions"] == DEFINITIONS
    p = data["passages"]
    assert (p["total"], p["by_channel"], p["still_open"], p["per_half_day"]) == (
        11, {"guichet": 9, "telephone": 2}, 1, 2.75)
    assert p["busiest"] == {"day": "2026-11-23", "half": "matin", "guichet": 4, "telephone": 1, "total": 5}
    assert [(x["day"], x["half"], x["guichet"], x["telephone"], x["total"]) for x in p["half_days"]] == [
        ("2026-11-23", "matin", 4, 1, 5), ("2026-11-23", "apres_midi", 1, 1, 2), ("2026-11-24", "matin", 2, 0, 2),
        ("2026-11-30", "apres_midi", 2, 0, 2)]
    assert [(o["code"], o["count"]) for o in p["outcomes"]] == [
        ("renseigne", 1), ("libre_service", 1), ("rendez_vous", 1), ("relais", 1), ("partenaire:CPAM", 1),
        (f"departement:{SSD}", 2), ("urgence_definie", 1), ("urgence_sociale:alimentaire", 1),
        ("question_rapide", 3)]
    assert p["outcomes"][0] == {"code": "renseigne", "label": "renseigné", "count": 1}
    assert [(s["code"], s["count"]) for s in p["top_services"]] == [
        ("aide-bafa", 2), ("reclamation", 2), ("aide-alimentaire", 1), ("aides-financieres-individuelles", 1),
        ("allocations-familiales", 1), ("cpam", 1), ("separation-divorce", 1)]
    assert (p["median_seconds"], p["timed"]) == (300, 7)
    a = data["appointments"]
    assert a["total"] == 9 and a["noshow_rate"] == 0.5
    assert a["by_status"] == {"booked": 2, "seen": 2, "noshow": 2, "excused": 1, "revoked": 1, "moved": 1}
    assert a["lines"] == [
        {"kind": "gca", "kind_label": "gestionnaire-conseil (GCA)", "channel": "agence", "channel_label": "en agence",
         "total": 3, "by_status": {"booked": 1, "seen": 0, "noshow": 1, "excused": 0, "revoked": 0, "moved": 1},
         "noshow_rate": 1.0},
        {"kind": "gca", "kind_label": "gestionnaire-conseil (GCA)", "channel": "telephone",
         "channel_label": "par téléphone", "total": 6,
         "by_status": {"booked": 1, "seen": 2, "noshow": 1, "excused": 1, "revoked": 1, "moved": 0},
         "noshow_rate": 0.3333},
    ]
    h = data["handoffs"]
    assert (h["total"], h["urgent"], h["overdue"], h["overdue_ids"]) == (5, 1, 1, [1])
    assert h["by_status"] == {"a_transmettre": 2, "transmise": 1, "prise_en_charge": 1, "cloturee": 0,
                              "refusee": 1, "expiree": 0}
    assert [(e["code"], e["count"]) for e in h["by_life_event"]] == [("separation", 3), ("deces_conjoint", 1),
                                                                      ("violences", 1)]
    assert [(d["code"], d["label"], d["count"]) for d in h["by_destination"]] == [
        ("service_social_caf", "Service social de la Caf", 2),
        ("departement_urgence", "Accueil d'urgence du Département", 1), ("partenaire", "Partenaire", 1),
        ("referent", "Travailleur social référent", 1)]


def test_the_json_of_an_empty_period(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(run(capsys, "--agency", "gennevilliers", *NOVEMBER, "--json"))
    assert data["passages"] == {"total": 0, "by_channel": {"guichet": 0, "telephone": 0}, "still_open": 0,
                                "per_half_day": None, "busiest": None, "half_days": [], "outcomes": [],
                                "top_services": [], "median_seconds": None, "timed": 0}
    assert (data["appointments"]["total"], data["appointments"]["noshow_rate"], data["appointments"]["lines"]) == (
        0, None, [])
    assert (data["handoffs"]["total"], data["handoffs"]["overdue_ids"]) == (0, [])
    text = run(capsys, "--agency", "gennevilliers", *NOVEMBER)
    assert "  Personne n'a été reçu sur la période." in text.splitlines()
    assert "Durée médiane : — (0 accueil terminé)" in text.splitlines()


# -- CSV ------------------------------------------------------------------------------------------


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_csv_is_one_figure_a_row_for_a_french_spreadsheet(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "--agency", "nanterre", *NOVEMBER, "--csv")
    assert not out.startswith("\ufeff")  # on the output: for a program; the file below is for Excel
    rows = _rows(out)
    assert rows[0] == ["Agence", "Du", "Au", "Rubrique", "Chiffre", "Détail", "Valeur", "Ce que compte la rubrique"]
    assert all(len(row) == 8 and row[:3] == ["Nanterre", "2026-11-01", "2026-11-30"] for row in rows[1:])
    value = {tuple(row[3:6]): row[6] for row in rows[1:]}
    assert len(value) == len(rows) - 1  # every figure named once
    people, half, issues, appointments, handoffs = ("Personnes reçues", "Par demi-journée", "Issues",
                                                    "Rendez-vous", "Passages de relais")
    phone, on_site, every = ("gestionnaire-conseil (GCA) par téléphone", "gestionnaire-conseil (GCA) en agence",
                             "tous types et canaux")
    expected = {
        (people, "personnes reçues", "total"): "11", (people, "personnes reçues", "au guichet"): "9",
        (people, "personnes reçues", "au téléphone"): "2", (people, "accueils encore ouverts", ""): "1",
        (people, "moyenne par demi-journée travaillée", ""): "2,8",  # a decimal comma: a number in Excel
        (half, "2026-11-23 matin", "total"): "5", (half, "2026-11-23 après-midi", "au téléphone"): "1",
        (issues, "orienté vers un partenaire", "CPAM"): "1", (issues, "orienté vers le Département", SSD): "2",
        (issues, "question rapide", ""): "3", ("Services consultés", "Aide au Bafa", "aide-bafa"): "2",
        ("Durée", "durée médiane (secondes)", ""): "300", ("Durée", "accueils chronométrés", ""): "7",
        (appointments, every, "total"): "9", (appointments, every, "absent"): "2",
        (appointments, every, "taux d'absence (%)"): "50,0", (appointments, phone, "taux d'absence (%)"): "33,3",
        (appointments, on_site, "déplacé"): "1", (appointments, on_site, "reçu"): "0",
        (handoffs, "passages de relais", "total"): "5", (handoffs, "passages de relais", "en retard"): "1",
        (handoffs, "passages de relais", "URGENCE DEFINIE"): "1", (handoffs, "par statut", "Clôturée"): "0",
        (handoffs, "par destinataire", "Partenaire"): "1",
    }
    assert {key: value.get(key) for key in expected} == expected
    sections = {row[3]: row[7] for row in rows[1:]}
    assert sections["Rendez-vous"] == DEFINITIONS["appointments"] and len(sections) == len(DEFINITIONS)
    # Every value is a whole number or a decimal with a comma (or empty): never a point, which a French
    # spreadsheet would read as text or as a date.
    assert all(row[6].replace(",", "", 1).isdigit() or row[6] == "" for row in rows[1:])


def test_the_csv_file_opens_in_excel_and_is_never_overwritten(home: Path, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "novembre.csv"
    assert run(capsys, "--agency", "toutes", *NOVEMBER, "--csv", str(target)) == ""
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the accents right
    rows = _rows(raw.decode("utf-8-sig"))
    assert rows[1][:7] == ["toutes les agences", "2026-11-01", "2026-11-30", "Personnes reçues", "personnes reçues",
                           "total", "13"]
    err = fails(capsys, "--agency", "toutes", *NOVEMBER, "--csv", str(target))
    assert err == f"guichet: « {target} » existe déjà : rien n'a été écrit (choisissez un autre nom)."
    assert target.read_bytes() == raw


# -- errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("argv", "message"), [
    (["--agency", "lyon"], "Agence inconnue : « lyon » (agences : chatenay-malabry, gennevilliers, montrouge, "
                           "nanterre)."),
    (["--from", "32/13"], "--from : Date impossible : « 32/13 » n'existe pas."),
    (["--from", "01/11", "--to", "bientôt"], "--to : Date non reconnue : « bientôt ». Tapez jj/mm, jj/mm/aaaa, "
                                             "« demain », « hier » ou un jour de la semaine (« lundi »)."),
    (["--from", "2026-11-05", "--to", "2026-11-01"],
     "Période vide : --to (dimanche 1 novembre 2026) est avant --from (jeudi 5 novembre 2026)."),
    (["--from", "2026-12-05"], "Période vide : --from (samedi 5 décembre 2026) est après aujourd'hui "
                               "(vendredi 4 décembre 2026)."),
    (["--from", "2020-01-01", "--to", "2026-11-30"], "Période trop longue : trois ans au plus."),
    (["--from", "01/01/1800", "--to", "02/01/1800"], "Année hors limites (1900-2200) : le mercredi 1 janvier 1800."),
    (["--periode", "mois", "--from", "01/11"], "--periode ou --from/--to : l'un ou l'autre, pas les deux."),
    (["--to", "30/11"], "--to sans --from : indiquez aussi le premier jour de la période (--from)."),
])
def test_a_bad_request_is_one_french_line_and_exit_code_2(home: Path, capsys: pytest.CaptureFixture[str],
                                                         argv: list[str], message: str) -> None:
    assert fails(capsys, *argv) == f"guichet: {message}"


def test_the_parser_refuses_in_french(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "interdit avec l'argument --json" in fails(capsys, "--json", "--csv")
    assert "--periode" in fails(capsys, "--periode", "annee")


def test_the_help_says_how_to_ask_for_every_agency(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "ou toutes pour toutes les agences" in out and "AAAA-MM-JJ (2026-11-02), jj/mm" in out


def test_an_unreachable_database_is_exit_code_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("GUICHET_HOME", str(tmp_path))
    monkeypatch.setenv("GUICHET_DATABASE_URL",
                       "postgresql+psycopg://nobody@/guichet?host=/nonexistent&connect_timeout=1")
    err = fails(capsys, "--agency", "nanterre", "--json", code=1)
    assert "Base de données injoignable" in err

"""``guichet hours`` and ``guichet info``, in-process and as a subprocess.

The clock is always frozen (``--now``, ``--at`` or ``GUICHET_NOW``). The data directory given
with ``--data`` holds a minimal ``services.toml``, so that these tests depend only on the shipped
``agencies.toml``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from guichet.cli.main import main
from guichet.paths import SHIPPED_DATA

SERVICES = """\
[[service]]
id = "apl-non-versee"
title = "Aide au logement non versée"
category = "demarche"
summary = "L'aide au logement n'est plus versée."
source = "000_fb1f5dfc0eaffb6c.txt"

[service.orientation]
desk = "gca"
channel = "telephone"
"""

KEYS = ("agency", "name", "walk_in_open", "closes_at", "next_opening", "today")

# Monday 23 November 2026, 10:00 (the FIXED_NOW of conftest.py).
AT_MONDAY_10H = [
    {"agency": "chatenay-malabry", "name": "Châtenay-Malabry", "walk_in_open": True,
     "closes_at": "2026-11-23T12:30", "next_opening": None, "today": [["09:00", "12:30"]]},
    {"agency": "gennevilliers", "name": "Gennevilliers", "walk_in_open": False,
     "closes_at": None, "next_opening": None, "today": []},
    {"agency": "montrouge", "name": "Montrouge", "walk_in_open": False,
     "closes_at": None, "next_opening": None, "today": []},
    {"agency": "nanterre", "name": "Nanterre", "walk_in_open": False,
     "closes_at": None, "next_opening": "2026-11-23T12:30", "today": [["12:30", "16:00"]]},
]

# Friday 27 November 2026, 14:00: no agency receives without appointment on Fridays (000, p.5: the
# walk-in cells say « sauf le vendredi »; Gennevilliers has no walk-in, DOMAIN.md).
AT_FRIDAY_14H = [
    {"agency": "chatenay-malabry", "name": "Châtenay-Malabry", "walk_in_open": False,
     "closes_at": None, "next_opening": "2026-11-30T09:00", "today": []},
    {"agency": "gennevilliers", "name": "Gennevilliers", "walk_in_open": False,
     "closes_at": None, "next_opening": None, "today": []},
    {"agency": "montrouge", "name": "Montrouge", "walk_in_open": False,
     "closes_at": None, "next_opening": None, "today": []},
    {"agency": "nanterre", "name": "Nanterre", "walk_in_open": False,
     "closes_at": None, "next_opening": "2026-11-30T12:30", "today": []},
]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "data-override"
    directory.mkdir()
    (directory / "services.toml").write_text(SERVICES, encoding="utf-8")
    return directory


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def projection(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{key: obj[key] for key in KEYS} for obj in objects]


def check_shape(objects: list[dict[str, Any]]) -> None:
    assert isinstance(objects, list)
    assert len(objects) == 4
    for obj in objects:
        assert set(KEYS) <= set(obj)
        assert isinstance(obj["walk_in_open"], bool)
        for key in ("closes_at", "next_opening"):
            value = obj[key]
            assert value is None or (isinstance(value, str) and len(value) == 16 and value[10] == "T")
        assert all(isinstance(span, list) and len(span) == 2 for span in obj["today"])


def subprocess_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GUICHET_", "RAPIDFUZZ_"))}
    env["GUICHET_HOME"] = str(tmp_path / "home")
    env.update(extra)
    return env


# -- hours --json ------------------------------------------------------------------------------


def test_hours_json_at_fixed_now(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, err = run(capsys, "hours", "--json", "--now", "2026-11-23T10:00",
                         "--data", str(data_dir))
    assert (code, err) == (0, "")
    objects = json.loads(out)
    check_shape(objects)
    assert projection(objects) == AT_MONDAY_10H
    assert [obj["has_walk_in"] for obj in objects] == [True, False, False, True]
    assert {obj["at"] for obj in objects} == {"2026-11-23T10:00"}


def test_hours_json_at_friday(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, _ = run(capsys, "hours", "--json", "--at", "2026-11-27T14:00",
                       "--data", str(data_dir))
    assert code == 0
    assert projection(json.loads(out)) == AT_FRIDAY_14H


def test_hours_json_on_a_public_holiday(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, _ = run(capsys, "hours", "--json", "--at", "2027-05-06T10:00",  # Ascension
                       "--data", str(data_dir))
    assert code == 0
    objects = {obj["agency"]: obj for obj in json.loads(out)}
    assert objects["chatenay-malabry"]["next_opening"] == "2027-05-10T09:00"
    assert objects["gennevilliers"]["next_opening"] is None  # no walk-in at all
    assert objects["gennevilliers"]["has_walk_in"] is False
    assert objects["nanterre"]["next_opening"] == "2027-05-10T12:30"
    assert all(obj["holiday"] is True for obj in objects.values())
    assert all(obj["walk_in_open"] is False for obj in objects.values())
    # Ascension falls on a Thursday: the Friday after has no walk-in either, so Monday is next.


def test_now_before_the_subcommand(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, _ = run(capsys, "--now", "2026-11-23T10:00", "--data", str(data_dir),
                       "hours", "--json")
    assert code == 0
    assert projection(json.loads(out)) == AT_MONDAY_10H


def test_hours_json_one_agency(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, _ = run(capsys, "hours", "nanterre", "--json", "--at", "2026-11-23T12:30",
                       "--data", str(data_dir))
    assert code == 0
    assert projection(json.loads(out)) == [
        {"agency": "nanterre", "name": "Nanterre", "walk_in_open": True,
         "closes_at": "2026-11-23T16:00", "next_opening": None, "today": [["12:30", "16:00"]]},
    ]


def test_hours_json_subprocess(tmp_path: Path, data_dir: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "guichet", "hours", "--json", "--now", "2026-11-23T10:00",
         "--data", str(data_dir)],
        capture_output=True, text=True, encoding="utf-8", env=subprocess_env(tmp_path),
        timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    objects = json.loads(result.stdout)
    check_shape(objects)
    assert projection(objects) == AT_MONDAY_10H


# -- human output ------------------------------------------------------------------------------


def test_hours_human_one_agency(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, err = run(capsys, "hours", "nanterre", "--at", "2026-11-23T12:30",
                         "--data", str(data_dir))
    assert (code, err) == (0, "")
    assert "Nanterre — ouvert, ferme à 16:00" in out
    assert out.splitlines() == [
        "Accueil sans rendez-vous — lundi 23 novembre, 12:30",
        "Nanterre — ouvert, ferme à 16:00",
        "    aujourd'hui : 12:30–16:00",
    ]


def test_hours_human_all_on_friday(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, _ = run(capsys, "hours", "--now", "2026-11-27T14:00", "--data", str(data_dir))
    assert code == 0
    assert out.splitlines() == [
        "Accueil sans rendez-vous — vendredi 27 novembre, 14:00",
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


# -- GUICHET_NOW -------------------------------------------------------------------------------


def test_guichet_now_freezes_the_clock(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    monkeypatch.setenv("GUICHET_NOW", "2026-11-27T14:00")
    code, out, _ = run(capsys, "hours", "--json", "--data", str(data_dir))
    assert code == 0
    objects = json.loads(out)
    assert projection(objects) == AT_FRIDAY_14H
    assert {obj["at"] for obj in objects} == {"2026-11-27T14:00"}
    code, out, _ = run(capsys, "hours", "gennevilliers", "--data", str(data_dir))
    assert out.splitlines()[0] == "Accueil sans rendez-vous — vendredi 27 novembre, 14:00"


def test_now_option_wins_over_guichet_now(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    monkeypatch.setenv("GUICHET_NOW", "2026-11-27T14:00")
    code, out, _ = run(capsys, "hours", "--json", "--now", "2026-11-23T10:00",
                       "--data", str(data_dir))
    assert code == 0
    assert projection(json.loads(out)) == AT_MONDAY_10H


def test_bad_guichet_now(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    monkeypatch.setenv("GUICHET_NOW", "vendredi")
    code, out, err = run(capsys, "hours", "--data", str(data_dir))
    assert code == 2
    assert out == ""
    assert err == "guichet: GUICHET_NOW: expected YYYY-MM-DDTHH:MM, got 'vendredi'\n"


# -- errors ------------------------------------------------------------------------------------


def test_unknown_agency(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, err = run(capsys, "hours", "lyon", "--now", "2026-11-23T10:00",
                         "--data", str(data_dir))
    assert code == 2
    assert out == ""
    assert err == (
        "guichet: Agence inconnue : « lyon » (agences : chatenay-malabry, gennevilliers, "
        "montrouge, nanterre).\n"
    )
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ["hours", "--now", "2026-11-23"],  # a date is not an instant
        ["hours", "--now", "demain"],
        ["hours", "--json", "--now", "2026-13-01T10:00"],
        ["hours", "--at", "23/11/2026 10:00"],
    ],
    ids=["bare-date", "word", "month-13", "at-french-format"],
)
def test_bad_instant_exits_2(
    capsys: pytest.CaptureFixture[str], data_dir: Path, argv: list[str]
) -> None:
    assert main([*argv, "--data", str(data_dir)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "date et heure attendues au format AAAA-MM-JJTHH:MM" in err
    assert "Traceback" not in err


def test_broken_data_dir(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    agencies = data_dir / "agencies.toml"
    agencies.write_text(
        '[[agency]]\nid = "nanterre"\nname = "Nanterre"\n\n[[agency.schedule]]\nkind = "gca"\n'
        'channel = "telephone"\nopening_hours = "Mo-Fr 09:00-12:00"\ndesks = "cinq"\n',
        encoding="utf-8",
    )
    code, out, err = run(capsys, "hours", "--json", "--now", "2026-11-23T10:00",
                         "--data", str(data_dir))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err == (
        f"guichet: {agencies}:9: agency[0].schedule[0].desks: expected an integer, got a string\n"
    )


def test_broken_data_dir_subprocess(tmp_path: Path, data_dir: Path) -> None:
    agencies = data_dir / "agencies.toml"
    agencies.write_text('[[agency]]\nid = "nanterre"\nname = "Nanterre\n', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "guichet", "hours", "--data", str(data_dir)],
        capture_output=True, text=True, encoding="utf-8",
        env=subprocess_env(tmp_path, GUICHET_NOW="2026-11-23T10:00"), timeout=60, check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"guichet: {agencies}:3: invalid TOML")
    assert "Traceback" not in result.stderr


# -- info --------------------------------------------------------------------------------------


def test_info_json(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, err = run(capsys, "info", "--json", "--now", "2026-11-23T10:00",
                         "--data", str(data_dir))
    assert (code, err) == (0, "")
    facts = json.loads(out)
    home = Path(os.environ["GUICHET_HOME"])
    assert facts["database_url"] == f"sqlite:///{(home / 'data' / 'guichet.sqlite3').as_posix()}"
    assert facts["database"] == "locale (SQLite)"
    assert facts["data_files"][1] == str(data_dir / "services.toml")
    assert facts["data_files"][0] == str(SHIPPED_DATA / "agencies.toml")
    assert facts["data_override_dir"] == str(data_dir)
    assert facts["agencies"] == 4
    assert facts["services"] == 1
    assert facts["rapidfuzz"] == "compiled"
    assert facts["clock"] == "2026-11-23T10:00+01:00 (frozen)"


def test_info_warns_about_pure_python_rapidfuzz(tmp_path: Path, data_dir: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "guichet", "info", "--json", "--data", str(data_dir)],
        capture_output=True, text=True, encoding="utf-8",
        env=subprocess_env(tmp_path, RAPIDFUZZ_IMPLEMENTATION="python",
                           GUICHET_NOW="2026-11-23T10:00"),
        timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["rapidfuzz"] == "pure-python"
    assert result.stderr.startswith("warning: rapidfuzz runs its pure-Python fallback")
    assert result.stderr.count("\n") == 1


def test_missing_data_dir_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--data DIR` names a directory explicitly: a missing one is not silently ignored."""
    from guichet.cli.main import main

    code = main(["hours", "--data", str(tmp_path / "nowhere"), "--now", "2026-11-23T10:00"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and "data directory not found" in err[0]

"""``guichet hours|slots|book`` on the daylight-saving change days of 2026 and 2027, in-process.

Spring: 29 March 2026 and 28 March 2027 (02:00 → 03:00, local 02:xx never happens). Autumn:
25 October 2026 and 31 October 2027 (03:00 → 02:00, local 02:xx happens twice). The agencies
of ``--data`` are open around those nights; the clock is always frozen.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from guichet.cli.main import main

AGENCIES = """\
[[agency]]
id = "nuit"
name = "Permanence de nuit"
walk_in = "Su 01:00-04:00"
source = "test_dst_cli.py"

[[agency.schedule]]
kind = "gca"
channel = "agence"
opening_hours = "24/7"
desks = 1

[[agency]]
id = "aube"
name = "Aube"
walk_in = "Su 03:00-05:00"
source = "test_dst_cli.py"
"""

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

SPRING = ("2026-03-29", "2027-03-28")
AUTUMN = ("2026-10-25", "2027-10-31")
EVE = {"2026-03-29": "2026-03-28", "2027-03-28": "2027-03-27",
       "2026-10-25": "2026-10-24", "2027-10-31": "2027-10-30"}
DAY_NAME = {"2026-03-29": "dimanche 29 mars", "2027-03-28": "dimanche 28 mars",
            "2026-10-25": "dimanche 25 octobre", "2027-10-31": "dimanche 31 octobre"}
GAP_MESSAGE = "{d} {t} n'existe pas à Paris (passage à l'heure d'été) : choisissez 03:00 ou plus tard."


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "data-override"
    directory.mkdir()
    (directory / "agencies.toml").write_text(AGENCIES, encoding="utf-8")
    (directory / "services.toml").write_text(SERVICES, encoding="utf-8")
    return directory


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # never expected: main turns argparse exits into codes
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    code, out, err = run(capsys, *argv, "--json")
    assert (code, err) == (0, ""), err
    return json.loads(out)


def french_date(day: str) -> str:
    year, month, dom = day.split("-")
    return f"{dom}/{month}/{year}"


def half_hours(first: str, last: str) -> list[str]:
    h1, m1 = map(int, first.split(":"))
    h2, m2 = map(int, last.split(":"))
    return [f"{m // 60:02d}:{m % 60:02d}" for m in range(h1 * 60 + m1, h2 * 60 + m2 + 1, 30)]


# -- a local time that does not exist ------------------------------------------------------------


@pytest.mark.parametrize("day", SPRING)
@pytest.mark.parametrize("clock", ["02:00", "02:30", "02:59"])
@pytest.mark.parametrize("option", ["--at", "--now"])
def test_hours_refuses_a_time_of_the_spring_gap(
    capsys: pytest.CaptureFixture[str], data_dir: Path, day: str, clock: str, option: str
) -> None:
    code, out, err = run(capsys, "hours", option, f"{day}T{clock}", "--data", str(data_dir))
    message = GAP_MESSAGE.format(d=french_date(day), t=clock)
    assert (code, out) == (2, "")
    assert err == f"guichet : erreur : argument {option} : {message} (voir guichet hours --help)\n"
    assert "Traceback" not in err and "TypeError" not in err


def test_guichet_now_in_the_spring_gap(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    monkeypatch.setenv("GUICHET_NOW", "2026-03-29T02:30")
    code, out, err = run(capsys, "hours", "--data", str(data_dir))
    assert (code, out) == (2, "")
    assert err == f"guichet: GUICHET_NOW: {GAP_MESSAGE.format(d='29/03/2026', t='02:30')}\n"


def test_book_refuses_a_time_of_the_spring_gap(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, err = run(capsys, "book", "--agency", "nuit", "--kind", "gca", "--channel", "agence",
                         "--name", "Camille Dupont", "--at", "2026-03-29T02:30",
                         "--now", "2026-03-28T12:00", "--data", str(data_dir))
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert GAP_MESSAGE.format(d="29/03/2026", t="02:30") in err


# -- guichet hours at the critical instants ------------------------------------------------------


@pytest.mark.parametrize("day", SPRING)
def test_hours_around_the_spring_gap(capsys: pytest.CaptureFixture[str], data_dir: Path, day: str) -> None:
    name = DAY_NAME[day]
    code, out, err = run(capsys, "hours", "--at", f"{day}T01:59", "--data", str(data_dir))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"Accueil sans rendez-vous — {name}, 01:59",
        "Permanence de nuit — ouvert, ferme à 04:00",
        "    aujourd'hui : 01:00–04:00",
        "Aube — fermé — ouvre aujourd'hui à 03:00",
        "    aujourd'hui : 03:00–05:00",
    ]
    code, out, _ = run(capsys, "hours", "--at", f"{day}T03:00", "--data", str(data_dir))
    assert code == 0
    assert out.splitlines()[::2] == [f"Accueil sans rendez-vous — {name}, 03:00",
                                     "    aujourd'hui : 01:00–04:00", "    aujourd'hui : 03:00–05:00"]
    assert out.splitlines()[1::2] == ["Permanence de nuit — ouvert, ferme à 04:00",
                                      "Aube — ouvert, ferme à 05:00"]
    objects = run_json(capsys, "hours", "--at", f"{day}T01:59", "--data", str(data_dir))
    assert [(o["agency"], o["at"], o["walk_in_open"], o["closes_at"], o["next_opening"]) for o in objects] == [
        ("nuit", f"{day}T01:59", True, f"{day}T04:00", None),
        ("aube", f"{day}T01:59", False, None, f"{day}T03:00"),
    ]


@pytest.mark.parametrize("day", AUTUMN)
@pytest.mark.parametrize(
    ("typed", "label", "iso"),
    [
        ("01:59", "01:59", "01:59"),
        ("02:00", "02:00 (heure d'été)", "02:00+02:00"),  # an ambiguous time: the first one
        ("02:00+01:00", "02:00 (heure d'hiver)", "02:00+01:00"),  # the second one, by its offset
        ("02:59", "02:59 (heure d'été)", "02:59+02:00"),
        ("02:59+01:00", "02:59 (heure d'hiver)", "02:59+01:00"),
        ("03:00", "03:00", "03:00"),
    ],
    ids=["0159", "0200-first", "0200-second", "0259-first", "0259-second", "0300"],
)
def test_hours_around_the_autumn_overlap(
    capsys: pytest.CaptureFixture[str], data_dir: Path, day: str, typed: str, label: str, iso: str
) -> None:
    code, out, err = run(capsys, "hours", "--at", f"{day}T{typed}", "--data", str(data_dir))
    assert (code, err) == (0, "")
    dawn = "Aube — ouvert, ferme à 05:00" if typed == "03:00" else "Aube — fermé — ouvre aujourd'hui à 03:00"
    assert out.splitlines() == [
        f"Accueil sans rendez-vous — {DAY_NAME[day]}, {label}",
        "Permanence de nuit — ouvert, ferme à 04:00",
        "    aujourd'hui : 01:00–04:00",
        dawn,
        "    aujourd'hui : 03:00–05:00",
    ]
    objects = run_json(capsys, "hours", "nuit", "--at", f"{day}T{typed}", "--data", str(data_dir))
    assert [(o["at"], o["walk_in_open"], o["closes_at"]) for o in objects] == [
        (f"{day}T{iso}", True, f"{day}T04:00"),
    ]


# -- guichet slots and book ----------------------------------------------------------------------


def slots_of(capsys: pytest.CaptureFixture[str], data_dir: Path, day: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = run_json(
        capsys, "slots", "--agency", "nuit", "--kind", "gca", "--channel", "agence", "--from", day,
        "--to", day, "--limit", "100", "--now", f"{EVE[day]}T12:00", "--data", str(data_dir))
    return found


@pytest.mark.parametrize("day", SPRING)
def test_slots_in_spring(capsys: pytest.CaptureFixture[str], data_dir: Path, day: str) -> None:
    found = slots_of(capsys, data_dir, day)
    starts = [f"{day}T{t}" for t in half_hours("00:00", "01:30") + half_hours("03:00", "23:30")]
    assert [s["start"] for s in found] == starts
    assert [s["end"] for s in found] == [*starts[1:], f"{day[:8]}{int(day[8:]) + 1}T00:00"]


@pytest.mark.parametrize("day", AUTUMN)
def test_slots_in_autumn(capsys: pytest.CaptureFixture[str], data_dir: Path, day: str) -> None:
    found = slots_of(capsys, data_dir, day)
    assert len(found) == 50
    assert [s["start"] for s in found[2:10]] == [
        f"{day}T01:00", f"{day}T01:30", f"{day}T02:00+02:00", f"{day}T02:30+02:00",
        f"{day}T02:00+01:00", f"{day}T02:30+01:00", f"{day}T03:00", f"{day}T03:30",
    ]
    assert [s["end"] for s in found[4:8]] == [
        f"{day}T02:30+02:00", f"{day}T02:00+01:00", f"{day}T02:30+01:00", f"{day}T03:00",
    ]


@pytest.mark.parametrize("day", AUTUMN)
def test_book_each_two_oclock_hour(capsys: pytest.CaptureFixture[str], data_dir: Path, day: str) -> None:
    base = ["book", "--agency", "nuit", "--kind", "gca", "--channel", "agence", "--name", "Camille Dupont",
            "--now", f"{EVE[day]}T12:00", "--data", str(data_dir)]
    first = run_json(capsys, *base, "--at", f"{day}T02:00")
    second = run_json(capsys, *base, "--at", f"{day}T02:00+01:00")
    assert (first["start"], first["end"], first["seat"]) == (f"{day}T02:00+02:00", f"{day}T02:30+02:00", 1)
    assert (second["start"], second["end"], second["seat"]) == (f"{day}T02:00+01:00", f"{day}T02:30+01:00", 1)
    code, out, err = run(capsys, *base, "--at", f"{day}T02:30")
    assert (code, err) == (0, "")
    assert f"Le {DAY_NAME[day]} {day[:4]}, 02:30 (heure d'été)" in out
    sheet = run_json(capsys, "day", "--agency", "nuit", "--date", day, "--now", f"{EVE[day]}T12:00",
                     "--data", str(data_dir))
    assert [(a["start"], a["end"]) for a in sheet] == [
        (f"{day}T02:00+02:00", f"{day}T02:30+02:00"),
        (f"{day}T02:30+02:00", f"{day}T02:00+01:00"),
        (f"{day}T02:00+01:00", f"{day}T02:30+01:00"),
    ]

"""``guichet entrainement`` (issue 18, items 1 and 2): the list, a series run exercise after exercise (the
interface replaced here by a stand-in that returns results), the session summary in French and in JSON,
written to a file only when asked (owner-only), and every bad request one French line with exit code 2."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from guichet.cli import training as cli_training
from guichet.cli.main import main
from guichet.domain.exercise import CheckKind, Exercise, ExerciseResult, Verdict
from guichet.ui import training
from guichet.ui.exercise_file import shipped_exercises


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GUICHET_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def played(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple[int, int]]]:
    """The interface replaced: each exercise « played » meets its first check only, in 60 s and 20 keys."""
    runs: list[tuple[str, tuple[int, int]]] = []

    def run_exercise(exercise: Exercise, *, position: tuple[int, int] = (1, 1), **_: Any) -> training.TrainingRun:
        runs.append((exercise.id, position))
        verdicts = tuple(Verdict(c, i == 0, "") for i, c in enumerate(exercise.checks))
        return training.TrainingRun(ExerciseResult(exercise.id, verdicts, 60.0, 20), go_on=True)

    monkeypatch.setattr(training, "run_exercise", run_exercise)
    monkeypatch.setattr(cli_training, "has_terminal", lambda: True)
    return runs


def test_the_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["entrainement"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 * len(shipped_exercises()) + 1 >= 25
    at = out.index("gca-telephone · au téléphone · 2 vérifications")
    assert out[at + 1] == "    Au téléphone : l'APL n'est pas arrivée"
    assert max(len(line) for line in out) <= 80  # a terminal of 80 columns
    assert out[-1] == "Lancer : guichet entrainement ID [ID…]   ou   guichet entrainement --tous"
    assert main(["entrainement", "--list"]) == 0
    assert "Lancer" not in capsys.readouterr().out


def test_a_series_and_its_summary(played: list[tuple[str, tuple[int, int]]],
                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["entrainement", "gca-telephone", "question-cpam"]) == 0
    assert played == [("gca-telephone", (1, 2)), ("question-cpam", (2, 2))]
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Séance d'entraînement du ")
    assert out[1].startswith("gca-telephone") and "1/2 vérifications · 1 min 00 s · 20 touches" in out[1]
    assert out[-1] == "Total : 2 exercices, 2/5 vérifications, 2 min 00 s, 40 touches."


def test_the_summary_in_json_and_in_a_private_file(played: list[Any], tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "seance.json"
    assert main(["entrainement", "question-cpam", "--json", "--sortie", str(target)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(target.read_text(encoding="utf-8"))
    assert printed["exercises"] == [{"id": "question-cpam", "finished": True, "checks_met": 1, "checks": 3,
                                     "met": [1], "missed": [2, 3], "seconds": 60.0, "keys": 20}]
    assert set(printed) == {"day", "exercises", "totals"}  # exercise ids, checks, times, keys: nothing else
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_no_file_unless_asked(played: list[Any], tmp_path: Path, home: Path) -> None:
    before = set(tmp_path.rglob("*.json"))
    assert main(["entrainement", "--tous"]) == 0
    assert len(played) == len(shipped_exercises())
    assert set(tmp_path.rglob("*.json")) == before


def test_stopping_ends_the_series(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    runs: list[str] = []

    def run_exercise(exercise: Exercise, **_: Any) -> training.TrainingRun:
        runs.append(exercise.id)
        return training.TrainingRun(None, go_on=False)  # left before the end: no result, no next one

    monkeypatch.setattr(training, "run_exercise", run_exercise)
    monkeypatch.setattr(cli_training, "has_terminal", lambda: True)
    assert main(["entrainement", "--tous"]) == 0
    assert len(runs) == 1
    assert "Aucun exercice terminé." in capsys.readouterr().out


@pytest.mark.parametrize(("args", "words"), [
    (["entrainement", "pas-un-exercice"], "aucun exercice de ce nom"),
    (["entrainement", "gca-telephone", "--sortie", "/nulle/part/seance.json"], "n'existe pas"),
    (["entrainement", "gca-telephone"], "il faut un terminal"),
])
def test_bad_requests_are_one_french_line(args: list[str], words: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert words in err and "\n" not in err


def test_a_broken_exercise_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "casse.toml"
    source = next(p for p in shipped_exercises() if p.stem == "gca-telephone").read_text(encoding="utf-8")
    broken.write_text(source.replace('kind = "booking"', 'kind = "rendez-vous"'), encoding="utf-8")
    assert main(["entrainement", str(broken)]) == 2
    err = capsys.readouterr().err.strip()
    assert f"{broken}:18: check[1].kind: unknown value 'rendez-vous'" in err and "\n" not in err
    assert CheckKind.BOOKING.value in err

"""``guichet handoff new`` takes the answers the orientation rules need (004 §I.1, §II.1, §II.4) and the 92's
perimeter conditions (000 p.10, 004 annex 3), and routes the handoff by them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from guichet.cli.main import main

NOW = "2026-11-23T10:00"
BASE = ["handoff", "new", "--name", "Awa Diallo", "--event", "separation", "--event-date", "2026-06-01",
        "--motifs", "Demande d'accompagnement", "--comment", "Séparation récente.", "--phone", "0612345678",
        "--benefit", "ASF", "--consent", "yes", "--json", "--now", NOW]


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUICHET_HOME", str(tmp_path / "home"))
    for name in ("GUICHET_NOW", "GUICHET_DATABASE_URL", "GUICHET_DATA"):
        monkeypatch.delenv(name, raising=False)


def new(capsys: pytest.CaptureFixture[str], *options: str) -> tuple[dict[str, Any], str]:
    assert main([*BASE, *options]) == 0
    out, err = capsys.readouterr()
    return json.loads(out), err


@pytest.mark.parametrize(("options", "destination", "warning"), [
    ((), "service_social_caf", ""),
    # 004 §II.1: « Si le travailleur social CAF a clôturé l'accompagnement social, le CDAS évaluera cette nouvelle
    # demande [...] même si l'évènement se situe toujours dans les 2 ans »
    (("--caf-closed",), "departement", "même si l'évènement se situe toujours dans les 2 ans"),
    # 004 annex 3: « Famille avec enfant à charge ou à naître »
    (("--family", "no"), "departement", "hors du périmètre"),
    # 004 §II.4: « pour des situations connues, uniquement lorsqu'il y a peu ou plus de liens »
    (("--already-followed",), "referent", ""),
    (("--already-followed", "--few-links"), "service_social_caf", "peu ou plus de liens"),
])
def test_the_answers_route_the_handoff(capsys: pytest.CaptureFixture[str], options: tuple[str, ...],
                                       destination: str, warning: str) -> None:
    record, err = new(capsys, *options)
    assert record["destination"] == destination
    assert warning in err
    if not warning:
        assert err == ""


def test_a_bad_answer_is_refused_in_french(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*BASE, "--single-parent", "peut-être"]) == 2
    assert "argument --single-parent : choix invalide" in capsys.readouterr().err

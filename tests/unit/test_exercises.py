"""Training exercises (issue 18): the shipped files load, every rule they quote is in the source they
name, the checks judge what was observed, a broken file is one line with its file, line and key, and
the session summary holds exercise ids, checks, times and keys only."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest

from guichet.catalog import load_catalog
from guichet.domain.clock import PARIS
from guichet.domain.exercise import (
    CardRead,
    Check,
    CheckKind,
    ExerciseResult,
    Observed,
    Summary,
    Verdict,
    describe,
    duration,
    evaluate,
    expected_answer,
    judge,
)
from guichet.domain.followup import HandoffRecord
from guichet.domain.handoff import Destination, HandoffDraft, HandoffStatus
from guichet.domain.models import Appointment, Channel, Kind, Status
from guichet.domain.orientation import Answers, Emergency, orient
from guichet.domain.passage import Item, Outcome, card_outcome
from guichet.domain.perimeter import LifeEvent
from guichet.paths import SHIPPED_DATA
from guichet.tomlcheck import DataError
from guichet.ui.demo_script import load_script, shipped_scripts
from guichet.ui.exercise_file import load_exercise, resolve, shipped_exercises

SEEDS = SHIPPED_DATA.parent.parent / "shared" / "seeds"  # ../shared/seeds beside the checkout
CATALOG = load_catalog()
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)


def _seed_text(text: str) -> str:
    """A source's text as read: PDF hyphenation joined, bullets and spaces flattened, apostrophes plain."""
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text).replace("’", "'").replace("\n\ty ", " ").replace("\u00a0", " ")
    return " ".join(text.split()).casefold()


# -- the shipped exercises -------------------------------------------------------------------------------
def test_at_least_twelve_exercises_load() -> None:
    exercises = [load_exercise(path) for path in shipped_exercises()]
    assert len(exercises) >= 12
    assert len({e.id for e in exercises}) == len(exercises)
    for exercise in exercises:
        assert exercise.checks and exercise.situation.strip() and exercise.source
        assert any(w in exercise.situation for w in ("je ", "Je ", "J'", "j'", "Mon ", "mon ", "Ma ", "ma ")), \
            exercise.id  # told in the first person


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the sources (../shared/seeds) are not beside this checkout")
def test_every_quoted_rule_is_in_its_source() -> None:
    """Each « … » of a check's rule is in the source file it names (pieces around « […] » each)."""
    seeds: dict[str, str] = {}
    for path in shipped_exercises():
        exercise = load_exercise(path)
        for check in exercise.checks:
            found = re.search(r"\d{3}_[0-9a-f]{16}\.txt", check.source)
            assert found, (exercise.id, check.source)
            name = found.group(0)
            if name not in seeds:
                seeds[name] = _seed_text((SEEDS / name).read_text(encoding="utf-8"))
            quotes = re.findall(r"«\s*(.*?)\s*»", check.rule)
            assert quotes, (exercise.id, check.rule)
            for quote in quotes:
                for piece in quote.split("[…]"):
                    piece = _seed_text(piece).strip(" ,;:")
                    assert len(piece) <= 3 or piece in seeds[name], (exercise.id, name, piece)


def test_demo_scripts_and_exercises_share_the_header() -> None:
    """Item 5: one header (title, now, agency, agent, size) and one reader for both kinds of file."""
    script = load_script(shipped_scripts()[0])
    exercise = load_exercise(resolve("gca-telephone"))
    assert (script.now.tzinfo, exercise.now.tzinfo) == (PARIS, PARIS)
    assert exercise.now == NOW and exercise.agency == "nanterre" and exercise.agent == "Camille Martin"


# -- broken files: one line, with the file, the line and the key ---------------------------------------
GOOD = """title = "Un exercice"
now = "2026-11-23T10:00"
agency = "nanterre"
agent = "Camille Martin"
channel = "guichet"
situation = "Je voudrais savoir."
source = "000_fb1f5dfc0eaffb6c.txt"

[[check]]
kind = "service"
services = ["apl-non-versee"]
rule = "« uniquement »"
source = "004_a86ec49ae4cb90e1.txt"
"""


@pytest.mark.parametrize(("old", "new", "line", "key", "words"), [
    ('agency = "nanterre"', 'agency = "lyon"', 3, "agency", "unknown agency 'lyon'"),
    ('now = "2026-11-23T10:00"', 'now = "lundi"', 2, "now", ""),
    ('channel = "guichet"', 'channel = "courrier"', 5, "channel", "unknown value 'courrier'"),
    ('services = ["apl-non-versee"]', 'services = ["apl-pas-versee"]', 11, "check[0].services", "unknown service"),
    ('kind = "service"', 'kind = "horaire"', 10, "check[0].kind", "unknown value 'horaire'"),
    ('rule = "« uniquement »"', 'rule = "uniquement"', 12, "check[0].rule", "quote the source's words"),
    ('services = ["apl-non-versee"]', 'services = ["apl-non-versee"]\nchannel = "telephone"', 12,
     "check[0].channel", "not a key of a 'service' check"),
    ('situation = "Je voudrais savoir."', 'situation = ""', 6, "situation", "must not be empty"),
    ('source = "000_fb1f5dfc0eaffb6c.txt"\n', 'source = "000_fb1f5dfc0eaffb6c.txt"\ncolour = "bleu"\n', 8,
     "colour", "unknown key"),
])
def test_a_broken_exercise_is_one_line_with_file_line_and_key(tmp_path: Path, old: str, new: str, line: int,
                                                             key: str, words: str) -> None:
    assert GOOD.count(old) == 1
    path = tmp_path / "casse.toml"
    path.write_text(GOOD.replace(old, new), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_exercise(path)
    error = caught.value
    assert (error.file, error.line, error.key) == (str(path), line, key)
    assert words in error.message
    assert "\n" not in str(error) and str(error).startswith(f"{path}:{line}: {key}: ")


@pytest.mark.parametrize(("answers", "words"), [
    ('{ emergency = "faim" }', "expected one of: aucune, alimentaire"),
    ('{ parent_seul = true }', "unknown question"),
    ('{ already_followed = "oui" }', "expected true or false"),
])
def test_broken_answers_name_the_question(tmp_path: Path, answers: str, words: str) -> None:
    text = GOOD.replace('kind = "service"\nservices = ["apl-non-versee"]',
                        f'kind = "answers"\nservice = "apl-non-versee"\nanswers = {answers}')
    path = tmp_path / "reponses.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_exercise(path)
    assert caught.value.line == 12 and caught.value.key.startswith("check[0].answers")
    assert words in caught.value.message


def test_a_missing_or_unreadable_exercise(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="exercise not found"):
        load_exercise(tmp_path / "absent.toml")
    bad = tmp_path / "syntaxe.toml"
    bad.write_text(GOOD + "[[check]\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_exercise(bad)
    assert caught.value.line == 14 and "invalid TOML" in caught.value.message
    with pytest.raises(DataError, match="aucun exercice de ce nom"):
        resolve("pas-un-exercice")


def test_a_file_name_is_an_id(tmp_path: Path) -> None:
    path = tmp_path / "Mon Exercice.toml"
    path.write_text(GOOD, encoding="utf-8")
    with pytest.raises(DataError, match="lowercase letters"):
        load_exercise(path)


# -- judging ----------------------------------------------------------------------------------------------
def _read(service_id: str, answers: Answers | None = None) -> CardRead:
    service = CATALOG.service(service_id)
    assert service is not None
    answers = answers or Answers()
    advice = orient(service, answers, CATALOG.perimeter)
    return CardRead(service_id, answers, card_outcome(service, advice.desk, advice.destination))


def _appointment(kind: Kind, channel: Channel, agency: str) -> Appointment:
    return Appointment(1, agency, kind, channel, NOW, NOW, 1, "x", Status.BOOKED, "a", NOW, NOW)


def _handoff(destination: Destination, urgent: bool, consent: bool | None) -> HandoffRecord:
    draft = HandoffDraft(name="x", life_event=LifeEvent.SEPARATION, motifs="m", comment="c", consent=consent)
    return HandoffRecord(1, draft, HandoffStatus.A_TRANSMETTRE, NOW, NOW, "a", urgent, destination, "label")


def test_a_no_expected_is_met_by_a_question_left_unasked_a_yes_is_not() -> None:
    """The rules read « not asked » as « no » (domain.orientation.Answers); a « oui » must be given."""
    assert expected_answer(Answers(), "already_followed", False)
    assert not expected_answer(Answers(), "already_followed", True)
    assert expected_answer(Answers(already_followed=True), "already_followed", True)
    assert not expected_answer(Answers(already_followed=True), "already_followed", False)
    assert expected_answer(Answers(), "emergency", "aucune")
    assert expected_answer(Answers(emergency=Emergency.VIOLENCES), "emergency", "violences")
    assert not expected_answer(Answers(emergency=Emergency.ALIMENTAIRE), "emergency", "violences")


def test_the_referral_is_the_last_card_read() -> None:
    """004 §II.1: « Si le travailleur social CAF a clôturé l'accompagnement social, le CDAS évaluera cette nouvelle
    demande »: the card read with « suivi Caf clôturé » says Département."""
    check = Check(CheckKind.REFERRAL, "« r »", "s", outcome=Outcome.DEPARTEMENT)
    closed = _read("separation-divorce", Answers(caf_closed=True))
    assert judge(check, Observed((closed,))).met
    assert not judge(check, Observed((closed, _read("separation-divorce")))).met  # answered, then undone
    cpam = Check(CheckKind.REFERRAL, "« r »", "s", outcome=Outcome.PARTNER, partner="cpam")
    assert judge(cpam, Observed((_read("cpam"),))).met
    seen = judge(cpam, Observed((_read("cpam"),))).seen
    assert seen == "dernière fiche lue (cpam) : orienté vers un partenaire (CPAM)"
    assert not judge(cpam, Observed()).met


def test_booking_and_handoff_checks() -> None:
    booking = Check(CheckKind.BOOKING, "« r »", "s", booking_kind=Kind.CSU, channel=Channel.TELEPHONE,
                    agencies=("gennevilliers",))
    assert judge(booking, Observed(appointments=(_appointment(Kind.CSU, Channel.TELEPHONE, "gennevilliers"),))).met
    for kind, channel, agency in ((Kind.GCA, Channel.TELEPHONE, "gennevilliers"),
                                  (Kind.CSU, Channel.AGENCE, "gennevilliers"),
                                  (Kind.CSU, Channel.TELEPHONE, "nanterre")):
        verdict = judge(booking, Observed(appointments=(_appointment(kind, channel, agency),)))
        assert not verdict.met and verdict.seen.startswith("rendez-vous : ")
    none = Check(CheckKind.NO_BOOKING, "« r »", "s")
    assert judge(none, Observed()).met
    assert not judge(none, Observed(appointments=(_appointment(Kind.GCA, Channel.TELEPHONE, "nanterre"),))).met
    urgent = Check(CheckKind.HANDOFF, "« r »", "s", destination=Destination.SERVICE_SOCIAL_CAF, urgent=True,
                   consent=True)
    assert judge(urgent, Observed(handoffs=(_handoff(Destination.SERVICE_SOCIAL_CAF, True, True),))).met
    assert not judge(urgent, Observed(handoffs=(_handoff(Destination.SERVICE_SOCIAL_CAF, False, True),))).met
    assert not judge(urgent, Observed(handoffs=(_handoff(Destination.DEPARTEMENT, True, True),))).met
    refused = judge(urgent, Observed(handoffs=(_handoff(Destination.SERVICE_SOCIAL_CAF, True, False),)))
    assert not refused.met and "accord refusé" in refused.seen


def test_evaluate_an_exercise_and_say_what_each_check_asks() -> None:
    exercise = load_exercise(resolve("csu-gennevilliers"))
    done = Observed((_read("creer-mon-compte"),),
                    appointments=(_appointment(Kind.CSU, Channel.TELEPHONE, "gennevilliers"),))
    assert [v.met for v in evaluate(exercise, done)] == [True, True]
    assert [v.met for v in evaluate(exercise, Observed())] == [False, False]
    titles = {s.id: s.title for s in CATALOG.services}
    names = {a.id: a.name for a in CATALOG.agencies}
    words = [describe(c, titles.__getitem__, names.__getitem__) for c in exercise.checks]
    assert words[0].startswith("Lire la fiche « ")
    assert words[1] == "Prendre un rendez-vous avec un conseiller (CSU) par téléphone à Gennevilliers"


# -- the session summary ----------------------------------------------------------------------------------
def _result(exercise_id: str, met: tuple[bool, ...], seconds: float, keys: int) -> ExerciseResult:
    check = Check(CheckKind.HOURS, "« r »", "s")
    return ExerciseResult(exercise_id, tuple(Verdict(check, m, "") for m in met), seconds, keys)


def test_the_summary_holds_ids_checks_times_and_keys_only() -> None:
    summary = Summary((_result("asf-separation", (True, False, True), 125.04, 140),
                       _result("question-cpam", (True, True, True), 42.0, 30)), day=date(2026, 12, 1).isoformat())
    data = summary.as_json()
    assert data == {
        "day": "2026-12-01",
        "exercises": [
            {"id": "asf-separation", "finished": True, "checks_met": 2, "checks": 3, "met": [1, 3], "missed": [2],
             "seconds": 125.0, "keys": 140},
            {"id": "question-cpam", "finished": True, "checks_met": 3, "checks": 3, "met": [1, 2, 3], "missed": [],
             "seconds": 42.0, "keys": 30},
        ],
        "totals": {"exercises": 2, "checks_met": 5, "checks": 6, "seconds": 167.0, "keys": 170},
    }
    json.dumps(data)  # plain JSON
    lines = summary.lines()
    assert lines[0].startswith("asf-separation") and "2/3 vérifications · 2 min 05 s · 140 touches" in lines[0]
    assert lines[-1] == "Total : 2 exercices, 5/6 vérifications, 2 min 47 s, 170 touches."


def test_duration_in_french() -> None:
    assert (duration(45.4), duration(60), duration(125)) == ("45 s", "1 min 00 s", "2 min 05 s")


def test_an_item_from_a_card_is_the_reception_logs() -> None:
    """The referral check reads the card's verdict as the reception log counts it (domain.passage.card_outcome)."""
    assert _read("violences-conjugales", Answers(emergency=Emergency.VIOLENCES)).verdict == \
        Item(Outcome.DEPARTEMENT, "Accueil du service social du Département (urgence)")

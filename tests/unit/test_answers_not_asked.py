"""The card's answers tell "not asked yet" from "no" (issue 14, item 15), and the rules read
"not asked" exactly as they always did (as "no")."""

from __future__ import annotations

from dataclasses import replace

import pytest

from guichet.catalog import load_perimeter, resolve
from guichet.domain.models import Desk, LifeEvent, Orientation, Service
from guichet.domain.orientation import CONDITIONS, QUESTIONS, Answers, Emergency, orient

PERIMETER = load_perimeter(resolve("social_work.toml", None))

SEPARATION = Service(id="s", title="S", category="evenement", summary="Résumé.", source="004",
                     orientation=Orientation(desk=Desk.TRAVAILLEUR_SOCIAL), life_event=LifeEvent.SEPARATION,
                     social_work_event=True)
RIGHTS = Service(id="r", title="R", category="prestation", summary="Résumé.", source="004",
                 orientation=Orientation(desk=Desk.GCA, channel="telephone"), urgency_hint=True)


def test_nothing_is_asked_at_first() -> None:
    answers = Answers()
    assert not any(answers.is_asked(question) for question in QUESTIONS)


def test_a_yes_or_a_no_is_an_answer() -> None:
    for value in (True, False):
        answers = Answers(already_followed=value, out_of_window=value)
        assert answers.is_asked("already_followed") and answers.is_asked("out_of_window")
        assert not answers.is_asked("emergency")


def test_no_emergency_is_an_answer_too() -> None:
    asked_no = replace(Answers(), emergency=None, emergency_asked=True)
    assert asked_no.is_asked("emergency") and asked_no.emergency is None
    assert asked_no != Answers()  # the card repaints when the agent answers "no"


def test_naming_an_emergency_answers_the_question() -> None:
    assert Answers(emergency=Emergency.ENERGIE).is_asked("emergency")
    assert replace(Answers(), emergency=Emergency.VIOLENCES).emergency_asked


def test_an_unknown_question_is_a_bug() -> None:
    with pytest.raises(ValueError):
        Answers().is_asked("age")


@pytest.mark.parametrize("service", [SEPARATION, RIGHTS], ids=["separation", "rights"])
@pytest.mark.parametrize("followed", [None, False, True])
@pytest.mark.parametrize("old", [None, False, True])
def test_not_asked_reads_as_no_in_the_rules(service: Service, followed: bool | None, old: bool | None) -> None:
    """The rules' verdict is the same for "not asked" and "no", and "no emergency" asked or not."""
    as_no = Answers(already_followed=bool(followed), out_of_window=bool(old), emergency_asked=True)
    for answers in (Answers(already_followed=followed, out_of_window=old),
                    Answers(already_followed=followed, out_of_window=old, emergency_asked=True)):
        assert orient(service, answers, PERIMETER) == orient(service, as_no, PERIMETER)


@pytest.mark.parametrize("question", [q for q in QUESTIONS if q not in (*CONDITIONS, "emergency")])
def test_every_yes_no_question_not_asked_reads_as_no(question: str) -> None:
    for service in (SEPARATION, RIGHTS):
        followed = {"already_followed": True} if question in ("few_links", "not_autonomous") else {}
        assert orient(service, Answers(**followed), PERIMETER) == orient(  # type: ignore[arg-type]
            service, Answers(**{**followed, question: False}), PERIMETER)  # type: ignore[arg-type]


def test_a_condition_not_asked_is_presumed_and_said_to_check() -> None:
    """The perimeter's conditions (« famille avec enfant à charge ou à naître », parent seul) are not read as
    "no": the event stays in the perimeter, and the card says « À vérifier » until the agent asks."""
    unasked = orient(SEPARATION, Answers(), PERIMETER)
    assert unasked.social_work_eligible
    assert any(reason.startswith("À vérifier : famille avec enfant") for reason in unasked.reasons)
    assert not orient(SEPARATION, Answers(family=False), PERIMETER).social_work_eligible
    checked = orient(SEPARATION, Answers(family=True), PERIMETER)
    assert checked.social_work_eligible and not any("À vérifier" in r for r in checked.reasons)

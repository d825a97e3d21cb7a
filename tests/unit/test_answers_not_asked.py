"""The card's answers tell "not asked yet" from "no" (issue 14, item 15), and the rules read
"not asked" exactly as they always did (as "no")."""

from __future__ import annotations

from dataclasses import replace

import pytest

from guichet.domain.models import Desk, LifeEvent, Orientation, Service
from guichet.domain.orientation import QUESTIONS, Answers, Emergency, orient

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
        answers = Answers(already_followed=value, event_over_two_years=value)
        assert answers.is_asked("already_followed") and answers.is_asked("event_over_two_years")
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
    as_no = Answers(already_followed=bool(followed), event_over_two_years=bool(old), emergency_asked=True)
    for answers in (Answers(already_followed=followed, event_over_two_years=old),
                    Answers(already_followed=followed, event_over_two_years=old, emergency_asked=True)):
        assert orient(service, answers) == orient(service, as_no)

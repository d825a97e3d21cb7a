"""The first-level orientation rules (004 §I.1, §II.1, annex 3), case by case."""

from __future__ import annotations

import pytest

from guichet.domain.models import Channel, Desk, Kind, LifeEvent, Orientation, Service
from guichet.domain.orientation import (
    DEPARTEMENT,
    DEPARTEMENT_URGENCE,
    Answers,
    Emergency,
    orient,
    questions_for,
)


def service(desk: Desk, *, channel: str | None = None, life_event: LifeEvent | None = None,
            social: bool = False, urgency: bool = False, partner: str | None = None) -> Service:
    return Service(
        id="s", title="S", category="demarche", summary="Résumé.", source="004",
        orientation=Orientation(desk=desk, channel=channel, partner=partner),
        life_event=life_event, social_work_event=social, urgency_hint=urgency,
    )


RIGHTS = service(Desk.GCA, channel="telephone", urgency=True)
SEPARATION = service(Desk.TRAVAILLEUR_SOCIAL, life_event=LifeEvent.SEPARATION, social=True)
GENERIC_SOCIAL = service(Desk.TRAVAILLEUR_SOCIAL)
DEPT_AID = service(Desk.PARTENAIRE, partner=DEPARTEMENT)


def test_caf_rights_go_to_a_gca_by_phone_followed_or_not() -> None:
    for followed in (None, False, True):
        advice = orient(RIGHTS, Answers(already_followed=followed))
        assert advice.desk is Desk.GCA
        assert advice.channel is Channel.TELEPHONE
        assert advice.booking_kind is Kind.GCA
        assert advice.urgency_hint


def test_caf_life_event_goes_to_caf_social_worker() -> None:
    advice = orient(SEPARATION)
    assert advice.desk is Desk.TRAVAILLEUR_SOCIAL
    assert advice.social_work_eligible
    assert advice.offers_handoff
    assert advice.booking_kind is None


def test_person_already_followed_goes_to_their_worker() -> None:
    advice = orient(SEPARATION, Answers(already_followed=True))
    assert advice.desk is Desk.TRAVAILLEUR_SOCIAL
    assert "déjà" in advice.destination


def test_event_older_than_two_years_leaves_the_caf_perimeter() -> None:
    advice = orient(SEPARATION, Answers(event_over_two_years=True))
    assert advice.desk is Desk.PARTENAIRE
    assert advice.destination == DEPARTEMENT
    assert not advice.social_work_eligible
    assert any("plus de 2 ans" in r for r in advice.reasons)


def test_social_need_outside_caf_events_goes_to_departement() -> None:
    advice = orient(GENERIC_SOCIAL)
    assert advice.desk is Desk.PARTENAIRE
    assert advice.destination == DEPARTEMENT


@pytest.mark.parametrize("emergency", list(Emergency))
@pytest.mark.parametrize(
    "svc", [RIGHTS, SEPARATION, GENERIC_SOCIAL, DEPT_AID], ids=["rights", "separation", "social", "dept"]
)
def test_emergencies_go_to_departement_reception(emergency: Emergency, svc: Service) -> None:
    advice = orient(svc, Answers(emergency=emergency))
    assert advice.desk is Desk.PARTENAIRE
    assert advice.destination == DEPARTEMENT_URGENCE
    assert advice.forward_to_caf
    assert any(emergency.label in r for r in advice.reasons)


def test_departement_aid_goes_to_partner() -> None:
    advice = orient(DEPT_AID)
    assert advice.desk is Desk.PARTENAIRE
    assert advice.destination == DEPARTEMENT


def test_questions_depend_on_the_service() -> None:
    assert questions_for(RIGHTS) == ("emergency",)
    assert questions_for(SEPARATION) == ("already_followed", "emergency", "event_over_two_years")
    assert "event_over_two_years" not in questions_for(
        service(Desk.TRAVAILLEUR_SOCIAL, life_event=LifeEvent.IMPAYE_LOYER, social=True)
    )


def test_self_service_keeps_its_desk() -> None:
    advice = orient(service(Desk.EN_LIGNE))
    assert advice.desk is Desk.EN_LIGNE
    assert not advice.offers_handoff


def test_partner_service_stays_with_the_partner_when_already_followed() -> None:
    # Continuity sends a followed person to their worker for a *social* need only: a question
    # for the Département's aid still goes to the Département, and the worker is just told.
    advice = orient(DEPT_AID, Answers(already_followed=True))
    assert advice.desk is Desk.PARTENAIRE
    assert advice.destination == DEPARTEMENT
    assert advice.reasons == (
        "Déjà suivie par un travailleur social : le prévenir de la démarche.",
        f"Orienter vers : {DEPARTEMENT}.",
    )
    assert not advice.social_work_eligible
    assert not advice.offers_handoff


def test_self_service_keeps_its_desk_when_already_followed() -> None:
    advice = orient(service(Desk.EN_LIGNE), Answers(already_followed=True))
    assert advice.desk is Desk.EN_LIGNE
    assert advice.destination == Desk.EN_LIGNE.label
    assert advice.reasons == ("Résumé.",)

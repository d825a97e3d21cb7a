"""The first-level orientation rules (004 §I.1, §II.1, §II.4, §II.5, annex 3) on the 92's social-work
perimeter (000 p.10, data/social_work.toml), case by case, each with its source sentence."""

from __future__ import annotations

import pytest

from guichet.catalog import load_catalog, load_perimeter, resolve
from guichet.domain.models import Channel, Desk, Kind, LifeEvent, Orientation, Service
from guichet.domain.orientation import (
    DEPARTEMENT,
    DEPARTEMENT_URGENCE,
    REFERENT,
    Answers,
    Emergency,
    orient,
    questions_for,
)
from guichet.domain.perimeter import EMPTY

PERIMETER = load_perimeter(resolve("social_work.toml", None))


def service(desk: Desk, *, channel: str | None = None, life_event: LifeEvent | None = None,
            social: bool = False, urgency: bool = False, partner: str | None = None) -> Service:
    return Service(
        id="s", title="S", category="demarche", summary="Résumé.", source="004",
        orientation=Orientation(desk=desk, channel=channel, partner=partner),
        life_event=life_event, social_work_event=social, urgency_hint=urgency,
    )


def event(life_event: LifeEvent) -> Service:
    return service(Desk.TRAVAILLEUR_SOCIAL, life_event=life_event, social=True)


RIGHTS = service(Desk.GCA, channel="telephone", urgency=True)
SEPARATION = event(LifeEvent.SEPARATION)
SINGLE_PARENT_BIRTH = event(LifeEvent.GROSSESSE_NAISSANCE)
CHILD_DISABILITY = event(LifeEvent.HANDICAP_ENFANT)
RENT_ARREARS = event(LifeEvent.IMPAYE_LOYER)
GENERIC_SOCIAL = service(Desk.TRAVAILLEUR_SOCIAL)
DEPT_AID = service(Desk.PARTENAIRE, partner=DEPARTEMENT)


# -- rights: a GCA, « uniquement » (004 §I.1) --------------------------------------------------------
def test_caf_rights_go_to_a_gca_by_phone_followed_or_not() -> None:
    """004 §I.1: « si elle concerne les droits et prestations CAF, l'orientation doit se faire uniquement auprès
    des gestionnaires conseil allocataire CAF [...] que la personne soit connue ou non d'un travailleur social »."""
    for followed in (None, False, True):
        advice = orient(RIGHTS, Answers(already_followed=followed), PERIMETER)
        assert advice.desk is Desk.GCA
        assert advice.channel is Channel.TELEPHONE
        assert advice.booking_kind is Kind.GCA
        assert advice.urgency_hint


def test_a_person_not_autonomous_and_followed_goes_to_their_worker_even_for_rights() -> None:
    """004 §I.1: « Lorsque les personnes ne sont pas autonomes et qu'un accompagnement par un travailleur social est
    en cours, il y a lieu de les orienter prioritairement vers ce travailleur social »."""
    advice = orient(RIGHTS, Answers(already_followed=True, not_autonomous=True), PERIMETER)
    assert advice.desk is Desk.TRAVAILLEUR_SOCIAL
    assert advice.destination == REFERENT
    assert "« prioritairement vers ce travailleur social »" in advice.reasons[0]
    # not autonomous but followed by nobody: the rule does not apply, the GCA stays
    assert orient(RIGHTS, Answers(already_followed=False, not_autonomous=True), PERIMETER).desk is Desk.GCA
    assert questions_for(RIGHTS, Answers(already_followed=True), PERIMETER) == (
        "already_followed", "not_autonomous", "emergency")


# -- the 92's perimeter (000 p.10) and its windows (004 annex 2) ----------------------------------------
def test_caf_life_event_goes_to_caf_social_worker_within_two_years() -> None:
    """004 annex 2: « dans les deux ans suivant la date de l'évènement en ce qui concerne les séparations et les
    situations de décès »."""
    advice = orient(SEPARATION, Answers(family=True), PERIMETER)
    assert advice.desk is Desk.TRAVAILLEUR_SOCIAL
    assert advice.social_work_eligible and advice.offers_handoff
    assert advice.booking_kind is None
    assert advice.reasons == ("Événement du périmètre du service social de la Caf (dans les 2 ans suivant "
                              "l'événement) : travailleur social de la Caf en priorité.",)


def test_a_single_parents_birth_counts_until_the_child_is_one() -> None:
    """004 annex 2: « jusqu'aux 1 an de l'enfant pour les familles monoparentales » (not « 2 ans »)."""
    advice = orient(SINGLE_PARENT_BIRTH, Answers(single_parent=True), PERIMETER)
    assert advice.desk is Desk.TRAVAILLEUR_SOCIAL
    assert "(jusqu'à 1 an de l'enfant)" in advice.reasons[0]
    assert not any("2 ans" in reason for reason in advice.reasons)
    older = orient(SINGLE_PARENT_BIRTH, Answers(single_parent=True, out_of_window=True), PERIMETER)
    assert older.destination == DEPARTEMENT
    assert older.reasons[0].startswith("Enfant de plus de 1 an : hors du périmètre")


def test_no_window_where_the_sources_give_none() -> None:
    """000 p.10 lists « impayés de loyer » with no window, and 004 gives none: none is printed or asked."""
    advice = orient(RENT_ARREARS, Answers(family=True), PERIMETER)
    assert advice.desk is Desk.TRAVAILLEUR_SOCIAL
    assert advice.reasons == ("Événement du périmètre du service social de la Caf : travailleur social de la Caf "
                              "en priorité.",)
    assert "out_of_window" not in advice.questions


def test_event_out_of_its_window_leaves_the_caf_perimeter() -> None:
    advice = orient(SEPARATION, Answers(out_of_window=True), PERIMETER)
    assert advice.desk is Desk.PARTENAIRE
    assert advice.destination == DEPARTEMENT
    assert not advice.social_work_eligible
    assert advice.reasons[0].startswith("Événement de plus de 2 ans : hors du périmètre")


def test_child_disability_is_in_the_perimeter_for_a_single_parent_only() -> None:
    """000 p.10: « parents seuls dans une situation vulnérable (grossesse, naissance, handicap de l'enfant,
    nouvelle affiliation, baisse de revenus) »: a couple with a disabled child is not in it."""
    unknown = orient(CHILD_DISABILITY, Answers(), PERIMETER)
    assert unknown.desk is Desk.TRAVAILLEUR_SOCIAL
    assert "À vérifier : parent seul (condition du périmètre)." in unknown.reasons
    assert "single_parent" in unknown.questions
    couple = orient(CHILD_DISABILITY, Answers(single_parent=False), PERIMETER)
    assert couple.desk is Desk.PARTENAIRE and couple.destination == DEPARTEMENT
    assert not couple.social_work_eligible
    alone = orient(CHILD_DISABILITY, Answers(single_parent=True), PERIMETER)
    assert alone.desk is Desk.TRAVAILLEUR_SOCIAL and not any("À vérifier" in r for r in alone.reasons)


def test_the_family_condition() -> None:
    """004 annex 3: « Famille avec enfant à charge ou à naître dans un délai de 2 ans suivant l'évènement »."""
    unknown = orient(SEPARATION, Answers(), PERIMETER)
    assert ("À vérifier : famille avec enfant à charge ou à naître (condition du périmètre)."
            in unknown.reasons)
    childless = orient(SEPARATION, Answers(family=False), PERIMETER)
    assert childless.destination == DEPARTEMENT and not childless.social_work_eligible
    # a single parent has a child, or expects one: the question is not asked
    assert "family" not in questions_for(SINGLE_PARENT_BIRTH, None, PERIMETER)


def test_the_death_of_a_parent_is_not_in_the_92s_list() -> None:
    """000 p.10: « deuil du conjoint ou de l'enfant » (004's « Décès d'un des parents au sein d'une famille » is
    the 35's list)."""
    advice = orient(event(LifeEvent.DECES_PARENT), Answers(), PERIMETER)
    assert advice.desk is Desk.PARTENAIRE and advice.destination == DEPARTEMENT
    assert not advice.social_work_eligible
    assert "voir « Décès du conjoint »" in advice.reasons[0]
    for grief in (LifeEvent.DECES_CONJOINT, LifeEvent.DECES_ENFANT):
        assert orient(event(grief), Answers(family=True), PERIMETER).desk is Desk.TRAVAILLEUR_SOCIAL


@pytest.mark.parametrize("life_event", [LifeEvent.VIOLENCES, LifeEvent.ACCES_DROITS_URGENCE])
def test_the_92s_own_events(life_event: LifeEvent) -> None:
    """000 p.10: « Spécifiquement dans les Hauts-de-Seine, les travailleurs sociaux peuvent aussi intervenir dans
    les situations de violences conjugales et pour l'accès accès aux droits pour les situations d'urgence »."""
    advice = orient(event(life_event), Answers(), PERIMETER)
    assert advice.desk is Desk.TRAVAILLEUR_SOCIAL and advice.social_work_eligible
    assert advice.questions == ("already_followed", "emergency", "caf_closed")  # no window, no condition stated


def test_without_a_perimeter_no_event_is_in_it() -> None:
    assert orient(SEPARATION, Answers(), EMPTY).destination == DEPARTEMENT


# -- continuity, closed accompaniment, few links (004 §II.1, §II.4) ---------------------------------------
def test_person_already_followed_goes_to_their_worker() -> None:
    """004 §II.1: « la priorité est donc d'orienter vers le travailleur social qui accompagne déjà la personne »."""
    advice = orient(SEPARATION, Answers(already_followed=True), PERIMETER)
    assert advice.desk is Desk.TRAVAILLEUR_SOCIAL
    assert advice.destination == REFERENT


def test_a_known_situation_moves_only_when_there_are_few_links() -> None:
    """004 §II.4: « pour des situations connues, uniquement lorsqu'il y a peu ou plus de liens »."""
    advice = orient(SEPARATION, Answers(already_followed=True, few_links=True, family=True), PERIMETER)
    assert advice.desk is Desk.TRAVAILLEUR_SOCIAL and advice.destination == Desk.TRAVAILLEUR_SOCIAL.label
    assert "« uniquement lorsqu'il y a peu ou plus de liens »" in advice.reasons[0]
    assert questions_for(SEPARATION, Answers(already_followed=True), PERIMETER)[:2] == (
        "already_followed", "few_links")


def test_a_closed_caf_accompaniment_goes_to_the_departement() -> None:
    """004 §II.1: « Si le travailleur social CAF a clôturé l'accompagnement social, le CDAS évaluera cette
    nouvelle demande [...] même si l'évènement se situe toujours dans les 2 ans »."""
    advice = orient(SEPARATION, Answers(caf_closed=True, family=True), PERIMETER)
    assert advice.desk is Desk.PARTENAIRE and advice.destination == DEPARTEMENT
    assert not advice.social_work_eligible
    assert "« même si l'évènement se situe toujours dans les 2 ans »" in advice.reasons[0]


def test_social_need_outside_caf_events_goes_to_departement() -> None:
    advice = orient(GENERIC_SOCIAL, Answers(), PERIMETER)
    assert advice.desk is Desk.PARTENAIRE
    assert advice.destination == DEPARTEMENT


# -- social emergencies (004 §II.5) -------------------------------------------------------------------
@pytest.mark.parametrize("emergency", list(Emergency))
@pytest.mark.parametrize(
    "svc", [RIGHTS, SEPARATION, GENERIC_SOCIAL, DEPT_AID], ids=["rights", "separation", "social", "dept"]
)
def test_an_emergency_of_a_followed_person_goes_to_the_referent(emergency: Emergency, svc: Service) -> None:
    """004 §II.5: « La demande sera prioritairement traitée par le référent social. » and « En cours
    d'accompagnement, le service social de la CAF s'organise pour traiter les demandes urgentes même en
    l'absence de la personne référente. » (the old rule sent them all to the Département's reception)"""
    advice = orient(svc, Answers(emergency=emergency, already_followed=True), PERIMETER)
    assert advice.desk is Desk.TRAVAILLEUR_SOCIAL
    assert advice.destination == REFERENT
    assert not advice.forward_to_caf
    assert advice.reasons == (
        f"Urgence sociale ({emergency.label}) : « La demande sera prioritairement traitée par le référent social ».",
        "Suivie par la Caf : « en cours d'accompagnement, le service social de la CAF s'organise pour traiter les "
        "demandes urgentes même en l'absence de la personne référente ».",
    )
    assert not advice.urgency_hint  # a social emergency is not an URGENCE DEFINIE


@pytest.mark.parametrize("emergency", list(Emergency))
@pytest.mark.parametrize(
    "svc", [RIGHTS, SEPARATION, GENERIC_SOCIAL, DEPT_AID], ids=["rights", "separation", "social", "dept"]
)
def test_an_emergency_of_a_person_followed_by_nobody_goes_to_the_departement(emergency: Emergency,
                                                                             svc: Service) -> None:
    """004 §II.5: « Le service social de la CAF n'est pas doté d'une organisation permettant de recevoir en urgence
    une personne qui ne serait pas encore accompagnée »; the Département's reception « dans le cadre d'une première
    demande (situation connue d'aucun service) » organises the answer and relays the appointment request « auprès
    du secrétariat du service social de la CAF en vue d'un accompagnement » — for an event of the CAF perimeter
    only."""
    advice = orient(svc, Answers(emergency=emergency), PERIMETER)
    assert advice.desk is Desk.PARTENAIRE
    assert advice.destination == DEPARTEMENT_URGENCE
    assert advice.forward_to_caf is (svc is SEPARATION)
    assert emergency.label in advice.reasons[0]
    assert not advice.urgency_hint


def test_no_relay_for_a_known_situation() -> None:
    """« situation connue d'aucun service »: a CAF accompaniment already closed is a known situation."""
    advice = orient(SEPARATION, Answers(emergency=Emergency.ENERGIE, caf_closed=True), PERIMETER)
    assert advice.destination == DEPARTEMENT_URGENCE and not advice.forward_to_caf
    assert not orient(SEPARATION, Answers(emergency=Emergency.ENERGIE, out_of_window=True), PERIMETER).forward_to_caf


# -- URGENCE DEFINIE is about access to rights only (004 §I.2) ----------------------------------------------
def test_only_access_to_rights_services_hint_at_urgence_definie() -> None:
    """004 §I.2: « L'urgence est définie par : toute interruption ou forte diminution de prestation AAH ou RSA ;
    pour toute autre prestation : une interruption de versement depuis 3 mois ». The social emergencies (§II.5:
    « l'aide alimentaire, l'absence de logement ou d'hébergement, la menace de coupures d'énergie, la protection
    de l'enfance, les violences conjugales ») are not it."""
    catalog = load_catalog()
    hinted = {s.id for s in catalog.services if s.urgency_hint}
    assert hinted == {"paiement-non-recu", "apl-non-versee", "rsa-non-verse", "aah-non-versee",
                      "prime-activite-non-versee", "baisse-montant", "acces-droits-urgence"}
    for social_emergency in ("aide-alimentaire", "hebergement-urgence", "coupure-energie", "protection-enfance",
                             "violences-conjugales", "impaye-loyer", "expulsion-locative"):
        assert not orient(catalog.service(social_emergency), None, catalog.perimeter).urgency_hint  # type: ignore[arg-type]


# -- the questions, the partners, the rest ------------------------------------------------------------------
def test_questions_depend_on_the_service() -> None:
    assert questions_for(RIGHTS, None, PERIMETER) == ("already_followed", "emergency")
    assert questions_for(SEPARATION, None, PERIMETER) == (
        "already_followed", "emergency", "caf_closed", "out_of_window", "family")
    assert questions_for(SINGLE_PARENT_BIRTH, None, PERIMETER) == (
        "already_followed", "emergency", "caf_closed", "out_of_window", "single_parent")
    assert questions_for(RENT_ARREARS, None, PERIMETER) == ("already_followed", "emergency", "caf_closed", "family")
    assert questions_for(service(Desk.EN_LIGNE), None, PERIMETER) == ("emergency",)


def test_departement_aid_goes_to_partner() -> None:
    advice = orient(DEPT_AID, Answers(), PERIMETER)
    assert advice.desk is Desk.PARTENAIRE
    assert advice.destination == DEPARTEMENT


def test_the_departements_centre_is_not_named_where_the_sources_do_not_name_it() -> None:
    """DOMAIN.md, "Facts from other départements": CDAS is the 35's (004); the sources do not name the 92's."""
    for label in (DEPARTEMENT, DEPARTEMENT_URGENCE):
        assert "EDS" not in label and "CDAS" not in label and "solidarités" not in label
    shown = load_catalog().service("departement-eds")
    assert shown is not None
    assert "EDS" not in f"{shown.title} {shown.summary} {shown.orientation.partner}"
    assert "en Ille-et-Vilaine : le CDAS" in shown.summary


def test_facts_from_other_departements_are_not_the_92s() -> None:
    """004 gives the 3230's hours for Ille-et-Vilaine (« Du lundi au vendredi de 9 h à 16 h 30 »); 000 gives none
    for the 92. 003 says the PCB is « porté par l'Union départementale des Associations familiales (UDAF) en
    Seine-Saint-Denis »."""
    catalog = load_catalog()
    phone = catalog.service("contacter-caf")
    assert phone is not None
    shown = f"{phone.summary} {phone.orientation.note}"
    assert "16h30" not in shown and "lundi au vendredi" not in shown
    assert "ne donne pas les horaires du 3230" in shown
    budget = catalog.service("point-conseil-budget")
    assert budget is not None and "En Seine-Saint-Denis (003), porté par l'UDAF" in budget.summary


def test_self_service_keeps_its_desk() -> None:
    advice = orient(service(Desk.EN_LIGNE), Answers(), PERIMETER)
    assert advice.desk is Desk.EN_LIGNE
    assert not advice.offers_handoff


def test_partner_service_stays_with_the_partner_when_already_followed() -> None:
    # Continuity sends a followed person to their worker for a *social* need only: a question
    # for the Département's aid still goes to the Département, and the worker is just told.
    advice = orient(DEPT_AID, Answers(already_followed=True), PERIMETER)
    assert advice.desk is Desk.PARTENAIRE
    assert advice.destination == DEPARTEMENT
    assert advice.reasons == (
        "Déjà suivie par un travailleur social : le prévenir de la démarche.",
        f"Orienter vers : {DEPARTEMENT}.",
    )
    assert not advice.social_work_eligible
    assert not advice.offers_handoff


def test_self_service_keeps_its_desk_when_already_followed() -> None:
    advice = orient(service(Desk.EN_LIGNE), Answers(already_followed=True), PERIMETER)
    assert advice.desk is Desk.EN_LIGNE
    assert advice.destination == Desk.EN_LIGNE.label
    assert advice.reasons == ("Résumé.",)

"""Handoffs to a social worker: urgency, destination, validation, the message (004 §I.2, §II.1, annexes 1 and 3)."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from datetime import date, timedelta
from itertools import product
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.catalog import BENEFITS, load_perimeter, resolve
from guichet.domain.handoff import (
    ALLOWED,
    CONSENT_MISSING,
    LIFE_EVENT_LABELS,
    SUSPENSION_WARNING,
    Contact,
    Destination,
    HandoffDraft,
    HandoffStatus,
    Qualification,
    Specificity,
    can_move,
    mentions_suspension,
    problems,
    validate,
)
from guichet.domain.handoff import qualify as qualify_on
from guichet.domain.handoff_message import render_message, signature
from guichet.domain.models import LifeEvent
from guichet.domain.orientation import DEPARTEMENT, DEPARTEMENT_URGENCE, Emergency
from guichet.domain.rights import BENEFIT_LABELS, RIGHTS_URGENCY_NOT_CARRIED, long_date
from guichet.errors import InvalidInput

TODAY = date(2026, 11, 23)  # Monday 23 November 2026, as in tests/conftest.py
GOLDEN = Path(__file__).parent / "golden"
PERIMETER = load_perimeter(resolve("social_work.toml", None))  # the shipped perimeter of the 92


def qualify(d: HandoffDraft, today: date) -> Qualification:
    """The rules on the shipped perimeter (data/social_work.toml), as the services apply them."""
    return qualify_on(d, today, PERIMETER)


def draft(**changes: Any) -> HandoffDraft:
    """A complete, agreed, non-urgent handoff about a recent separation; ``changes`` override it."""
    base = HandoffDraft(
        name="Awa Diallo", life_event=LifeEvent.SEPARATION, motifs="Demande d'accompagnement",
        comment="Séparation récente, deux enfants : la personne souhaite être accompagnée.",
        benefits=("ASF",), file_number="1234567", phone="0612345678", event_date=date(2026, 6, 1), consent=True,
        family=True,  # « Famille avec enfant à charge ou à naître » (004): the two children
    )
    return replace(base, **changes)


def months_ago(months: int, day: int = TODAY.day) -> date:
    year, month = divmod(TODAY.year * 12 + TODAY.month - 1 - months, 12)
    return date(year, month + 1, day)


# -- urgency and destination, case by case, in the convention's words ------------------------------
D = Destination
CASES = [
    # 004 §I.2: "toute interruption ou forte diminution de prestation AAH ou RSA"
    pytest.param({"benefits": ("RSA",), "non_payment_since": date(2026, 11, 5)}, True, D.SERVICE_SOCIAL_CAF,
                 id="RSA interrompu depuis 18 jours → URGENCE DEFINIE"),
    pytest.param({"benefits": ("RSA",), "sharp_drop": True}, True, D.SERVICE_SOCIAL_CAF,
                 id="RSA en forte diminution → URGENCE DEFINIE"),
    pytest.param({"benefits": ("AAH",), "non_payment_since": date(2026, 11, 1)}, True, D.SERVICE_SOCIAL_CAF,
                 id="AAH interrompue → URGENCE DEFINIE"),
    pytest.param({"benefits": ("AAH",), "sharp_drop": True}, True, D.SERVICE_SOCIAL_CAF,
                 id="AAH en forte baisse → URGENCE DEFINIE"),
    pytest.param({"benefits": ("AAH", "APL"), "sharp_drop": True}, True, D.SERVICE_SOCIAL_CAF,
                 id="AAH en baisse avec l'APL → URGENCE DEFINIE"),
    pytest.param({"benefits": ("RSA",)}, False, D.SERVICE_SOCIAL_CAF,
                 id="RSA versé sans baisse → pas d'urgence"),
    # 004 §I.2: "pour toute autre prestation : une interruption de versement depuis 3 mois"
    pytest.param({"benefits": ("APL",), "non_payment_since": months_ago(2)}, False, D.SERVICE_SOCIAL_CAF,
                 id="APL non versée depuis 2 mois → pas d'urgence"),
    pytest.param({"benefits": ("APL",), "non_payment_since": months_ago(3)}, True, D.SERVICE_SOCIAL_CAF,
                 id="APL non versée depuis 3 mois → urgence"),
    pytest.param({"benefits": ("APL",), "non_payment_since": months_ago(3, 24)}, False, D.SERVICE_SOCIAL_CAF,
                 id="APL non versée depuis 3 mois moins un jour → pas d'urgence"),
    pytest.param({"benefits": ("ASF",), "non_payment_since": months_ago(6)}, True, D.SERVICE_SOCIAL_CAF,
                 id="ASF non versée depuis 6 mois → urgence"),
    pytest.param({"benefits": ("PPA",), "non_payment_since": months_ago(4)}, True, D.SERVICE_SOCIAL_CAF,
                 id="prime d'activité non versée depuis 4 mois → urgence"),
    pytest.param({"benefits": ("APL",), "sharp_drop": True}, False, D.SERVICE_SOCIAL_CAF,
                 id="APL en baisse sans interruption → pas d'urgence (seuls AAH et RSA)"),
    pytest.param({"benefits": ("AF", "CF")}, False, D.SERVICE_SOCIAL_CAF,
                 id="aucun non-paiement → pas d'urgence"),
    # 004 annex 2 / annex 3: CAF perimeter "dans les deux ans suivant la date de l'évènement"
    pytest.param({"event_date": months_ago(23)}, False, D.SERVICE_SOCIAL_CAF,
                 id="séparation il y a 23 mois → service social Caf"),
    pytest.param({"event_date": months_ago(25)}, False, D.DEPARTEMENT,
                 id="séparation il y a 25 mois → Département, hors périmètre"),
    pytest.param({"event_date": date(2024, 11, 23)}, False, D.SERVICE_SOCIAL_CAF,
                 id="séparation il y a exactement 2 ans → service social Caf (dernier jour)"),
    pytest.param({"event_date": date(2024, 11, 22)}, False, D.DEPARTEMENT,
                 id="séparation il y a 2 ans et 1 jour → Département"),
    pytest.param({"event_date": date(2027, 1, 15)}, False, D.SERVICE_SOCIAL_CAF,
                 id="projet de séparation → service social Caf"),
    pytest.param({"life_event": LifeEvent.DECES_CONJOINT, "event_date": months_ago(12)}, False, D.SERVICE_SOCIAL_CAF,
                 id="décès du conjoint il y a 1 an → service social Caf"),
    pytest.param({"life_event": LifeEvent.DECES_ENFANT, "event_date": months_ago(36)}, False, D.DEPARTEMENT,
                 id="décès d'un enfant il y a 3 ans → Département"),
    # 000 p.10: the 92's list says « deuil du conjoint ou de l'enfant », not the death of a parent
    pytest.param({"life_event": LifeEvent.DECES_PARENT, "event_date": None}, False, D.DEPARTEMENT,
                 id="décès d'un parent → pas dans la liste du 92 → Département"),
    pytest.param({"life_event": LifeEvent.GROSSESSE_NAISSANCE, "event_date": date(2027, 2, 1),
                  "single_parent": True}, False,
                 D.SERVICE_SOCIAL_CAF, id="arrivée d'un enfant dans une famille monoparentale → service social Caf"),
    pytest.param({"life_event": LifeEvent.IMPAYE_LOYER, "event_date": months_ago(2)}, False, D.SERVICE_SOCIAL_CAF,
                 id="impayés de loyer → service social Caf"),
    pytest.param({"life_event": LifeEvent.AUTRE, "event_date": None}, False, D.DEPARTEMENT,
                 id="accompagnement hors événements de vie Caf → service social généraliste du Département"),
    # 004 §II.1: "la priorité est donc d'orienter vers le travailleur social qui accompagne déjà la personne"
    pytest.param({"already_followed": True, "referent": "Mme Le Goff"}, False, D.REFERENT,
                 id="personne déjà suivie → son référent"),
    pytest.param({"already_followed": True, "event_date": months_ago(30)}, False, D.REFERENT,
                 id="personne déjà suivie, événement de plus de 2 ans → son référent (continuité)"),
    pytest.param({"partner": "CIDFF des Hauts-de-Seine", "life_event": LifeEvent.AUTRE}, False, D.PARTENAIRE,
                 id="information juridique → partenaire (CIDFF)"),
    # 004 annex 3: the CAF social service cannot receive in emergency someone it does not follow
    pytest.param({"emergency": Emergency.VIOLENCES, "life_event": LifeEvent.VIOLENCES}, False, D.DEPARTEMENT_URGENCE,
                 id="violences conjugales (urgence) → accueil d'urgence du Département + transmission"),
    pytest.param({"emergency": Emergency.ALIMENTAIRE}, False, D.DEPARTEMENT_URGENCE,
                 id="aide alimentaire → accueil d'urgence du Département + transmission"),
    pytest.param({"emergency": Emergency.SANS_LOGEMENT}, False, D.DEPARTEMENT_URGENCE,
                 id="absence de logement → accueil d'urgence du Département + transmission"),
    pytest.param({"emergency": Emergency.ENERGIE}, False, D.DEPARTEMENT_URGENCE,
                 id="menace de coupure d'énergie → accueil d'urgence du Département + transmission"),
    pytest.param({"emergency": Emergency.PROTECTION_ENFANCE}, False, D.DEPARTEMENT_URGENCE,
                 id="protection de l'enfance → accueil d'urgence du Département + transmission"),
    # 004 §II.5: « La demande sera prioritairement traitée par le référent social. »
    pytest.param({"emergency": Emergency.ALIMENTAIRE, "already_followed": True, "referent": "M. Roux"}, False,
                 D.REFERENT, id="urgence sociale d'une personne déjà suivie → son référent"),
    # URGENCE DEFINIE asks the benefits service for priority: never carried to the Département
    pytest.param({"emergency": Emergency.SANS_LOGEMENT, "benefits": ("RSA",), "non_payment_since": months_ago(1)},
                 False, D.DEPARTEMENT_URGENCE,
                 id="RSA interrompu et sans logement → accueil d'urgence, sans le mot clé URGENCE DEFINIE"),
]


@pytest.mark.parametrize(("changes", "urgent", "destination"), CASES)
def test_urgency_and_destination(changes: dict[str, Any], urgent: bool, destination: Destination) -> None:
    q = qualify(draft(**changes), TODAY)
    assert q.urgent is urgent
    assert q.urgent is (q.rights_urgency and destination is Destination.SERVICE_SOCIAL_CAF)
    assert bool(q.urgency_reasons) is q.rights_urgency
    assert q.destination is destination
    assert q.forward_to_caf is (destination is Destination.DEPARTEMENT_URGENCE and q.in_perimeter)
    assert problems(draft(**changes), TODAY) == []  # every case is a draft that can be saved


def test_urgency_reasons_are_french_with_agreement() -> None:
    benefits = ("RSA", "AAH", "APL", "CF", "AF", "PRIME_NAISSANCE")
    q = qualify(draft(benefits=benefits, non_payment_since=date(2026, 8, 1)), TODAY)
    assert q.urgency_reasons == (
        "RSA interrompu ou en forte baisse",
        "AAH interrompue ou en forte baisse",
        "APL non versée depuis le 1er août 2026 (3 mois)",
        "CF non versé depuis le 1er août 2026 (3 mois)",
        "AF non versées depuis le 1er août 2026 (3 mois)",
        "Prime à la naissance non versée depuis le 1er août 2026 (3 mois)",
    )


def test_urgency_counts_whole_calendar_months() -> None:
    q = qualify(draft(benefits=("ALS",), non_payment_since=date(2025, 12, 24)), TODAY)
    assert q.urgency_reasons == ("ALS non versée depuis le 24 décembre 2025 (10 mois)",)
    # the 31st + 3 months is the last day of the month: 31 August → 30 November
    assert not qualify(draft(benefits=("APL",), non_payment_since=date(2026, 8, 31)), date(2026, 11, 29)).urgent
    assert qualify(draft(benefits=("APL",), non_payment_since=date(2026, 8, 31)), date(2026, 11, 30)).urgent


@given(st.dates(min_value=date(2020, 1, 1), max_value=TODAY))
def test_other_benefits_are_urgent_from_three_calendar_months(since: date) -> None:
    assert qualify(draft(benefits=("APL",), non_payment_since=since), TODAY).urgent is (since <= date(2026, 8, 23))


@given(st.dates(min_value=date(2020, 1, 1), max_value=TODAY))
def test_the_window_is_two_years_after_the_event(event: date) -> None:
    q = qualify(draft(event_date=event), TODAY)
    assert q.in_perimeter is (event >= date(2024, 11, 23))
    assert q.destination is (Destination.SERVICE_SOCIAL_CAF if q.in_perimeter else Destination.DEPARTEMENT)


def test_window_boundaries() -> None:
    entry = PERIMETER.entry(LifeEvent.SEPARATION)
    assert entry is not None
    window = entry.window
    assert window.covers(date(2024, 11, 23), TODAY)  # exactly 2 years: still within
    assert not window.covers(date(2024, 11, 22), TODAY)
    assert window.covers(None, TODAY)
    assert window.covers(date(2024, 2, 29), date(2026, 2, 28))  # 29 February + 2 years = 28 February
    assert not window.covers(date(2024, 2, 29), date(2026, 3, 1))


def test_destination_labels() -> None:
    assert qualify(draft(), TODAY).destination_label == "Service social de la Caf"
    assert qualify(draft(event_date=months_ago(30)), TODAY).destination_label == DEPARTEMENT
    assert qualify(draft(emergency=Emergency.ENERGIE), TODAY).destination_label == DEPARTEMENT_URGENCE
    followed = qualify(draft(already_followed=True, referent="Mme Le Goff"), TODAY)
    assert followed.destination_label == "Travailleur social référent : Mme Le Goff"
    unnamed = qualify(draft(already_followed=True), TODAY)
    assert unnamed.destination_label == "Le travailleur social qui suit déjà la personne"
    assert qualify(draft(partner=" CIDFF "), TODAY).destination_label == "CIDFF"


def test_out_of_perimeter_warnings() -> None:
    old = qualify(draft(event_date=months_ago(25)), TODAY)
    assert not old.in_perimeter
    assert old.warnings == ("Événement de plus de 2 ans : hors du périmètre du service social de la Caf, orientez "
                            "vers le service social du Département.",)  # once, not twice
    other = qualify(draft(life_event=LifeEvent.AUTRE), TODAY)
    assert other.warnings == ("Événement hors du périmètre du service social de la Caf, orientez vers le service "
                              "social du Département.",)
    assert qualify(draft(), TODAY).warnings == ()


def test_emergency_for_a_followed_person_goes_to_the_referent() -> None:
    """004 §II.5: « La demande sera prioritairement traitée par le référent social. » (the old rule sent
    every emergency to the Département's reception)"""
    q = qualify(draft(emergency=Emergency.VIOLENCES, already_followed=True), TODAY)
    assert q.destination is Destination.REFERENT
    assert not q.forward_to_caf
    assert q.warnings == ("Urgence sociale d'une personne suivie : « La demande sera prioritairement traitée par "
                          "le référent social ».",)


# -- URGENCE DEFINIE: access to rights, to the CAF only (004 §I.2) ----------------------------------------
def test_urgence_definie_is_carried_only_to_the_caf_social_service() -> None:
    """004 §I.2: « Dans le cas des situations urgentes d'accès aux droits, la CAF met à la disposition des
    professionnels des CDAS un contact privilégié » — the keyword asks the CAF's benefits service for priority;
    a message to the Département never carries it."""
    urgent = dict(benefits=("RSA",), sharp_drop=True)
    to_caf = qualify(draft(**urgent), TODAY)
    assert to_caf.destination is Destination.SERVICE_SOCIAL_CAF and to_caf.urgent and to_caf.rights_urgency
    for changes in ({"family": False}, {"life_event": LifeEvent.AUTRE}, {"emergency": Emergency.ALIMENTAIRE},
                    {"already_followed": True}, {"partner": "CIDFF"}):
        q = qualify(draft(**urgent, **changes), TODAY)
        assert q.destination is not Destination.SERVICE_SOCIAL_CAF
        assert not q.urgent and q.rights_urgency
        assert q.urgency_reasons == ("RSA interrompu ou en forte baisse",)
        assert RIGHTS_URGENCY_NOT_CARRIED in q.warnings
    assert RIGHTS_URGENCY_NOT_CARRIED not in to_caf.warnings


def test_the_body_says_interruption_where_annex_1_says_rupture_ou_diminution() -> None:
    """004 §I.2 (the body): « pour toute autre prestation : une interruption de versement depuis 3 mois »; annex 1
    says « une rupture ou une diminution de versement depuis 3 mois sur une autre prestation ». guichet follows the
    body: a mere drop of a benefit other than AAH or RSA is not urgent."""
    assert not qualify(draft(benefits=("APL",), sharp_drop=True), TODAY).rights_urgency
    assert qualify(draft(benefits=("AAH",), sharp_drop=True), TODAY).rights_urgency  # « forte diminution »


def test_an_emergency_is_relayed_to_the_caf_only_for_a_first_request_of_its_perimeter() -> None:
    """004 §II.5: « dans le cadre d'une première demande (situation connue d'aucun service) : d'organiser la réponse
    à l'urgence, de relayer la demande de rendez-vous auprès du secrétariat du service social de la CAF en vue d'un
    accompagnement »."""
    first = qualify(draft(emergency=Emergency.SANS_LOGEMENT), TODAY)
    assert first.destination is Destination.DEPARTEMENT_URGENCE and first.forward_to_caf
    for changes in ({"life_event": LifeEvent.AUTRE}, {"caf_closed": True}, {"event_date": months_ago(30)},
                    {"family": False}):
        q = qualify(draft(emergency=Emergency.SANS_LOGEMENT, **changes), TODAY)
        assert q.destination is Destination.DEPARTEMENT_URGENCE and not q.forward_to_caf, changes


def test_a_closed_caf_accompaniment_goes_to_the_departement() -> None:
    """004 §II.1: « Si le travailleur social CAF a clôturé l'accompagnement social, le CDAS évaluera cette nouvelle
    demande [...] même si l'évènement se situe toujours dans les 2 ans »."""
    q = qualify(draft(caf_closed=True), TODAY)
    assert q.destination is Destination.DEPARTEMENT and q.destination_label == DEPARTEMENT
    assert not q.in_perimeter
    assert q.warnings == ("Accompagnement Caf déjà clôturé : le Département évalue la nouvelle demande, « même si "
                          "l'évènement se situe toujours dans les 2 ans ».",)


def test_a_known_situation_is_handed_over_only_with_few_links() -> None:
    """004 §II.4: « pour des situations connues, uniquement lorsqu'il y a peu ou plus de liens »."""
    assert qualify(draft(already_followed=True), TODAY).destination is Destination.REFERENT
    q = qualify(draft(already_followed=True, few_links=True), TODAY)
    assert q.destination is Destination.SERVICE_SOCIAL_CAF
    assert q.warnings == ("Situation connue : passage de relais « uniquement lorsqu'il y a peu ou plus de liens », "
                          "avec l'accord de la personne.",)


def test_a_person_not_autonomous_and_followed_goes_to_their_worker() -> None:
    """004 §I.1: « il y a lieu de les orienter prioritairement vers ce travailleur social pour le soutien de la
    personne dans sa demande »."""
    q = qualify(draft(already_followed=True, not_autonomous=True, benefits=("RSA",), sharp_drop=True), TODAY)
    assert q.destination is Destination.REFERENT and not q.urgent and q.rights_urgency


def test_a_single_parents_child_counts_until_one() -> None:
    """004 annex 2: « jusqu'aux 1 an de l'enfant pour les familles monoparentales »; 000 p.10: « parents seuls »."""
    birth = dict(life_event=LifeEvent.GROSSESSE_NAISSANCE, single_parent=True, family=None)
    assert qualify(draft(**birth, event_date=months_ago(11)), TODAY).destination is Destination.SERVICE_SOCIAL_CAF
    assert qualify(draft(**birth, event_date=months_ago(12)), TODAY).in_perimeter  # the first birthday itself
    late = qualify(draft(**birth, event_date=months_ago(13)), TODAY)
    assert late.destination is Destination.DEPARTEMENT
    assert late.warnings == ("Enfant de plus de 1 an : hors du périmètre du service social de la Caf, orientez vers "
                             "le service social du Département.",)
    couple = qualify(draft(life_event=LifeEvent.HANDICAP_ENFANT, single_parent=False), TODAY)
    assert couple.destination is Destination.DEPARTEMENT and not couple.in_perimeter
    unasked = qualify(draft(life_event=LifeEvent.HANDICAP_ENFANT), TODAY)
    assert unasked.destination is Destination.SERVICE_SOCIAL_CAF  # no window for it in the sources
    assert unasked.warnings == ()
    assert unasked.to_check == ("À vérifier : parent seul (condition du périmètre).",)
    assert qualify(draft(family=None), TODAY).to_check == (
        "À vérifier : famille avec enfant à charge ou à naître (condition du périmètre).",)


def test_the_death_of_a_parent_says_why_it_is_out() -> None:
    """000 p.10: « deuil du conjoint ou de l'enfant »."""
    q = qualify(draft(life_event=LifeEvent.DECES_PARENT), TODAY)
    assert q.destination is Destination.DEPARTEMENT
    assert any("voir « Décès du conjoint »" in warning for warning in q.warnings)


# -- "non-paiement", not "suspension" (004 annex 1, bonne pratique n°4) ----------------------------
@pytest.mark.parametrize("text", ["Suspension de l'APL", "SUSPENSION", "suspensions", "prestation suspendue",
                                  "droits suspendus", "RSA SUSPENDU", "aides suspendues", "Súspension",
                                  "suspendúe", "la Caf a suspendu le versement", "La Caf va suspendre l'AAH"])
def test_suspension_is_warned_about(text: str) -> None:
    assert mentions_suspension(text)
    for field in ("motifs", "comment"):
        d = draft(**{field: text})
        assert SUSPENSION_WARNING in qualify(d, TODAY).warnings
        assert problems(d, TODAY) == []  # a warning, not an error


@pytest.mark.parametrize("text", ["Non-paiement, demande d'explication", "condition suspensive", "un suspense",
                                  "Suspens"])
def test_no_suspension_no_warning(text: str) -> None:
    assert not mentions_suspension(text)
    assert SUSPENSION_WARNING not in qualify(draft(motifs=text), TODAY).warnings


# -- problems -----------------------------------------------------------------------------------
def test_complete_draft_has_no_problem() -> None:
    assert problems(draft(), TODAY) == []


@pytest.mark.parametrize(("changes", "expected"), [
    ({"name": "  "}, "Le nom de la personne est obligatoire."),
    ({"motifs": " "}, "Le motif de la demande est obligatoire (par exemple : non-paiement, demande d'explication)."),
    ({"comment": "\n"}, "Le commentaire est obligatoire : décrivez la situation et la question précise."),
    ({"benefits": ()}, "Indiquez au moins une prestation concernée."),
    ({"benefits": ("APL", "XYZ")}, "Prestation inconnue : « XYZ »."),
    ({"phone": None},
     "Le numéro de téléphone est obligatoire quand la personne souhaite être contactée par téléphone."),
    ({"phone": "12345"}, "Numéro de téléphone invalide"),
    ({"file_number": "12345"}, "Le numéro allocataire doit compter exactement 7 chiffres."),
    ({"motifs": "x" * 301}, "Le motif de la demande ne doit pas dépasser 300 caractères."),
    ({"comment": "x" * 2001}, "Le commentaire ne doit pas dépasser 2000 caractères."),
    ({"specificity_other": "x" * 201}, "La précision sur les spécificités ne doit pas dépasser 200 caractères."),
    ({"referent": "x" * 121}, "Le nom du travailleur social référent ne doit pas dépasser 120 caractères."),
    ({"partner": "x" * 121}, "Le nom du partenaire ne doit pas dépasser 120 caractères."),
    ({"motifs": "Non-paiement\nAPL"}, "Le motif de la demande doit tenir sur une seule ligne."),
    ({"comment": "Bonjour\x07"}, "Le commentaire contient des caractères de contrôle."),
    ({"referent": "Mme\x00Roux"}, "Le nom du travailleur social référent contient des caractères de contrôle."),
    ({"consent": None}, CONSENT_MISSING),
])
def test_problems(changes: dict[str, Any], expected: str) -> None:
    found = problems(draft(**changes), TODAY)
    assert len(found) == 1
    assert found[0].startswith(expected)
    with pytest.raises(InvalidInput, match="^" + re.escape(expected[:20])):
        validate(draft(**changes), TODAY)


def test_phone_is_optional_for_other_contacts_and_texts_at_their_limit_pass() -> None:
    assert problems(draft(phone=None, contact=Contact.COURRIER), TODAY) == []
    assert problems(draft(phone=None, contact=Contact.COURRIER, file_number=None), TODAY) == [
        "Le numéro allocataire est nécessaire pour répondre par courrier à l'adresse du dossier."]
    assert problems(draft(phone="", contact=Contact.ACCUEIL, file_number=None), TODAY) == []
    assert problems(draft(motifs="x" * 300, comment="x" * 2000, specificity_other="x" * 200,
                          referent="x" * 120, partner="x" * 120), TODAY) == []
    assert problems(draft(comment="Première ligne\nDeuxième ligne\r\nTroisième"), TODAY) == []


@pytest.mark.parametrize(("changes", "expected"), [
    ({"life_event": LifeEvent.DECES_CONJOINT, "event_date": TODAY + timedelta(days=1)},
     "La date de l'événement est dans le futur"),
    ({"life_event": LifeEvent.IMPAYE_LOYER, "event_date": date(2027, 3, 1)},
     "La date de l'événement est dans le futur"),
    ({"event_date": date(2027, 11, 24)}, "La date de l'événement n'est pas plausible"),
    ({"event_date": date(1899, 12, 31)}, "La date de l'événement n'est pas plausible"),
    ({"rights_opened": date(1899, 12, 31)}, "La date d'ouverture des droits n'est pas plausible"),
    ({"rights_opened": TODAY + timedelta(days=1)}, "La date d'ouverture des droits ne peut pas être dans le futur."),
    ({"non_payment_since": TODAY + timedelta(days=1)},
     "La date de début du non-paiement ne peut pas être dans le futur."),
    ({"non_payment_since": date(1850, 1, 1)}, "La date de début du non-paiement n'est pas plausible"),
    ({"period_start": date(1899, 1, 1)}, "La date de début de la période n'est pas plausible"),
    ({"period_end": date(2028, 1, 1)}, "La date de fin de la période n'est pas plausible"),
    ({"period_start": date(2026, 10, 1), "period_end": date(2026, 9, 30)},
     "La fin de la période ne peut pas précéder son début."),
])
def test_impossible_dates(changes: dict[str, Any], expected: str) -> None:
    found = problems(draft(**changes), TODAY)
    assert len(found) == 1
    assert found[0].startswith(expected)


def test_plausibility_message_names_the_bounds() -> None:
    assert problems(draft(event_date=date(1899, 12, 31)), TODAY) == [
        "La date de l'événement n'est pas plausible : saisissez une date entre le 1er janvier 1900 et le "
        "23 novembre 2027."]


def test_possible_dates() -> None:
    # a separation plan and an expected birth may be dated ahead, up to one year
    assert problems(draft(event_date=date(2027, 11, 23)), TODAY) == []
    assert problems(draft(life_event=LifeEvent.GROSSESSE_NAISSANCE, event_date=date(2027, 4, 1)), TODAY) == []
    assert problems(draft(event_date=TODAY, rights_opened=TODAY, non_payment_since=TODAY), TODAY) == []
    assert problems(draft(period_start=date(2026, 12, 1), period_end=date(2027, 5, 31)), TODAY) == []
    assert problems(draft(period_start=TODAY, period_end=TODAY), TODAY) == []
    assert problems(draft(rights_opened=date(1900, 1, 1)), TODAY) == []


# -- consent ------------------------------------------------------------------------------------
def test_consent_not_asked_is_a_problem() -> None:
    assert problems(draft(consent=None), TODAY) == [CONSENT_MISSING]
    with pytest.raises(InvalidInput, match="consentement"):
        validate(draft(consent=None), TODAY)


def test_refusal_keeps_only_the_event_and_the_service() -> None:
    """004 annex 7: « Elles seront conservées deux ans après la clôture d'un suivi d'intervention »: a refusal
    opens no follow-up, so it keeps nothing about the person: no name, no phone, no file number."""
    refused = draft(consent=False, motifs="", comment="", benefits=(), phone="n'importe quoi", file_number="12 34 567",
                    specificity_other="x" * 500, event_date=date(1800, 1, 1), referent="Mme Le Goff",
                    service_id="separation")
    assert problems(refused, TODAY) == []
    clean = validate(refused, TODAY)
    assert clean == HandoffDraft(name="", life_event=LifeEvent.SEPARATION, motifs="", comment="", consent=False,
                                 service_id="separation")
    assert (clean.file_number, clean.phone, clean.event_date, clean.referent) == (None, None, None, "")
    assert problems(replace(refused, name=""), TODAY) == []  # no name is asked for what is not kept
    assert problems(replace(refused, name="\x1b[31m"), TODAY) == []  # nor checked: it is dropped
    assert validate(replace(refused, name="Awa Diallo", file_number="1234567"), TODAY).name == ""


@pytest.mark.parametrize("consent", [None, False])
def test_no_message_without_agreement(consent: bool | None) -> None:
    d = draft(consent=consent)
    with pytest.raises(InvalidInput, match="accord de la personne"):
        render_message(d, qualify(d, TODAY), "Camille Martin", TODAY)


# -- validate normalises -------------------------------------------------------------------------
def test_validate_normalises() -> None:
    raw = draft(name="  Awa   Die\u0301ye ", phone="+33 6 12 34 56 78", file_number=" 1234 567 ",
                motifs="  Non-paiement,   demande d'explication ", comment="  Ligne 1\r\nLigne 2  ",
                benefits=("apl", " APL", "Rsa"), specificities=(Specificity.ALLOPHONE, Specificity.ALLOPHONE),
                specificity_other=" parle  peul ", referent=" Mme  Le Goff ", partner=" CIDFF ")
    clean = validate(raw, TODAY)
    assert clean.name == "Awa Diéye"
    assert clean.phone == "0612345678"
    assert clean.file_number == "1234567"
    assert clean.motifs == "Non-paiement, demande d'explication"
    assert clean.comment == "Ligne 1\nLigne 2"
    assert clean.benefits == ("APL", "RSA")
    assert clean.specificities == (Specificity.ALLOPHONE,)
    assert (clean.specificity_other, clean.referent, clean.partner) == ("parle peul", "Mme Le Goff", "CIDFF")
    assert validate(clean, TODAY) == clean  # idempotent


def test_validate_raises_the_first_problem() -> None:
    with pytest.raises(InvalidInput, match=r"^Le nom de la personne est obligatoire"):
        validate(draft(name="", motifs="", consent=None), TODAY)


# -- follow-up statuses ---------------------------------------------------------------------------
S = HandoffStatus
MOVES = {(S.A_TRANSMETTRE, S.TRANSMISE), (S.A_TRANSMETTRE, S.REFUSEE), (S.TRANSMISE, S.PRISE_EN_CHARGE),
         (S.TRANSMISE, S.REFUSEE), (S.PRISE_EN_CHARGE, S.CLOTUREE)}


@pytest.mark.parametrize(("current", "target"), list(product(S, S)), ids=lambda s: s.value)
def test_status_moves_one_step_forward_only(current: HandoffStatus, target: HandoffStatus) -> None:
    assert can_move(current, target) is ((current, target) in MOVES)
    assert (target in ALLOWED[current]) is ((current, target) in MOVES)


def test_terminal_statuses_and_labels() -> None:
    assert ALLOWED[S.CLOTUREE] == frozenset() and ALLOWED[S.REFUSEE] == frozenset()
    assert ALLOWED[S.EXPIREE] == frozenset()  # set by the retention run, never by an agent
    assert not any(S.EXPIREE in targets for targets in ALLOWED.values())
    assert [s.label for s in S] == ["À transmettre", "Transmise", "Prise en charge", "Clôturée", "Refusée",
                                    "Expirée"]


def test_labels_cover_every_code() -> None:
    assert set(LIFE_EVENT_LABELS) == set(LifeEvent)
    assert set(BENEFIT_LABELS) == set(BENEFITS)
    assert [s.label for s in Specificity] == ["Allophone", "Sans domicile fixe", "Domiciliation", "Illettrisme",
                                              "Pas d'usage du numérique", "Personne non mobile",
                                              "Sourde ou malentendante"]
    assert [c.label for c in Contact] == ["Téléphone", "Courrier", "À l'accueil"]
    assert all(d.label for d in Destination)


# -- signature and dates ---------------------------------------------------------------------------
@pytest.mark.parametrize(("agent", "expected"), [
    ("Camille Martin", "C. Martin"),
    ("Jean-Pierre de la Tour", "J.-P. de la Tour"),
    ("  élodie   Dupont ", "É. Dupont"),
    ("Camille", "Camille"),
    ("", "L'agent d'accueil"),
    ("   ", "L'agent d'accueil"),
])
def test_signature(agent: str, expected: str) -> None:
    assert signature(agent) == expected


def test_long_date() -> None:
    assert long_date(date(2026, 9, 1)) == "1er septembre 2026"
    assert long_date(date(2026, 8, 15)) == "15 août 2026"


# -- the message -----------------------------------------------------------------------------------
def check_golden(name: str, text: str) -> None:
    """Compare ``text`` with tests/unit/golden/handoff_<name>.txt; GUICHET_UPDATE_GOLDEN=1 rewrites it."""
    path = GOLDEN / f"handoff_{name}.txt"
    expected = (text + "\n").encode("utf-8")
    if os.environ.get("GUICHET_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(expected)
    assert path.read_bytes() == expected


def message(d: HandoffDraft, agent: str = "Camille Martin") -> str:
    clean = validate(d, TODAY)
    return render_message(clean, qualify(clean, TODAY), agent, TODAY)


def test_golden_urgent_with_every_date_and_specificity() -> None:
    d = draft(
        name="Fatoumata Keïta", life_event=LifeEvent.SEPARATION, event_date=date(2026, 3, 2),
        motifs="Non-paiement, demande d'explication", benefits=("RSA", "APL"),
        comment="Séparée depuis mars, Mme Keïta vit seule avec ses deux enfants. Elle ne perçoit plus le RSA "
                "depuis août ni l'APL.\nQuelle démarche doit-elle effectuer ? Manque-t-il un document ?",
        phone="06 12 34 56 78", specificities=(Specificity.ALLOPHONE, Specificity.DOMICILIATION),
        specificity_other="Parle bambara, vient avec sa fille pour traduire", rights_opened=date(2025, 9, 1),
        non_payment_since=date(2026, 8, 1), period_start=date(2026, 3, 1), period_end=date(2026, 7, 31),
        documents_to_professional=True,
    )
    check_golden("urgent", message(d))


def test_golden_simple() -> None:
    d = draft(name="Julien Moreau", life_event=LifeEvent.DECES_CONJOINT, event_date=date(2026, 10, 4),
              motifs="Demande d'accompagnement", benefits=("ASF",), file_number="0456789", phone=None,
              contact=Contact.COURRIER,
              comment="M. Moreau a perdu son épouse le 4 octobre et élève seul ses trois enfants. Il souhaite "
                      "être accompagné pour l'organisation familiale et ses démarches.")
    check_golden("simple", message(d, "Léa"))


def test_golden_emergency_forwarded() -> None:
    d = draft(name="Sandra Lopes", life_event=LifeEvent.VIOLENCES, event_date=date(2026, 11, 20),
              emergency=Emergency.VIOLENCES, motifs="Mise à l'abri, ouverture de droits",
              benefits=("AF", "APL"), contact=Contact.ACCUEIL, phone="07 45 12 98 30",
              specificity_other="Joignable en journée uniquement",
              comment="Mme Lopes a quitté le domicile conjugal avec ses enfants après des violences. Elle est "
                      "hébergée provisoirement par une amie.\nQuelles aides peuvent être ouvertes rapidement ?",
              rights_opened=date(2019, 5, 1))
    assert qualify(d, TODAY).forward_to_caf
    check_golden("emergency", message(d, "Jean-Pierre de la Tour"))


def test_message_structure() -> None:
    """004 annex 1, bonne pratique n°3: « structurer le corps du mail avec 4 rubriques » (the detailed tests of
    the headings, the dates and the keyword: tests/unit/test_handoff_message.py)."""
    text = message(draft())
    assert text.startswith("Passage de relais — Service social de la Caf\n")
    assert "URGENCE DEFINIE" not in text
    headings = ["Motif(s) de la demande", "Prestation(s) concernée(s)", "Commentaire", "Spécificité(s) de la personne"]
    lines = text.split("\n")
    assert [line for line in lines if line in headings] == headings
    assert "Dates" not in lines
    assert "Spécificité(s) de la personne\nAucune\n" in text
    assert "Demandes de pièces" not in text and "Merci de transmettre" not in text
    assert "Spécificité(s) de la personne\nDemandes de pièces à adresser au professionnel qui accompagne la " \
           "personne\n\nC. Martin" in message(draft(rights_opened=date(2025, 9, 1), documents_to_professional=True))
    assert lines[-1] == "C. Martin, accueil Caf, le 23 novembre 2026"


def test_message_partial_period_and_contact() -> None:
    assert "- Période : à partir du 1er septembre 2026" in message(draft(period_start=date(2026, 9, 1)))
    assert "- Période : jusqu'au 30 septembre 2026" in message(draft(period_end=date(2026, 9, 30)))
    assert "contact : Courrier (tél. 06 12 34 56 78)" in message(draft(contact=Contact.COURRIER))
    assert "n° allocataire non communiqué — contact : Téléphone (06 12 34 56 78)" in message(draft(file_number=None))
    assert "Prestation(s) concernée(s)\nPrime à la naissance, ASF (allocation de soutien familial)\n" in message(
        draft(benefits=("PRIME_NAISSANCE", "ASF")))

"""The catalog entries added for issue 15: what the sources name and guichet lacked.

Each entry is checked against the passage it is drawn from (file, page or section, and the
French words quoted here and above the entry in data/services.toml): it exists, it cites that
file and place, it sends the person where the passage says, and its text keeps the passage's
facts. A fact from the Seine-Saint-Denis study (003) is shown with its département, never as the
Hauts-de-Seine's.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from guichet.catalog import load_catalog
from guichet.domain.models import Desk, Service

SDADS_92 = "000_fb1f5dfc0eaffb6c.txt"  # CAF des Hauts-de-Seine, access plan 2026-2027
CNAF_BOOKLET = "001_4a6754681e86a70b.txt"  # CNAF booklet for elected officials
STUDY_93 = "003_3908de5e39642656.txt"  # Seine-Saint-Denis non-take-up study


@dataclass(frozen=True)
class Expected:
    """What one added entry must hold: its source and place, orientation, and the facts kept."""

    id: str
    source: str  # the seed file
    place: str  # page or section, as written in the entry's source key
    quote: str  # the passage, in its French words
    desk: Desk
    partner: str | None = None  # a word the partner's name must contain
    facts: tuple[str, ...] = ()  # words the title, summary or note must keep


ADDED = (
    Expected("ppad-dossiers-complexes", SDADS_92, "p.12",
             "Le pôle partenariat d'accès aux droits (PPAD) intervient pour […] Le traitement de "
             "dossiers complexes ou pour des publics fragiles",
             Desk.GCA, facts=("dossiers complexes", "publics fragiles", "Mon Compte partenaire")),
    Expected("referents-parcours", SDADS_92, "p.14",
             "Référents parcours “handicap” et “insertion” : ils sont chargés d'un accompagnement "
             "individualisé des allocataires.",
             Desk.PARTENAIRE, "Référent parcours", ("« handicap »", "« insertion »",
                                                    "accompagnement individualisé")),
    Expected("promeneurs-du-net", SDADS_92, "p.14",
             "Promeneurs du net : des professionnels de la jeunesse repèrent, écoutent et orientent "
             "les jeunes en difficulté vers les services adaptés.",
             Desk.PARTENAIRE, "Promeneurs du net", ("repèrent, écoutent et orientent",)),
    Expected("creches-avip", SDADS_92, "p.14",
             "Dispositif des crèches labellisées AVIP / AVIS (accueil à vocation d'insertion "
             "professionnelle ou sociale).",
             Desk.PARTENAIRE, "AVIP", ("insertion professionnelle ou sociale", "monenfant.fr")),
    Expected("points-relais-caf", SDADS_92, "p.4",
             "D'autres structures peuvent répondre aux sollicitations “Caf” : […] Les partenaires "
             "relais (000) ; des points relais Caf, des points numériques Caf, France Services (001)",
             Desk.PARTENAIRE, "relais", ("demandes « Caf »",)),
    Expected("espace-libre-service", SDADS_92, "p.5",
             "soit sans rendez-vous pour des informations et un accompagnement aux démarches en "
             "ligne dans l'espace libre-service",
             Desk.ACCUEIL, facts=("sans rendez-vous", "espace libre-service", "rendez-vous CSU",
                                  "rendez-vous GCA")),
    Expected("contact-service-social", SDADS_92, "p.10",
             "Les allocataires éligibles sont contactés par un courrier puis un appel et un rappel.",
             Desk.TRAVAILLEUR_SOCIAL, facts=("par un courrier, puis un appel et un rappel",)),
    Expected("travailleur-social-caf", SDADS_92, "p.10",
             "Individuelles, sous la forme d'un accompagnement (6 mois maximum) ou d'une "
             "information-conseil (ponctuelle)",
             Desk.TRAVAILLEUR_SOCIAL, facts=("accompagnement (6 mois maximum)",
                                             "information-conseil ponctuelle")),
    Expected("clas-accompagnement-scolarite", CNAF_BOOKLET, "p.12",
             "Les contrats locaux d'accompagnement à la scolarité (Clas) […] Les Clas ne sont pas "
             "un dispositif classique d'aide aux devoirs",
             Desk.PARTENAIRE, "Clas", ("de la primaire au lycée", "pas une simple aide aux devoirs")),
    Expected("aide-domicile-familles", CNAF_BOOKLET, "p.6",
             "Accompagnement de la parentalité : […] Aide à domicile",
             Desk.PARTENAIRE, "aide à domicile", ("accompagnement de la parentalité",
                                                  "pas dans les sources")),
    Expected("depart-vacances", CNAF_BOOKLET, "p.6",
             "Enfance et jeunesse : […] Départ en vacances ; séjours de courte durée jusqu'à 5 nuits",
             Desk.EN_LIGNE, facts=("départ en vacances", "jusqu'à 5 nuits",
                                   "ne sont pas dans les sources")),
    Expected("accueils-loisirs", CNAF_BOOKLET, "p.10",
             "L'ensemble des Alsh est recensé par département et par localité sur monenfant.fr",
             Desk.PARTENAIRE, "accueil de loisirs", ("le mercredi, le samedi", "monenfant.fr")),
    Expected("logement-non-decent", CNAF_BOOKLET, "p.6",
             "Logement et amélioration du cadre de vie : […] Lutte contre la non-décence des "
             "logements",
             Desk.GCA, facts=("non-décence des logements", "ADIL")),
    Expected("maison-justice-droit", STUDY_93, "§II.C.1",
             "les maisons de la justice et du droit sont, quant à elles, placées sous l'autorité "
             "d'un magistrat",
             Desk.PARTENAIRE, "Maison de justice", ("autorité d'un magistrat", "CDAD",
                                                    "soutien à l'autorité parentale")),
    Expected("aide-aux-victimes", STUDY_93, "§II.C.1",
             "SOS Victimes 93 (défense des femmes victimes de violences notamment) ; permanences "
             "ciblées en matière « d'aide aux victimes »",
             Desk.PARTENAIRE, "aide aux victimes", ("Violences conjugales",)),
    Expected("cresus-conseil-surendettement", STUDY_93, "§II.C.1",
             "des permanences d'information et de conseil aux personnes en situation de "
             "surendettement […] partenariat entre les CCAS et l'association régionale Crésus",
             Desk.PARTENAIRE, "Crésus", ("information et de conseil", "Banque de France")),
    Expected("associations-etrangers", STUDY_93, "§II.B.4.b",
             "les associations spécialisées dans l'accueil, l'accompagnement et l'intégration des "
             "populations d'origines étrangères",
             Desk.PARTENAIRE, "étrangères", ("accueil, d'accompagnement et d'intégration",)),
    Expected("mission-locale", STUDY_93, "§I.B",
             "des « relais » pour accéder aux bénéficiaires potentiels comme les employeurs, "
             "missions locales ; les jeunes de 16 à 25 ans",
             Desk.PARTENAIRE, "Mission locale", ("16 à 25 ans",)),
)

# Facts that belong to Seine-Saint-Denis (003): wherever they appear, the département is named.
FACTS_93 = ("SOS Victimes 93", "Cimade", "guide de l'accès au droit", "avec les CCAS",
            "parcours santé")


@pytest.fixture(scope="module")
def by_id() -> dict[str, Service]:
    return {service.id: service for service in load_catalog().services}


def _text(service: Service) -> str:
    return " ".join((service.title, service.summary, service.orientation.note or ""))


@pytest.mark.parametrize("expected", ADDED, ids=[e.id for e in ADDED])
def test_added_entry_cites_its_source_and_orients(expected: Expected, by_id: dict[str, Service]) -> None:
    assert expected.quote  # the passage the entry is drawn from, quoted above
    service = by_id.get(expected.id)
    assert service is not None, f"{expected.id} missing from services.toml"
    assert service.source.startswith(expected.source), service.source
    assert expected.place in service.source, service.source
    assert service.orientation.desk is expected.desk
    if expected.partner is None:
        assert service.orientation.partner is None
    else:
        assert expected.partner.casefold() in (service.orientation.partner or "").casefold()
    text = _text(service)
    for fact in expected.facts:
        assert fact in text, f"{expected.id}: {fact!r} not in {text!r}"
    assert len(service.phrasings) >= 3


def test_the_relay_points_cite_both_sources(by_id: dict[str, Service]) -> None:
    # « Les partenaires relais » (000 p.4) and « des points relais Caf » (001 p.14): one entry.
    assert CNAF_BOOKLET in by_id["points-relais-caf"].source


def test_seine_saint_denis_facts_name_their_departement(by_id: dict[str, Service]) -> None:
    """« 003 is the 93 »: a fact of the 93 is shown with its département, never as the 92's."""
    for expected in ADDED:
        text = _text(by_id[expected.id])
        for fact in FACTS_93:
            if fact in text:
                assert "Seine-Saint-Denis" in text, f"{expected.id}: {fact!r} without its département"
        if expected.source == STUDY_93:
            assert "Hauts-de-Seine" not in text, expected.id


def test_added_entries_are_not_duplicates(by_id: dict[str, Service]) -> None:
    titles = [service.title.casefold() for service in by_id.values()]
    assert len(titles) == len(set(titles))
    # The topics that already had an entry were not added again (see the report of issue 15).
    for existing in ("points-acces-droit", "adil", "surendettement-banque-de-france",
                     "point-conseil-budget", "violences-conjugales", "allophone", "france-travail",
                     "accompagnement-rsa", "recherche-mode-garde", "deja-suivi-travailleur-social"):
        assert existing in by_id

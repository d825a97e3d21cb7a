"""Where an agency is: the agencies screen (F2) and the confirmation never give the head office's postal
address (a Cedex, 000_fb1f5dfc0eaffb6c.txt, last page) as the place to go; an unknown street address is said."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from guichet.catalog import load_agencies, resolve
from guichet.domain.clock import PARIS
from guichet.domain.hours import walk_in_status
from guichet.services.exports import place_to_go
from guichet.ui.screens.agencies import agency_detail

BY_ID = {a.id: a for a in load_agencies(resolve("agencies.toml", None))}
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)


def detail_lines(agency_id: str) -> list[str]:
    agency = BY_ID[agency_id]
    return agency_detail(agency, walk_in_status(agency, MONDAY)).plain.splitlines()


def test_nanterre_shows_its_postal_address_as_mail_only() -> None:
    lines = detail_lines("nanterre")
    assert lines[:3] == [
        "Nanterre",
        "Adresse de l'accueil non précisée dans les sources",
        "Adresse postale (courrier) : 70 à 88 rue Paul Lescop, 92023 Nanterre Cedex (pas un lieu d'accueil)",
    ]
    assert place_to_go(BY_ID["nanterre"]) == (
        "agence de Nanterre (adresse de l'accueil non connue de guichet : vérifiez-la sur caf.fr)")


def test_an_agency_without_any_address_says_so() -> None:
    lines = detail_lines("gennevilliers")
    assert lines[:3] == ["Gennevilliers", "Adresse de l'accueil non précisée dans les sources", ""]
    assert lines[4] == "  pas d'accueil sans rendez-vous"


def test_a_known_street_address_is_the_place_to_go() -> None:
    agency = dataclasses.replace(BY_ID["montrouge"], address="1 rue de l'Exemple, 92120 Montrouge")
    assert agency_detail(agency, walk_in_status(agency, MONDAY)).plain.splitlines()[1] == (
        "Accueil : 1 rue de l'Exemple, 92120 Montrouge")
    assert place_to_go(agency) == "Montrouge, 1 rue de l'Exemple, 92120 Montrouge"

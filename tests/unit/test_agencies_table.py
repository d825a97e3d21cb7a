"""The agencies' table of 000_fb1f5dfc0eaffb6c.txt (p.5), cell by cell, as ``data/agencies.toml`` reads it.

The extraction lost the table's column alignment (header: RDV physiques GCA, CSU · RDV téléphoniques
GCA, CSU · Accueil sans RDV); DOMAIN.md ("The four agencies of the 92 and their schedule") gives the
reading kept and why. Each test quotes the source cell it reads, and checks that every reading that
is an assumption is marked « Hypothèse » in the agency's notes, with the ambiguity stated in the file.
"""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from guichet.catalog import load_agencies, resolve
from guichet.domain.hours import open_ranges
from guichet.domain.models import Agency, Channel, Kind
from guichet.paths import SHIPPED_DATA

SHIPPED = load_agencies(resolve("agencies.toml", None))
BY_ID = {agency.id: agency for agency in SHIPPED}
SOURCE = "000_fb1f5dfc0eaffb6c.txt"
MONDAY = date(2026, 11, 23)  # no public holiday that week
WEEK = [MONDAY + timedelta(days=offset) for offset in range(7)]
APPOINTMENT_DAY = ((time(9), time(12)), (time(13), time(16)))  # « de 9h à 12h puis de 13h à 16h »
GCA, CSU = Kind.GCA, Kind.CSU
AGENCE, TELEPHONE = Channel.AGENCE, Channel.TELEPHONE


def days(agency_id: str, kind: Kind, channel: Channel) -> list[tuple[tuple[time, time], ...]]:
    schedule = BY_ID[agency_id].schedule(kind, channel)
    assert schedule is not None, (agency_id, kind, channel)
    return [open_ranges(schedule.opening_hours, (), day) for day in WEEK]


def walk_in_days(agency: Agency) -> list[tuple[tuple[time, time], ...]]:
    assert agency.walk_in is not None
    return [open_ranges(agency.walk_in, (), day) for day in WEEK]


def hypotheses(agency_id: str) -> list[str]:
    return [note for note in BY_ID[agency_id].notes if note.startswith("Hypothèse : ")]


D, NONE = APPOINTMENT_DAY, ()


def test_the_source_table_has_the_cells_quoted_here() -> None:
    seed = SHIPPED_DATA.parent.parent / "shared" / "seeds" / SOURCE  # ../shared/seeds beside the checkout
    if not seed.exists():
        pytest.skip("the sources are not beside this checkout")
    text = " ".join(seed.read_text(encoding="utf-8").split())
    for cell in ("Tous les matins de 9h à 12h30 sauf le vendredi", "Lundi, mercredi, vendredi",
                 "Lundi matin et jeudi matin", "Tous les après-midis de 12h30 à 16h sauf le vendredi",
                 "Gennevilliers Mardi et jeudi Mardi et jeudi Tous les jours Lundi, mercredi, vendredi"):
        assert cell in text


# -- Châtenay-Malabry « Mardi · Tous les jours · Tous les jours · Tous les matins de 9h à 12h30 sauf le vendredi »
def test_chatenay_mardi_is_gca_on_site() -> None:
    assert days("chatenay-malabry", GCA, AGENCE) == [NONE, D, NONE, NONE, NONE, NONE, NONE]


def test_chatenay_first_tous_les_jours_is_csu_on_site_an_assumption() -> None:
    # Hypothèse: the second « Tous les jours » could be CSU by phone rather than on site.
    assert days("chatenay-malabry", CSU, AGENCE) == [D] * 5 + [NONE, NONE]
    assert BY_ID["chatenay-malabry"].schedule(CSU, TELEPHONE) is None
    assert any("CSU par téléphone" in note and "« Tous les jours »" in note for note in hypotheses("chatenay-malabry"))


def test_chatenay_tous_les_matins_sauf_le_vendredi_is_the_walk_in() -> None:
    # « Tous les matins de 9h à 12h30 sauf le vendredi »
    morning = ((time(9), time(12, 30)),)
    assert walk_in_days(BY_ID["chatenay-malabry"]) == [morning] * 4 + [NONE, NONE, NONE]
    assert BY_ID["chatenay-malabry"].walk_in_volume == 70  # « environ 70 personnes par demi-journée »


# -- Gennevilliers « Mardi et jeudi · Mardi et jeudi · Tous les jours · Lundi, mercredi, vendredi »
def test_gennevilliers_mardi_et_jeudi_twice_is_gca_then_csu_on_site() -> None:
    tuesday_thursday = [NONE, D, NONE, D, NONE, NONE, NONE]
    assert days("gennevilliers", GCA, AGENCE) == tuesday_thursday
    assert days("gennevilliers", CSU, AGENCE) == tuesday_thursday


def test_gennevilliers_tous_les_jours_is_gca_by_phone() -> None:
    assert days("gennevilliers", GCA, TELEPHONE) == [D] * 5 + [NONE, NONE]


def test_gennevilliers_lundi_mercredi_vendredi_is_csu_by_phone_not_a_walk_in() -> None:
    # « Lundi, mercredi, vendredi » gives no hours, like the appointment cells whose hours are in the
    # header; it is the complement of the on-site CSU days; the key figures give no walk-in volume here.
    assert days("gennevilliers", CSU, TELEPHONE) == [D, NONE, D, NONE, D, NONE, NONE]
    gennevilliers = BY_ID["gennevilliers"]
    assert gennevilliers.walk_in is None
    assert gennevilliers.walk_in_volume is None
    assert any("« Lundi, mercredi, vendredi »" in note and "CSU par téléphone" in note
               for note in hypotheses("gennevilliers"))
    assert any(note.startswith("Pas d'accueil sans rendez-vous à Gennevilliers") for note in gennevilliers.notes)


# -- Montrouge « Mercredi et jeudi · Tous les jours »
def test_montrouge_mercredi_et_jeudi_is_gca_on_site_an_assumption() -> None:
    assert days("montrouge", GCA, AGENCE) == [NONE, NONE, D, D, NONE, NONE, NONE]
    assert days("montrouge", GCA, TELEPHONE) == [D] * 5 + [NONE, NONE]
    montrouge = BY_ID["montrouge"]
    assert {(s.kind, s.channel) for s in montrouge.schedules} == {(GCA, AGENCE), (GCA, TELEPHONE)}
    assert montrouge.walk_in is None
    assert any("« Mercredi et jeudi »" in note and "CSU" in note for note in hypotheses("montrouge"))


# -- Nanterre « Lundi matin et jeudi matin · Tous les jours · Tous les après-midis de 12h30 à 16h sauf le vendredi »
def test_nanterre_lundi_matin_et_jeudi_matin_is_gca_on_site_an_assumption() -> None:
    morning = ((time(9), time(12)),)
    assert days("nanterre", GCA, AGENCE) == [morning, NONE, NONE, morning, NONE, NONE, NONE]
    assert days("nanterre", GCA, TELEPHONE) == [D] * 5 + [NONE, NONE]
    assert BY_ID["nanterre"].schedule(CSU, AGENCE) is None
    assert any("« Lundi matin et jeudi matin »" in note and "CSU" in note for note in hypotheses("nanterre"))


def test_nanterre_tous_les_apres_midis_sauf_le_vendredi_is_the_walk_in() -> None:
    # « Tous les après-midis de 12h30 à 16h sauf le vendredi »
    afternoon = ((time(12, 30), time(16)),)
    assert walk_in_days(BY_ID["nanterre"]) == [afternoon] * 4 + [NONE, NONE, NONE]
    assert BY_ID["nanterre"].walk_in_volume == 90


def test_no_agency_has_a_walk_in_on_fridays() -> None:
    # Both certain walk-in cells say « sauf le vendredi »; Gennevilliers and Montrouge have none.
    friday = WEEK[4]
    assert [a.id for a in SHIPPED if a.walk_in is not None] == ["chatenay-malabry", "nanterre"]
    assert all(open_ranges(a.walk_in, (), friday) == () for a in SHIPPED if a.walk_in is not None)


def test_phone_gca_is_tous_les_jours_in_every_row() -> None:
    for agency in SHIPPED:
        assert days(agency.id, GCA, TELEPHONE) == [D] * 5 + [NONE, NONE]


def test_the_head_office_address_is_postal_only() -> None:
    # 000, last page: « Caisse d'allocations familiales des Hauts-de-Seine - 70 à 88 rue Paul Lescop 92023
    # Nanterre Cedex »: a Cedex, for mail; no agency's street address is in the sources.
    assert BY_ID["nanterre"].postal_address == "70 à 88 rue Paul Lescop, 92023 Nanterre Cedex"
    assert [a.address for a in SHIPPED] == [None] * 4  # guichet then says the address is not known
    assert any("ce n'est pas l'adresse de l'accueil" in note for note in BY_ID["nanterre"].notes)


def test_every_estimate_and_reading_is_marked_and_the_file_says_what_is_ambiguous() -> None:
    for agency in SHIPPED:
        assert any("effectifs" in note for note in hypotheses(agency.id)), agency.id
        assert all(SOURCE in note for note in agency.notes), agency.id
    text = (SHIPPED_DATA / "agencies.toml").read_text(encoding="utf-8")
    for words in ("Still ambiguous", "second « Tous les jours » is read as CSU on site; it could be CSU by phone",
                  "each could span GCA and CSU", "street addresses are not in the sources",
                  "is its CSU appointments BY PHONE and Gennevilliers has NO walk-in reception"):
        assert words in " ".join(text.replace("#", " ").split()), words

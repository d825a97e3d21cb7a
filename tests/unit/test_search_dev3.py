"""The third development set of colloquial phrasings (fourth round, blind), and the rules it led to.

``search_dev3_queries.toml`` was written from the service list only (ids, titles, summaries),
DOMAIN.md and the seeds, without reading the services' phrasings or the other query files: typos,
no accents, SMS spellings, slang, very short queries, long rambling ones, the person's situation
rather than the benefit. Its second block was written blind after a first tuning pass, to check
it, then added. Measured through ``Index.lookup`` like the other sets (a right answer refused under
the confidence floor is a miss). Run with ``-s`` to see the figures and the misses.

The rules answer issue 15, « Search that understands how people talk at a counter »: « Give each
service everyday phrasings (the person's words, not the administration's), and match them »;
« stop words that do not eat meaningful words »; « A confidence floor: below it, say that nothing
matches well and offer the closest themes, rather than a wrong service on top ».
"""

from __future__ import annotations

from pathlib import Path

import pytest

from guichet.catalog import load_catalog
from guichet.domain.models import Desk, Orientation, Service
from guichet.domain.search import LONG_FLOOR, LONG_SENTENCE, Index
from guichet.domain.search_terms import parse, whole_phrasings
from guichet.domain.words import SYNONYMS, is_modifier, stem, tokens
from tests.unit.test_search_dev import Figures, check_ratchet, expected_ids, load_set, measure_shipped

DEV3_FILE = Path(__file__).with_name("search_dev3_queries.toml")

# Before this round: top-1 235/277 (84.8 %), top-3 253/277 (91.3 %), refused 30/42 (71.4 %).
# The figures reached at its end (raised by the fifth round): they may rise, never fall.
MIN_TOP1 = 258 / 277  # 93.1 %
MIN_TOP3 = 274 / 277  # 98.9 %
MIN_REFUSED = 32 / 42  # 76.2 %


@pytest.fixture(scope="module")
def figures() -> Figures:
    return measure_shipped(DEV3_FILE)


def test_dev3_set_shape() -> None:
    data = load_set(DEV3_FILE)
    queries = [str(q["text"]) for q in data["query"]]
    assert len(queries) >= 120
    assert len(set(queries)) == len(queries)
    assert len(data["refuse"]) >= 25
    assert sum(len(q.split()) <= 2 for q in queries) >= 20  # "apl", "rsa coupé"
    assert sum(len(q.split()) >= 15 for q in queries) >= 20  # a situation told at length


def test_dev3_set_covers_every_service() -> None:
    catalog = load_catalog()
    expected = expected_ids(DEV3_FILE)
    assert {s.id for s in catalog.services} <= expected


def test_dev3_set_figures_do_not_fall(figures: Figures) -> None:
    check_ratchet(figures, "dev3 set", MIN_TOP1, MIN_TOP3, MIN_REFUSED)


# -- the rules of this round, on small catalogs ---------------------------------------------


def service(id: str, title: str, *, keywords: tuple[str, ...] = (),
            phrasings: tuple[str, ...] = (), popularity: int = 0) -> Service:
    return Service(id=id, title=title, category="evenement", summary="",
                   orientation=Orientation(desk=Desk.GCA), source="test", keywords=keywords,
                   phrasings=phrasings, popularity=popularity)


def ids(index: Index, query: str) -> list[str]:
    return [hit.service.id for hit in index.lookup(query, limit=3).hits]


def test_a_phrasing_said_whole_scores_like_the_title() -> None:
    # "match them": the person's words said whole beat a title sharing one of them. Without the
    # rule, "arrivée" in a title (1.0) and "bébé" in keywords (0.85) beat the phrasing (0.85 x 2).
    index = Index((
        service("parcours", "Parcours arrivée de l'enfant", keywords=("bébé",), popularity=90),
        service("naissance", "Naissance d'un enfant", phrasings=("mon bébé est arrivé",)),
    ))
    found = index.lookup("mon bebe est arrive la semaine derniere", limit=2)
    assert [(hit.service.id, hit.score) for hit in found.hits] == [("naissance", 95), ("parcours", 93)]
    # Part of a phrasing is not the phrasing: "bébé" alone keeps the title's order.
    assert ids(index, "mon bebe")[0] == "parcours"


def test_whole_phrasings_need_two_content_words() -> None:
    # A negation or a number does not make a phrasing of one word a phrase ("pas payé", "3 mois").
    index = Index((service("a", "A", phrasings=("pas payé", "depuis 3 mois", "le rsa est pas tombé")),))
    filed = index._phrasings  # what the index matches whole
    assert [stems for entries in filed.values() for _, stems in entries] == [
        frozenset({"rsa", "pas", "tomb"})]
    # Filed under its rarest stem (ties: the first in alphabetical order), one look-up per stem said.
    assert whole_phrasings([(0, frozenset({"rsa", "tomb"}))], {"rsa": {0: 1.0, 1: 1.0}, "tomb": {0: 1.0}}) == {
        "tomb": [(0, frozenset({"rsa", "tomb"}))]}


def test_a_long_story_may_name_one_thing_no_service_holds() -> None:
    # "à l'hôpital de Nanterre": a word unknown to the catalog in a situation told at length weighs
    # like the commonest word when the floor reads the score, so the story is still answered (the
    # score shown stays as it is, under LONG_FLOOR); two unknown words still are no answer.
    index = Index((
        service("separation", "Séparation ou divorce",
                phrasings=("je viens de me séparer", "elle est partie avec les enfants")),
        service("parent-seul", "Parent seul", phrasings=("je reste seul",)),
        service("logement", "Aide au logement", keywords=("loyer", "appartement")),
        service("travail", "Perte d'emploi", keywords=("travail", "patron")),
    ))
    story = ("je viens de me séparer, elle est partie avec les enfants, je reste seul, le loyer, le "
             "travail, le patron, à nanterre")
    assert len([w for w in tokens(story) if not is_modifier(w)]) >= LONG_SENTENCE
    found = index.lookup(story, limit=3)
    assert found.confident and found.hits[0].service.id == "separation"
    assert found.hits[0].score == 31 < LONG_FLOOR
    two = index.lookup(story + ", la banque", limit=3)
    assert not two.confident and two.nearby[0].service.id == "separation"


def test_politeness_alone_is_no_answer() -> None:
    # "comment vous allez madame": stop words typed whole are no typos of catalog words
    # ("madame": "malade"), and "au revoir" is not "revoir ses droits".
    index = Index((
        service("malade", "Personne malade", keywords=("malade",)),
        service("droits", "Revoir ses droits", keywords=("revoir",)),
    ))
    assert not index.lookup("comment vous allez madame").confident
    assert not index.lookup("madame").confident and not index.lookup("madame").nearby
    assert not index.lookup("merci au revoir").confident
    assert ids(index, "malade")[0] == "malade"
    assert ids(index, "revoir mes droits")[0] == "droits"


def test_set_phrases_and_fillers_of_round_four() -> None:
    assert tokens("le proprio a augmenté les charges d'un coup") == ["proprio", "augmente", "charges"]
    assert tokens("merci au revoir") == ["merci"]
    assert tokens("ils disent qu'ils vont couper le gaz") == ["couper", "gaz"]
    assert tokens("bjr slt dsl mtn") == ["bjr", "slt", "dsl", "mtn"]  # nothing else said: kept
    assert tokens("bjr je veux la prime") == ["prime"]
    assert tokens("de la part") == ["de", "la", "part"]  # unchanged: nothing else said


def test_sms_je_glued_to_the_verb() -> None:
    # No French word starts with "j" and a consonant: "jtouche" is "je touche".
    assert tokens("jtouche plus les apl") == ["touche", "plus", "apl"]
    assert tokens("jcomprends pas le courrier") == ["comprends", "pas", "courrier"]
    assert tokens("jules est parti") == ["jules", "parti"]  # "j" and a vowel: a word
    assert tokens("jsp") == ["jsp"]  # short SMS forms stay whole


def test_a_service_number_is_a_theme_not_a_quantity() -> None:
    index = Index((
        service("hebergement", "Sans logement", keywords=("115", "à la rue")),
        service("contact", "Contacter la Caf", keywords=("répond pas", "téléphone")),
        service("mediation", "Médiation", keywords=("personne ne répond",)),
        service("famille", "Famille de 3 enfants", keywords=("3 enfants",)),
    ))
    # Ranked above the services of "répond": as a quantity, "115" would only add half its weight.
    assert index.search("115 ne repond jamais")[0].service.id == "hebergement"
    assert ids(index, "le 115")[0] == "hebergement"
    assert ids(index, "3 enfants")[0] == "famille"  # a small number still qualifies


@pytest.mark.parametrize(("one", "other"), [("retirent", "retirer"), ("perte", "perdu")])
def test_forms_that_snowball_leaves_apart_meet(one: str, other: str) -> None:
    assert stem(one) == stem(other)


@pytest.mark.parametrize(("word", "meaning"), [
    ("portugais", "allophone"), ("dyslexique", "handicap"), ("nourrisson", "bébé"),
    ("zero", "rien"), ("taudis", "logement en mauvais état"), ("interimaire", "intérim"),
    ("niece", "enfant"), ("cerfa", "formulaire"), ("jumelles", "jumeaux"),
])
def test_everyday_words_of_round_four_reach_the_catalog_words(word: str, meaning: str) -> None:
    assert meaning in SYNONYMS[word]
    assert parse(word)[0][1][0] == tuple(tokens(meaning))

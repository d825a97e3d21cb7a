"""The fourth development set of colloquial phrasings (fifth round, blind), and the rules it led to.

``search_dev4_queries.toml`` was written from the service list only (ids, titles, summaries),
without reading the services' phrasings or keywords nor the other query files, in voices the
earlier sets lacked: an elderly person on the phone, a young parent, a person who speaks little
French (English or Arabic-French mixes), a social worker calling for someone, an angry person, a
person who tells only a consequence, wrong benefit names, negations, questions, typos; three
held-out blocks follow it (see the file's comments; the last one was measured once, at the end of
the round, and not tuned on). Measured through ``Index.lookup`` like the other sets (a right
answer refused under the confidence floor is a miss). Run with ``-s`` to see the figures and the
misses.

The rules answer issue 15, « Search that understands how people talk at a counter »: « Give each
service everyday phrasings (the person's words, not the administration's), and match them ».
"""

from __future__ import annotations

from pathlib import Path

import pytest

from guichet.domain.models import Desk, Orientation, Service
from guichet.domain.search import Index
from guichet.domain.search_terms import parse
from guichet.domain.words import STOP_WORDS, SYNONYMS, is_modifier, lacking, stem, tokens
from tests.unit.test_search_dev import Figures, check_ratchet, expected_ids, load_set, measure_shipped

DEV4_FILE = Path(__file__).with_name("search_dev4_queries.toml")

# Before this round, the first block: top-1 240/316 (75.9 %), top-3 269/316 (85.1 %), refused 29/36
# (80.6 %); the held-out blocks were added later (see the file's comments). The figures reached at
# the end of the round, whole file: they may rise, never fall.
MIN_TOP1 = 422 / 487  # 86.7 %
MIN_TOP3 = 461 / 487  # 94.7 %
MIN_REFUSED = 44 / 60  # 73.3 %


@pytest.fixture(scope="module")
def figures() -> Figures:
    return measure_shipped(DEV4_FILE)


def test_dev4_set_shape() -> None:
    data = load_set(DEV4_FILE)
    queries = [str(q["text"]) for q in data["query"]]
    assert len(queries) >= 200
    assert len(set(queries)) == len(queries)
    assert len(data["refuse"]) >= 30
    assert sum(len(q.split()) <= 2 for q in queries) >= 20  # "carte vitale", "divorse"
    assert sum(len(q.split()) >= 15 for q in queries) >= 20  # a situation told at length


def test_dev4_set_covers_every_service() -> None:
    from guichet.catalog import load_catalog

    expected = expected_ids(DEV4_FILE)
    assert {s.id for s in load_catalog().services} <= expected


def test_dev4_set_figures_do_not_fall(figures: Figures) -> None:
    check_ratchet(figures, "dev4 set", MIN_TOP1, MIN_TOP3, MIN_REFUSED)


# -- the rules of this round, on small catalogs ---------------------------------------------
# Issue 15: « the way people really speak at a counter »; « stop words that do not eat
# meaningful words »; « French lemmatisation or stemming ».


def service(id: str, title: str, *, keywords: tuple[str, ...] = (),
            phrasings: tuple[str, ...] = (), summary: str = "", popularity: int = 0) -> Service:
    return Service(id=id, title=title, category="evenement", summary=summary,
                   orientation=Orientation(desk=Desk.GCA), source="test", keywords=keywords,
                   phrasings=phrasings, popularity=popularity)


def ids(index: Index, query: str) -> list[str]:
    return [hit.service.id for hit in index.search(query, limit=3)]


def test_a_negation_over_a_full_score_still_tells_services_apart() -> None:
    # "je touche plus rien": the word said scores 100 in both; the negations written in one of
    # them add beyond 100, and rank it first (the score shown stays capped at 100). Capped, the
    # tie went to the more popular service.
    index = Index((
        service("rsa", "Touche le RSA", popularity=90),
        service("paiement", "Touche un paiement", keywords=("plus rien",)),
    ))
    found = index.search("touche plus rien")
    assert [(hit.service.id, hit.score) for hit in found] == [("paiement", 100), ("rsa", 100)]


def test_a_span_of_time_qualifies_it_names_no_theme() -> None:
    # "enceinte de 2 mois" is a pregnancy, not a service that writes "3 mois".
    assert all(is_modifier(word) for word in ("mois", "annee", "annees", "semaines"))
    assert not is_modifier("ans")  # an age is a theme: "mon fils a 20 ans"
    index = Index((
        service("grossesse", "Grossesse", keywords=("enceinte",)),
        service("dette", "Dette", keywords=("dette de 3 mois",)),
    ))
    # "mois" is written in another service only: it takes nothing from "enceinte" (as a content
    # word, it pulled the keyword's 85 under the floor).
    found = index.lookup("enceinte de 2 mois")
    assert found.confident and (found.hits[0].service.id, found.hits[0].score) == ("grossesse", 85)
    assert ids(index, "dette depuis 3 mois")[0] == "dette"  # where it is written, it counts


def test_what_a_person_lacks_is_what_the_catalog_writes_sans() -> None:
    assert lacking("j'ai plus de logement") == {"logement"}
    assert lacking("pas d'argent, plus un rond, aucune ressource") == {"argent", "rond", "ressource"}
    assert lacking("je touche plus rien") == frozenset()  # "rien" is no thing
    assert lacking("plus de 3 ans") == frozenset()
    # The negation before it reads as "sans" or "pas" (not as the "non" of "non versée").
    assert parse("plus de logement")[0] == ((("plus",), 1.0), (("sans",), 0.95), (("pas",), 0.95))
    assert parse("plus versé")[0] == ((("plus",), 1.0), (("non",), 0.95))
    index = Index((
        service("non-versee", "Aide au logement non versée", popularity=90),
        service("sans-logement", "Sans logement", phrasings=("sans logement",)),
    ))
    assert ids(index, "j'ai plus de logement")[0] == "sans-logement"
    assert ids(index, "logement plus versé")[0] == "non-versee"


def test_a_negation_said_is_the_non_of_a_title() -> None:
    # "j'ai pas eu le rsa": the title "RSA non versé", not the benefit itself.
    index = Index((
        service("rsa", "Revenu de solidarité active (RSA)", keywords=("pas de revenus",), popularity=90),
        service("rsa-non-verse", "RSA non versé"),
    ))
    assert ids(index, "j'ai pas eu le rsa")[0] == "rsa-non-verse"
    assert ids(index, "le rsa")[0] == "rsa"


@pytest.mark.parametrize(("text", "kept"), [
    ("wallah j'ai plus rien", ["plus", "rien"]),  # the oaths of Arabic-French speech
    ("ma petite dame j'entends mal", ["petite", "entends", "mal"]),  # a form of address
    ("il pleut dans mon salon selon moi", ["pleut", "salon"]),  # "salon" is no typo of "selon"
    ("je reprends apres 2 ans", ["reprends", "2", "ans"]),  # prepositions of time
    ("des gens bizarres sur les reseaux", ["reseaux"]),
    ("a qui je m'adresse pour un logement", ["logement"]),  # no change of address
    ("changement d'adresse", ["changement", "adresse"]),
    ("un coup de pouce pour le bafa", ["aide", "bafa"]),  # idioms: help, not a blow
    ("rembourser petit a petit", ["rembourser", "plusieurs"]),  # in instalments, not a child
    ("ils ont arrete de me payer l'apl", ["plus", "verse", "apl"]),  # a payment stopped
    ("j'ai arrete de travailler", ["arrete", "travailler"]),
])
def test_fillers_of_round_five_are_dropped_and_idioms_read(text: str, kept: list[str]) -> None:
    assert tokens(text) == kept


def test_meaningful_words_of_round_five_are_kept() -> None:
    for word in ("quand", "normal", "mettre", "fausse", "sans", "toit"):
        assert word not in STOP_WORDS, word


@pytest.mark.parametrize(("verb", "noun"), [
    ("reprends", "reprise"), ("reprendre", "reprise"), ("inscrire", "inscription"),
    ("ecrire", "ecrit"), ("comprendre", "comprehension"), ("suspension", "suspendu"),
    ("connecter", "connexion"), ("attendre", "attente"), ("envoyer", "envoi"),
    ("nourrir", "nourriture"), ("endette", "dette"), ("mets", "mise"), ("mettre", "mise"),
])
def test_the_verb_said_meets_the_noun_written(verb: str, noun: str) -> None:
    # « je reprends le travail »: « Reprise d'un emploi ». Snowball leaves these apart.
    assert stem(verb) == stem(noun)


@pytest.mark.parametrize(("word", "meaning"), [
    ("stoppe", "arrêté"), ("stop", "suspendu"),  # « la caf elle a stoppé »
    ("husband", "conjoint"), ("hit", "frappe"), ("money", "argent"), ("speak", "parle"),
    ("french", "français"), ("coming", "arrivé"),  # « my husband hit me », « money no coming »
    ("cafards", "logement en mauvais état"), ("infiltrations", "logement en mauvais état"),
    ("mer", "vacances"), ("retiennent", "retenue"), ("medicaments", "soins"),
    ("psy", "psychologique"), ("alzheimer", "perte d'autonomie"), ("solo", "seul"),
    ("ciel", "décès"), ("menage", "aide à domicile"), ("paralyse", "handicap"),
    ("maternite", "naissance"), ("cambriolage", "agression"), ("tuer", "violence"),
    ("bleus", "coups"), ("mail", "email"), ("marcher", "déplacer"), ("touche", "reçu"),
    ("als", "aide au logement"), ("alf", "aide au logement"),  # the three are confused
    ("pas", "non"), ("plus", "non"), ("peze", "argent"), ("radiateur", "chauffage"),
    ("bug", "bloqué"), ("biberon", "bébé"), ("disparu", "décès"), ("hurle", "violence"),
])
def test_everyday_words_of_round_five_reach_the_catalog_words(word: str, meaning: str) -> None:
    assert meaning in SYNONYMS[word]
    assert tuple(tokens(meaning)) in [words for words, _ in parse(word)[0][1:]]


def test_english_no_is_a_negation() -> None:
    assert is_modifier("no") and is_modifier("not")
    index = Index((
        service("paiement", "Paiement non reçu", keywords=("argent pas arrivé",)),
        service("contact", "Contacter la Caf", keywords=("caf",)),
    ))
    assert ids(index, "money caf no coming")[0] == "paiement"

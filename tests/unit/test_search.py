"""Tests of the search index: folding, ranking rules, and the query set on the real catalog."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

from guichet.domain.models import Desk, Orientation, Service
from guichet.domain.search import Hit, Index
from guichet.domain.words import fold, tokens

QUERY_FILE = Path(__file__).with_name("search_queries.toml")
PASS_RATE = 0.95


def service(
    id: str,
    title: str,
    *,
    keywords: tuple[str, ...] = (),
    summary: str = "",
    category: str = "prestation",
    popularity: int = 0,
    benefits: tuple[str, ...] = (),
) -> Service:
    """A minimal service for unit tests."""
    return Service(
        id=id,
        title=title,
        category=category,
        summary=summary,
        orientation=Orientation(desk=Desk.GCA),
        source="test",
        keywords=keywords,
        benefits=benefits,
        popularity=popularity,
    )


CATALOG = (
    service("grossesse", "Déclarer une grossesse", keywords=("enceinte", "bébé"),
            summary="Déclaration de grossesse à la Caf avant la fin du 3e mois.", popularity=40),
    service("apl-non-versee", "Aide au logement non versée",
            keywords=("apl pas versée", "plus payé"), benefits=("APL",), popularity=80),
    service("rsa", "Revenu de solidarité active (RSA)", keywords=("minima sociaux",),
            benefits=("RSA",), popularity=90),
    service("rdv", "Prendre rendez-vous", keywords=("rdv", "conseiller"), category="demarche",
            popularity=20),
    service("demenagement", "Prime de déménagement", keywords=("déménager", "logement neuf"),
            popularity=30),
    service("mot-de-passe", "Mot de passe oublié", keywords=("code confidentiel",),
            category="demarche", popularity=60),
    service("logement-etudiant", "Logement étudiant", summary="Aide au logement des étudiants.",
            popularity=50),
)


@pytest.fixture(scope="module")
def index() -> Index:
    return Index(CATALOG)


def ids(hits: list[Hit]) -> list[str]:
    return [hit.service.id for hit in hits]


# -- folding and tokens ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Déménagement", "demenagement"),
        ("ÉLÈVE Ça", "eleve ca"),
        ("cœur Ætna", "coeur aetna"),
        ("l’allocation d'aide", "l allocation d aide"),
        ("rendez-vous, (RSA)!", "rendez vous rsa"),
        ("  ", ""),
    ],
)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_tokens_drop_stop_words_but_keep_pas() -> None:
    assert tokens("Mon APL n’est pas versée à la date") == ["apl", "pas", "versee", "date"]


def test_tokens_of_only_stop_words_are_kept() -> None:
    # "de" may be the beginning of "décès": a query of stop words alone is not emptied.
    assert tokens("de") == ["de"]


# -- ranking rules ---------------------------------------------------------------------------


def test_exact_beats_prefix_beats_fuzzy() -> None:
    index = Index((service("prefix", "Loyers impayés"), service("exact", "Loy")))
    hits = index.search("loy")
    assert ids(hits) == ["exact", "prefix"]
    assert hits[0].score == 100
    assert hits[0].score > hits[1].score

    index = Index((service("fuzzy", "Garen", popularity=100), service("prefix", "Garantie")))
    hits = index.search("garan")  # "garantie" by prefix, "garen" by one edit
    assert ids(hits) == ["prefix", "fuzzy"]
    assert hits[0].score > hits[1].score

    index = Index((service("word", "Allocation"), service("longer", "Allocationnaire")))
    assert ids(index.search("allocatoin")) == ["word"]  # a typo, no prefix of anything
    hits = index.search("allocation")
    assert ids(hits) == ["word", "longer"]  # the exact word, then the longer one by prefix
    assert hits[0].score > hits[1].score


def test_title_beats_keywords_beats_summary() -> None:
    index = Index((
        service("summary", "Autre chose", summary="Parle de la crèche.", popularity=100),
        service("keywords", "Encore autre", keywords=("crèche",), popularity=50),
        service("title", "Crèche", popularity=0),
    ))
    hits = index.search("creche")
    assert ids(hits) == ["title", "keywords", "summary"]
    assert [hit.field for hit in hits] == ["title", "keywords", "summary"]
    assert hits[0].score > hits[1].score > hits[2].score


def test_more_query_words_matched_ranks_higher(index: Index) -> None:
    hits = index.search("aide logement etudiant")
    assert ids(hits)[0] == "logement-etudiant"


def test_ties_broken_by_popularity_then_title() -> None:
    index = Index((
        service("b", "Aide B", popularity=10),
        service("a", "Aide A", popularity=10),
        service("c", "Aide C", popularity=50),
    ))
    hits = index.search("aide")
    assert ids(hits) == ["c", "a", "b"]
    assert len({hit.score for hit in hits}) == 1


def test_prefix_of_word_being_typed(index: Index) -> None:
    assert ids(index.search("enceint"))[0] == "grossesse"
    assert ids(index.search("demen"))[0] == "demenagement"


def test_found_while_typing(index: Index) -> None:
    word = "déménagement"
    for end in range(4, len(word) + 1):
        assert ids(index.search(word[:end]))[0] == "demenagement", word[:end]


def test_typo_tolerance(index: Index) -> None:
    assert ids(index.search("enceinet"))[0] == "grossesse"
    assert ids(index.search("demenagment"))[0] == "demenagement"
    assert ids(index.search("revenu solidarte"))[0] == "rsa"


def test_two_typos_in_a_long_word(index: Index) -> None:
    # "demnagment": two letters missing from "demenagement" (12 letters).
    hits = index.search("demnagment")
    assert ids(hits) == ["demenagement"]
    assert hits[0].field == "title"


def test_two_typos_from_six_letters_one_below() -> None:
    index = Index((service("jardin", "Jardin"), service("piano", "Piano")))
    one = index.search("jardni")  # one transposition
    two = index.search("jarnid")  # two substitutions, in a 6-letter word: still found
    assert [(hit.service.id, hit.score) for hit in one] == [("jardin", 60)]
    assert [(hit.service.id, hit.score) for hit in two] == [("jardin", 54)]
    # Two edits in a 5-letter word would match too much: not found.
    assert index.search("pinoa") == []
    assert ids(index.search("pinao")) == ["piano"]  # one transposition is


def test_trailing_space_ends_the_word_being_typed() -> None:
    # "garde" is the whole id of one service and the beginning of the other's title word (two
    # stems for Snowball: "gard" and "garder"; "loge" and "logement" would share "log").
    index = Index((service("garderie", "Garderie"), service("garde", "Autre chose")))
    typing = index.search("garde")
    assert [(hit.service.id, hit.score, hit.field) for hit in typing] == [
        ("garderie", 77, "title"),  # the word being typed: "garderie" is what is coming
        ("garde", 75, "id"),
    ]
    for query in ("garde ", "garde  ", "garde\t"):
        typed = index.search(query)
        assert [(hit.service.id, hit.score, hit.field) for hit in typed] == [
            ("garde", 75, "id"),  # a finished word: a mere prefix match counts less
            ("garderie", 67, "title"),
        ], repr(query)
    # Only the last word is being typed: "aide" before it is finished either way ("aide" is
    # found nowhere here, so it weighs more than "garde" and both scores are low).
    assert [(hit.service.id, hit.score) for hit in index.search("aide garde")] == [
        ("garderie", 26), ("garde", 25),
    ]
    assert [(hit.service.id, hit.score) for hit in index.search("aide garde ")] == [
        ("garde", 25), ("garderie", 23),
    ]


def test_trailing_space_does_not_change_an_exact_word(index: Index) -> None:
    for query in ("apl", "demenagement"):
        typing, typed = index.search(query), index.search(query + " ")
        assert [(h.service.id, h.score) for h in typed] == [(h.service.id, h.score) for h in typing]
    assert index.search("demen")[0].score > index.search("demen ")[0].score


def test_accents_and_case_do_not_matter(index: Index) -> None:
    assert ids(index.search("DÉMÉNAGEMENT")) == ids(index.search("demenagement"))


def test_synonyms(index: Index) -> None:
    assert ids(index.search("rdv"))[0] == "rdv"
    assert ids(index.search("mdp"))[0] == "mot-de-passe"
    assert ids(index.search("apl"))[0] == "apl-non-versee"


def test_empty_query_lists_the_most_popular(index: Index) -> None:
    for query in ("", "   "):
        hits = index.search(query, limit=3)
        assert ids(hits) == ["rsa", "apl-non-versee", "mot-de-passe"]
        assert {hit.field for hit in hits} == {"popularity"}


def test_score_range_and_fields(index: Index) -> None:
    fields = {"title", "keywords", "summary", "category", "id", "popularity"}
    for query in ("", "a", "apl", "logement", "demarche", "enceinet", "zzzz", "mot passe"):
        for hit in index.search(query):
            assert 0 <= hit.score <= 100
            assert hit.field in fields
    assert index.search("demarche")[0].field == "category"
    assert index.search("revenu solidarite active")[0].score == 100


def test_no_match(index: Index) -> None:
    assert index.search("xylophone") == []


def test_limit(index: Index) -> None:
    assert len(index.search("a", limit=2)) <= 2
    assert len(index.search("", limit=2)) == 2
    assert index.search("logement", limit=0) == []
    assert len(index.search("")) == len(CATALOG)


def test_len_and_build() -> None:
    assert len(Index(CATALOG)) == len(CATALOG)
    assert len(Index.build(iter(CATALOG))) == len(CATALOG)
    assert Index(()).search("apl") == []
    assert Index(()).search("") == []


def test_domain_purity() -> None:
    code = textwrap.dedent(
        """
        import sys
        import guichet.domain.search
        bad = [m for m in ("textual", "sqlalchemy", "sqlmodel") if m in sys.modules]
        print(",".join(bad))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


# -- the query set on the shipped catalog ----------------------------------------------------


def test_query_set_on_shipped_catalog() -> None:
    from guichet.catalog import load_catalog

    catalog = load_catalog()
    with QUERY_FILE.open("rb") as stream:
        queries = tomllib.load(stream)["query"]
    known = {s.id for s in catalog.services}
    unknown = sorted({i for q in queries for i in q["expect"]} - known)
    assert not unknown, f"{QUERY_FILE.name} expects ids absent from the catalog: {unknown}"

    index = Index(catalog.services)
    failures = []
    for query in queries:
        top = ids(index.search(query["text"], limit=3))
        if not set(query["expect"]) & set(top):
            failures.append(f"  {query['text']!r}: expected {query['expect']}, got {top}")
    rate = 1 - len(failures) / len(queries)
    print(f"\nquery set: {len(queries) - len(failures)}/{len(queries)} passed ({rate:.1%})")
    print("\n".join(failures))
    assert rate >= PASS_RATE, "\n".join(failures)

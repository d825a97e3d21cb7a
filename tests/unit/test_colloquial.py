"""The frozen colloquial query set (issue 15): top-1 / top-3 targets and the confidence floor.

``colloquial_queries.toml`` was written before the search was tuned and is never edited: this
test is the only place that looks at it, and it reports aggregate rates only (never which
queries fail: they must not become a to-do list for the tuning).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from guichet.domain.search import Index, Lookup

HERE = Path(__file__).parent
FROZEN = HERE / "colloquial_queries.toml"
QUERY_SET = HERE / "search_queries.toml"
TOP3_TARGET = 0.95  # the targets, counted on confident answers only
TOP1_TARGET = 0.85
# What the search reaches, as a ratchet: top-1 and top-3 may only go up. Measured on confident answers.
# - before any tuning (first session of issue 15): top-1 106/179, top-3 144/179;
# - end of the first tuning: top-1 138/179, top-3 153/179, out-of-scope refused 10/11;
# - end of the second tuning (done blind, on its own development set, search_dev_queries.toml, and
#   with 18 new catalog entries): top-1 153/179 (85.5 %), top-3 164/179 (91.6 %), out-of-scope
#   refused 9/11. One more out-of-scope phrasing now gets a confident answer: measured once, after
#   the tuning, and recorded as it is rather than tuned away on this set;
# - end of a third round (blind again, on a second development set written from the service list,
#   search_dev2_queries.toml, a third of it long sentences): top-1 154/179 (86.0 %), top-3 165/179
#   (92.2 %), out-of-scope refused 9/11;
# - end of a fourth round (blind again, on a third development set written from the service list,
#   search_dev3_queries.toml, 277 phrasings and 42 out-of-scope texts; whole phrasings scored like
#   titles, a lexicon of everyday words, SMS spellings; measured once, at the end): top-1 156/179
#   (87.2 %), top-3 169/179 (94.4 %), out-of-scope refused 9/11;
# - end of a fifth round (blind again, on a fourth development set written in other voices,
#   search_dev4_queries.toml: 491 phrasings and 60 out-of-scope texts, with a last block written after
#   the last change and measured once, 92.5 % top-3; negations, what a person lacks, idioms, verbs
#   read as nouns, a larger lexicon; measured once, at the end): top-1 162/179 (90.5 %), top-3
#   172/179 (96.1 %), out-of-scope refused 9/11. The top-1 and top-3 targets are reached.
TOP3_REACHED = 172 / 179
TOP1_REACHED = 162 / 179
OUT_OF_SCOPE_CONFIDENT_REACHED = 2
OUT_OF_SCOPE_NOT_ALL_REFUSED = pytest.mark.xfail(
    strict=True,
    reason="2 of 11 out-of-scope phrasings still get confident answers (the confidence floor refuses 9); strict,"
           " so that refusing them all shows and this mark goes",
)


@pytest.fixture(scope="module")
def index() -> Index:
    from guichet.catalog import load_catalog

    return Index(load_catalog().services)


def _queries(path: Path) -> list[dict[str, Any]]:
    with path.open("rb") as stream:
        queries: list[dict[str, Any]] = tomllib.load(stream)["query"]
    return queries


def _answers(found: Lookup) -> list[str]:
    """What the agent is offered as answers: the confident hits only."""
    return [hit.service.id for hit in found.hits]


def test_frozen_set_is_well_formed(index: Index) -> None:
    queries = _queries(FROZEN)
    known = {index_service.id for index_service in index.services}
    assert len([q for q in queries if q["expect"]]) >= 100
    assert any(not q["expect"] for q in queries), "out-of-scope phrasings expected too"
    unknown = sorted({i for q in queries for i in q["expect"]} - known)
    assert not unknown, unknown
    texts = [q["text"] for q in queries]
    assert len(texts) == len(set(texts))


def _rates(index: Index) -> tuple[float, float, str]:
    queries = [q for q in _queries(FROZEN) if q["expect"]]
    top1 = top3 = 0
    for query in queries:
        answers = _answers(index.lookup(query["text"], limit=3))
        top1 += bool(answers) and answers[0] in query["expect"]
        top3 += bool(set(answers) & set(query["expect"]))
    rate1, rate3 = top1 / len(queries), top3 / len(queries)
    # Aggregate rates only, on purpose: the failures are not shown, so that nobody tunes on them.
    summary = (f"frozen colloquial set: top-1 {top1}/{len(queries)} ({rate1:.1%}),"
               f" top-3 {top3}/{len(queries)} ({rate3:.1%})")
    return rate1, rate3, summary


def _out_of_scope_confident(index: Index) -> tuple[int, int]:
    queries = [q for q in _queries(FROZEN) if not q["expect"]]
    confident = 0
    for query in queries:
        found = index.lookup(query["text"])
        if found.confident:
            confident += 1
        else:
            assert found.hits == ()
    return confident, len(queries)


def test_frozen_set_no_regression(index: Index) -> None:
    rate1, rate3, summary = _rates(index)
    print("\n" + summary)
    assert rate3 >= TOP3_REACHED - 1e-9, summary
    assert rate1 >= TOP1_REACHED - 1e-9, summary
    confident, total = _out_of_scope_confident(index)
    assert confident <= OUT_OF_SCOPE_CONFIDENT_REACHED, f"{confident}/{total} out of scope confident"


def test_frozen_colloquial_set_top1_top3(index: Index) -> None:
    rate1, rate3, summary = _rates(index)
    assert rate3 >= TOP3_TARGET, summary
    assert rate1 >= TOP1_TARGET, summary


@OUT_OF_SCOPE_NOT_ALL_REFUSED
def test_frozen_out_of_scope_below_the_floor(index: Index) -> None:
    confident, total = _out_of_scope_confident(index)
    assert not confident, f"{confident}/{total} out-of-scope phrasings got confident answers"


def test_query_set_still_passes_with_the_floor(index: Index) -> None:
    """The 135 of ``search_queries.toml``: every one still finds an expected service in its top 3,
    and none of them falls below the confidence floor."""
    failures = []
    for query in _queries(QUERY_SET):
        answers = _answers(index.lookup(query["text"], limit=3))
        if not set(answers) & set(query["expect"]):
            failures.append(f"  {query['text']!r}: expected {query['expect']}, got {answers}")
    assert not failures, "\n".join(failures)

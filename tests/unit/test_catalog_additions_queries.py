"""Colloquial queries for the entries added in issue 15 find them in the top 3 of the search.

The queries live in catalog_additions_queries.toml (2 or 3 per entry, in the person's words);
every query must pass, on the shipped catalog, as the search screen runs them.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest

from guichet.catalog import load_catalog
from guichet.domain.search import Index

QUERY_FILE = Path(__file__).with_name("catalog_additions_queries.toml")

with QUERY_FILE.open("rb") as _stream:
    QUERIES: list[dict[str, str]] = tomllib.load(_stream)["query"]


@pytest.fixture(scope="module")
def index() -> Index:
    return Index(load_catalog().services)


def test_every_added_entry_has_two_or_three_queries() -> None:
    from tests.unit.test_catalog_sources import ADDED

    counts = Counter(query["expect"] for query in QUERIES)
    assert set(counts) == {expected.id for expected in ADDED}
    assert all(2 <= count <= 3 for count in counts.values()), counts


@pytest.mark.parametrize("query", QUERIES, ids=[q["text"] for q in QUERIES])
def test_query_finds_the_added_entry_in_top_3(query: dict[str, str], index: Index) -> None:
    top = [hit.service.id for hit in index.search(query["text"], limit=3)]
    assert query["expect"] in top, f"{query['text']!r}: expected {query['expect']}, got {top}"

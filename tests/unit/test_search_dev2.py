"""The second development set of colloquial phrasings (blind round): figures, and a ratchet.

``search_dev2_queries.toml`` was written from the service list only (ids, titles, summaries),
without reading ``search_dev_queries.toml`` or the services' phrasings: a third of it are whole
situations told at the counter (15 words and more), with politeness, hesitations and typos. Its
last 20 queries and 8 refusals were written as a held-out check of the rules, then added.
Measured through ``Index.lookup`` like the first set (a right answer refused under the floor is a
miss). Run with ``-s`` to see the figures and the misses.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.test_search_dev import Figures, check_ratchet, load_set, measure_shipped

DEV2_FILE = Path(__file__).with_name("search_dev2_queries.toml")

# Before this round: top-1 205/246 (83.3 %), top-3 219/246 (89.0 %), refused 27/30 (90.0 %).
# The figures reached at its end (raised by the fifth round): they may rise, never fall.
MIN_TOP1 = 239 / 246  # 97.2 %
MIN_TOP3 = 246 / 246  # 100 %
MIN_REFUSED = 29 / 30  # 96.7 %


@pytest.fixture(scope="module")
def figures() -> Figures:
    return measure_shipped(DEV2_FILE)


def test_dev2_set_shape() -> None:
    data = load_set(DEV2_FILE)
    queries = [str(q["text"]) for q in data["query"]]
    assert len(queries) >= 150
    assert len(data["refuse"]) >= 20
    long = [q for q in queries if len(q.split()) >= 15]
    assert len(long) * 3 >= len(queries), f"{len(long)} long sentences of {len(queries)}"


def test_dev2_set_figures_do_not_fall(figures: Figures) -> None:
    check_ratchet(figures, "dev2 set", MIN_TOP1, MIN_TOP3, MIN_REFUSED)

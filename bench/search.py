"""Benchmark of the search index against a naive rapidfuzz scan of the titles.

Usage: ``python bench/search.py [--short]``

For the shipped catalog and for synthetic catalogs of 10,000 and 50,000 entries (drawn with a
fixed seed from the words of the real catalog plus invented words, so that the vocabulary grows
the way a real one does), it prints the index build time and the time per query of
``Index.search`` and of the baseline ``process.extract(query, titles, scorer=fuzz.WRatio,
limit=10)``, measured in the same run. Targets: ratio <= 0.25 at 10,000 entries, median under
16 ms at 50,000. It prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import sys
import time
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path

from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))  # run from a checkout without installing

from guichet.domain.models import Desk, Orientation, Service  # noqa: E402
from guichet.domain.search import Index  # noqa: E402
from guichet.domain.words import tokens  # noqa: E402

QUERY_FILE = ROOT / "tests" / "unit" / "search_queries.toml"
# The colloquial development set (whole sentences, out-of-scope text): timed with the rest.
DEV_FILE = ROOT / "tests" / "unit" / "search_dev_queries.toml"
SEED = 20260
SIZES = (10_000, 50_000)

# Used when tests/unit/search_queries.toml is missing: what agents type, typos and all.
BUILTIN_QUERIES = (
    "apl", "apl pas versee", "aide logement", "aide au logment", "rsa", "revenu solidarite",
    "prime activite", "prime d'activite", "ppa", "aah", "adulte handicape", "handicap enfant",
    "aeeh", "enceinte", "enceinet", "grossesse", "naissance", "bebe", "prime naissance",
    "separation", "divorce", "separe", "deces", "deces conjoint", "mort enfant",
    "violences conjugales", "violence", "impaye loyer", "loyer impaye", "expulsion",
    "demenagement", "prime demenagement", "garde enfant", "assistante maternelle", "creche",
    "cmg", "paje", "allocations familiales", "alloc", "rentree scolaire", "ars",
    "soutien familial", "asf", "pension alimentaire", "attestation", "attestation paiement",
    "numero allocataire", "mot de passe", "mdp oublie", "mon compte", "changer rib",
    "changement adresse", "declaration trimestrielle", "ressources", "trop percu", "dette",
    "reclamation", "mediation", "rdv", "rendez vous", "etudiant", "jeune", "logement etudiant",
    "sourd", "traduction", "sans domicile", "domiciliation",
)


def load_services() -> tuple[Service, ...]:
    """The shipped catalog, through the loader when it exists, else read minimally."""
    try:
        from guichet.catalog import load_catalog
    except ImportError:
        return _read_services(ROOT / "src" / "guichet" / "data" / "services.toml")
    return load_catalog().services


def _read_services(path: Path) -> tuple[Service, ...]:
    """A bare reading of services.toml, for a checkout that has no catalog loader yet."""
    with path.open("rb") as stream:
        data = tomllib.load(stream)
    return tuple(
        Service(
            id=raw["id"],
            title=raw["title"],
            category=raw.get("category", ""),
            summary=raw.get("summary", ""),
            orientation=Orientation(desk=Desk(raw.get("orientation", {}).get("desk", "accueil"))),
            source=raw.get("source", ""),
            keywords=tuple(raw.get("keywords", ())),
            benefits=tuple(raw.get("benefits", ())),
            popularity=int(raw.get("popularity", 0)),
        )
        for raw in data.get("service", [])
    )


def load_queries() -> list[str]:
    """The query sets of the tests when present (desk queries, then colloquial sentences and
    out-of-scope text), else the built-in list."""
    queries: list[str] = []
    for path in (QUERY_FILE, DEV_FILE):
        if path.exists():
            with path.open("rb") as stream:
                data = tomllib.load(stream)
            queries += [str(q["text"]) for key in ("query", "refuse") for q in data.get(key, [])]
    return queries or list(BUILTIN_QUERIES)


_SYLLABLES = (
    "ba", "be", "bi", "bo", "ca", "ce", "ci", "co", "da", "de", "di", "do", "fa", "fe", "fi",
    "ga", "ge", "gi", "la", "le", "li", "lo", "ma", "me", "mi", "mo", "na", "ne", "ni", "no",
    "pa", "pe", "pi", "po", "ra", "re", "ri", "ro", "sa", "se", "si", "so", "ta", "te", "ti",
    "to", "va", "ve", "vi", "vo", "cha", "che", "chi", "tra", "tre", "pre", "pro", "pla",
    "gre", "bri", "cou", "lou", "mou", "rou", "tou", "an", "en", "in", "on",
)

_SUFFIXES = ("", "", "tion", "ment", "age", "ite", "eur", "ence", "ier", "al", "ique")


def synthetic_catalog(real: Sequence[Service], size: int, seed: int = SEED) -> list[Service]:
    """``size`` services recombined from ``real`` plus invented words, deterministically.

    The invented words follow a Heaps-like law (about 20·n^0.6 of them, drawn with a skew
    towards the first ones), so the vocabulary grows sub-linearly with the catalog as a real
    one would, and a query still meets many near-misses in it.
    """
    rng = random.Random(seed)
    invented = sorted({
        "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) + rng.choice(_SUFFIXES)
        for _ in range(int(20 * size**0.6))
    })
    rng.shuffle(invented)
    real_words = sorted({w for s in real for w in (*s.title.split(), *s.summary.split())})
    real_keywords = sorted({k for s in real for k in s.keywords})

    def word() -> str:
        if rng.random() < 0.5:
            return rng.choice(real_words)
        return invented[int(len(invented) * rng.random() ** 2)]

    services: list[Service] = []
    used: set[str] = set()
    for _ in range(size):
        base = rng.choice(real)
        title = base.title.split()
        if rng.random() < 0.5:
            title[rng.randrange(len(title))] = word()
        title += [word() for _ in range(rng.randint(0, 2))]
        summary = base.summary.split()
        rng.shuffle(summary)
        summary = summary[: rng.randint(4, 12)] + [word() for _ in range(rng.randint(1, 4))]
        keywords = rng.sample(real_keywords, k=min(len(real_keywords), rng.randint(1, 4)))
        keywords += [word() for _ in range(rng.randint(0, 2))]
        # A slug of the title, like the real ids, numbered only on collision: a serial number
        # in every id would add one vocabulary word per entry, which no real catalog has.
        slug = "-".join(tokens(" ".join(title)))[:60] or base.id
        ident, number = slug, 1
        while ident in used:
            number += 1
            ident = f"{slug}-{number}"
        used.add(ident)
        services.append(
            dataclasses.replace(
                base,
                id=ident,
                title=" ".join(title),
                summary=" ".join(summary),
                keywords=tuple(keywords),
                popularity=rng.randint(0, 100),
            )
        )
    return services


def _per_query_ms(run: Callable[[str], object], queries: Sequence[str], repeat: int) -> list[float]:
    """For each query, the median over ``repeat`` runs, in milliseconds."""
    timings = []
    for query in queries:
        runs = []
        for _ in range(repeat):
            start = time.perf_counter_ns()
            run(query)
            runs.append((time.perf_counter_ns() - start) / 1e6)
        timings.append(statistics.median(runs))
    return timings


def _p95(values: Sequence[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def bench(services: Sequence[Service], queries: Sequence[str], repeat: int) -> dict[str, float]:
    """Build time and per-query timings of the index and of the naive baseline."""
    start = time.perf_counter()
    index = Index(services)
    build = time.perf_counter() - start
    titles = [s.title for s in services]
    for query in queries:  # warm up both sides (first-call costs, caches)
        index.search(query)
        process.extract(query, titles, scorer=fuzz.WRatio, limit=10)
    ours = _per_query_ms(index.search, queries, repeat)
    naive = _per_query_ms(
        lambda q: process.extract(q, titles, scorer=fuzz.WRatio, limit=10), queries, repeat
    )
    vocabulary = {
        w for s in services for text in (s.title, s.summary, *s.keywords) for w in tokens(text)
    }
    return {
        "size": len(services),
        "vocabulary": len(vocabulary),
        "build_s": build,
        "ours_median": statistics.median(ours),
        "ours_p95": _p95(ours),
        "naive_median": statistics.median(naive),
        "naive_p95": _p95(naive),
    }


def main(argv: Sequence[str] | None = None) -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--short", action="store_true", help="fewer repetitions (CI)")
    args = parser.parse_args(argv)
    repeat = 1 if args.short else 5
    real = load_services()
    queries = load_queries()
    print(f"{len(queries)} queries, {repeat} runs each; times per query in ms (median, p95)")
    header = (f"{'entries':>8} {'vocab':>7} {'build s':>8} {'ours med':>9} {'ours p95':>9}"
              f" {'naive med':>10} {'naive p95':>10} {'ratio':>6}")
    print(header)
    print("-" * len(header))
    for catalog in (list(real), *(synthetic_catalog(real, size) for size in SIZES)):
        row = bench(catalog, queries, repeat)
        ratio = row["ours_median"] / row["naive_median"]
        print(f"{row['size']:>8,.0f} {row['vocabulary']:>7,.0f} {row['build_s']:>8.3f}"
              f" {row['ours_median']:>9.3f} {row['ours_p95']:>9.3f}"
              f" {row['naive_median']:>10.3f} {row['naive_p95']:>10.3f} {ratio:>6.2f}")


if __name__ == "__main__":
    main()

"""Scale of the reception log (issue 17): a month's statistics and the live header figure on years of data.

Usage: ``python bench/stats.py [--short] [--backends sqlite,postgresql]``

A database holding 1,000,000 passages (about 2.6 items each), 300,000 appointments and 5,000
handoffs: three years of four agencies (bench/stats_data.py says how the rows look; 100,000 /
30,000 / 1,000 with ``--short``, the same density over a tenth of the years). On SQLite always, on
PostgreSQL when its binaries are installed (tests/pg.py), each measured in a thread worker, as the
screen and the header run them:

- ``services.stats.compute(agency, month)`` of last month (the whole of October 2026) for Nanterre
  and for every agency: every query of the statistics screen and its figures. Target < 100 ms. Its
  baseline: the bare ``SELECT count(*)`` of the same month's passages, items, appointments and
  handoffs (what reading the rows costs before grouping them); the time of each query is in the notes;
- ``services.passages.received()``, the header's figure (this half-day, this counter and the
  agency). Target < 5 ms. Its baseline: the bare ``SELECT count(*)`` of this half-day's passages;
- both again while another thread writes passages (``services.passages`` of another counter: open,
  an outcome, close, ``flush()``, twenty a second, far more than all the counters of an agency).
  Both times are printed: the wall clock (the verdict) and the CPU time of the worker thread, which
  other processes on a busy machine hardly change (on PostgreSQL, guichet's side only: the server
  works in its own processes).

SQLite is measured in the database's second session, as scale.py does: the first session's
``PRAGMA optimize`` at close (store/engine.py) gives the planner its statistics; the first
session's figures are in the notes. PostgreSQL is analysed after the load (its autovacuum would).
It prints figures beside their targets; it asserts only that the figures count the rows written.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from _common import Row, bench_settings, empty_databases, median, p95, print_table

FULL, SHORT = (1_000_000, 300_000, 5_000), (100_000, 30_000, 1_000)
BACKENDS = ("sqlite", "postgresql")
MONTH = (date(2026, 10, 1), date(2026, 10, 31))  # the last whole month before tests.conftest.FIXED_NOW
AGENCY = "nanterre"
STATS_MS, HEADER_MS = 100.0, 5.0
WRITE_EVERY = 0.05  # s between two passages written by the other thread
QUERIES = ("passages_by_half_day", "items", "durations", "still_open", "appointments", "handoffs",
           "overdue_handoffs")


@dataclass
class Timed:
    """Times of repeated calls (ms): wall clock, and the CPU time of the worker thread (what the call cost,
    whatever else the machine ran meanwhile)."""

    wall: list[float]
    cpu: list[float]


def _timed(run: Callable[[], Any], repeat: int, warmup: int = 2) -> Timed:
    """``run`` ``repeat`` times in a thread worker (after ``warmup``)."""
    def worker() -> Timed:
        for _ in range(warmup):
            run()
        found = Timed([], [])
        for _ in range(repeat):
            start, start_cpu = time.perf_counter(), time.thread_time()
            run()
            found.cpu.append((time.thread_time() - start_cpu) * 1000)
            found.wall.append((time.perf_counter() - start) * 1000)
        return found

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bench-worker") as pool:
        return pool.submit(worker).result()


@contextlib.contextmanager
def _writing(services: Any) -> Iterator[list[int]]:
    """Another counter's thread writing passages meanwhile; yields [passages written]."""
    from guichet.domain.clock import FixedClock
    from guichet.domain.passage import Outcome
    from guichet.services import make_services

    other = make_services(replace(services.settings, workstation="bench-ecriture"), clock=FixedClock(services.now()))
    written = [0]
    stop = threading.Event()

    def write() -> None:
        passages = other.passages
        while not stop.is_set():
            passages.touch()
            passages.record(Outcome.INFORMED)
            passages.close()
            passages.flush()
            written[0] += 1
            stop.wait(WRITE_EVERY)

    thread = threading.Thread(target=write, name="bench-writer")
    thread.start()
    try:
        yield written
    finally:
        stop.set()
        thread.join()
        other.close()


def _bare_counts(services: Any, agency: str | None, period: Any) -> Callable[[], Any]:
    """The baseline: the month's rows counted, not grouped."""
    from sqlalchemy import text

    from guichet.store.engine import read_session
    from guichet.store.tables import to_db

    start, end = period.bounds()
    where = "" if agency is None else " AND agency = :a"
    values = {"f": period.first, "l": period.last, "s": to_db(start), "e": to_db(end), "a": agency}
    statements = [f"SELECT count(*) FROM passage WHERE day BETWEEN :f AND :l{where}",
                  f"SELECT count(*) FROM passage_item WHERE day BETWEEN :f AND :l{where}",
                  f'SELECT count(*) FROM appointment WHERE "start" >= :s AND "start" < :e{where}',
                  f"SELECT count(*) FROM handoff WHERE created_at >= :s AND created_at < :e{where}"]

    def run() -> list[int]:
        with read_session(services.engine) as session:
            return [int(session.execute(text(sql).bindparams(**{k: v for k, v in values.items()
                                                                 if f":{k}" in sql})).scalar_one())
                    for sql in statements]

    return run


def _bare_header(services: Any) -> Callable[[], int]:
    from sqlalchemy import text

    from guichet.domain.passage import half_day
    from guichet.store.engine import read_session

    day, half = half_day(services.now())

    def run() -> int:
        with read_session(services.engine) as session:
            sql = "SELECT count(*) FROM passage WHERE agency = :a AND day = :d AND half = :h"
            return int(session.execute(text(sql), {"a": AGENCY, "d": day, "h": half.value}).scalar_one())

    return run


def _per_query(services: Any, agency: str | None, period: Any, repeat: int) -> dict[str, Timed]:
    """Each query of ``compute``, alone in its read session."""
    from guichet.domain.handoff import HandoffStatus
    from guichet.store import stats as store
    from guichet.store.engine import read_session

    start, end = period.bounds()
    days = {"first": period.first, "last": period.last}
    instants = {"start": start, "end": end}
    arguments: dict[str, dict[str, Any]] = {
        "passages_by_half_day": days, "items": days, "durations": days, "still_open": days,
        "appointments": instants, "handoffs": instants,
        "overdue_handoffs": {**instants, "today": services.now().date(), "awaiting": HandoffStatus.TRANSMISE.value},
    }
    found = {}
    for name in QUERIES:
        query = getattr(store, name)

        def run(query: Any = query, extra: dict[str, Any] = arguments[name]) -> None:
            with read_session(services.engine) as session:
                query(session=session, agency=agency, **extra)

        found[name] = _timed(run, repeat, warmup=1)
    return found


def measure_session(services: Any, repeat: int, built: Any) -> dict[str, Any]:
    """Every figure of one session on a built database."""
    from guichet.domain.stats import Period

    period = Period(*MONTH)
    found: dict[str, Any] = {}
    result = services.stats.compute(AGENCY, period)
    expected = built.by_month.get((AGENCY, MONTH[0].year, MONTH[0].month), 0)
    assert result.passages.total == expected, (result.passages.total, expected)  # the rows written, counted
    found["month passages"] = expected
    found["all passages"] = services.stats.compute(None, period).passages.total
    for label, agency in (("one", AGENCY), ("all", None)):
        found[f"{label} stats"] = _timed(lambda agency=agency: services.stats.compute(agency, period), repeat)
        found[f"{label} bare"] = _timed(_bare_counts(services, agency, period), repeat)
        found[f"{label} queries"] = _per_query(services, agency, period, repeat)
    found["header"] = _timed(services.passages.received, repeat * 5)
    found["header bare"] = _timed(_bare_header(services), repeat * 5)
    found["received"] = services.passages.received()
    with _writing(services) as written:
        found["one stats writing"] = _timed(lambda: services.stats.compute(AGENCY, period), repeat)
        found["header writing"] = _timed(services.passages.received, repeat * 5)
        found["written"] = written[0]
    return found


def _pair(measure: str, ours: list[float], base: list[float], target: float | None) -> Row:
    row = Row(measure, median(ours), median(base), f"< {target:.0f} ms" if target else "(info)", None, ".2f")
    if target:
        row.met = row.ours < target
    return row


def _rows(backend: str, sizes: tuple[int, int, int], built: Any, loaded: float, first: dict[str, Any],
          found: dict[str, Any]) -> list[Row]:
    passages, appointments, _handoffs = sizes
    where = f"{backend}, {passages:,} passages + {appointments:,} appts"
    side = "" if backend == "sqlite" else " (client side)"  # a server's work is in its own processes
    rows = []
    for label, who in (("one", AGENCY), ("all", "all agencies")):
        stats, bare = found[f"{label} stats"], found[f"{label} bare"]
        row = _pair(f"month statistics, {where}, {who}: compute() in a worker median ms, vs bare counts",
                    stats.wall, bare.wall, STATS_MS)
        queries = found[f"{label} queries"]
        each = ", ".join(f"{name} {median(queries[name].wall):.1f} ({median(queries[name].cpu):.1f})"
                         for name in QUERIES)
        row.notes.append(f"{backend}, {who}: compute() p95 {p95(stats.wall):.1f} ms; each query alone, median ms "
                         f"(CPU): {each}")
        rows.append(row)
        rows.append(_pair(f"month statistics, {backend}, {who}: CPU of the worker thread{side} median ms, vs bare "
                          "counts", stats.cpu, bare.cpu, None))
    writing, quiet = found["one stats writing"], found["one stats"]
    rows.append(_pair(f"month statistics, {backend}, {AGENCY}, another thread writing: median ms, vs quiet",
                      writing.wall, quiet.wall, STATS_MS))
    header, bare = found["header"], found["header bare"]
    row = _pair(f"live header figure, {where}: received() in a worker median ms, vs bare count", header.wall,
                bare.wall, HEADER_MS)
    received = found["received"]
    row.notes.append(f"{backend}: received() p95 {p95(header.wall):.2f} ms, {received.counter} at this counter and "
                     f"{received.agency} in {AGENCY} this half-day")
    rows.append(row)
    rows.append(_pair(f"live header figure, {backend}: CPU of the worker thread{side} median ms, vs bare count",
                      header.cpu, bare.cpu, None))
    header_writing = found["header writing"]
    row = _pair(f"live header figure, {backend}, another thread writing: median ms, vs quiet", header_writing.wall,
                header.wall, HEADER_MS)
    row.notes.append(f"{backend}: while another thread wrote {found['written']} passages (one every "
                     f"{WRITE_EVERY * 1000:.0f} ms, flushed): compute() p95 {p95(writing.wall):.1f} ms, received() p95 "
                     f"{p95(header_writing.wall):.2f} ms")
    rows.append(row)
    month = f"Oct. 2026: {found['month passages']:,} passages in {AGENCY}, {found['all passages']:,} in all"
    note = (f"{backend}: {month}; rows made in {built.seconds:.0f} s, loaded in {loaded:.0f} s "
            f"({built.passages:,} passages, {built.items:,} items, {built.appointments:,} appointments, "
            f"{built.handoffs:,} handoffs)")
    if first:
        note += (f"; first session, before PRAGMA optimize: compute() {median(first['one stats'].wall):.1f} ms "
                 f"({AGENCY}), {median(first['all stats'].wall):.1f} ms (all), received() "
                 f"{median(first['header'].wall):.2f} ms")
    rows[0].notes.insert(0, note)
    return rows


def _measure_backend(backend: str, sizes: tuple[int, int, int], built: Any, repeat: int, root: Path) -> list[Row]:
    from guichet.domain.clock import FixedClock
    from guichet.services import make_services
    from stats_data import load

    with empty_databases(backend, root, ("stats",)) as urls:
        if urls is None:
            return []
        [url] = urls
        settings = replace(bench_settings(root / backend), database_url=url, workstation="nan-01")

        def session() -> Any:
            return make_services(settings, clock=FixedClock(settings.now))

        services = session()
        try:
            loaded = load(services, root, built)
        finally:
            services.close()
        first: dict[str, Any] = {}
        if backend == "sqlite":  # a first session: its PRAGMA optimize at close analyses what it read
            services = session()
            try:
                first = measure_session(services, 3, built)
            finally:
                services.close()
        services = session()
        try:
            found = measure_session(services, repeat, built)
        finally:
            services.close()
    return _rows(backend, sizes, built, loaded, first, found)


def measure(short: bool, sizes: tuple[int, int, int] | None = None, backends: Sequence[str] = BACKENDS) -> list[Row]:
    from guichet.services import make_services
    from stats_data import generate

    chosen = sizes or (SHORT if short else FULL)
    repeat = 5 if short else 15
    rows: list[Row] = []
    root = Path(tempfile.mkdtemp(prefix="guichet-bench-stats-"))
    try:
        catalog = make_services(bench_settings(root / "rows"))  # the shipped catalog's services
        built = generate(root, catalog, *chosen)
        for backend in backends:
            rows += _measure_backend(backend, chosen, built, repeat, root)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--short", action="store_true", help="100,000 passages, 30,000 appointments (CI)")
    parser.add_argument("--backends", default=",".join(BACKENDS), help="comma-separated: sqlite,postgresql")
    parser.add_argument("--sizes", help=argparse.SUPPRESS)  # PASSAGES,APPOINTMENTS,HANDOFFS (the test's tiny run)
    args = parser.parse_args(argv)
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if set(backends) - set(BACKENDS):
        parser.error(f"unknown backends: {args.backends}")
    sizes = None
    if args.sizes:
        passages, appointments, handoffs = (int(n) for n in args.sizes.split(","))
        sizes = (passages, appointments, handoffs)
    print_table(measure(args.short, sizes, backends))


if __name__ == "__main__":
    main()

"""Benchmark of slot search, booking and the day sheet on a database of 300,000 appointments.

Usage: ``python bench/slots.py [--short] [--pg]``

Builds a SQLite database (and a PostgreSQL one with ``--pg``, on a throwaway server started
from the local binaries by ``tests/pg.py``) holding 300,000 appointments (30,000 with
``--short``) spread over about five years up to the booking horizon around FIXED_NOW: past
appointments mostly seen or missed, a few cancelled; upcoming ones booked, the next two weeks
full and the following weeks less and less so, so that a search must skip full slots first.
Then it measures, on that database and in the same run on an EMPTY one (the baseline):

- ``find_slots`` of the first 20 free GCA slots, by phone and on site, across the four
  agencies (median and p95 over N runs; target median < 20 ms);
- the day sheet of a busy day (Nanterre, today);
- bookings per second, one process, then four processes at once (each books free seats of
  its own slots; SlotTaken counted apart); the processes are started once and the median of
  a few rounds is shown, since one round is at the mercy of the disk and the scheduler.

Everything lives in a temporary directory (GUICHET_HOME included). It prints figures; it
asserts nothing.
"""

from __future__ import annotations

import argparse
import functools
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for _entry in (str(ROOT / "src"), str(ROOT)):  # run from a checkout; tests/ holds the PG helper
    if _entry not in sys.path:
        sys.path.insert(0, _entry)

from sqlalchemy import insert, text  # noqa: E402
from tests.conftest import FIXED_NOW, make_settings  # noqa: E402

from guichet.domain.clock import FixedClock  # noqa: E402
from guichet.domain.models import Agency, Channel, Kind, Status  # noqa: E402
from guichet.domain.slots import Slot, day_slots  # noqa: E402
from guichet.services import Services, make_services  # noqa: E402
from guichet.services.appointments import BookingRequest  # noqa: E402
from guichet.store.tables import AppointmentRow, to_db  # noqa: E402

SEED = 20261123
FULL_ROWS, SHORT_ROWS = 300_000, 30_000
HISTORY = timedelta(days=4 * 365 + 270)  # + the 12-week horizon ahead: about five years
SEARCHES = ((Kind.GCA, Channel.TELEPHONE), (Kind.GCA, Channel.AGENCE))
BUSY_AGENCY = "nanterre"
PROCESSES = 4
INSERT_BATCH = 10_000

# Share of the seats already booked, by days ahead of now: the next two weeks are full.
FUTURE_FILL = ((14, 1.0), (28, 0.9), (42, 0.6), (63, 0.35), (10_000, 0.15))
PAST_STATUSES = ((Status.SEEN, 0.82), (Status.NOSHOW, 0.10), (Status.EXCUSED, 0.06), (Status.REVOKED, 0.02))
CANCELLED_AHEAD = 0.04  # an extra excused row beside a seat: cancelled rows hold no seat
NAMES = ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
         "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
         "Diallo", "Traoré", "Nguyen", "Benali", "Haddad", "Da Silva", "Kone", "Mendy", "Cissé", "Boukhari")


# -- building the databases --------------------------------------------------------------------
def _seats(agencies: Sequence[Agency], first: date, last: date) -> Iterator[tuple[Slot, int]]:
    """Every (slot, seat) of every schedule from ``first`` to ``last`` inclusive, by day."""
    day = first
    while day <= last:
        for agency in agencies:
            for schedule in agency.schedules:
                for slot in day_slots(agency, schedule, day):
                    for seat in range(1, slot.desks + 1):
                        yield slot, seat
        day += timedelta(days=1)


def _fill(days_ahead: float) -> float:
    return next(share for limit, share in FUTURE_FILL if days_ahead < limit)


def generate_rows(services: Services, total: int, rng: random.Random) -> Iterator[list[dict[str, Any]]]:
    """Batches of appointment rows (dicts for a core INSERT), ``total`` rows in all."""
    now = FIXED_NOW
    agencies = services.agencies
    services_ids: list[str | None] = [s.id for s in services.catalog.services] or [None]
    first, today, last = (now - HISTORY).date(), now.date(), (now + services.horizon).date()
    past_capacity = sum(1 for slot, _seat in _seats(agencies, first, today) if slot.start < now)
    future = [(slot, seat) for slot, seat in _seats(agencies, today, last) if slot.start >= now]

    def row(slot: Slot, seat: int, status: Status) -> dict[str, Any]:
        booked_at = slot.start - timedelta(days=rng.randint(1, 40), minutes=rng.randint(0, 600))
        done = status is not Status.BOOKED
        return {
            "agency": slot.agency_id, "kind": slot.kind.value, "channel": slot.channel.value,
            "start": to_db(slot.start), "end": to_db(slot.end), "seat": seat,
            "service_id": rng.choice(services_ids), "file_number": f"{rng.randrange(10**7):07d}",
            "name": f"{rng.choice(NAMES)} {rng.choice(NAMES)}",
            "phone": f"06{rng.randrange(10**8):08d}" if slot.channel is Channel.TELEPHONE else None,
            "objective": "", "status": status.value, "booked_by": "bench",
            "created_at": to_db(booked_at), "updated_at": to_db(slot.end if done else booked_at),
            "rescheduled_from": None,
        }

    batch: list[dict[str, Any]] = []
    made = 0
    for slot, seat in future:  # upcoming: the profile of FUTURE_FILL
        if made >= total:
            break
        if rng.random() < _fill((slot.start - now).total_seconds() / 86400):
            batch.append(row(slot, seat, Status.BOOKED))
            made += 1
        if made < total and rng.random() < CANCELLED_AHEAD:
            batch.append(row(slot, seat, Status.EXCUSED))
            made += 1
        if len(batch) >= INSERT_BATCH:
            yield batch
            batch = []
    # The past: exactly the rows still needed, drawn uniformly (selection sampling).
    needed, left = total - made, past_capacity
    weights = [w for _s, w in PAST_STATUSES]
    statuses = [s for s, _w in PAST_STATUSES]
    for slot, seat in _seats(agencies, first, today):
        if needed <= 0:
            break
        if slot.start >= now:  # today's later slots, taken care of above
            continue
        if rng.random() * left < needed:
            batch.append(row(slot, seat, rng.choices(statuses, weights)[0]))
            needed -= 1
            if len(batch) >= INSERT_BATCH:
                yield batch
                batch = []
        left -= 1
    if batch:
        yield batch


def build_database(services: Services, total: int) -> tuple[int, float]:
    """Fill the services' database with ``total`` rows; (rows inserted, seconds)."""
    engine = services.engine
    started = time.perf_counter()
    inserted = 0
    with engine.begin() as connection:
        for batch in generate_rows(services, total, random.Random(SEED)):
            connection.execute(insert(AppointmentRow), batch)
            inserted += len(batch)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))  # what autovacuum would do, in the background, mid-run
    return inserted, time.perf_counter() - started


# -- measuring ---------------------------------------------------------------------------------
def _timings_ms(run: Callable[[], object], repeat: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        run()
    timings = []
    for _ in range(repeat):
        start = time.perf_counter_ns()
        run()
        timings.append((time.perf_counter_ns() - start) / 1e6)
    return timings


def _p95(values: Sequence[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


Task = tuple[str, str, str, datetime]  # agency, kind, channel, slot start


@dataclass
class BookingRun:
    booked: int = 0
    taken: int = 0
    errors: int = 0
    seconds: float = 0.0

    @property
    def per_second(self) -> float:
        return self.booked / self.seconds if self.seconds else 0.0


def _book_all(services: Services, tasks: list[Task]) -> tuple[int, int, int]:
    """Book every task; (booked, SlotTaken, other errors)."""
    booked = taken = errors = 0
    for number, (agency, kind, channel, moment) in enumerate(tasks):
        request = BookingRequest(agency_id=agency, kind=Kind(kind), channel=Channel(channel), start=moment,
                                 name=f"Bench {number}", phone="0612345678")
        try:
            services.appointments.book(request)
            booked += 1
        except Exception as exc:
            if type(exc).__name__ == "SlotTaken":
                taken += 1
            else:
                errors += 1
                if errors <= 3:
                    print(f"  booking error: {type(exc).__name__}: {exc}", file=sys.stderr)
    return booked, taken, errors


def _book_worker(url: str, root: str, jobs: Any, barrier: Any, results: Any) -> None:
    """One counter in its own process: warm up once, then per job wait for the others and
    book every task of the job. A failure is reported as a string, never left silent."""
    services = make_services(make_settings(Path(root), database_url=url), clock=FixedClock(FIXED_NOW))
    try:
        services.appointments.find_slots(Kind.GCA, Channel.TELEPHONE, limit=1)  # engine, caches
        while (tasks := jobs.get()) is not None:
            barrier.wait(timeout=120)
            start = time.perf_counter()
            booked, taken, errors = _book_all(services, tasks)
            results.put((booked, taken, errors, start, time.perf_counter()))
    except Exception as exc:
        barrier.abort()  # the others must not wait for this one
        results.put(f"{type(exc).__name__}: {exc}")
    finally:
        services.close()


class BookingPool:
    """``size`` booking processes started once (spawn and imports stay out of the timings)."""

    def __init__(self, url: str, root: Path, size: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.barrier = context.Barrier(size)
        self.results = context.Queue()
        self.jobs = [context.Queue() for _ in range(size)]
        self.processes = [
            context.Process(target=_book_worker, args=(url, str(root / f"p{n}"), self.jobs[n], self.barrier,
                                                       self.results))
            for n in range(size)
        ]
        for process in self.processes:
            process.start()

    def run(self, parts: list[list[Task]]) -> BookingRun:
        """Each process books its part, all released at once; bookings over the wall time."""
        for jobs, part in zip(self.jobs, parts, strict=True):
            jobs.put(part)
        reports = [self.results.get(timeout=600) for _ in self.processes]
        failures = [r for r in reports if isinstance(r, str)]
        if failures:
            raise RuntimeError("booking worker failed: " + failures[0])
        return BookingRun(booked=sum(r[0] for r in reports), taken=sum(r[1] for r in reports),
                          errors=sum(r[2] for r in reports),
                          seconds=max(r[4] for r in reports) - min(r[3] for r in reports))

    def close(self) -> None:
        for jobs in self.jobs:
            jobs.put(None)
        for process in self.processes:
            process.join(timeout=60)
            if process.is_alive():
                process.kill()


def measure_bookings(url: str, root: Path, tasks: list[tuple[str, str, str, datetime, int]], size: int,
                     rounds: int) -> list[BookingRun]:
    """``rounds`` runs of ``size`` processes booking their share of ``tasks`` (split evenly)."""
    pool = BookingPool(url, root, size)
    try:
        per_round = len(tasks) // rounds
        return [pool.run(split(tasks[n * per_round:(n + 1) * per_round], size)) for n in range(rounds)]
    finally:
        pool.close()


def booking_tasks(services: Services, count: int, skip: int = 0) -> list[tuple[str, str, str, datetime, int]]:
    """Free seats to book, as (agency, kind, channel, start, slot number): ``count`` of them
    after the first ``skip``, the earliest first."""
    tasks: list[tuple[str, str, str, datetime, int]] = []
    limit = 200
    while True:
        slots = services.appointments.find_slots(Kind.GCA, Channel.TELEPHONE, limit=limit)
        tasks = [(s.agency_id, s.kind.value, s.channel.value, s.start, n)
                 for n, s in enumerate(slots) for _seat in range(s.free)]
        if len(tasks) >= skip + count or len(slots) < limit:
            return tasks[skip:skip + count]
        limit *= 2


def split(tasks: list[tuple[str, str, str, datetime, int]], parts: int) -> list[list[Task]]:
    """``parts`` task lists; a slot's seats all go to the same process (no contention)."""
    out: list[list[Task]] = [[] for _ in range(parts)]
    for agency, kind, channel, start, number in tasks:
        out[number % parts].append((agency, kind, channel, start))
    return out


@dataclass
class Figures:
    rows: int = 0
    build_s: float = 0.0
    search: dict[str, tuple[float, float]] = field(default_factory=dict)  # label → (median, p95) ms
    first_free: dict[str, str] = field(default_factory=dict)
    day_sheet: tuple[float, float, int] = (0.0, 0.0, 0)  # median, p95 ms, rows
    single: list[BookingRun] = field(default_factory=list)  # one per round
    multi: list[BookingRun] = field(default_factory=list)


def measure(services: Services, url: str, root: Path, repeat: int, bookings: int, rounds: int) -> Figures:
    """Search, day sheet, then bookings (which change the database: they come last)."""
    figures = Figures()
    for kind, channel in SEARCHES:
        label = f"{kind.value} {channel.value}"
        found = services.appointments.find_slots(kind, channel, limit=20)
        figures.first_free[label] = found[0].start.strftime("%a %d/%m %H:%M") if found else "-"
        times = _timings_ms(functools.partial(services.appointments.find_slots, kind, channel, limit=20), repeat)
        figures.search[label] = (statistics.median(times), _p95(times))
    sheet = services.appointments.day_sheet(BUSY_AGENCY, FIXED_NOW.date())
    times = _timings_ms(lambda: services.appointments.day_sheet(BUSY_AGENCY, FIXED_NOW.date()), repeat)
    figures.day_sheet = (statistics.median(times), _p95(times), len(sheet))
    tasks = booking_tasks(services, 2 * rounds * bookings)
    services.close()  # the workers are the only writers from here
    half = len(tasks) // 2
    figures.single = measure_bookings(url, root / "single", tasks[:half], 1, rounds)
    figures.multi = measure_bookings(url, root / "multi", tasks[half:], PROCESSES, rounds)
    return figures


def _rate(runs: list[BookingRun]) -> float:
    """The median bookings per second over the rounds."""
    return statistics.median(r.per_second for r in runs) if runs else float("nan")


# -- the report --------------------------------------------------------------------------------
def report(backend: str, loaded: Figures, empty: Figures, repeat: int) -> None:
    print(f"\n{backend}: {loaded.rows:,} appointments (built in {loaded.build_s:.1f} s) vs an empty database;"
          f" {repeat} runs per search, median of {len(loaded.single)} rounds for bookings")
    header = f"{'measure':<44} {'loaded':>10} {'empty':>10} {'ratio':>7}"
    print(header)
    print("-" * len(header))

    def line(name: str, a: float, b: float, fmt: str = ".2f") -> None:
        ratio = a / b if b else float("nan")
        print(f"{name:<44} {a:>10{fmt}} {b:>10{fmt}} {ratio:>7.2f}")

    for label, (median, p95) in loaded.search.items():
        base_median, base_p95 = empty.search[label]
        line(f"find_slots {label}, 20 slots: median ms", median, base_median)
        line(f"find_slots {label}, 20 slots: p95 ms", p95, base_p95)
    line(f"day_sheet {BUSY_AGENCY} today ({loaded.day_sheet[2]} rows): median ms", loaded.day_sheet[0],
         empty.day_sheet[0])
    line("day_sheet: p95 ms", loaded.day_sheet[1], empty.day_sheet[1])
    for name, a_runs, b_runs in (("1 process", loaded.single, empty.single),
                                 (f"{PROCESSES} processes", loaded.multi, empty.multi)):
        booked = a_runs[0].booked if a_runs else 0
        line(f"bookings/s, {name} ({booked} per round)", _rate(a_runs), _rate(b_runs), ".0f")
    loaded_runs, empty_runs = loaded.single + loaded.multi, empty.single + empty.multi
    print(f"{PROCESSES} processes / 1 process throughput: {_rate(loaded.multi) / _rate(loaded.single):.2f} (loaded),"
          f" {_rate(empty.multi) / _rate(empty.single):.2f} (empty); SlotTaken: {sum(r.taken for r in loaded_runs)}"
          f" loaded, {sum(r.taken for r in empty_runs)} empty;"
          f" other errors: {sum(r.errors for r in loaded_runs + empty_runs)}")
    rounds = "; ".join(f"{label} {'/'.join(f'{r.per_second:.0f}' for r in runs)}" for label, runs in (
        ("loaded 1p", loaded.single), (f"loaded {PROCESSES}p", loaded.multi), ("empty 1p", empty.single),
        (f"empty {PROCESSES}p", empty.multi)))
    print(f"bookings/s of each round: {rounds}")
    print("first free slot found: " + ", ".join(f"{k}: {v}" for k, v in loaded.first_free.items()))
    worst = max(median for median, _p95 in loaded.search.values())
    print(f"target find_slots median < 20 ms: {'met' if worst < 20 else 'MISSED'} (worst median {worst:.2f} ms)")


def run_backend(backend: str, urls: tuple[str, str], root: Path, rows: int, repeat: int, bookings: int,
                rounds: int) -> None:
    """Build the loaded and the empty database behind ``urls``, measure both, print."""
    results: list[Figures] = []
    for name, url, total in (("loaded", urls[0], rows), ("empty", urls[1], 0)):
        services = make_services(make_settings(root / name, database_url=url), clock=FixedClock(FIXED_NOW))
        inserted, seconds = build_database(services, total) if total else (0, 0.0)
        figures = measure(services, url, root / name, repeat, bookings, rounds)
        figures.rows, figures.build_s = inserted, seconds
        results.append(figures)
    report(backend, results[0], results[1], repeat)


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.as_posix()}"


def main(argv: Sequence[str] | None = None) -> None:
    """Run the benchmark and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--short", action="store_true", help=f"{SHORT_ROWS:,} rows and fewer runs (CI)")
    parser.add_argument("--pg", action="store_true", help="also on PostgreSQL (local binaries)")
    args = parser.parse_args(argv)
    rows, repeat, bookings, rounds = (SHORT_ROWS, 30, 100, 2) if args.short else (FULL_ROWS, 200, 400, 3)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="guichet-bench-") as temp:
        root = Path(temp)
        os.environ["GUICHET_HOME"] = str(root / "home")  # never the user's real directories
        for name in ("GUICHET_DATABASE_URL", "GUICHET_NOW", "GUICHET_DATA"):
            os.environ.pop(name, None)
        print(f"now = {FIXED_NOW:%Y-%m-%d %H:%M} (Europe/Paris); {bookings} bookings per round;"
              f" {os.cpu_count()} CPUs")
        run_backend("SQLite", (_sqlite_url(root / "loaded.sqlite3"), _sqlite_url(root / "empty.sqlite3")),
                    root / "sqlite", rows, repeat, bookings, rounds)
        if args.pg:
            from tests.pg import PostgresUnavailable, running_server

            try:
                with running_server() as server:
                    urls = (server.create_database("bench_loaded"), server.create_database("bench_empty"))
                    run_backend("PostgreSQL", urls, root / "pg", rows, repeat, bookings, rounds)
            except PostgresUnavailable as exc:
                print(f"\nPostgreSQL: skipped ({exc})")
    print(f"\ntotal {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()

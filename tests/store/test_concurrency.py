"""Eight processes race for the same twenty slots: the database lets exactly ``desks`` win each.

Every worker is a separate process (``spawn``) with its own Services and engine, as on eight
counters. They try to book each of the first 20 phone GCA slots of Nanterre (5 desks) in turn,
meeting at a barrier before each slot, so that every slot is contended by all eight at once.
Expected: 5 winners and 3 :class:`SlotTaken` per slot, no other error, and in the database
exactly seats 1..5 held per slot. Run on SQLite (a file) and on PostgreSQL.

The worker processes are started once per module and reused by both backends: starting
and importing eight interpreters costs more than the race itself.
"""

from __future__ import annotations

import multiprocessing
import queue
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from guichet.domain.clock import FixedClock
from guichet.domain.models import Channel, Kind
from guichet.services import make_services
from guichet.services.appointments import BookingRequest
from guichet.store.tables import ACTIVE_STATUSES, AppointmentRow, JournalRow, from_db
from tests.conftest import FIXED_NOW, make_settings
from tests.pg import pg_database_url, pg_url  # noqa: F401  (fixtures)

WORKERS = 8
SLOTS = 20
AGENCY = "nanterre"
KIND, CHANNEL = Kind.GCA, Channel.TELEPHONE
TIMEOUT_S = 120.0

pytestmark = pytest.mark.slow  # eight processes racing, on each backend

# (slot start, outcome, detail): outcome is "booked" (detail = seat) or an exception class name.
Outcome = tuple[datetime, str, str]


def _race(number: int, root: str, url: str, starts: list[datetime], barrier: Any) -> list[Outcome]:
    """One counter: build its own services, wait for the others, then book every slot."""
    try:
        services = make_services(make_settings(Path(root), database_url=url), clock=FixedClock(FIXED_NOW))
        _ = services.engine  # connect before the start line, not after
    except BaseException as exc:
        barrier.abort()
        return [(FIXED_NOW, "setup:" + type(exc).__name__, str(exc))]
    outcomes: list[Outcome] = []
    try:
        for start in starts:
            barrier.wait(timeout=TIMEOUT_S)  # all at once, slot after slot
            request = BookingRequest(agency_id=AGENCY, kind=KIND, channel=CHANNEL, start=start,
                                     name=f"Guichet {number}", phone="06 12 34 56 78")
            try:
                booked = services.appointments.book(request)
            except Exception as exc:
                outcomes.append((start, type(exc).__name__, str(exc)))
            else:
                outcomes.append((start, "booked", str(booked.seat)))
    except BaseException as exc:
        outcomes.append((FIXED_NOW, "worker:" + type(exc).__name__, str(exc)))
    finally:
        services.close()
    return outcomes


def _counter(number: int, jobs: Any, barrier: Any, results: Any) -> None:
    """A worker process: one race per job received, until it receives None."""
    while (job := jobs.get()) is not None:
        root, url, starts = job
        results.put((number, _race(number, root, url, starts, barrier)))


class Counters:
    """``WORKERS`` processes, started once, that race whenever :meth:`race` is called."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.barrier = context.Barrier(WORKERS)
        self.results = context.Queue()
        self.jobs = [context.Queue() for _ in range(WORKERS)]
        self.processes = [
            context.Process(target=_counter, args=(n, self.jobs[n], self.barrier, self.results), daemon=True)
            for n in range(WORKERS)
        ]
        for process in self.processes:
            process.start()

    def race(self, root: Path, url: str, starts: list[datetime]) -> dict[int, list[Outcome]]:
        """Every worker books every slot of ``starts``, all at once; the outcomes by worker."""
        self.barrier.reset()  # every worker is idle here; an aborted race must not spoil this one
        for number, jobs in enumerate(self.jobs):
            jobs.put((str(root / f"counter-{number}"), url, starts))
        reports: dict[int, list[Outcome]] = {}
        try:
            while len(reports) < WORKERS:
                number, outcomes = self.results.get(timeout=TIMEOUT_S)
                reports[number] = outcomes
        except queue.Empty:
            pytest.fail(f"only {len(reports)} of {WORKERS} workers reported within {TIMEOUT_S:.0f} s")
        return reports

    def stop(self) -> None:
        for jobs in self.jobs:
            jobs.put(None)
        for process in self.processes:
            process.join(timeout=10)
            if process.is_alive():
                process.kill()
                process.join(timeout=5)


@pytest.fixture(scope="module")
def counters() -> Iterator[Counters]:
    started = Counters()
    yield started
    started.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{(tmp_path / 'shared' / 'guichet.sqlite3').as_posix()}"
    else:
        yield request.getfixturevalue("pg_database_url")


def test_eight_counters_race_for_the_same_slots(counters: Counters, database_url: str, tmp_path: Path) -> None:
    services = make_services(make_settings(tmp_path, database_url=database_url), clock=FixedClock(FIXED_NOW))
    try:
        _ = services.engine  # create the schema once, before the workers open it
        slots = services.appointments.find_slots(KIND, CHANNEL, AGENCY, limit=SLOTS)
    finally:
        services.close()
    assert len(slots) == SLOTS
    desks = slots[0].desks
    assert desks == 5 and all(s.desks == desks for s in slots)
    starts = [s.start for s in slots]

    reports = counters.race(tmp_path, database_url, starts)

    per_slot: dict[datetime, Counter[str]] = defaultdict(Counter)
    seats: dict[datetime, list[int]] = defaultdict(list)
    unexpected: list[tuple[int, Outcome]] = []
    for number, outcomes in sorted(reports.items()):
        for outcome in outcomes:
            start, kind, detail = outcome
            per_slot[start][kind] += 1
            if kind == "booked":
                seats[start].append(int(detail))
            elif kind != "SlotTaken":
                unexpected.append((number, outcome))
    assert unexpected == [], "errors other than SlotTaken"
    assert all([o[0] for o in outcomes] == starts for outcomes in reports.values()), "a worker skipped a slot"
    assert dict(per_slot) == {start: Counter(booked=desks, SlotTaken=WORKERS - desks) for start in starts}
    assert {start: sorted(s) for start, s in seats.items()} == {start: list(range(1, desks + 1)) for start in starts}

    # The database agrees: exactly seats 1..desks held per slot, one journal entry per booking.
    check = make_services(make_settings(tmp_path, database_url=database_url), clock=FixedClock(FIXED_NOW))
    try:
        with check.engine.connect() as connection:
            rows = connection.execute(
                select(col(AppointmentRow.start), col(AppointmentRow.seat))
                .where(col(AppointmentRow.status).in_(ACTIVE_STATUSES), col(AppointmentRow.agency) == AGENCY)
                .where(col(AppointmentRow.kind) == KIND.value, col(AppointmentRow.channel) == CHANNEL.value)
            ).all()
            journal = connection.execute(
                select(func.count()).where(col(JournalRow.action) == "appointment.booked")
            ).scalar()
    finally:
        check.close()
    held: dict[datetime, list[int]] = defaultdict(list)
    for start, seat in rows:
        held[from_db(start)].append(seat)
    assert {start: sorted(s) for start, s in held.items()} == {start: list(range(1, desks + 1)) for start in starts}
    assert journal == SLOTS * desks

"""Counters changing the same record at the same instant: exactly one wins, on SQLite and PostgreSQL.

Each worker is its own process with its own Services and engine, as on separate counters. Per
round they meet at a barrier, then all change the same record at once:

- an appointment: five reschedule it (each to another slot) and one cancels it. Exactly one may
  succeed; the others must lose cleanly (LostRace, or the rule that only a booked appointment can
  be moved when they read it after the winner). Afterwards the history is consistent: a cancel
  left no live copy, a reschedule left exactly one.
- a handoff (transmitted): three take it over and three refuse it. Exactly one wins; its status,
  reason and ``closed_at`` agree; the follow-up history has exactly one entry for the round.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from guichet.domain.clock import FixedClock
from guichet.domain.handoff import Contact, HandoffDraft, HandoffStatus
from guichet.domain.models import Channel, Kind, LifeEvent, Status
from guichet.errors import GuichetError
from guichet.services import make_services
from guichet.services.appointments import BookingRequest
from guichet.store.tables import AppointmentRow
from tests.conftest import FIXED_NOW, make_settings
from tests.pg import pg_database_url, pg_url  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow  # six processes racing, on each backend

WORKERS = 6
ROUNDS = 12
TIMEOUT_S = 120.0


def _worker(number: int, root: str, url: str, plan: list[tuple[str, int, Any]], barrier: Any) -> list[str]:
    """One counter: for each round, wait for the others, then make its change; the outcomes."""
    services = make_services(make_settings(Path(root), database_url=url), clock=FixedClock(FIXED_NOW))
    outcomes: list[str] = []
    try:
        _ = services.engine
        for action, record_id, argument in plan:
            barrier.wait(timeout=TIMEOUT_S)
            try:
                if action == "reschedule":
                    services.appointments.reschedule(record_id, argument)
                elif action == "cancel":
                    services.appointments.set_status(record_id, Status.EXCUSED)
                else:
                    target = HandoffStatus(argument)
                    reason = "doublon" if target is HandoffStatus.REFUSEE else ""
                    services.handoffs.set_status(record_id, target, reason)
            except GuichetError as exc:
                outcomes.append(f"lost:{type(exc).__name__}:{exc}")
            except Exception as exc:  # anything else is a failure of the guarantee
                outcomes.append(f"error:{type(exc).__name__}:{exc}")
            else:
                outcomes.append("won")
    finally:
        services.close()
    return outcomes


def _run(number: int, root: str, url: str, plan: list[tuple[str, int, Any]], barrier: Any, results: Any) -> None:
    try:
        results.put((number, _worker(number, root, url, plan, barrier)))
    except BaseException as exc:
        barrier.abort()
        results.put((number, [f"crash:{type(exc).__name__}:{exc}"]))


def _race(root: Path, url: str, plans: list[list[tuple[str, int, Any]]]) -> list[list[str]]:
    """Run the workers; the outcomes of each round, one per worker."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(WORKERS)
    results = context.Queue()
    processes = [context.Process(target=_run, args=(n, str(root / f"counter-{n}"), url, plans[n], barrier, results))
                 for n in range(WORKERS)]
    for process in processes:
        process.start()
    reports = dict(results.get(timeout=TIMEOUT_S * 2) for _ in processes)
    for process in processes:
        process.join(timeout=30)
    rounds = len(plans[0])
    for number, outcomes in reports.items():
        assert len(outcomes) == rounds, (number, outcomes)
    return [[reports[n][r] for n in range(WORKERS)] for r in range(rounds)]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{(tmp_path / 'shared' / 'guichet.sqlite3').as_posix()}"
    else:
        yield request.getfixturevalue("pg_database_url")


def test_one_reschedule_or_cancel_wins_each_round(tmp_path: Path, database_url: str) -> None:
    services = make_services(make_settings(tmp_path / "setup", database_url=database_url),
                             clock=FixedClock(FIXED_NOW))
    slots = services.appointments.find_slots(Kind.GCA, Channel.TELEPHONE, "nanterre", limit=ROUNDS * (WORKERS + 1))
    starts = [slot.start for slot in slots]
    assert len(starts) == ROUNDS * (WORKERS + 1)
    booked = [services.appointments.book(BookingRequest(
        agency_id="nanterre", kind=Kind.GCA, channel=Channel.TELEPHONE, start=starts[r], name=f"Personne {r}",
        phone="0612345678")) for r in range(ROUNDS)]
    # Worker 0 cancels; workers 1..5 reschedule, each to a slot of its own.
    plans = [[("cancel", a.id, None) if n == 0 else ("reschedule", a.id, starts[ROUNDS + r * WORKERS + n])
              for r, a in enumerate(booked)] for n in range(WORKERS)]
    outcomes = _race(tmp_path, database_url, plans)
    winners = [sum(o == "won" for o in round_) for round_ in outcomes]
    errors = [o for round_ in outcomes for o in round_ if not (o == "won" or o.startswith("lost:"))]
    assert errors == []
    assert winners == [1] * ROUNDS, outcomes
    with services.engine.connect() as connection:
        for r, appointment in enumerate(booked):
            status = Status(connection.execute(select(col(AppointmentRow.status))
                                               .where(col(AppointmentRow.id) == appointment.id)).scalar_one())
            copies = connection.execute(select(func.count()).select_from(AppointmentRow)
                                        .where(col(AppointmentRow.rescheduled_from) == appointment.id)).scalar_one()
            cancel_won = outcomes[r][0] == "won"
            assert status is (Status.EXCUSED if cancel_won else Status.MOVED), (r, outcomes[r])
            assert copies == (0 if cancel_won else 1), (r, outcomes[r])
    services.close()


def test_one_handoff_move_wins_each_round(tmp_path: Path, database_url: str) -> None:
    services = make_services(make_settings(tmp_path / "setup", database_url=database_url),
                             clock=FixedClock(FIXED_NOW))
    ids = []
    for r in range(ROUNDS):
        record = services.handoffs.create(HandoffDraft(
            name=f"Personne {r}", life_event=LifeEvent.SEPARATION, motifs="Non-paiement de l'ASF",
            comment="Séparée en juin.", benefits=("ASF",), phone="0612345678", contact=Contact.TELEPHONE,
            event_date=date(2026, 6, 1), consent=True))
        services.handoffs.set_status(record.id, HandoffStatus.TRANSMISE)
        ids.append(record.id)
    targets = [HandoffStatus.PRISE_EN_CHARGE.value if n % 2 else HandoffStatus.REFUSEE.value for n in range(WORKERS)]
    plans = [[("handoff", handoff_id, targets[n]) for handoff_id in ids] for n in range(WORKERS)]
    outcomes = _race(tmp_path, database_url, plans)
    assert [o for round_ in outcomes for o in round_ if not (o == "won" or o.startswith("lost:"))] == []
    assert [sum(o == "won" for o in round_) for round_ in outcomes] == [1] * ROUNDS, outcomes
    for r, handoff_id in enumerate(ids):
        record = services.handoffs.get(handoff_id)
        winner = targets[outcomes[r].index("won")]
        assert record.status.value == winner
        assert (record.closed_at is not None) is (record.status is HandoffStatus.REFUSEE)
        assert (record.status_reason == "doublon") is (record.status is HandoffStatus.REFUSEE)
        assert [h.status for h in record.history] == [HandoffStatus.A_TRANSMETTRE, HandoffStatus.TRANSMISE,
                                                      record.status]
    services.close()

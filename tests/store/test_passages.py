"""The reception log's passages (issue 17, item 1): opened, actions attached, closed at the next person,
after the idle delay (at the last action) or as a quick question; switched to the phone; written in
order, kept when the database does not answer; counted live per half-day; purged on retention."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from guichet.domain.clock import PARIS, FixedClock
from guichet.domain.passage import ClosedHow, Half, Item, Outcome, PassageChannel, card_outcome, half_day
from guichet.errors import DatabaseUnreachable
from guichet.services import Services, make_services
from guichet.store import passages as store
from tests.conftest import make_settings

MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)


def _services(root: Path, clock: FixedClock, **changes: object) -> Services:
    settings = {"agency": "nanterre", "workstation": "guichet-1", **changes}
    return make_services(make_settings(root, **settings), clock=clock)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MONDAY_10)


@pytest.fixture
def services(tmp_path: Path, clock: FixedClock) -> Iterator[Services]:
    built = _services(tmp_path, clock)
    yield built
    built.close()


def _rows(services: Services, sql: str) -> list[tuple[object, ...]]:
    with services.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql)).all()]


def _passages(services: Services) -> list[tuple[object, ...]]:
    return _rows(services, "SELECT agency, workstation, channel, day, half, seconds, closed_how "
                           "FROM passage ORDER BY id")


def _items(services: Services) -> list[tuple[object, ...]]:
    return _rows(services, "SELECT passage_id, kind, ref FROM passage_item ORDER BY id")


def test_a_passage_opens_collects_and_closes_at_the_next_person(services: Services, clock: FixedClock) -> None:
    log = services.passages
    assert log.current is None
    assert log.touch() is True and log.touch() is False  # the first action opens, the next ones do not
    service = services.service("apl")
    log.consulted(service, services.advise(service))
    log.consulted(service, services.advise(service))  # read twice: counted once
    clock.advance(timedelta(minutes=6, seconds=30))
    log.record(Outcome.APPOINTMENT, 41)
    assert log.close() is True and log.close() is False
    assert log.flush() == 4  # open, the service, the appointment, the close: in one transaction
    assert _passages(services) == [("nanterre", "guichet-1", "guichet", "2026-11-23", "matin", 390, "suivant")]
    # The appointment says what the person left with: the card's « orienté vers » is not added.
    assert _items(services) == [(1, "service", "apl"), (1, "rendez_vous", "41")]


def test_nothing_booked_the_last_card_read_is_the_outcome(services: Services) -> None:
    log = services.passages
    for service_id in ("apl", "cpam"):
        service = services.service(service_id)
        log.consulted(service, services.advise(service))
    log.close()
    log.flush()
    kinds = [(kind, ref) for _id, kind, ref in _items(services)]
    assert kinds == [("service", "apl"), ("service", "cpam"), ("partenaire", "CPAM")]


def test_the_card_outcome_follows_the_desk() -> None:
    from guichet.domain.models import Desk
    from guichet.domain.orientation import DEPARTEMENT

    class _S:
        class orientation:  # a stand-in for Service.orientation
            partner = "CIDFF"

    assert card_outcome(_S, Desk.PARTENAIRE, "x") == Item(Outcome.PARTNER, "CIDFF")  # type: ignore[arg-type]
    assert card_outcome(_S, Desk.PARTENAIRE, DEPARTEMENT) == Item(Outcome.DEPARTEMENT, DEPARTEMENT)  # type: ignore[arg-type]
    assert card_outcome(_S, Desk.EN_LIGNE, "caf.fr") == Item(Outcome.SELF_SERVICE)  # type: ignore[arg-type]
    assert card_outcome(_S, Desk.GCA, "GCA") == Item(Outcome.INFORMED)  # type: ignore[arg-type]


def test_an_idle_passage_closes_at_its_last_action(services: Services, clock: FixedClock) -> None:
    log = services.passages  # idle delay: 10 minutes by default
    log.touch()
    clock.advance(timedelta(minutes=3))
    log.keep_alive()  # a key typed in a long form: still at work
    clock.advance(timedelta(minutes=9, seconds=59))
    assert log.close_if_idle() is False
    clock.advance(timedelta(seconds=1))
    assert log.close_if_idle() is True and log.current is None
    log.flush()
    assert _passages(services)[0][5:] == (180, "inactif")  # 3 minutes: the wait is not counted


def test_keep_alive_opens_nothing(services: Services) -> None:
    services.passages.keep_alive()
    assert services.passages.current is None and services.passages.pending == 0


def test_the_idle_delay_is_a_setting(tmp_path: Path, clock: FixedClock) -> None:
    built = _services(tmp_path, clock, passage_idle_minutes=2)
    try:
        built.passages.touch()
        clock.advance(timedelta(minutes=2))
        assert built.passages.close_if_idle() is True
    finally:
        built.close()


def test_a_quick_question_is_a_passage_of_its_own(services: Services, clock: FixedClock) -> None:
    log = services.passages
    log.quick_question()  # nothing open: opened and closed at once
    log.touch()  # a person whose passage holds nothing yet…
    clock.advance(timedelta(seconds=20))
    log.quick_question()  # … becomes the quick question
    service = services.service("apl")
    log.consulted(service, services.advise(service))
    clock.advance(timedelta(minutes=2))
    log.quick_question()  # a passage that holds something is closed first
    log.flush()
    assert [row[5:] for row in _passages(services)] == [(None, "rapide"), (None, "rapide"), (120, "suivant"),
                                                       (None, "rapide")]
    quick = [pid for pid, kind, _ref in _items(services) if kind == "question_rapide"]
    assert quick == [1, 2, 4]


def test_the_channel_switches_for_the_open_passage_and_the_next(services: Services) -> None:
    log = services.passages
    assert log.toggle_channel() is PassageChannel.TELEPHONE  # nothing open: the next person is on the phone
    log.touch()
    log.close()
    log.touch()
    assert log.toggle_channel() is PassageChannel.GUICHET  # this one came to the counter after all
    log.close()
    log.touch()
    log.close()
    log.flush()
    assert [row[2] for row in _passages(services)] == ["telephone", "guichet", "guichet"]


def test_a_failed_write_keeps_the_queue_and_writes_it_in_order_later(
        services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    log = services.passages
    log.record(Outcome.QUICK_QUESTION)
    real = store.add_items

    def down(**_kwargs: object) -> None:
        raise DatabaseUnreachable("Base de données injoignable")

    monkeypatch.setattr(store, "add_items", down)
    with pytest.raises(DatabaseUnreachable):
        log.flush()
    assert log.pending == 2 and _passages(services) == []  # nothing half-written: the open was rolled back too
    log.close()
    monkeypatch.setattr(store, "add_items", real)
    assert log.flush() == 3 and log.pending == 0
    assert _passages(services)[0][6] == "suivant" and _items(services) == [(1, "question_rapide", "")]


def test_a_passage_is_closed_only_once_in_the_database(services: Services) -> None:
    services.passages.touch()
    services.passages.close()
    services.passages.flush()
    from guichet.store.engine import write_session

    with write_session(services.engine) as session:
        assert store.close(session=session, passage_id=1, ended=MONDAY_10, seconds=1, how=ClosedHow.FIN) is False
        assert store.set_channel(session=session, passage_id=1, channel=PassageChannel.TELEPHONE) is False
    assert _passages(services)[0][2:] == ("guichet", "2026-11-23", "matin", 0, "suivant")


def test_half_days_cut_at_one_pm_paris() -> None:
    assert half_day(datetime(2026, 11, 23, 12, 59, tzinfo=PARIS)) == (MONDAY_10.date(), Half.MATIN)
    assert half_day(datetime(2026, 11, 23, 13, 0, tzinfo=PARIS)) == (MONDAY_10.date(), Half.APRES_MIDI)
    assert half_day(datetime(2026, 11, 23, 11, 30, tzinfo=PARIS).astimezone(tz=None)) == (MONDAY_10.date(), Half.MATIN)


def test_a_duration_across_the_autumn_change_is_real_time(services: Services, clock: FixedClock) -> None:
    clock.set(datetime(2026, 10, 25, 2, 50, tzinfo=PARIS))  # 02:50 summer time, the night the clocks go back
    services.passages.touch()
    clock.advance(timedelta(minutes=20))  # 02:10 winter time on the wall clock
    services.passages.close()
    services.passages.flush()
    assert _passages(services)[0][5] == 1200


def test_live_figures_per_counter_and_agency(tmp_path: Path, clock: FixedClock) -> None:
    first = _services(tmp_path, clock)
    second = _services(tmp_path, clock, workstation="guichet-2")  # the same database, another counter
    try:
        for _ in range(2):
            first.passages.touch()
            first.passages.close()
        second.passages.touch()  # still at the counter: counted already
        first.passages.flush()
        second.passages.flush()
        assert (first.passages.received().counter, first.passages.received().agency) == (2, 3)
        assert (second.passages.received().counter, second.passages.received().agency) == (1, 3)
        clock.advance(timedelta(hours=3))  # 13:00: a new half-day starts from zero
        assert (first.passages.received().counter, first.passages.received().agency) == (0, 0)
    finally:
        first.close()
        second.close()


def test_passages_are_purged_after_their_retention(tmp_path: Path, clock: FixedClock) -> None:
    built = _services(tmp_path, clock)
    try:
        clock.set(datetime(2023, 11, 22, 10, 0, tzinfo=PARIS))  # 3 years and a day before
        built.passages.record(Outcome.QUICK_QUESTION)
        built.passages.close()
        clock.set(datetime(2023, 11, 24, 10, 0, tzinfo=PARIS))  # within 3 years
        built.passages.record(Outcome.QUICK_QUESTION)
        built.passages.close()
        built.passages.flush()
        clock.set(MONDAY_10)
        assert built.retention.purge(dry_run=True).passages == 1
        report = built.retention.purge()
        assert report.passages == 1 and str(report.passage_cutoff) == "2023-11-23"
        assert [row[3] for row in _passages(built)] == ["2023-11-24"]
        assert [row[0] for row in _items(built)] == [2]  # the old one's items went with it
    finally:
        built.close()


def test_the_retention_of_passages_is_a_setting(tmp_path: Path, clock: FixedClock) -> None:
    built = _services(tmp_path, clock, retention_passage_years=1)
    try:
        clock.set(datetime(2025, 11, 1, 10, 0, tzinfo=PARIS))
        built.passages.touch()
        built.passages.close()
        built.passages.flush()
        clock.set(MONDAY_10)
        assert built.retention.purge().passages == 1
    finally:
        built.close()


def test_the_day_tally_counts_what_the_items_hold(tmp_path: Path, clock: FixedClock) -> None:
    """The statistics add the day tally up instead of every item: it must say what the items say, for two
    counters writing at once, after a rebuild from the items, and after the purge."""
    from guichet.store.engine import write_session

    first = _services(tmp_path, clock)
    second = _services(tmp_path, clock, workstation="guichet-2", agency=None)  # a counter with no agency
    try:
        for built, ref in ((first, 7), (second, 8), (first, 9)):
            service = built.service("apl")
            built.passages.consulted(service, built.advise(service))
            built.passages.record(Outcome.APPOINTMENT, ref)
            built.passages.close()
            built.passages.flush()
        tally = "SELECT agency, day, kind, ref, n FROM passage_tally ORDER BY agency, kind, ref"
        expected = [("", "2026-11-23", "rendez_vous", "", 1), ("", "2026-11-23", "service", "apl", 1),
                    ("nanterre", "2026-11-23", "rendez_vous", "", 2), ("nanterre", "2026-11-23", "service", "apl", 2)]
        assert _rows(first, tally) == expected  # the ids are not kept: counted by kind
        with write_session(first.engine) as session:
            assert store.rebuild_tally(session=session) == 4
        assert _rows(first, tally) == expected
        clock.set(datetime(2029, 11, 24, 10, 0, tzinfo=PARIS))  # three years and a day later
        first.retention.purge()
        assert _rows(first, tally) == []
    finally:
        first.close()
        second.close()

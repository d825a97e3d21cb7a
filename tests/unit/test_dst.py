"""Daylight saving in Paris (issue 13, item 11): the four change days of 2026 and 2027.

Spring (summer time starts): Sunday 29 March 2026 and Sunday 28 March 2027, 02:00 CET → 03:00
CEST, so that local 02:00–02:59 never happens. Autumn (winter time is back): Sunday 25 October
2026 and Sunday 31 October 2027, 03:00 CEST → 02:00 CET, so that local 02:00–02:59 happens
twice, first in summer time (fold=0, UTC+2) then in winter time (fold=1, UTC+1).

What is checked: a typed local time that does not exist is refused in French, an ambiguous one
is read as its first occurrence (an explicit offset selects the second); slots are cut in real
time (no phantom slot in the gap, both 02:00 hours in the overlap, every slot lasts its real
minutes and ends after it starts); the walk-in status at the critical instants; booking such
slots through the services (SQLite in a temporary directory, fixed clock).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from guichet.domain import fr
from guichet.domain.clock import PARIS, FixedClock, local_iso, parse_local, to_paris
from guichet.domain.hours import describe, open_ranges, walk_in_status
from guichet.domain.models import Agency, Channel, Kind, Schedule
from guichet.domain.slots import Slot, SlotQuery, day_slots, find_free, slot_at, window
from guichet.errors import InvalidInput
from guichet.services import Services, make_services
from guichet.services.appointments import BookingRequest
from tests.conftest import make_settings

SPRING_DAYS = (date(2026, 3, 29), date(2027, 3, 28))
AUTUMN_DAYS = (date(2026, 10, 25), date(2027, 10, 31))
CHANGE_DAYS = SPRING_DAYS + AUTUMN_DAYS
CET, CEST = timedelta(hours=1), timedelta(hours=2)
HALF_HOUR = timedelta(minutes=30)

GCA, AGENCE = Kind.GCA, Channel.AGENCE
ROUND_THE_CLOCK = Schedule(GCA, AGENCE, "24/7", desks=1)
NIGHT_HOURS = "Su 01:00-04:00"  # straddles both changes

# Walk-in around the change: open across it, opening after it, opening inside the changed hour.
NIGHT = Agency("nuit", "Permanence de nuit", None, NIGHT_HOURS, schedules=(ROUND_THE_CLOCK,))
DAWN = Agency("aube", "Aube", None, "Su 03:00-05:00")
EDGE = Agency("bord", "Bord", None, "Su 02:30-05:00")


def paris(day: date, hour: int, minute: int = 0, *, fold: int = 0) -> datetime:
    """A Paris local time; ``fold=1`` is the second occurrence of an ambiguous one."""
    return datetime.combine(day, time(hour, minute), PARIS).replace(fold=fold)


def half_hours(first: str, last: str) -> list[str]:
    """``HH:MM`` every 30 minutes from ``first`` to ``last`` inclusive (wall-clock labels)."""
    start, end = time.fromisoformat(first), time.fromisoformat(last)
    minutes = range(start.hour * 60 + start.minute, end.hour * 60 + end.minute + 1, 30)
    return [f"{m // 60:02d}:{m % 60:02d}" for m in minutes]


def shown(slots: Sequence[Slot]) -> list[tuple[str, timedelta | None]]:
    """Each slot as (local start, UTC offset): what the agent reads, and which hour it is."""
    return [(fr.hhmm(s.start), s.start.utcoffset()) for s in slots]


def real_minutes(start: datetime, end: datetime) -> float:
    return (end.timestamp() - start.timestamp()) / 60


# 46 slots in spring (a 23-hour day), 50 in autumn (25 hours), 48 on an ordinary Sunday.
SPRING_24_7 = [(t, CET) for t in half_hours("00:00", "01:30")] + [(t, CEST) for t in half_hours("03:00", "23:30")]
AUTUMN_24_7 = [(t, CEST) for t in half_hours("00:00", "02:30")] + [(t, CET) for t in half_hours("02:00", "23:30")]


# -- parse_local: what an agent types ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-03-29T02:30", "29/03/2026 02:30 n'existe pas à Paris (passage à l'heure d'été) : "
                             "choisissez 03:00 ou plus tard."),
        ("2026-03-29T02:00", "29/03/2026 02:00 n'existe pas à Paris (passage à l'heure d'été) : "
                             "choisissez 03:00 ou plus tard."),
        ("2027-03-28 02:59", "28/03/2027 02:59 n'existe pas à Paris (passage à l'heure d'été) : "
                             "choisissez 03:00 ou plus tard."),
        ("2027-03-28T02:15", "28/03/2027 02:15 n'existe pas à Paris (passage à l'heure d'été) : "
                             "choisissez 03:00 ou plus tard."),
    ],
    ids=["2026-0230", "2026-0200", "2027-0259-space", "2027-0215"],
)
def test_a_local_time_in_the_spring_gap_is_refused_in_french(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_local(text)
    assert str(caught.value) == message


@pytest.mark.parametrize("day", SPRING_DAYS, ids=str)
def test_the_edges_of_the_spring_gap_exist(day: date) -> None:
    before = parse_local(f"{day}T01:59")
    after = parse_local(f"{day}T03:00")
    assert (fr.hhmm(before), before.utcoffset()) == ("01:59", CET)
    assert (fr.hhmm(after), after.utcoffset()) == ("03:00", CEST)
    assert real_minutes(before, after) == 1


@pytest.mark.parametrize("day", AUTUMN_DAYS, ids=str)
@pytest.mark.parametrize("clock", ["02:00", "02:30", "02:59"])
def test_an_ambiguous_local_time_is_its_first_occurrence(day: date, clock: str) -> None:
    first = parse_local(f"{day}T{clock}")
    assert (fr.hhmm(first), first.utcoffset(), first.fold) == (clock, CEST, 0)
    # An explicit offset chooses the occurrence; the second one is an hour later in real time.
    second = parse_local(f"{day}T{clock}+01:00")
    assert (fr.hhmm(second), second.utcoffset(), second.fold, second.tzinfo) == (clock, CET, 1, PARIS)
    assert parse_local(f"{day}T{clock}+02:00").timestamp() == first.timestamp()
    assert real_minutes(first, second) == 60


@pytest.mark.parametrize("day", AUTUMN_DAYS, ids=str)
def test_the_edges_of_the_autumn_overlap(day: date) -> None:
    before, after = parse_local(f"{day}T01:59"), parse_local(f"{day}T03:00")
    assert (before.utcoffset(), after.utcoffset()) == (CEST, CET)
    assert real_minutes(before, after) == 121  # 01:59 → 02:00 … 02:59 → 02:00 … 02:59 → 03:00


def test_an_explicit_offset_names_an_instant_even_in_the_gap() -> None:
    # 02:30+01:00 is 01:30 UTC: it exists, and Paris reads it 03:30 summer time.
    moment = parse_local("2026-03-29T02:30+01:00")
    assert (fr.hhmm(moment), moment.utcoffset()) == ("03:30", CEST)


def test_other_refusals_are_unchanged() -> None:
    for text in ("2026-03-29", "dimanche", "2026-03-32T02:30"):
        with pytest.raises(ValueError, match="expected YYYY-MM-DDTHH:MM"):
            parse_local(text)


# -- to_paris, the clock, the wording ------------------------------------------------------------


@pytest.mark.parametrize("day", SPRING_DAYS, ids=str)
def test_to_paris_never_returns_a_time_of_the_gap(day: date) -> None:
    # Python reads a gap time with the offset before the change (PEP 495): 02:30 CET = 03:30 CEST.
    for moment in (datetime.combine(day, time(2, 30)), paris(day, 2, 30)):
        normal = to_paris(moment)
        assert (fr.hhmm(normal), normal.utcoffset(), normal.tzinfo) == ("03:30", CEST, PARIS)


@pytest.mark.parametrize("day", SPRING_DAYS, ids=str)
def test_the_fixed_clock_advances_in_real_time_in_spring(day: date) -> None:
    clock = FixedClock(paris(day, 1, 30))
    clock.advance(HALF_HOUR)
    assert (fr.hhmm(clock.now()), clock.now().utcoffset()) == ("03:00", CEST)


@pytest.mark.parametrize("day", AUTUMN_DAYS, ids=str)
def test_the_fixed_clock_advances_in_real_time_in_autumn(day: date) -> None:
    clock = FixedClock(paris(day, 2, 30))
    clock.advance(HALF_HOUR)
    assert (fr.hhmm(clock.now()), clock.now().utcoffset()) == ("02:00", CET)
    clock.advance(timedelta(hours=1))
    assert (fr.hhmm(clock.now()), clock.now().utcoffset()) == ("03:00", CET)


@pytest.mark.parametrize("day", AUTUMN_DAYS, ids=str)
def test_an_ambiguous_instant_says_which_hour_it_is(day: date) -> None:
    first, second = paris(day, 2, 0), paris(day, 2, 0, fold=1)
    text = fr.day(day)
    assert fr.day_time(first) == f"{text}, 02:00 (heure d'été)"
    assert fr.day_time(second) == f"{text}, 02:00 (heure d'hiver)"
    assert fr.hhmm_dst(second) == "02:00 (heure d'hiver)"
    assert fr.day_time(paris(day, 1, 59)) == f"{text}, 01:59"
    assert fr.day_time(paris(day, 3, 0)) == f"{text}, 03:00"
    assert fr.day_time(datetime.combine(day, time(2, 0))) == f"{text}, 02:00"  # naive: no zone to ask
    # The JSON outputs: a local time without offset, except when it happens twice.
    assert local_iso(first) == f"{day}T02:00+02:00"
    assert local_iso(second) == f"{day}T02:00+01:00"
    assert local_iso(paris(day, 3, 0)) == f"{day}T03:00"
    assert parse_local(local_iso(second) or "").timestamp() == second.timestamp()


def test_spring_day_wording() -> None:
    assert fr.day_time(paris(SPRING_DAYS[0], 3, 0)) == "dimanche 29 mars, 03:00"
    assert fr.day_time(paris(SPRING_DAYS[0], 1, 59)) == "dimanche 29 mars, 01:59"


# -- slots ---------------------------------------------------------------------------------------


def check_contiguous(slots: Sequence[Slot], minutes: int) -> None:
    """Every slot lasts ``minutes`` real minutes, ends after it starts, and the next one
    starts when it ends; the starts are distinct instants in time order."""
    for slot in slots:
        assert slot.start.timestamp() < slot.end.timestamp()
        assert real_minutes(slot.start, slot.end) == minutes
        assert slot.start.tzinfo is PARIS and slot.end.tzinfo is PARIS
    for one, two in pairwise(slots):
        assert one.end.timestamp() == two.start.timestamp()
    assert len({s.start.timestamp() for s in slots}) == len(slots)


@pytest.mark.parametrize("day", SPRING_DAYS, ids=str)
def test_round_the_clock_slots_in_spring_have_no_phantom(day: date) -> None:
    slots = day_slots(NIGHT, ROUND_THE_CLOCK, day)
    assert shown(slots) == SPRING_24_7
    assert len(slots) == 46
    check_contiguous(slots, 30)
    assert slots[3].end == paris(day, 3, 0)  # 01:30 CET → 03:00 CEST: half an hour
    assert slots[0].start == paris(day, 0, 0)
    assert slots[-1].end == paris(day + timedelta(days=1), 0, 0)


@pytest.mark.parametrize("day", AUTUMN_DAYS, ids=str)
def test_round_the_clock_slots_in_autumn_offer_both_two_oclock_hours(day: date) -> None:
    slots = day_slots(NIGHT, ROUND_THE_CLOCK, day)
    assert shown(slots) == AUTUMN_24_7
    assert len(slots) == 50
    check_contiguous(slots, 30)
    first_two, second_two = slots[4], slots[6]
    assert (first_two.start.fold, second_two.start.fold) == (0, 1)
    assert real_minutes(first_two.start, second_two.start) == 60
    # Two distinct slots, whatever Python's same-zone comparison says of their wall times.
    assert first_two != second_two
    assert len(set(slots)) == 50
    assert sorted(reversed(slots)) == list(slots)
    assert [fr.hhmm_dst(s.start) for s in slots[4:8]] == [
        "02:00 (heure d'été)", "02:30 (heure d'été)", "02:00 (heure d'hiver)", "02:30 (heure d'hiver)",
    ]


def test_an_ordinary_sunday_has_48_round_the_clock_slots() -> None:
    slots = day_slots(NIGHT, ROUND_THE_CLOCK, date(2026, 11, 29))
    assert shown(slots) == [(t, CET) for t in half_hours("00:00", "23:30")]
    check_contiguous(slots, 30)


@pytest.mark.parametrize("day", CHANGE_DAYS, ids=str)
def test_a_night_schedule_counts_real_hours(day: date) -> None:
    schedule = Schedule(GCA, AGENCE, NIGHT_HOURS, desks=1)
    slots = day_slots(NIGHT, schedule, day)
    check_contiguous(slots, 30)
    if day.month == 3:  # 01:00 → 04:00 is two real hours
        assert shown(slots) == [("01:00", CET), ("01:30", CET), ("03:00", CEST), ("03:30", CEST)]
    else:  # four real hours
        assert shown(slots) == [("01:00", CEST), ("01:30", CEST), ("02:00", CEST), ("02:30", CEST),
                                ("02:00", CET), ("02:30", CET), ("03:00", CET), ("03:30", CET)]


@pytest.mark.parametrize("day", CHANGE_DAYS, ids=str)
def test_slot_length_is_real_minutes(day: date) -> None:
    schedule = Schedule(GCA, AGENCE, NIGHT_HOURS, desks=1, slot_minutes=45)
    slots = day_slots(NIGHT, schedule, day)
    check_contiguous(slots, 45)
    if day.month == 3:  # 01:45 CET + 45 minutes = 03:30 CEST
        assert [(fr.hhmm(s.start), fr.hhmm(s.end)) for s in slots] == [("01:00", "01:45"), ("01:45", "03:30")]
    else:
        assert [(fr.hhmm(s.start), fr.hhmm(s.end)) for s in slots] == [
            ("01:00", "01:45"), ("01:45", "02:30"), ("02:30", "02:15"), ("02:15", "03:00"), ("03:00", "03:45"),
        ]


@pytest.mark.parametrize("day", CHANGE_DAYS, ids=str)
def test_hourly_slots_round_the_clock(day: date) -> None:
    schedule = Schedule(GCA, AGENCE, "24/7", desks=1, slot_minutes=60)
    slots = day_slots(NIGHT, schedule, day)
    check_contiguous(slots, 60)
    hours = [fr.hhmm(s.start) for s in slots]
    if day.month == 3:
        assert hours == [f"{h:02d}:00" for h in range(24) if h != 2]
    else:
        assert hours == [f"{h:02d}:00" for h in (0, 1, 2, 2, *range(3, 24))]


@pytest.mark.parametrize("day", SPRING_DAYS, ids=str)
def test_slot_at_in_spring(day: date) -> None:
    assert slot_at(NIGHT, GCA, AGENCE, paris(day, 1, 30)) == day_slots(NIGHT, ROUND_THE_CLOCK, day)[3]
    found = slot_at(NIGHT, GCA, AGENCE, paris(day, 3, 0))
    assert found is not None and found.start.utcoffset() == CEST
    # A gap time denotes, for Python, the instant an hour later: 02:30 CET is 03:30 CEST.
    gap = slot_at(NIGHT, GCA, AGENCE, paris(day, 2, 30))
    assert gap is not None and (fr.hhmm(gap.start), gap.start.utcoffset()) == ("03:30", CEST)


@pytest.mark.parametrize("day", AUTUMN_DAYS, ids=str)
def test_slot_at_tells_the_two_oclock_hours_apart(day: date) -> None:
    first = slot_at(NIGHT, GCA, AGENCE, paris(day, 2, 0))
    second = slot_at(NIGHT, GCA, AGENCE, paris(day, 2, 0, fold=1))
    assert first is not None and second is not None
    assert (first.start.utcoffset(), second.start.utcoffset()) == (CEST, CET)
    assert slot_at(NIGHT, GCA, AGENCE, datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC)) == second
    assert slot_at(NIGHT, GCA, AGENCE, paris(day, 2, 10, fold=1)) is None


def no_seat_taken(_ids: Sequence[str], _lo: datetime, _hi: datetime) -> dict[tuple[str, datetime], int]:
    return {}


@pytest.mark.parametrize("day", AUTUMN_DAYS, ids=str)
def test_the_notice_is_real_minutes_in_the_overlap(day: date) -> None:
    query = SlotQuery(GCA, AGENCE)
    # 02:50 summer time + 30 minutes = 02:20 winter time, not 03:20.
    earliest, _latest = window(query, paris(day, 2, 50))
    assert (fr.hhmm(earliest), earliest.utcoffset()) == ("02:20", CET)
    # At 02:10 summer time the earliest slot is 02:40 summer time, so the next one is 02:00 winter time.
    found = find_free([NIGHT], query, paris(day, 2, 10), no_seat_taken, limit=4)
    assert shown(found) == [("02:00", CET), ("02:30", CET), ("03:00", CET), ("03:30", CET)]


@pytest.mark.parametrize("day", SPRING_DAYS, ids=str)
def test_the_notice_is_real_minutes_in_the_gap(day: date) -> None:
    query = SlotQuery(GCA, AGENCE)
    earliest, _latest = window(query, paris(day, 1, 45))
    assert (fr.hhmm(earliest), earliest.utcoffset()) == ("03:15", CEST)
    found = find_free([NIGHT], query, paris(day, 1, 0), no_seat_taken, limit=3)
    assert shown(found) == [("01:30", CET), ("03:00", CEST), ("03:30", CEST)]


@pytest.mark.parametrize("day", AUTUMN_DAYS, ids=str)
def test_seats_taken_are_matched_by_instant(day: date) -> None:
    second_two = paris(day, 2, 0, fold=1)

    def second_hour_full(_ids: Sequence[str], _lo: datetime, _hi: datetime) -> dict[tuple[str, datetime], int]:
        return {("nuit", second_two): 1}  # one desk: the winter-time 02:00 is full

    query = SlotQuery(GCA, AGENCE, date_from=day, date_to=day)
    found = find_free([NIGHT], query, paris(day - timedelta(days=1), 12), second_hour_full, limit=100)
    assert len(found) == 49
    assert shown(found[4:7]) == [("02:00", CEST), ("02:30", CEST), ("02:30", CET)]

    def keyed_in_utc(_ids: Sequence[str], _lo: datetime, _hi: datetime) -> dict[tuple[str, datetime], int]:
        return {("nuit", second_two.astimezone(UTC)): 1}

    assert find_free([NIGHT], query, paris(day - timedelta(days=1), 12), keyed_in_utc, limit=100) == found


@pytest.mark.parametrize("day", CHANGE_DAYS, ids=str)
def test_find_free_over_the_change_day(day: date) -> None:
    query = SlotQuery(GCA, AGENCE, date_from=day, date_to=day)
    found = find_free([NIGHT], query, paris(day - timedelta(days=1), 12), no_seat_taken, limit=100)
    assert shown(found) == (SPRING_24_7 if day.month == 3 else AUTUMN_24_7)
    check_contiguous(found, 30)


# -- walk-in hours at the critical instants ------------------------------------------------------


@pytest.mark.parametrize("day", SPRING_DAYS, ids=str)
def test_walk_in_in_spring(day: date) -> None:
    for moment in (paris(day, 1, 59), paris(day, 3, 0)):
        status = walk_in_status(NIGHT, moment)
        assert status.is_open is True
        assert status.closes_at is not None
        assert (fr.hhmm(status.closes_at), status.closes_at.utcoffset()) == ("04:00", CEST)
        assert status.today == ((time(1), time(4)),)
        assert describe(status) == "ouvert, ferme à 04:00"
    assert real_minutes(paris(day, 1, 59), walk_in_status(NIGHT, paris(day, 1, 59)).closes_at or paris(day, 0)) == 61
    # Times of the gap given as datetimes are the instants Python makes of them: an hour later.
    for hour, minute, read in ((2, 0, "03:00"), (2, 30, "03:30")):
        status = walk_in_status(NIGHT, paris(day, hour, minute))
        assert (fr.hhmm(status.at), status.at.utcoffset(), status.is_open) == (read, CEST, True)
    closed = walk_in_status(DAWN, paris(day, 1, 59))
    assert closed.is_open is False and closed.next_opening is not None
    assert real_minutes(closed.at, closed.next_opening) == 1
    assert describe(closed) == "fermé — ouvre aujourd'hui à 03:00"
    # A walk-in written to open at 02:30 opens when the day reaches it: 03:00 summer time.
    edge = walk_in_status(EDGE, paris(day, 1, 59))
    assert edge.next_opening == paris(day, 3, 0)
    assert describe(edge) == "fermé — ouvre aujourd'hui à 03:00"
    assert walk_in_status(EDGE, paris(day, 3, 0)).is_open is True


AUTUMN_INSTANTS = [(1, 59, 0), (2, 0, 0), (2, 0, 1), (2, 30, 0), (2, 30, 1), (2, 59, 0), (2, 59, 1)]


@pytest.mark.parametrize("day", AUTUMN_DAYS, ids=str)
@pytest.mark.parametrize(("hour", "minute", "fold"), AUTUMN_INSTANTS,
                         ids=["0159", "0200-first", "0200-second", "0230-first", "0230-second",
                              "0259-first", "0259-second"])
def test_walk_in_in_autumn(day: date, hour: int, minute: int, fold: int) -> None:
    moment = paris(day, hour, minute, fold=fold)
    night = walk_in_status(NIGHT, moment)
    assert night.at.timestamp() == moment.timestamp() and night.at.fold == fold
    assert night.is_open is True
    assert night.closes_at is not None
    assert (fr.hhmm(night.closes_at), night.closes_at.utcoffset()) == ("04:00", CET)
    assert describe(night) == "ouvert, ferme à 04:00"
    dawn = walk_in_status(DAWN, moment)
    assert dawn.is_open is False and dawn.next_opening is not None
    assert (fr.hhmm(dawn.next_opening), dawn.next_opening.utcoffset()) == ("03:00", CET)
    assert describe(dawn) == "fermé — ouvre aujourd'hui à 03:00"
    # opening-hours-py reads a schedule's 02:30 on this night as the second one, in winter time.
    edge = walk_in_status(EDGE, moment)
    if moment.timestamp() < paris(day, 2, 30, fold=1).timestamp():
        assert edge.is_open is False and edge.next_opening == paris(day, 2, 30, fold=1)
        assert describe(edge) == "fermé — ouvre aujourd'hui à 02:30 (heure d'hiver)"
    else:
        assert edge.is_open is True
        assert describe(edge) == "ouvert, ferme à 05:00"


@pytest.mark.parametrize("day", AUTUMN_DAYS, ids=str)
def test_walk_in_in_autumn_at_three(day: date) -> None:
    for agency, closes in ((NIGHT, "04:00"), (DAWN, "05:00"), (EDGE, "05:00")):
        status = walk_in_status(agency, paris(day, 3, 0))
        assert status.is_open is True and status.closes_at is not None
        assert (fr.hhmm(status.closes_at), status.closes_at.utcoffset()) == (closes, CET)
    assert open_ranges(NIGHT_HOURS, (), day) == ((time(1), time(4)),)


def test_a_range_inside_the_gap_is_not_a_range() -> None:
    assert open_ranges("Su 02:00-02:45", (), SPRING_DAYS[0]) == ()
    assert open_ranges("Su 02:00-02:45; Su 10:00-12:00", (), SPRING_DAYS[1]) == ((time(10), time(12)),)


# -- booking through the services (SQLite) -------------------------------------------------------

AGENCIES_TOML = """\
[[agency]]
id = "nuit"
name = "Permanence de nuit"
walk_in = "Su 01:00-04:00"
source = "test_dst.py"

[[agency.schedule]]
kind = "gca"
channel = "agence"
opening_hours = "24/7"
desks = 1
"""


@pytest.fixture
def night_services(tmp_path: Path) -> Iterator[Services]:
    data = tmp_path / "data-override"
    data.mkdir()
    (data / "agencies.toml").write_text(AGENCIES_TOML, encoding="utf-8")
    eve = paris(AUTUMN_DAYS[0] - timedelta(days=1), 12)
    built = make_services(make_settings(tmp_path, data_dir=data, now=eve, agency="nuit"), clock=FixedClock(eve))
    yield built
    built.close()


def request(start: datetime) -> BookingRequest:
    return BookingRequest(agency_id="nuit", kind=GCA, channel=AGENCE, start=start, name="Camille Dupont")


@pytest.mark.parametrize("day", CHANGE_DAYS, ids=str)
def test_find_slots_through_the_services(night_services: Services, day: date) -> None:
    clock = night_services.context.clock
    assert isinstance(clock, FixedClock)
    clock.set(paris(day - timedelta(days=1), 12))
    found = night_services.appointments.find_slots(GCA, AGENCE, "nuit", date_from=day, date_to=day, limit=100)
    assert shown(found) == (SPRING_24_7 if day.month == 3 else AUTUMN_24_7)


@pytest.mark.parametrize("day", SPRING_DAYS, ids=str)
def test_booking_across_the_spring_gap(night_services: Services, day: date) -> None:
    clock = night_services.context.clock
    assert isinstance(clock, FixedClock)
    clock.set(paris(day - timedelta(days=1), 12))
    booked = night_services.appointments.book(request(paris(day, 1, 30)))
    assert (fr.hhmm(booked.start), booked.start.utcoffset()) == ("01:30", CET)
    assert (fr.hhmm(booked.end), booked.end.utcoffset()) == ("03:00", CEST)
    assert real_minutes(booked.start, booked.end) == 30
    after = night_services.appointments.book(request(paris(day, 3, 0)))
    assert real_minutes(after.start, after.end) == 30
    assert after.start.timestamp() == booked.end.timestamp()
    # A gap time given as a datetime is, for Python, the instant an hour later: 03:30 summer time.
    gap = night_services.appointments.book(request(paris(day, 2, 30)))
    assert (fr.hhmm(gap.start), gap.start.utcoffset(), fr.hhmm(gap.end)) == ("03:30", CEST, "04:00")
    assert gap.start.timestamp() < gap.end.timestamp()
    sheet = night_services.appointments.day_sheet("nuit", day)
    assert [(fr.hhmm(a.start), fr.hhmm(a.end)) for a in sheet] == [
        ("01:30", "03:00"), ("03:00", "03:30"), ("03:30", "04:00"),
    ]
    assert all(real_minutes(a.start, a.end) == 30 for a in sheet)


@pytest.mark.parametrize("day", AUTUMN_DAYS, ids=str)
def test_booking_both_two_oclock_hours(night_services: Services, day: date) -> None:
    clock = night_services.context.clock
    assert isinstance(clock, FixedClock)
    clock.set(paris(day - timedelta(days=1), 12))
    appointments = night_services.appointments
    late_summer = appointments.book(request(paris(day, 2, 30)))
    # 02:30 summer time → 02:00 winter time: half an hour, although the wall clock goes back.
    assert (fr.hhmm(late_summer.start), fr.hhmm(late_summer.end)) == ("02:30", "02:00")
    assert late_summer.start.timestamp() < late_summer.end.timestamp()
    assert real_minutes(late_summer.start, late_summer.end) == 30
    first = appointments.book(request(paris(day, 2, 0)))
    second = appointments.book(request(paris(day, 2, 0, fold=1)))
    assert (first.start.utcoffset(), second.start.utcoffset()) == (CEST, CET)
    assert (first.seat, second.seat) == (1, 1)  # two slots, one desk each: no clash
    assert real_minutes(first.start, second.start) == 60
    sheet = appointments.day_sheet("nuit", day)
    assert [fr.hhmm_dst(a.start) for a in sheet] == [
        "02:00 (heure d'été)", "02:30 (heure d'été)", "02:00 (heure d'hiver)",
    ]
    assert appointments.confirmation(second).count("02:00 (heure d'hiver)") >= 1


@pytest.mark.parametrize("day", AUTUMN_DAYS[:1], ids=str)
def test_both_full_two_oclock_hours_are_not_offered(night_services: Services, day: date) -> None:
    clock = night_services.context.clock
    assert isinstance(clock, FixedClock)
    clock.set(paris(day - timedelta(days=1), 12))
    appointments = night_services.appointments
    appointments.book(request(paris(day, 2, 0)))
    appointments.book(request(paris(day, 2, 0, fold=1)))
    found = appointments.find_slots(GCA, AGENCE, "nuit", date_from=day, date_to=day, limit=100)
    assert ("02:00", CEST) not in shown(found)
    assert ("02:00", CET) not in shown(found)


@pytest.mark.parametrize("day", AUTUMN_DAYS[:1], ids=str)
def test_the_confirmation_states_real_minutes(night_services: Services, day: date) -> None:
    clock = night_services.context.clock
    assert isinstance(clock, FixedClock)
    clock.set(paris(day - timedelta(days=1), 12))
    booked = night_services.appointments.book(request(paris(day, 2, 30)))
    assert "(durée 30 minutes)" in night_services.appointments.confirmation(booked)


@pytest.mark.parametrize("day", AUTUMN_DAYS[:1], ids=str)
def test_a_past_slot_of_the_first_two_oclock_hour_is_refused(night_services: Services, day: date) -> None:
    clock = night_services.context.clock
    assert isinstance(clock, FixedClock)
    clock.set(paris(day, 2, 0, fold=1))
    with pytest.raises(InvalidInput):
        night_services.appointments.book(request(paris(day, 2, 30)))

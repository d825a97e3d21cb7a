"""Appointment slots (guichet.domain.slots) against the agency table of DOMAIN.md.

Pure domain: the shipped ``agencies.toml`` is loaded without any database, and the seats
already taken come from a lookup that the tests provide (``{}`` unless a test says otherwise).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

import pytest

from guichet.catalog import load_agencies, resolve
from guichet.domain.clock import PARIS
from guichet.domain.models import Agency, Channel, Closure, Kind, Schedule
from guichet.domain.slots import (
    DEFAULT_HORIZON,
    DEFAULT_NOTICE,
    DayPart,
    Slot,
    SlotQuery,
    candidate_slots,
    day_slots,
    find_free,
    offering,
    slot_at,
    window,
)

AGENCIES: tuple[Agency, ...] = load_agencies(resolve("agencies.toml", None))
BY_ID = {agency.id: agency for agency in AGENCIES}
AGENCY_IDS = ("chatenay-malabry", "gennevilliers", "montrouge", "nanterre")

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)  # Monday, the FIXED_NOW of conftest.py
START = date(2026, 11, 23)
WEEKS = 8
DAYS = tuple(START + timedelta(days=offset) for offset in range(WEEKS * 7))
CHRISTMAS = date(2026, 12, 25)  # a Friday
NEW_YEAR = date(2027, 1, 1)  # a Friday
HOLIDAYS = (CHRISTMAS, NEW_YEAR)

FULL_DAY = tuple(time(hour, minute) for hour in (9, 10, 11, 13, 14, 15) for minute in (0, 30))
MORNING = FULL_DAY[:6]
WEEKDAYS = frozenset(range(5))
MO, TU, WE, TH, FR = 0, 1, 2, 3, 4

GCA, CSU = Kind.GCA, Kind.CSU
AGENCE, TELEPHONE = Channel.AGENCE, Channel.TELEPHONE

# DOMAIN.md, "The four agencies of the 92 and their schedule": (agency, kind, channel) → the
# weekdays and the slot starts of a working day. A combination absent here is not offered.
TABLE: dict[tuple[str, Kind, Channel], tuple[frozenset[int], tuple[time, ...]]] = {
    ("chatenay-malabry", GCA, AGENCE): (frozenset({TU}), FULL_DAY),
    ("chatenay-malabry", CSU, AGENCE): (WEEKDAYS, FULL_DAY),
    ("gennevilliers", GCA, AGENCE): (frozenset({TU, TH}), FULL_DAY),
    ("gennevilliers", CSU, AGENCE): (frozenset({TU, TH}), FULL_DAY),
    ("gennevilliers", CSU, TELEPHONE): (frozenset({MO, WE, FR}), FULL_DAY),  # « Lundi, mercredi, vendredi »
    ("montrouge", GCA, AGENCE): (frozenset({WE, TH}), FULL_DAY),
    ("nanterre", GCA, AGENCE): (frozenset({MO, TH}), MORNING),
    **{(agency_id, GCA, TELEPHONE): (WEEKDAYS, FULL_DAY) for agency_id in AGENCY_IDS},
}
COMBINATIONS = [(a, k, c) for a in AGENCY_IDS for k in Kind for c in Channel]


def no_seat_taken(_ids: Sequence[str], _lo: datetime, _hi: datetime) -> dict[tuple[str, datetime], int]:
    return {}


def expected_starts(agency_id: str, kind: Kind, channel: Channel, day: date) -> tuple[time, ...]:
    weekdays, starts = TABLE.get((agency_id, kind, channel), (frozenset(), ()))
    if day.weekday() not in weekdays or day in HOLIDAYS:
        return ()
    return starts


def slots_on(agency: Agency, kind: Kind, channel: Channel, day: date) -> tuple[Slot, ...]:
    schedule = agency.schedule(kind, channel)
    return () if schedule is None else day_slots(agency, schedule, day)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), PARIS)


def eight_weeks(kind: Kind, channel: Channel, **filters: object) -> SlotQuery:
    """A query covering the 8 weeks from START (the horizon is 12 weeks)."""
    return SlotQuery(kind, channel, date_to=DAYS[-1], **filters)  # type: ignore[arg-type]


# -- the DOMAIN.md table, day by day over 8 weeks -----------------------------------------------


def test_the_eight_weeks_contain_both_holidays_and_no_other() -> None:
    from guichet.domain.hours import is_public_holiday

    assert [d for d in DAYS if is_public_holiday(d)] == [CHRISTMAS, NEW_YEAR]
    assert DAYS[0].weekday() == MO and len(DAYS) == 56


@pytest.mark.parametrize(("agency_id", "kind", "channel"), COMBINATIONS,
                         ids=[f"{a}-{k}-{c}" for a, k, c in COMBINATIONS])
def test_day_slots_follow_the_domain_table(agency_id: str, kind: Kind, channel: Channel) -> None:
    agency = BY_ID[agency_id]
    schedule = agency.schedule(kind, channel)
    assert (schedule is not None) == ((agency_id, kind, channel) in TABLE)
    for day in DAYS:
        slots = slots_on(agency, kind, channel, day)
        assert tuple(s.start.time() for s in slots) == expected_starts(agency_id, kind, channel, day), day
        for slot in slots:
            assert schedule is not None
            assert slot.start.date() == day
            assert slot.end - slot.start == timedelta(minutes=30)
            assert slot.start.utcoffset() == timedelta(hours=1)  # winter time all along
            assert (slot.agency_id, slot.kind, slot.channel) == (agency_id, kind, channel)
            assert slot.desks == schedule.desks >= 1
            assert (slot.taken, slot.free) == (0, slot.desks)


@pytest.mark.parametrize(("agency_id", "kind", "channel"), COMBINATIONS,
                         ids=[f"{a}-{k}-{c}" for a, k, c in COMBINATIONS])
def test_candidate_slots_over_eight_weeks(agency_id: str, kind: Kind, channel: Channel) -> None:
    agency = BY_ID[agency_id]
    found = list(candidate_slots(agency, SlotQuery(kind, channel), at(DAYS[0], 0), at(DAYS[-1] + timedelta(1), 0)))
    expected = [at(day, t.hour, t.minute) for day in DAYS for t in expected_starts(agency_id, kind, channel, day)]
    assert [s.start for s in found] == expected


@pytest.mark.parametrize(("kind", "channel"), [(k, c) for k in Kind for c in Channel])
def test_find_free_over_eight_weeks_is_the_table_in_time_order(kind: Kind, channel: Channel) -> None:
    found = find_free(AGENCIES, eight_weeks(kind, channel), NOW, no_seat_taken, limit=100_000)
    expected = sorted(
        ((at(day, t.hour, t.minute), position, agency_id)
         for position, agency_id in enumerate(AGENCY_IDS)
         for day in DAYS for t in expected_starts(agency_id, kind, channel, day)
         if at(day, t.hour, t.minute) >= NOW + DEFAULT_NOTICE),
    )
    assert [(s.start, s.agency_id) for s in found] == [(start, agency_id) for start, _, agency_id in expected]
    assert all(s.free == s.desks for s in found)


def test_nanterre_on_site_gca_only_monday_and_thursday_mornings_with_three_desks() -> None:
    nanterre = BY_ID["nanterre"]
    by_day = {day: slots_on(nanterre, GCA, AGENCE, day) for day in DAYS}
    assert {day.weekday() for day, slots in by_day.items() if slots} == {MO, TH}
    assert by_day[date(2026, 11, 23)][0].start == at(date(2026, 11, 23), 9)
    assert by_day[date(2026, 11, 23)][-1].end == at(date(2026, 11, 23), 12)
    for slots in by_day.values():
        assert len(slots) in (0, 6)
        assert all(s.desks == 3 and s.start.time() < time(12) and s.end.time() <= time(12) for s in slots)
    assert find_free([nanterre], eight_weeks(GCA, AGENCE, part=DayPart.APRES_MIDI), NOW, no_seat_taken) == []


def test_chatenay_on_site_gca_only_on_tuesdays() -> None:
    chatenay = BY_ID["chatenay-malabry"]
    days = {day.weekday() for day in DAYS if slots_on(chatenay, GCA, AGENCE, day)}
    assert days == {TU}
    assert len(slots_on(chatenay, GCA, AGENCE, date(2026, 11, 24))) == 12


def test_csu_on_site_every_weekday_at_chatenay_and_tuesday_thursday_at_gennevilliers() -> None:
    chatenay, gennevilliers = BY_ID["chatenay-malabry"], BY_ID["gennevilliers"]
    week = DAYS[:7]
    assert [len(slots_on(chatenay, CSU, AGENCE, d)) for d in week] == [12, 12, 12, 12, 12, 0, 0]
    assert [len(slots_on(gennevilliers, CSU, AGENCE, d)) for d in week] == [0, 12, 0, 12, 0, 0, 0]
    assert [a.id for a in offering(AGENCIES, CSU, AGENCE)] == ["chatenay-malabry", "gennevilliers"]


def test_montrouge_has_no_csu_and_gca_on_site_wednesday_thursday() -> None:
    montrouge = BY_ID["montrouge"]
    assert montrouge.schedule(CSU, AGENCE) is None
    assert montrouge.schedule(CSU, TELEPHONE) is None
    for channel in Channel:
        assert find_free([montrouge], eight_weeks(CSU, channel), NOW, no_seat_taken, limit=1000) == []
        assert list(candidate_slots(montrouge, SlotQuery(CSU, channel), at(DAYS[0], 0), at(DAYS[-1], 23))) == []
        assert slot_at(montrouge, CSU, channel, at(date(2026, 11, 25), 10)) is None
    assert {d.weekday() for d in DAYS if slots_on(montrouge, GCA, AGENCE, d)} == {WE, TH}


def test_only_gennevilliers_offers_csu_by_phone_monday_wednesday_friday() -> None:
    # 000, p.5, Gennevilliers « Mardi et jeudi · Mardi et jeudi · Tous les jours · Lundi, mercredi, vendredi »:
    # the last cell is its CSU appointments by phone (DOMAIN.md), « de 9h à 12h puis de 13h à 16h ».
    assert [a.id for a in offering(AGENCIES, CSU, TELEPHONE)] == ["gennevilliers"]
    gennevilliers = BY_ID["gennevilliers"]
    assert [len(slots_on(gennevilliers, CSU, TELEPHONE, d)) for d in DAYS[:7]] == [12, 0, 12, 0, 12, 0, 0]
    schedule = gennevilliers.schedule(CSU, TELEPHONE)
    assert schedule is not None and schedule.desks == 2  # an estimate: the sources give no staffing
    found = find_free(AGENCIES, SlotQuery(CSU, TELEPHONE), NOW, no_seat_taken, limit=1000)
    assert found and {s.agency_id for s in found} == {"gennevilliers"}
    assert {s.start.weekday() for s in found} == {MO, WE, FR}


def test_phone_gca_every_weekday_everywhere() -> None:
    assert [a.id for a in offering(AGENCIES, GCA, TELEPHONE)] == list(AGENCY_IDS)
    for agency in AGENCIES:
        for day in DAYS:
            count = len(slots_on(agency, GCA, TELEPHONE, day))
            expected = 0 if day.weekday() >= 5 or day in HOLIDAYS else 12
            assert count == expected, (agency.id, day)


def test_slots_are_half_hours_within_the_two_ranges_never_over_lunch() -> None:
    every = [s for a in AGENCIES for k in Kind for c in Channel for d in DAYS for s in slots_on(a, k, c, d)]
    assert len(every) > 2000
    for slot in every:
        assert slot.start.minute in (0, 30) and slot.start.second == 0
        assert slot.end - slot.start == timedelta(minutes=30)
        morning = time(9) <= slot.start.time() and slot.end.time() <= time(12)
        afternoon = time(13) <= slot.start.time() and slot.end.time() <= time(16)
        assert morning or afternoon, slot
        assert not time(12) <= slot.start.time() < time(13)
    full_days = [len(slots_on(a, GCA, TELEPHONE, date(2026, 11, 24))) for a in AGENCIES]
    assert full_days == [12, 12, 12, 12]


def test_nothing_on_weekends() -> None:
    weekend = [d for d in DAYS if d.weekday() >= 5]
    assert len(weekend) == 16
    for agency in AGENCIES:
        for kind in Kind:
            for channel in Channel:
                assert all(slots_on(agency, kind, channel, d) == () for d in weekend)


@pytest.mark.parametrize("holiday", HOLIDAYS, ids=["christmas", "new-year"])
def test_nothing_on_public_holidays_for_any_agency_kind_channel(holiday: date) -> None:
    eve = holiday - timedelta(days=1)  # a Thursday: every schedule of the table runs
    for agency in AGENCIES:
        for kind in Kind:
            for channel in Channel:
                assert slots_on(agency, kind, channel, holiday) == ()
                assert len(slots_on(agency, kind, channel, eve)) == len(expected_starts(agency.id, kind, channel, eve))
                query = SlotQuery(kind, channel, date_from=holiday, date_to=holiday)
                assert find_free([agency], query, NOW, no_seat_taken, limit=100) == []


def test_find_free_goes_over_christmas() -> None:
    query = SlotQuery(GCA, TELEPHONE, date_from=CHRISTMAS - timedelta(days=1))
    found = find_free([BY_ID["montrouge"]], query, NOW, no_seat_taken, limit=13)
    assert [s.start.date() for s in found] == [CHRISTMAS - timedelta(days=1)] * 12 + [date(2026, 12, 28)]
    assert found[-1].start == at(date(2026, 12, 28), 9)


# -- closures, forgotten "PH off", DST ----------------------------------------------------------


def test_an_exceptional_closure_removes_its_days() -> None:
    closure = Closure(date(2026, 12, 1), date(2026, 12, 3), "travaux")
    nanterre = BY_ID["nanterre"]
    closed = dataclasses.replace(nanterre, closures=(closure,))
    for kind in Kind:
        for channel in Channel:
            for day in DAYS:
                expected = () if closure.covers(day) else slots_on(nanterre, kind, channel, day)
                assert slots_on(closed, kind, channel, day) == expected, (kind, channel, day)
    assert len(slots_on(closed, GCA, TELEPHONE, date(2026, 11, 30))) == 12
    assert len(slots_on(closed, GCA, TELEPHONE, date(2026, 12, 4))) == 12
    query = SlotQuery(GCA, TELEPHONE, date_from=date(2026, 12, 1))
    first = find_free([closed], query, NOW, no_seat_taken, limit=1)
    assert first[0].start == at(date(2026, 12, 4), 9)
    assert slot_at(closed, GCA, TELEPHONE, at(date(2026, 12, 2), 10)) is None
    assert slot_at(nanterre, GCA, TELEPHONE, at(date(2026, 12, 2), 10)) is not None


def test_a_one_day_closure_inside_the_window() -> None:
    closure = Closure(date(2026, 11, 23), date(2026, 11, 23), "grève")
    closed = dataclasses.replace(BY_ID["chatenay-malabry"], closures=(closure,))
    found = find_free([closed], SlotQuery(CSU, AGENCE), NOW, no_seat_taken, limit=1)
    assert found[0].start == at(date(2026, 11, 24), 9)


@pytest.mark.parametrize("holiday", [CHRISTMAS, NEW_YEAR, date(2027, 3, 29), date(2027, 5, 1)],
                         ids=["christmas", "new-year", "easter-monday-2027", "1st-may-2027"])
def test_a_schedule_without_ph_off_still_yields_nothing_on_a_public_holiday(holiday: date) -> None:
    careless = Schedule(GCA, TELEPHONE, "Mo-Su 09:00-12:00,13:00-16:00", desks=2)
    agency = Agency("test", "Test", None, None, schedules=(careless,))
    assert day_slots(agency, careless, holiday) == ()
    assert len(day_slots(agency, careless, date(2026, 12, 24))) == 12
    assert len(day_slots(agency, careless, date(2026, 12, 26))) == 12  # a Saturday: the schedule allows it


def test_dst_slots_after_the_spring_change_are_at_plus_two() -> None:
    nanterre = BY_ID["nanterre"]
    # Sunday 28 March 2027 is both the DST change and Easter: Monday 29 is Easter Monday (no slot).
    assert slots_on(nanterre, GCA, TELEPHONE, date(2027, 3, 29)) == ()
    before = slots_on(nanterre, GCA, TELEPHONE, date(2027, 3, 26))
    after = slots_on(nanterre, GCA, TELEPHONE, date(2027, 3, 30))
    assert {s.start.utcoffset() for s in before} == {timedelta(hours=1)}
    assert {s.start.utcoffset() for s in after} == {timedelta(hours=2)}
    assert after[0].start.isoformat() == "2027-03-30T09:00:00+02:00"
    assert after[-1].end.isoformat() == "2027-03-30T16:00:00+02:00"
    assert all(s.end - s.start == timedelta(minutes=30) for s in after)
    found = find_free([nanterre], SlotQuery(GCA, TELEPHONE), at(date(2027, 3, 26), 16), no_seat_taken, limit=1)
    assert found[0].start.isoformat() == "2027-03-30T09:00:00+02:00"


def test_dst_monday_after_the_change_when_not_a_holiday() -> None:
    """The brief's "Monday 29 March 2027" is Easter Monday; Monday 5 April 2027 is the next one."""
    nanterre = BY_ID["nanterre"]
    slots = slots_on(nanterre, GCA, AGENCE, date(2027, 4, 5))
    assert [s.start.isoformat() for s in slots[:2]] == ["2027-04-05T09:00:00+02:00", "2027-04-05T09:30:00+02:00"]


# -- notice and horizon -------------------------------------------------------------------------


def test_default_notice_and_horizon() -> None:
    assert DEFAULT_NOTICE.total_seconds() == 30 * 60
    assert DEFAULT_HORIZON.days == 12 * 7
    assert window(SlotQuery(GCA, TELEPHONE), NOW) == (at(START, 10, 30), at(date(2027, 2, 15), 10))


def test_notice_at_ten_the_first_slot_is_half_past() -> None:
    found = find_free([BY_ID["nanterre"]], SlotQuery(GCA, TELEPHONE), NOW, no_seat_taken, limit=3)
    assert [s.start for s in found] == [at(START, 10, 30), at(START, 11), at(START, 11, 30)]
    one_minute_later = find_free([BY_ID["nanterre"]], SlotQuery(GCA, TELEPHONE), NOW + timedelta(minutes=1),
                                 no_seat_taken, limit=1)
    assert one_minute_later[0].start == at(START, 11)


@pytest.mark.parametrize(("notice", "first"), [
    (timedelta(0), (10, 0)),
    (timedelta(minutes=29), (10, 30)),
    (timedelta(hours=2), (13, 0)),  # 12:00 falls on lunch
])
def test_custom_notice(notice: timedelta, first: tuple[int, int]) -> None:
    query = SlotQuery(GCA, TELEPHONE, notice=notice)
    found = find_free([BY_ID["nanterre"]], query, NOW, no_seat_taken, limit=1)
    assert found[0].start == at(START, *first)


def test_notice_late_in_the_day_moves_to_the_next_working_day() -> None:
    friday = datetime(2026, 11, 27, 15, 45, tzinfo=PARIS)
    found = find_free(AGENCIES, SlotQuery(GCA, TELEPHONE), friday, no_seat_taken, limit=1)
    assert found[0].start == at(date(2026, 11, 30), 9)


def test_horizon_twelve_weeks() -> None:
    found = find_free(AGENCIES, SlotQuery(GCA, TELEPHONE), NOW, no_seat_taken, limit=100_000)
    assert found[-1].start == at(date(2027, 2, 15), 9, 30)  # now + 12 weeks = 15 Feb 10:00, excluded
    assert all(s.start < NOW + timedelta(weeks=12) for s in found)
    assert len(found) == len({(s.agency_id, s.start) for s in found})
    short = find_free(AGENCIES, SlotQuery(GCA, TELEPHONE, horizon=timedelta(weeks=1)), NOW, no_seat_taken,
                      limit=100_000)
    assert short[-1].start == at(date(2026, 11, 30), 9, 30)
    assert short[-1].agency_id == "nanterre"


def test_date_from_beyond_the_horizon_gives_nothing() -> None:
    query = SlotQuery(GCA, TELEPHONE, date_from=date(2027, 2, 16))
    assert find_free(AGENCIES, query, NOW, no_seat_taken) == []


# -- filters ------------------------------------------------------------------------------------


def test_day_part_filter() -> None:
    everything = find_free(AGENCIES, eight_weeks(GCA, TELEPHONE), NOW, no_seat_taken, limit=100_000)
    mornings = find_free(AGENCIES, eight_weeks(GCA, TELEPHONE, part=DayPart.MATIN), NOW, no_seat_taken,
                         limit=100_000)
    afternoons = find_free(AGENCIES, eight_weeks(GCA, TELEPHONE, part=DayPart.APRES_MIDI), NOW, no_seat_taken,
                           limit=100_000)
    assert mornings and afternoons
    assert all(s.start.time() < time(12) for s in mornings)
    assert all(s.start.time() >= time(13) for s in afternoons)
    assert mornings[0].start == at(START, 10, 30)
    assert afternoons[0].start == at(START, 13)
    assert sorted(mornings + afternoons) == sorted(everything)
    assert DayPart.MATIN.contains(at(START, 11, 30)) and not DayPart.MATIN.contains(at(START, 13))
    assert DayPart.APRES_MIDI.contains(at(START, 15, 30)) and not DayPart.APRES_MIDI.contains(at(START, 9))


def test_date_from_and_date_to() -> None:
    query = SlotQuery(GCA, TELEPHONE, date_from=date(2026, 12, 1), date_to=date(2026, 12, 2))
    found = find_free(AGENCIES, query, NOW, no_seat_taken, limit=1000)
    assert len(found) == 4 * 12 * 2
    assert {s.start.date() for s in found} == {date(2026, 12, 1), date(2026, 12, 2)}
    assert found[0].start == at(date(2026, 12, 1), 9)
    assert found[-1].start == at(date(2026, 12, 2), 15, 30)


def test_date_from_in_the_past_does_not_reveal_past_slots() -> None:
    query = SlotQuery(GCA, TELEPHONE, date_from=date(2026, 11, 20), date_to=START)
    found = find_free([BY_ID["nanterre"]], query, NOW, no_seat_taken, limit=1000)
    assert [s.start.time() for s in found] == [time(10, 30), time(11), time(11, 30), *FULL_DAY[6:]]


def test_date_to_before_date_from_gives_nothing() -> None:
    query = SlotQuery(GCA, TELEPHONE, date_from=date(2026, 12, 2), date_to=date(2026, 12, 1))
    assert find_free(AGENCIES, query, NOW, no_seat_taken) == []


def test_date_to_is_inclusive_and_a_weekend_range_is_empty() -> None:
    saturday, sunday = date(2026, 11, 28), date(2026, 11, 29)
    assert find_free(AGENCIES, SlotQuery(GCA, TELEPHONE, date_from=saturday, date_to=sunday), NOW,
                     no_seat_taken) == []
    found = find_free(AGENCIES, SlotQuery(GCA, TELEPHONE, date_to=START), NOW, no_seat_taken, limit=1000)
    assert found[-1].start == at(START, 15, 30)
    assert len(found) == 4 * 9


def test_limit() -> None:
    assert find_free(AGENCIES, SlotQuery(GCA, TELEPHONE), NOW, no_seat_taken, limit=0) == []
    assert len(find_free(AGENCIES, SlotQuery(GCA, TELEPHONE), NOW, no_seat_taken, limit=5)) == 5
    assert len(find_free(AGENCIES, SlotQuery(GCA, TELEPHONE), NOW, no_seat_taken)) == 20


# -- ordering and taken seats --------------------------------------------------------------------


@pytest.mark.parametrize(("first", "order"), [
    (None, ["chatenay-malabry", "gennevilliers", "montrouge", "nanterre"]),
    ("montrouge", ["montrouge", "chatenay-malabry", "gennevilliers", "nanterre"]),
    ("nanterre", ["nanterre", "chatenay-malabry", "gennevilliers", "montrouge"]),
    ("lyon", ["chatenay-malabry", "gennevilliers", "montrouge", "nanterre"]),
])
def test_find_free_sorts_by_start_then_first_agency(first: str | None, order: list[str]) -> None:
    found = find_free(AGENCIES, SlotQuery(GCA, TELEPHONE), NOW, no_seat_taken, limit=12, first=first)
    assert [s.start for s in found] == sorted(s.start for s in found)
    assert [s.agency_id for s in found] == order * 3
    assert [s.start for s in found[::4]] == [at(START, 10, 30), at(START, 11), at(START, 11, 30)]


def test_find_free_order_across_different_schedules() -> None:
    # On-site GCA from Tuesday 24: Châtenay and Gennevilliers at 09:00, then Wednesday Montrouge.
    query = SlotQuery(GCA, AGENCE, date_from=date(2026, 11, 24), date_to=date(2026, 11, 26))
    found = find_free(AGENCIES, query, NOW, no_seat_taken, limit=1000, first="gennevilliers")
    assert [s.agency_id for s in found[:2]] == ["gennevilliers", "chatenay-malabry"]
    tuesday = [s for s in found if s.start.date() == date(2026, 11, 24)]
    wednesday = [s for s in found if s.start.date() == date(2026, 11, 25)]
    thursday = [s for s in found if s.start.date() == date(2026, 11, 26)]
    assert {s.agency_id for s in tuesday} == {"chatenay-malabry", "gennevilliers"}
    assert {s.agency_id for s in wednesday} == {"montrouge"}
    assert {s.agency_id for s in thursday} == {"gennevilliers", "montrouge", "nanterre"}
    assert len(thursday) == 12 + 12 + 6
    assert [(s.start, s.agency_id) for s in thursday[:3]] == [
        (at(date(2026, 11, 26), 9), "gennevilliers"),
        (at(date(2026, 11, 26), 9), "montrouge"),
        (at(date(2026, 11, 26), 9), "nanterre"),
    ]


def test_taken_seats_reduce_free_and_a_full_slot_is_skipped() -> None:
    nanterre = BY_ID["nanterre"]
    taken = {("nanterre", at(START, 10, 30)): 5, ("nanterre", at(START, 11)): 2,
             ("montrouge", at(START, 11)): 4, ("nanterre", at(START, 14)): 7}
    asked: list[tuple[tuple[str, ...], datetime, datetime]] = []

    def lookup(ids: Sequence[str], lo: datetime, hi: datetime) -> dict[tuple[str, datetime], int]:
        asked.append((tuple(ids), lo, hi))
        return taken

    found = find_free([nanterre], SlotQuery(GCA, TELEPHONE), NOW, lookup, limit=3)
    assert [(s.start, s.taken, s.free) for s in found] == [
        (at(START, 11), 2, 3), (at(START, 11, 30), 0, 5), (at(START, 13), 0, 5),
    ]
    assert all(s.desks == 5 for s in found)
    assert asked == [(("nanterre",), at(START, 10, 30), at(START, 10, 30) + timedelta(days=7))]

    everywhere = find_free(AGENCIES, SlotQuery(GCA, TELEPHONE), NOW, lambda *_: taken, limit=100)
    keys = {(s.agency_id, s.start) for s in everywhere}
    assert ("nanterre", at(START, 10, 30)) not in keys
    assert ("montrouge", at(START, 11)) not in keys  # 4 desks, 4 taken
    assert ("nanterre", at(START, 14)) not in keys  # over-full counts as full
    assert ("chatenay-malabry", at(START, 10, 30)) in keys
    assert all(s.free >= 1 for s in everywhere)


def test_taken_lookup_is_asked_chunk_by_chunk_only_as_far_as_needed() -> None:
    asked: list[tuple[datetime, datetime]] = []

    def lookup(_ids: Sequence[str], lo: datetime, hi: datetime) -> dict[tuple[str, datetime], int]:
        asked.append((lo, hi))
        return {}

    found = find_free(AGENCIES, SlotQuery(GCA, AGENCE), NOW, lookup, limit=200)
    assert len(found) == 200
    assert asked[0][0] == at(START, 10, 30)
    assert all(hi - lo == timedelta(days=7) for lo, hi in asked)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(asked))
    assert asked[-1][1] > found[-1].start >= asked[-1][0]


def test_a_fully_booked_week_moves_to_the_next() -> None:
    montrouge = BY_ID["montrouge"]
    week = [s for d in DAYS[:7] for s in slots_on(montrouge, GCA, AGENCE, d)]
    taken = {(s.agency_id, s.start): s.desks for s in week}
    found = find_free([montrouge], SlotQuery(GCA, AGENCE), NOW, lambda *_: taken, limit=1)
    assert found[0].start == at(date(2026, 12, 2), 9)  # the next Wednesday


# -- slot_at ------------------------------------------------------------------------------------


def test_slot_at_finds_only_slot_boundaries_of_the_schedule() -> None:
    nanterre = BY_ID["nanterre"]
    slot = slot_at(nanterre, GCA, AGENCE, at(START, 10))
    assert slot is not None and (slot.start, slot.end, slot.desks) == (at(START, 10), at(START, 10, 30), 3)
    assert slot_at(nanterre, GCA, AGENCE, at(START, 10, 10)) is None
    assert slot_at(nanterre, GCA, AGENCE, at(START, 14)) is None  # on-site GCA: mornings only
    assert slot_at(nanterre, GCA, AGENCE, at(date(2026, 11, 24), 10)) is None  # a Tuesday
    assert slot_at(nanterre, GCA, TELEPHONE, at(START, 12)) is None  # lunch
    assert slot_at(nanterre, CSU, AGENCE, at(START, 10)) is None
    in_utc = slot_at(nanterre, GCA, TELEPHONE, datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    assert in_utc is not None and in_utc.start == at(START, 13)
    naive = slot_at(nanterre, GCA, TELEPHONE, datetime(2026, 11, 23, 13, 0))  # read as Paris time
    assert naive is not None and naive.start == at(START, 13)

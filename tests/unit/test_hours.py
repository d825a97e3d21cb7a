"""Walk-in status of the four shipped agencies at fixed instants, and the French wording.

Every expected value is written out: the instants are chosen around the boundaries of the
shipped hours (DOMAIN.md), Fridays, weekends, French public holidays, the two daylight-saving
changes of 2026-2027 and exceptional closures. Nothing here reads today's date.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

import pytest

from guichet.catalog import load_agencies, resolve
from guichet.domain import fr
from guichet.domain.clock import PARIS
from guichet.domain.hours import (
    WalkInStatus,
    describe,
    is_public_holiday,
    open_ranges,
    walk_in_status,
    week_summary,
)
from guichet.domain.models import Agency, Closure

WINTER = timedelta(hours=1)  # CET
SUMMER = timedelta(hours=2)  # CEST

AGENCIES: dict[str, Agency] = {
    agency.id: agency for agency in load_agencies(resolve("agencies.toml", None))
}
# Gennevilliers has no walk-in reception (000, p.5 re-read, DOMAIN.md): its « Lundi, mercredi,
# vendredi » are CSU appointments by phone, 09:00-12:00 and 13:00-16:00. The engine's cases for a
# day in two ranges (the lunch break) run on those hours, given to a copy of the agency as walk-in.
G = "gennevilliers-csu-telephone"
_GENNEVILLIERS_CSU_PHONE = next(s for s in AGENCIES["gennevilliers"].schedules
                                if (s.kind.value, s.channel.value) == ("csu", "telephone"))
AGENCIES[G] = dataclasses.replace(AGENCIES["gennevilliers"], id=G, walk_in=_GENNEVILLIERS_CSU_PHONE.opening_hours)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A Europe/Paris instant (wall-clock time)."""
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def spans(*texts: str) -> tuple[tuple[time, time], ...]:
    """``spans("09:00-12:00", "13:00-16:00")`` → the tuple ``open_ranges`` returns."""
    out = []
    for text in texts:
        start, end = text.split("-")
        out.append((time.fromisoformat(start), time.fromisoformat(end)))
    return tuple(out)


def assert_same_local(actual: datetime | None, expected: datetime | None) -> None:
    """Same instant, same Paris wall-clock time and same UTC offset."""
    if expected is None:
        assert actual is None
        return
    assert actual is not None
    assert actual.timestamp() == expected.timestamp()
    assert actual.replace(tzinfo=None) == expected.replace(tzinfo=None)
    assert actual.utcoffset() == expected.utcoffset()


# Shipped walk-in hours (DOMAIN.md):
#   chatenay-malabry  Mo-Th 09:00-12:30
#   gennevilliers     none (its Mo,We,Fr 09:00-12:00,13:00-16:00 are CSU appointments by phone: G above)
#   montrouge         none
#   nanterre          Mo-Th 12:30-16:00
# Calendar: Mon 23 Nov 2026 ... Sun 29 Nov 2026; 11 Nov 2026 is a Wednesday; 25 Dec 2026 a
# Friday; 1 Jan 2027 a Friday; Easter Monday 29 Mar 2027; 1 May 2027 a Saturday; Ascension
# Thu 6 May 2027; Whit Monday 17 May 2027. Summer time starts Sun 28 Mar 2027, ends Sun 25 Oct 2026.

CHATENAY_AM = spans("09:00-12:30")
GENNEVILLIERS_DAY = spans("09:00-12:00", "13:00-16:00")
NANTERRE_PM = spans("12:30-16:00")


class Case(NamedTuple):
    id: str
    agency: str
    at: datetime
    is_open: bool
    closes_at: datetime | None
    next_opening: datetime | None
    today: tuple[tuple[time, time], ...]
    holiday: bool
    text: str


def case(agency: str, name: str, instant: datetime, *, opened: bool = False,
         closes: datetime | None = None, opens: datetime | None = None,
         today: tuple[tuple[time, time], ...] = (), holiday: bool = False, text: str) -> Case:
    return Case(f"{agency}-{name}", agency, instant, opened, closes, opens, today, holiday, text)


C, N = "chatenay-malabry", "nanterre"

CASES = [
    # -- Châtenay-Malabry: mornings 09:00-12:30 except Friday ------------------------------
    case(C, "mon-midnight", at(2026, 11, 23, 0, 0), opens=at(2026, 11, 23, 9, 0),
         today=CHATENAY_AM, text="fermé — ouvre aujourd'hui à 09:00"),
    case(C, "mon-08h59", at(2026, 11, 23, 8, 59), opens=at(2026, 11, 23, 9, 0),
         today=CHATENAY_AM, text="fermé — ouvre aujourd'hui à 09:00"),
    case(C, "mon-09h00", at(2026, 11, 23, 9, 0), opened=True, closes=at(2026, 11, 23, 12, 30),
         today=CHATENAY_AM, text="ouvert, ferme à 12:30"),
    case(C, "mon-12h29", at(2026, 11, 23, 12, 29), opened=True, closes=at(2026, 11, 23, 12, 30),
         today=CHATENAY_AM, text="ouvert, ferme à 12:30"),
    case(C, "mon-12h30", at(2026, 11, 23, 12, 30), opens=at(2026, 11, 24, 9, 0),
         today=CHATENAY_AM, text="fermé — ouvre demain à 09:00"),
    case(C, "thu-11h00", at(2026, 11, 26, 11, 0), opened=True, closes=at(2026, 11, 26, 12, 30),
         today=CHATENAY_AM, text="ouvert, ferme à 12:30"),
    case(C, "thu-12h30", at(2026, 11, 26, 12, 30), opens=at(2026, 11, 30, 9, 0),
         today=CHATENAY_AM, text="fermé — ouvre lundi 30 novembre à 09:00"),
    case(C, "friday", at(2026, 11, 27, 10, 0), opens=at(2026, 11, 30, 9, 0),
         text="fermé — ouvre lundi 30 novembre à 09:00"),
    case(C, "saturday", at(2026, 11, 28, 10, 0), opens=at(2026, 11, 30, 9, 0),
         text="fermé — ouvre lundi 30 novembre à 09:00"),
    case(C, "sunday-23h59", at(2026, 11, 29, 23, 59), opens=at(2026, 11, 30, 9, 0),
         text="fermé — ouvre demain à 09:00"),
    case(C, "11-november", at(2026, 11, 11, 10, 0), opens=at(2026, 11, 12, 9, 0), holiday=True,
         text="fermé (jour férié) — ouvre demain à 09:00"),
    case(C, "christmas-eve-after", at(2026, 12, 24, 12, 30), opens=at(2026, 12, 28, 9, 0),
         today=CHATENAY_AM, text="fermé — ouvre lundi 28 décembre à 09:00"),
    case(C, "christmas", at(2026, 12, 25, 10, 0), opens=at(2026, 12, 28, 9, 0), holiday=True,
         text="fermé (jour férié) — ouvre lundi 28 décembre à 09:00"),
    case(C, "new-year", at(2027, 1, 1, 10, 0), opens=at(2027, 1, 4, 9, 0), holiday=True,
         text="fermé (jour férié) — ouvre lundi 4 janvier à 09:00"),
    case(C, "friday-before-easter", at(2027, 3, 26, 10, 0), opens=at(2027, 3, 30, 9, 0),
         text="fermé — ouvre mardi 30 mars à 09:00"),
    case(C, "easter-monday", at(2027, 3, 29, 10, 0), opens=at(2027, 3, 30, 9, 0), holiday=True,
         text="fermé (jour férié) — ouvre demain à 09:00"),
    case(C, "1-may", at(2027, 5, 1, 10, 0), opens=at(2027, 5, 3, 9, 0), holiday=True,
         text="fermé (jour férié) — ouvre lundi 3 mai à 09:00"),
    case(C, "ascension", at(2027, 5, 6, 10, 0), opens=at(2027, 5, 10, 9, 0), holiday=True,
         text="fermé (jour férié) — ouvre lundi 10 mai à 09:00"),
    case(C, "whit-monday", at(2027, 5, 17, 10, 0), opens=at(2027, 5, 18, 9, 0), holiday=True,
         text="fermé (jour férié) — ouvre demain à 09:00"),
    case(C, "summer-open", at(2027, 4, 13, 10, 0), opened=True, closes=at(2027, 4, 13, 12, 30),
         today=CHATENAY_AM, text="ouvert, ferme à 12:30"),
    # -- Gennevilliers' CSU by phone hours: Mo, We, Fr 09:00-12:00 and 13:00-16:00 ---------
    case(G, "mon-08h59", at(2026, 11, 23, 8, 59), opens=at(2026, 11, 23, 9, 0),
         today=GENNEVILLIERS_DAY, text="fermé — ouvre aujourd'hui à 09:00"),
    case(G, "mon-09h00", at(2026, 11, 23, 9, 0), opened=True, closes=at(2026, 11, 23, 12, 0),
         today=GENNEVILLIERS_DAY, text="ouvert, ferme à 12:00"),
    case(G, "mon-11h59", at(2026, 11, 23, 11, 59), opened=True, closes=at(2026, 11, 23, 12, 0),
         today=GENNEVILLIERS_DAY, text="ouvert, ferme à 12:00"),
    case(G, "mon-lunch", at(2026, 11, 23, 12, 0), opens=at(2026, 11, 23, 13, 0),
         today=GENNEVILLIERS_DAY, text="fermé — ouvre aujourd'hui à 13:00"),
    case(G, "mon-12h30", at(2026, 11, 23, 12, 30), opens=at(2026, 11, 23, 13, 0),
         today=GENNEVILLIERS_DAY, text="fermé — ouvre aujourd'hui à 13:00"),
    case(G, "mon-15h59", at(2026, 11, 23, 15, 59), opened=True, closes=at(2026, 11, 23, 16, 0),
         today=GENNEVILLIERS_DAY, text="ouvert, ferme à 16:00"),
    case(G, "mon-16h00", at(2026, 11, 23, 16, 0), opens=at(2026, 11, 25, 9, 0),
         today=GENNEVILLIERS_DAY, text="fermé — ouvre mercredi 25 novembre à 09:00"),
    case(G, "tuesday", at(2026, 11, 24, 10, 0), opens=at(2026, 11, 25, 9, 0),
         text="fermé — ouvre demain à 09:00"),
    case(G, "friday-open", at(2026, 11, 27, 10, 0), opened=True, closes=at(2026, 11, 27, 12, 0),
         today=GENNEVILLIERS_DAY, text="ouvert, ferme à 12:00"),
    case(G, "friday-16h00", at(2026, 11, 27, 16, 0), opens=at(2026, 11, 30, 9, 0),
         today=GENNEVILLIERS_DAY, text="fermé — ouvre lundi 30 novembre à 09:00"),
    case(G, "saturday", at(2026, 11, 28, 10, 0), opens=at(2026, 11, 30, 9, 0),
         text="fermé — ouvre lundi 30 novembre à 09:00"),
    case(G, "11-november", at(2026, 11, 11, 10, 0), opens=at(2026, 11, 13, 9, 0), holiday=True,
         text="fermé (jour férié) — ouvre vendredi 13 novembre à 09:00"),
    case(G, "christmas", at(2026, 12, 25, 10, 0), opens=at(2026, 12, 28, 9, 0), holiday=True,
         text="fermé (jour férié) — ouvre lundi 28 décembre à 09:00"),
    case(G, "new-year", at(2027, 1, 1, 10, 0), opens=at(2027, 1, 4, 9, 0), holiday=True,
         text="fermé (jour férié) — ouvre lundi 4 janvier à 09:00"),
    case(G, "easter-monday", at(2027, 3, 29, 10, 0), opens=at(2027, 3, 31, 9, 0), holiday=True,
         text="fermé (jour férié) — ouvre mercredi 31 mars à 09:00"),
    case(G, "1-may", at(2027, 5, 1, 10, 0), opens=at(2027, 5, 3, 9, 0), holiday=True,
         text="fermé (jour férié) — ouvre lundi 3 mai à 09:00"),
    case(G, "ascension", at(2027, 5, 6, 10, 0), opens=at(2027, 5, 7, 9, 0), holiday=True,
         text="fermé (jour férié) — ouvre demain à 09:00"),
    case(G, "whit-monday", at(2027, 5, 17, 10, 0), opens=at(2027, 5, 19, 9, 0), holiday=True,
         text="fermé (jour férié) — ouvre mercredi 19 mai à 09:00"),
    # -- Nanterre: afternoons 12:30-16:00 except Friday -------------------------------------
    case(N, "mon-10h00", at(2026, 11, 23, 10, 0), opens=at(2026, 11, 23, 12, 30),
         today=NANTERRE_PM, text="fermé — ouvre aujourd'hui à 12:30"),
    case(N, "mon-12h29", at(2026, 11, 23, 12, 29), opens=at(2026, 11, 23, 12, 30),
         today=NANTERRE_PM, text="fermé — ouvre aujourd'hui à 12:30"),
    case(N, "mon-12h30", at(2026, 11, 23, 12, 30), opened=True, closes=at(2026, 11, 23, 16, 0),
         today=NANTERRE_PM, text="ouvert, ferme à 16:00"),
    case(N, "mon-15h59", at(2026, 11, 23, 15, 59), opened=True, closes=at(2026, 11, 23, 16, 0),
         today=NANTERRE_PM, text="ouvert, ferme à 16:00"),
    case(N, "mon-16h00", at(2026, 11, 23, 16, 0), opens=at(2026, 11, 24, 12, 30),
         today=NANTERRE_PM, text="fermé — ouvre demain à 12:30"),
    case(N, "thu-16h00", at(2026, 11, 26, 16, 0), opens=at(2026, 11, 30, 12, 30),
         today=NANTERRE_PM, text="fermé — ouvre lundi 30 novembre à 12:30"),
    case(N, "friday", at(2026, 11, 27, 14, 0), opens=at(2026, 11, 30, 12, 30),
         text="fermé — ouvre lundi 30 novembre à 12:30"),
    case(N, "saturday", at(2026, 11, 28, 14, 0), opens=at(2026, 11, 30, 12, 30),
         text="fermé — ouvre lundi 30 novembre à 12:30"),
    case(N, "sunday", at(2026, 11, 29, 14, 0), opens=at(2026, 11, 30, 12, 30),
         text="fermé — ouvre demain à 12:30"),
    case(N, "monday-after", at(2026, 11, 30, 14, 0), opened=True, closes=at(2026, 11, 30, 16, 0),
         today=NANTERRE_PM, text="ouvert, ferme à 16:00"),
    case(N, "11-november", at(2026, 11, 11, 14, 0), opens=at(2026, 11, 12, 12, 30), holiday=True,
         text="fermé (jour férié) — ouvre demain à 12:30"),
    case(N, "christmas", at(2026, 12, 25, 14, 0), opens=at(2026, 12, 28, 12, 30), holiday=True,
         text="fermé (jour férié) — ouvre lundi 28 décembre à 12:30"),
    case(N, "new-year", at(2027, 1, 1, 14, 0), opens=at(2027, 1, 4, 12, 30), holiday=True,
         text="fermé (jour férié) — ouvre lundi 4 janvier à 12:30"),
    case(N, "easter-monday", at(2027, 3, 29, 14, 0), opens=at(2027, 3, 30, 12, 30), holiday=True,
         text="fermé (jour férié) — ouvre demain à 12:30"),
    case(N, "1-may", at(2027, 5, 1, 14, 0), opens=at(2027, 5, 3, 12, 30), holiday=True,
         text="fermé (jour férié) — ouvre lundi 3 mai à 12:30"),
    case(N, "ascension", at(2027, 5, 6, 14, 0), opens=at(2027, 5, 10, 12, 30), holiday=True,
         text="fermé (jour férié) — ouvre lundi 10 mai à 12:30"),
    case(N, "whit-monday", at(2027, 5, 17, 14, 0), opens=at(2027, 5, 18, 12, 30), holiday=True,
         text="fermé (jour férié) — ouvre demain à 12:30"),
]


@pytest.mark.parametrize("c", CASES, ids=[c.id for c in CASES])
def test_walk_in_status(c: Case) -> None:
    status = walk_in_status(AGENCIES[c.agency], c.at)
    assert status.agency.id == c.agency
    assert status.has_walk_in is True
    assert status.is_open is c.is_open
    assert_same_local(status.closes_at, c.closes_at)
    assert_same_local(status.next_opening, c.next_opening)
    assert status.today == c.today
    assert status.holiday is c.holiday
    assert status.closure is None
    assert describe(status) == c.text


def test_every_agency_has_at_least_15_cases() -> None:
    counts = {agency_id: 0 for agency_id in AGENCIES}
    for c in CASES:
        counts[c.agency] += 1
    counts["montrouge"] = counts["gennevilliers"] = len(NO_WALK_IN_INSTANTS)
    assert set(counts) == {"chatenay-malabry", "gennevilliers", "montrouge", "nanterre", G}
    assert min(counts.values()) >= 15, counts


@pytest.mark.parametrize(
    ("agency_id", "expected"),
    [
        # Fridays: no walk-in anywhere, « Tous les matins de 9h à 12h30 sauf le vendredi » (Châtenay),
        # « Tous les après-midis de 12h30 à 16h sauf le vendredi » (Nanterre); none at all at
        # Gennevilliers and Montrouge (000, p.5). Gennevilliers' CSU by phone does run on Fridays.
        ("chatenay-malabry", ()),
        ("nanterre", ()),
        ("gennevilliers", ()),
        ("montrouge", ()),
        (G, GENNEVILLIERS_DAY),
    ],
)
def test_friday_ranges(agency_id: str, expected: tuple[tuple[time, time], ...]) -> None:
    agency = AGENCIES[agency_id]
    friday = date(2026, 11, 27)
    if agency.walk_in is not None:
        assert open_ranges(agency.walk_in, agency.closures, friday) == expected
    status = walk_in_status(agency, datetime.combine(friday, time(10, 30), PARIS))
    assert status.today == expected
    assert status.is_open is bool(expected)


# -- Montrouge and Gennevilliers: no walk-in reception at all (000, p.5, DOMAIN.md) -------------

NO_WALK_IN_INSTANTS = [
    at(2026, 11, 23, 0, 0),
    at(2026, 11, 23, 8, 59),
    at(2026, 11, 23, 9, 0),
    at(2026, 11, 23, 12, 29),
    at(2026, 11, 23, 12, 30),
    at(2026, 11, 23, 15, 59),
    at(2026, 11, 23, 16, 0),
    at(2026, 11, 25, 10, 0),
    at(2026, 11, 27, 10, 0),
    at(2026, 11, 28, 10, 0),
    at(2026, 11, 11, 10, 0),
    at(2026, 12, 25, 10, 0),
    at(2027, 1, 1, 10, 0),
    at(2027, 3, 28, 12, 0),
    at(2027, 3, 29, 10, 0),
    at(2027, 5, 6, 10, 0),
    at(2027, 5, 17, 10, 0),
    at(2026, 10, 25, 12, 0),
]


@pytest.mark.parametrize("agency_id", ["montrouge", "gennevilliers"])
@pytest.mark.parametrize("instant", NO_WALK_IN_INSTANTS, ids=lambda d: d.strftime("%Y%m%d-%H%M"))
def test_montrouge_and_gennevilliers_have_no_walk_in(agency_id: str, instant: datetime) -> None:
    assert AGENCIES[agency_id].walk_in is None
    status = walk_in_status(AGENCIES[agency_id], instant)
    assert status.has_walk_in is False
    assert status.is_open is False
    assert status.closes_at is None
    assert status.next_opening is None
    assert status.today == ()
    assert status.holiday is is_public_holiday(instant.date())
    assert describe(status) == "pas d'accueil sans rendez-vous"


# -- public holidays ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 11), True),  # Armistice
        (date(2026, 12, 25), True),  # Christmas
        (date(2027, 1, 1), True),
        (date(2027, 3, 29), True),  # Easter Monday
        (date(2027, 5, 1), True),
        (date(2027, 5, 6), True),  # Ascension
        (date(2027, 5, 8), True),  # Victoire 1945
        (date(2027, 5, 17), True),  # Whit Monday
        (date(2027, 7, 14), True),
        (date(2027, 8, 15), True),
        (date(2027, 11, 1), True),
        (date(2026, 12, 24), False),
        (date(2026, 12, 26), False),  # Saint-Étienne is only a holiday in Alsace-Moselle
        (date(2027, 3, 28), False),  # Easter Sunday is not a weekday holiday
        (date(2026, 11, 23), False),
    ],
    ids=lambda v: v.isoformat() if isinstance(v, date) else str(v),
)
def test_is_public_holiday(day: date, expected: bool) -> None:
    assert is_public_holiday(day) is expected


def test_holiday_today_has_no_ranges() -> None:
    agency = AGENCIES["chatenay-malabry"]
    assert agency.walk_in is not None
    assert open_ranges(agency.walk_in, (), date(2026, 11, 11)) == ()  # a Wednesday
    assert open_ranges(agency.walk_in, (), date(2026, 11, 12)) == CHATENAY_AM


# -- daylight-saving changes -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("agency_id", "instant", "expected"),
    [
        # Sunday 28 March 2027, summer time starts at 02:00 (→ 03:00). Monday 29 is Easter
        # Monday, so the next opening is Tuesday 30, at UTC+2.
        ("chatenay-malabry", at(2027, 3, 28, 12, 0), at(2027, 3, 30, 9, 0)),
        (G, at(2027, 3, 28, 12, 0), at(2027, 3, 31, 9, 0)),
        ("nanterre", at(2027, 3, 28, 12, 0), at(2027, 3, 30, 12, 30)),
        # Sunday 25 October 2026, winter time is back at 03:00 (→ 02:00): Monday at UTC+1.
        ("chatenay-malabry", at(2026, 10, 25, 12, 0), at(2026, 10, 26, 9, 0)),
        (G, at(2026, 10, 25, 12, 0), at(2026, 10, 26, 9, 0)),
        ("nanterre", at(2026, 10, 25, 12, 0), at(2026, 10, 26, 12, 30)),
        # The last Saturday of summer time, evening: the Monday opening is in winter time.
        ("nanterre", at(2026, 10, 24, 20, 0), at(2026, 10, 26, 12, 30)),
    ],
    ids=["spring-chatenay", "spring-gennevilliers", "spring-nanterre", "autumn-chatenay",
         "autumn-gennevilliers", "autumn-nanterre", "autumn-saturday-nanterre"],
)
def test_next_opening_across_dst(agency_id: str, instant: datetime, expected: datetime) -> None:
    status = walk_in_status(AGENCIES[agency_id], instant)
    assert status.is_open is False
    assert_same_local(status.next_opening, expected)
    assert status.next_opening is not None
    assert status.next_opening.utcoffset() == (SUMMER if expected.month == 3 else WINTER)


@pytest.mark.parametrize(
    ("utc_instant", "local", "offset", "next_opening"),
    [
        # Spring: 01:00 UTC is 03:00 CEST, the first instant of summer time; one minute before
        # it is 01:59 CET.
        (datetime(2027, 3, 28, 0, 59, tzinfo=UTC), datetime(2027, 3, 28, 1, 59), WINTER,
         at(2027, 3, 30, 9, 0)),
        (datetime(2027, 3, 28, 1, 0, tzinfo=UTC), datetime(2027, 3, 28, 3, 0), SUMMER,
         at(2027, 3, 30, 9, 0)),
        (datetime(2027, 3, 28, 1, 1, tzinfo=UTC), datetime(2027, 3, 28, 3, 1), SUMMER,
         at(2027, 3, 30, 9, 0)),
        # Autumn: 01:00 UTC is the second 02:00 of the night, in CET.
        (datetime(2026, 10, 25, 0, 59, tzinfo=UTC), datetime(2026, 10, 25, 2, 59), SUMMER,
         at(2026, 10, 26, 9, 0)),
        (datetime(2026, 10, 25, 1, 0, tzinfo=UTC), datetime(2026, 10, 25, 2, 0), WINTER,
         at(2026, 10, 26, 9, 0)),
        (datetime(2026, 10, 25, 1, 1, tzinfo=UTC), datetime(2026, 10, 25, 2, 1), WINTER,
         at(2026, 10, 26, 9, 0)),
    ],
    ids=["spring-before", "spring-change", "spring-after", "autumn-before", "autumn-change",
         "autumn-after"],
)
def test_instants_around_the_change(
    utc_instant: datetime, local: datetime, offset: timedelta, next_opening: datetime
) -> None:
    status = walk_in_status(AGENCIES["chatenay-malabry"], utc_instant)
    # Same instant. (Not ``==``: Python says an ambiguous local time with fold=1 is never equal
    # to an instant of another timezone, PEP 495.)
    assert status.at.timestamp() == utc_instant.timestamp()
    assert status.at.tzinfo == PARIS
    assert status.at.replace(tzinfo=None) == local
    assert status.at.utcoffset() == offset
    assert status.is_open is False
    assert status.today == ()
    assert_same_local(status.next_opening, next_opening)
    expected_day = "demain" if local.month == 10 else "mardi 30 mars"
    assert describe(status) == f"fermé — ouvre {expected_day} à 09:00"


def test_open_ranges_on_dst_sundays_keep_wall_clock_times() -> None:
    for sunday in (date(2027, 3, 28), date(2026, 10, 25)):
        assert open_ranges("Su 09:00-12:00", (), sunday) == spans("09:00-12:00")
        assert open_ranges("Su 08:00-20:00", (), sunday) == spans("08:00-20:00")


# -- instants given in another timezone --------------------------------------------------------


@pytest.mark.parametrize(
    ("agency_id", "utc_instant", "is_open", "text"),
    [
        # 11:30 UTC = 12:30 in Paris in winter: Nanterre has just opened, Châtenay just closed.
        ("nanterre", datetime(2026, 11, 23, 11, 30, tzinfo=UTC), True, "ouvert, ferme à 16:00"),
        ("nanterre", datetime(2026, 11, 23, 11, 29, tzinfo=UTC), False,
         "fermé — ouvre aujourd'hui à 12:30"),
        ("chatenay-malabry", datetime(2026, 11, 23, 11, 30, tzinfo=UTC), False,
         "fermé — ouvre demain à 09:00"),
        # 10:30 UTC = 12:30 in Paris in summer.
        ("nanterre", datetime(2027, 6, 14, 10, 30, tzinfo=UTC), True, "ouvert, ferme à 16:00"),
        ("chatenay-malabry", datetime(2027, 6, 14, 10, 29, tzinfo=UTC), True,
         "ouvert, ferme à 12:30"),
        # 23:30 UTC on Sunday 29 November = 00:30 on Monday 30 in Paris.
        ("chatenay-malabry", datetime(2026, 11, 29, 23, 30, tzinfo=UTC), False,
         "fermé — ouvre aujourd'hui à 09:00"),
    ],
    ids=["nanterre-winter-open", "nanterre-winter-closed", "chatenay-winter-closed",
         "nanterre-summer-open", "chatenay-summer-open", "chatenay-day-change"],
)
def test_utc_input_is_read_in_paris(
    agency_id: str, utc_instant: datetime, is_open: bool, text: str
) -> None:
    status = walk_in_status(AGENCIES[agency_id], utc_instant)
    assert status.at.tzinfo == PARIS
    assert status.at == utc_instant
    assert status.is_open is is_open
    assert describe(status) == text
    for moment in (status.closes_at, status.next_opening):
        if moment is not None:
            assert moment.tzinfo == PARIS


def test_naive_input_is_read_as_paris_time() -> None:
    status = walk_in_status(AGENCIES["nanterre"], datetime(2026, 11, 23, 12, 30))
    assert status.at == at(2026, 11, 23, 12, 30)
    assert status.is_open is True


# -- exceptional closures ----------------------------------------------------------------------


def closed(agency_id: str, *closures: Closure) -> Agency:
    return dataclasses.replace(AGENCIES[agency_id], closures=closures)


SEMINAR = Closure(date(2026, 11, 24), date(2026, 11, 24), "séminaire")
WORKS = Closure(date(2026, 11, 24), date(2026, 11, 26), "travaux")
WINTER_BREAK = Closure(date(2026, 12, 21), date(2027, 1, 5), "inventaire de fin d'année")


@pytest.mark.parametrize(
    ("agency", "instant", "expected"),
    [
        # Single day: the day before, the next opening skips Tuesday.
        (closed(N, SEMINAR), at(2026, 11, 23, 16, 0), "2026-11-25T12:30"),
        (closed(N, SEMINAR), at(2026, 11, 24, 13, 0), "2026-11-25T12:30"),
        # Multi-day range Tue-Thu: Friday is closed anyway, so Monday 30.
        (closed(N, WORKS), at(2026, 11, 23, 16, 0), "2026-11-30T12:30"),
        (closed(N, WORKS), at(2026, 11, 25, 13, 0), "2026-11-30T12:30"),
        (closed(C, WORKS), at(2026, 11, 23, 12, 30), "2026-11-30T09:00"),
        (closed(G, WORKS), at(2026, 11, 23, 16, 0), "2026-11-27T09:00"),
        # A range across the new year, with public holidays inside it.
        (closed(C, WINTER_BREAK), at(2026, 12, 17, 12, 30), "2027-01-06T09:00"),
        (closed(G, WINTER_BREAK), at(2026, 12, 30, 10, 0), "2027-01-06T09:00"),
    ],
    ids=["seminar-eve", "seminar-day", "works-eve", "works-during", "works-chatenay",
         "works-gennevilliers", "winter-break-eve", "winter-break-during"],
)
def test_next_opening_skips_closures(agency: Agency, instant: datetime, expected: str) -> None:
    status = walk_in_status(agency, instant)
    assert status.is_open is False
    assert status.next_opening is not None
    assert status.next_opening.replace(tzinfo=None).isoformat(timespec="minutes") == expected
    assert status.next_opening.tzinfo == PARIS


def test_closure_day_is_closed_with_its_reason() -> None:
    status = walk_in_status(closed(N, WORKS), at(2026, 11, 25, 13, 0))  # Wednesday, usually open
    assert status.is_open is False
    assert status.closure == WORKS
    assert status.today == ()
    assert status.holiday is False
    assert describe(status) == (
        "fermé (fermeture exceptionnelle : travaux) — ouvre lundi 30 novembre à 12:30"
    )


def test_closure_reason_wins_over_holiday() -> None:
    status = walk_in_status(closed(C, WINTER_BREAK), at(2027, 1, 1, 10, 0))
    assert status.holiday is True
    assert status.closure == WINTER_BREAK
    assert describe(status) == (
        "fermé (fermeture exceptionnelle : inventaire de fin d'année) — ouvre mercredi 6 janvier"
        " à 09:00"
    )


def test_days_outside_a_closure_are_unchanged() -> None:
    agency = closed(N, WORKS)
    before = walk_in_status(agency, at(2026, 11, 23, 13, 0))
    assert before.is_open is True
    assert before.closure is None
    assert_same_local(before.closes_at, at(2026, 11, 23, 16, 0))
    assert describe(before) == "ouvert, ferme à 16:00"
    after = walk_in_status(agency, at(2026, 11, 30, 12, 30))
    assert after.is_open is True
    assert after.today == NANTERRE_PM
    assert open_ranges(agency.walk_in or "", agency.closures, date(2026, 11, 26)) == ()
    assert open_ranges(agency.walk_in or "", agency.closures, date(2026, 11, 23)) == NANTERRE_PM


def test_closure_longer_than_the_horizon_has_no_next_opening() -> None:
    agency = closed(C, Closure(date(2026, 12, 1), date(2028, 1, 31), "démolition"))
    status = walk_in_status(agency, at(2026, 12, 2, 10, 0))
    assert status.next_opening is None
    assert describe(status) == "fermé (fermeture exceptionnelle : démolition) — pas de réouverture prévue"


def test_closes_at_ignores_a_comment_change() -> None:
    agency = Agency(
        id="x",
        name="X",
        address=None,
        walk_in='Mo-Th 09:00-12:00 "espace numérique", Mo-Th 12:00-16:00 "accueil général"',
    )
    status = walk_in_status(agency, at(2026, 11, 23, 10, 0))
    assert status.is_open is True
    assert_same_local(status.closes_at, at(2026, 11, 23, 16, 0))
    assert describe(status) == "ouvert, ferme à 16:00"


# -- adjacent ranges are one opening -----------------------------------------------------------

# Two rules (a change of comment) that meet at 12:00: the agency does not close at noon.
TWO_RULES = 'Mo-Th 09:00-12:00 "espace numérique", Mo-Th 12:00-16:00 "accueil général"'
THREE_RULES = 'Mo 09:00-12:00 "a", Mo 12:00-14:00 "b", Mo 14:00-16:00 "c", Mo 17:00-18:00'


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("Mo 09:00-12:00,12:00-16:00", spans("09:00-16:00")),
        ("Mo 09:00-12:00, Mo 12:00-16:00", spans("09:00-16:00")),
        (TWO_RULES, spans("09:00-16:00")),
        # A chain of three adjacent rules is one range; the gap before 17:00 still splits.
        (THREE_RULES, spans("09:00-16:00", "17:00-18:00")),
    ],
    ids=["comma", "two-selectors", "two-comments", "three-comments-then-gap"],
)
def test_adjacent_open_ranges_are_merged(
    expression: str, expected: tuple[tuple[time, time], ...]
) -> None:
    assert open_ranges(expression, (), date(2026, 11, 23)) == expected  # a Monday


@pytest.mark.parametrize("expression", ["Mo 09:00-12:00,12:00-16:00", TWO_RULES], ids=["comma", "two-comments"])
@pytest.mark.parametrize(
    "instant",
    [at(2026, 11, 23, 9, 0), at(2026, 11, 23, 11, 59), at(2026, 11, 23, 12, 0),
     at(2026, 11, 23, 15, 59)],
    ids=["09h00", "11h59", "12h00", "15h59"],
)
def test_adjacent_ranges_close_at_the_end_of_the_last(expression: str, instant: datetime) -> None:
    agency = Agency(id="x", name="X", address=None, walk_in=expression)
    status = walk_in_status(agency, instant)
    assert status.is_open is True
    assert status.today == spans("09:00-16:00")
    assert_same_local(status.closes_at, at(2026, 11, 23, 16, 0))
    assert describe(status) == "ouvert, ferme à 16:00"


def test_adjacent_ranges_read_as_one_in_the_week_summary() -> None:
    assert week_summary(TWO_RULES, (), date(2026, 11, 23)) == (
        "du lundi au jeudi 09:00–16:00"
    )
    assert fr.ranges(open_ranges(TWO_RULES, (), date(2026, 11, 26))) == "09:00–16:00"


# -- describe wording --------------------------------------------------------------------------


def status_of(agency_id: str, instant: datetime) -> WalkInStatus:
    return walk_in_status(AGENCIES[agency_id], instant)


@pytest.mark.parametrize(
    ("agency_id", "instant", "text"),
    [
        ("nanterre", at(2026, 11, 23, 13, 0), "ouvert, ferme à 16:00"),
        ("nanterre", at(2026, 11, 27, 14, 0), "fermé — ouvre lundi 30 novembre à 12:30"),
        ("nanterre", at(2026, 11, 23, 10, 0), "fermé — ouvre aujourd'hui à 12:30"),
        ("nanterre", at(2026, 11, 23, 17, 0), "fermé — ouvre demain à 12:30"),
        (G, at(2026, 11, 11, 10, 0),
         "fermé (jour férié) — ouvre vendredi 13 novembre à 09:00"),
        ("montrouge", at(2026, 11, 23, 10, 0), "pas d'accueil sans rendez-vous"),
    ],
    ids=["open", "closed-weekday-name", "aujourdhui", "demain", "jour-ferie", "no-walk-in"],
)
def test_describe_wording(agency_id: str, instant: datetime, text: str) -> None:
    assert describe(status_of(agency_id, instant)) == text


def test_describe_without_closes_at_says_open() -> None:
    status = dataclasses.replace(status_of("nanterre", at(2026, 11, 23, 13, 0)), closes_at=None)
    assert describe(status) == "ouvert"


def test_describe_without_next_opening() -> None:
    status = dataclasses.replace(status_of("nanterre", at(2026, 11, 11, 14, 0)), next_opening=None)
    assert describe(status) == "fermé (jour férié) — pas de réouverture prévue"


# -- French formatting helpers -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "year", "expected"),
    [
        (datetime(2026, 12, 1, 10, 0, tzinfo=PARIS), False, "mardi 1 décembre, 10:00"),
        (datetime(2026, 12, 1, 10, 0, tzinfo=PARIS), True, "mardi 1 décembre 2026, 10:00"),
        (datetime(2026, 11, 30, 12, 30), False, "lundi 30 novembre, 12:30"),
        (datetime(2027, 8, 15, 9, 5), False, "dimanche 15 août, 09:05"),
        (datetime(2027, 2, 6, 0, 0), False, "samedi 6 février, 00:00"),
    ],
    ids=["mardi", "with-year", "lundi", "aout", "fevrier-midnight"],
)
def test_day_time(moment: datetime, year: bool, expected: str) -> None:
    assert fr.day_time(moment, year=year) == expected


def test_day_hhmm_relative_day_and_ranges() -> None:
    assert fr.day(date(2026, 11, 27)) == "vendredi 27 novembre"
    assert fr.day(date(2027, 1, 1), year=True) == "vendredi 1 janvier 2027"
    assert fr.hhmm(time(9, 0)) == "09:00"
    assert fr.hhmm(datetime(2026, 11, 23, 16, 5)) == "16:05"
    today = date(2026, 11, 27)
    assert fr.relative_day(today, today) == "aujourd'hui"
    assert fr.relative_day(date(2026, 11, 28), today) == "demain"
    assert fr.relative_day(date(2026, 11, 30), today) == "lundi 30 novembre"
    assert fr.relative_day(date(2026, 11, 26), today) == "jeudi 26 novembre"
    assert fr.ranges(GENNEVILLIERS_DAY) == "09:00–12:00, 13:00–16:00"
    assert fr.ranges([]) == "fermé"
    assert [fr.DAYS[date(2026, 11, 23 + i).weekday()] for i in range(7)] == [
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    ]

"""Why nothing can be offered: "offered nowhere", "closed those days", "all taken" told apart
(domain/offer.py), and the walk-in overview when no reception is open (domain/hours.py).

The shipped table (000, p.5, read as in DOMAIN.md) and variants of it: a kind/channel offered by no
agency at all is made by dropping its schedules from a copy of the shipped agencies.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

from guichet.catalog import load_agencies, resolve
from guichet.domain.clock import PARIS
from guichet.domain.hours import usual_week, walk_in_overview, walk_in_status
from guichet.domain.models import Agency, Channel, Closure, Kind
from guichet.domain.offer import days_offered, empty_reason, not_offered
from guichet.domain.slots import DayPart, SlotQuery, find_free

AGENCIES = load_agencies(resolve("agencies.toml", None))
BY_ID = {agency.id: agency for agency in AGENCIES}
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)  # Monday
TODAY = NOW.date()
GCA, CSU = Kind.GCA, Kind.CSU
AGENCE, TELEPHONE = Channel.AGENCE, Channel.TELEPHONE
GENNEVILLIERS_CSU_PHONE = "Gennevilliers (lundi, mercredi, vendredi 09:00–12:00, 13:00–16:00)"


def without(kind: Kind, channel: Channel | None = None) -> tuple[Agency, ...]:
    """The shipped agencies with no ``kind`` schedule on ``channel`` (on any channel when None)."""
    return tuple(dataclasses.replace(a, schedules=tuple(
        s for s in a.schedules if not (s.kind is kind and (channel is None or s.channel is channel))))
        for a in AGENCIES)


def no_seat_taken(*_args: object) -> dict[tuple[str, datetime], int]:
    return {}


# -- offered nowhere ------------------------------------------------------------------------------


def test_csu_by_phone_is_offered_at_gennevilliers_only() -> None:
    # 000, p.5, Gennevilliers « Lundi, mercredi, vendredi »: CSU appointments by phone (DOMAIN.md).
    assert not_offered(AGENCIES, CSU, TELEPHONE, None, TODAY) is None
    assert not_offered(AGENCIES, CSU, TELEPHONE, BY_ID["gennevilliers"], TODAY) is None
    assert not_offered(AGENCIES, CSU, TELEPHONE, BY_ID["nanterre"], TODAY) == (
        "Nanterre ne propose pas de rendez-vous conseiller (CSU) par téléphone. "
        f"Agences qui le proposent : {GENNEVILLIERS_CSU_PHONE}.")


def test_not_offered_in_an_agency_lists_every_agency_that_offers_it() -> None:
    # Montrouge « Mercredi et jeudi · Tous les jours »: no CSU at all.
    assert not_offered(AGENCIES, CSU, AGENCE, BY_ID["montrouge"], TODAY) == (
        "Montrouge ne propose pas de rendez-vous conseiller (CSU) en agence. Agences qui le proposent : "
        "Châtenay-Malabry (du lundi au vendredi 09:00–12:00, 13:00–16:00) ; "
        "Gennevilliers (mardi, jeudi 09:00–12:00, 13:00–16:00).")


def test_offered_by_no_agency_on_this_channel_says_where_the_other_channel_is() -> None:
    agencies = without(CSU, TELEPHONE)
    assert not_offered(agencies, CSU, TELEPHONE, None, TODAY) == (
        "Aucune agence ne propose de rendez-vous conseiller (CSU) par téléphone. "
        "En revanche, rendez-vous conseiller (CSU) en agence : "
        "Châtenay-Malabry (du lundi au vendredi 09:00–12:00, 13:00–16:00) ; "
        "Gennevilliers (mardi, jeudi 09:00–12:00, 13:00–16:00).")
    assert find_free(agencies, SlotQuery(CSU, TELEPHONE), NOW, no_seat_taken) == []  # why: not_offered


def test_offered_by_no_agency_on_any_channel() -> None:
    assert not_offered(without(CSU), CSU, AGENCE, None, TODAY) == (
        "Aucune agence ne propose de rendez-vous conseiller (CSU) en agence.")


def test_usual_days_set_public_holidays_aside() -> None:
    # The week of Christmas (Friday 25 December 2026) still reads Monday, Wednesday, Friday.
    schedule = BY_ID["gennevilliers"].schedule(CSU, TELEPHONE)
    assert schedule is not None
    christmas_week = date(2026, 12, 21)
    assert usual_week(schedule.opening_hours, christmas_week) == "lundi, mercredi, vendredi 09:00–12:00, 13:00–16:00"
    assert days_offered(AGENCIES, CSU, TELEPHONE, date(2026, 12, 21)) == GENNEVILLIERS_CSU_PHONE
    assert days_offered(AGENCIES, GCA, AGENCE, TODAY).startswith("Châtenay-Malabry (mardi 09:00–12:00, 13:00–16:00) ; ")


# -- closed those days, or all taken --------------------------------------------------------------


def test_closed_that_day_is_not_all_taken() -> None:
    # Nanterre « Lundi matin et jeudi matin »: nothing on a Tuesday, nor in the afternoon.
    nanterre = BY_ID["nanterre"]
    tuesday = date(2026, 11, 24)
    query = SlotQuery(GCA, AGENCE, tuesday, tuesday)
    assert empty_reason(AGENCIES, query, NOW, nanterre) == (
        "Pas de rendez-vous gestionnaire-conseil (GCA) en agence à Nanterre le mardi 24 novembre "
        "(pas de rendez-vous ces jours-là). Jours habituels : Nanterre (lundi, jeudi 09:00–12:00).")
    afternoon = SlotQuery(GCA, AGENCE, part=DayPart.APRES_MIDI)
    assert empty_reason(AGENCIES, afternoon, NOW, nanterre) == (
        "Pas de rendez-vous gestionnaire-conseil (GCA) en agence à Nanterre l'après-midi dans l'horizon de "
        "réservation (pas de rendez-vous ces jours-là). Jours habituels : Nanterre (lundi, jeudi 09:00–12:00).")
    tuesday_afternoon = SlotQuery(GCA, AGENCE, tuesday, tuesday, DayPart.APRES_MIDI)
    assert empty_reason(AGENCIES, tuesday_afternoon, NOW, nanterre).startswith(
        "Pas de rendez-vous gestionnaire-conseil (GCA) en agence à Nanterre le mardi 24 novembre l'après-midi (")


def test_a_public_holiday_and_a_closure_are_named() -> None:
    christmas = date(2026, 12, 25)
    assert empty_reason(AGENCIES, SlotQuery(CSU, TELEPHONE, christmas, christmas), NOW, None) == (
        "Pas de rendez-vous conseiller (CSU) par téléphone le vendredi 25 décembre (jour férié). "
        f"Jours habituels : {GENNEVILLIERS_CSU_PHONE}.")
    friday = date(2026, 11, 27)
    closed = dataclasses.replace(BY_ID["gennevilliers"], closures=(Closure(friday, friday, "inventaire"),))
    assert empty_reason(AGENCIES, SlotQuery(CSU, TELEPHONE, friday, friday), NOW, closed).startswith(
        "Pas de rendez-vous conseiller (CSU) par téléphone à Gennevilliers le vendredi 27 novembre "
        "(fermeture exceptionnelle : inventaire).")


def test_all_taken_when_slots_exist_but_none_is_free() -> None:
    wednesday = date(2026, 11, 25)
    query = SlotQuery(CSU, TELEPHONE, wednesday, wednesday)
    every_seat = {(s.agency_id, s.start): s.desks
                  for s in find_free(AGENCIES, query, NOW, no_seat_taken, limit=100)}
    assert len(every_seat) == 12  # 09:00-12:00 and 13:00-16:00 in half-hours
    assert find_free(AGENCIES, query, NOW, lambda *_: every_seat, limit=100) == []
    assert empty_reason(AGENCIES, query, NOW, None) == (
        "Aucun créneau libre de rendez-vous conseiller (CSU) par téléphone le mercredi 25 novembre : "
        "tous les créneaux sont pris.")


def test_outside_the_booking_window() -> None:
    far = TODAY + timedelta(weeks=20)
    assert empty_reason(AGENCIES, SlotQuery(GCA, TELEPHONE, far, far), NOW, None) == (
        "Pas de rendez-vous gestionnaire-conseil (GCA) par téléphone à proposer : la période demandée est "
        "passée ou au-delà de l'horizon de réservation (jusqu'au lundi 15 février 2027).")


# -- walk-in overview ----------------------------------------------------------------------------


def statuses(at: datetime, agencies: tuple[Agency, ...] = AGENCIES) -> list:  # type: ignore[type-arg]
    return [walk_in_status(a, at) for a in agencies]


def test_friday_no_agency_has_a_walk_in() -> None:
    # « Tous les matins de 9h à 12h30 sauf le vendredi », « Tous les après-midis de 12h30 à 16h sauf le
    # vendredi », and Gennevilliers' « Lundi, mercredi, vendredi » are CSU appointments by phone.
    assert walk_in_overview(statuses(datetime(2026, 11, 27, 10, 0, tzinfo=PARIS))) == [
        "Aucune agence n'a d'accueil sans rendez-vous le vendredi.",
        "Accueil sans rendez-vous : Châtenay-Malabry (du lundi au jeudi 09:00–12:30) ; "
        "Nanterre (du lundi au jeudi 12:30–16:00).",
        "Prochaine ouverture : Châtenay-Malabry, lundi 30 novembre à 09:00.",
    ]


def test_closed_hours_of_a_weekday_give_the_next_opening_only() -> None:
    # Monday 12:30: Châtenay has just closed, Nanterre opens now: one is open, nothing to add.
    assert walk_in_overview(statuses(datetime(2026, 11, 23, 12, 30, tzinfo=PARIS))) == []
    # Monday 17:00: both closed, but Monday is a walk-in day: no "aucune agence le lundi".
    assert walk_in_overview(statuses(datetime(2026, 11, 23, 17, 0, tzinfo=PARIS)))[1:] == [
        "Prochaine ouverture : Châtenay-Malabry, demain à 09:00."]
    # A public holiday on a Wednesday (11 November) is not "no walk-in on Wednesdays".
    assert walk_in_overview(statuses(datetime(2026, 11, 11, 10, 0, tzinfo=PARIS)))[0].startswith(
        "Accueil sans rendez-vous : ")


def test_no_walk_in_anywhere() -> None:
    agencies = tuple(dataclasses.replace(a, walk_in=None) for a in AGENCIES)
    assert walk_in_overview(statuses(NOW, agencies)) == ["Aucune agence n'a d'accueil sans rendez-vous."]

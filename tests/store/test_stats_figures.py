"""Every figure of the agency's statistics on a database built with known counts (issue 17), through the
services, on SQLite and PostgreSQL: the reception log, the appointments, the handoffs; one agency and all;
the period's edges (Paris days, a week across the change of hour).

Issue 17, « Done means »: « Tests … for every statistic on a database built with known counts (exact values
asserted) ». The figures are those of 000_fb1f5dfc0eaffb6c.txt (« environ 70 allocataires accueillis par
demi-journée … », appointments « non honorés »); what each counts is ``domain.stats.DEFINITIONS``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

import pytest

from guichet.domain.clock import PARIS, FixedClock, utc
from guichet.domain.handoff import HandoffDraft, HandoffStatus
from guichet.domain.models import Channel, Kind, LifeEvent, Status
from guichet.domain.orientation import Emergency
from guichet.domain.passage import Half, Outcome, PassageChannel
from guichet.domain.stats import Count, HalfDay, Period, PeriodKind, noshow_rate
from guichet.errors import InvalidInput
from guichet.services import Services
from guichet.services.appointments import BookingRequest
from guichet.services.passages import Passages

NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30), PeriodKind.MOIS)
SSD = "Service social du Département"  # the Département's reception a card sends to (domain.orientation)


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=PARIS)


def book(services: Services, agency: str, channel: Channel, start: datetime) -> int:
    return services.appointments.book(BookingRequest(
        agency_id=agency, kind=Kind.GCA, channel=channel, start=start, name="Awa Diallo",
        file_number="1234567", phone="0612345678")).id


def handoff(services: Services, **changes: object) -> int:
    base = HandoffDraft(name="Awa Diallo", life_event=LifeEvent.SEPARATION, motifs="Demande d'accompagnement",
                        comment="Séparation récente.", benefits=("ASF",), file_number="1234567",
                        phone="0612345678", event_date=date(2026, 6, 1), consent=True)
    return services.handoffs.create(replace(base, **changes)).id  # type: ignore[arg-type]


def counter(services: Services, agency: str, workstation: str) -> None:
    """This workstation's settings: the passages opened from now on are this agency's."""
    services.settings = replace(services.settings, agency=agency, workstation=workstation)


@dataclass
class Built:
    handoffs: dict[str, int]


def build(services: Services, clock: FixedClock) -> Built:
    """A November at Nanterre (and a little of Montrouge), chronologically: what the counters did."""
    svc = services.catalog.service
    log = services.passages
    counter(services, "nanterre", "guichet-1")
    # Monday 23 November, 10:00: the appointments of the week, booked at once.
    tel, on_site = Channel.TELEPHONE, Channel.AGENCE
    a1, a2, a3 = (book(services, "nanterre", tel, at(23, h, m)) for h, m in ((11, 0), (11, 30), (13, 0)))
    a4, a5 = book(services, "nanterre", tel, at(24, 9)), book(services, "nanterre", tel, at(24, 9, 30))
    book(services, "nanterre", tel, at(25, 9))  # stays booked
    a7, a8 = book(services, "nanterre", on_site, at(26, 9)), book(services, "nanterre", on_site, at(26, 10))
    services.appointments.reschedule(a8, at(30, 9))  # a8 moved, its successor booked on Monday 30
    book(services, "nanterre", tel, at(1, 9, month=12))  # December: out of the period
    m1 = book(services, "montrouge", tel, at(23, 14))
    m2 = book(services, "montrouge", on_site, at(25, 9))

    def consult(service_id: str) -> None:
        service = svc(service_id)
        assert service is not None, service_id
        log.consulted(service, services.advise(service))

    # P1, 10:00-10:04 at the counter: a complaint, informed.
    consult("reclamation")
    clock.set(at(23, 10, 4))
    log.close()
    # P2, 10:05-10:10 on the phone: Bafa (self-service), then the CPAM's card: sent to a partner.
    clock.set(at(23, 10, 5))
    assert log.toggle_channel() is PassageChannel.TELEPHONE
    consult("aide-bafa")
    clock.set(at(23, 10, 7))
    consult("cpam")
    clock.set(at(23, 10, 10))
    log.close()
    log.toggle_channel()
    # P3, 10:12: a quick question. P4, 10:15-10:25: an appointment booked.
    clock.set(at(23, 10, 12))
    log.quick_question()
    clock.set(at(23, 10, 15))
    consult("allocations-familiales")
    log.record(Outcome.APPOINTMENT, a1)
    clock.set(at(23, 10, 25))
    log.close()
    # P5, 10:30-10:33, then nothing: closed for idleness at its last action (3 minutes).
    clock.set(at(23, 10, 30))
    consult("aides-financieres-individuelles")
    clock.set(at(23, 10, 33))
    consult("aides-financieres-individuelles")
    clock.set(at(23, 10, 50))
    assert log.close_if_idle()
    clock.set(at(23, 11, 5))
    services.appointments.set_status(a1, Status.SEEN)
    clock.set(at(23, 11, 45))
    services.appointments.set_status(a2, Status.NOSHOW)
    clock.set(at(23, 13, 5))
    services.appointments.set_status(a3, Status.SEEN)
    # P6, 14:00-14:20: a handoff, URGENCE DEFINIE (RSA interrupted), transmitted at once.
    clock.set(at(23, 14, 0))
    consult("separation-divorce")
    h1 = handoff(services, benefits=("RSA",), sharp_drop=True)
    services.handoffs.set_status(h1, HandoffStatus.TRANSMISE)  # due 3 December
    log.record(Outcome.HANDOFF, h1)
    log.record(Outcome.URGENCE_DEFINIE)
    clock.set(at(23, 14, 20))
    log.close()
    clock.set(at(23, 14, 25))
    services.appointments.set_status(m1, Status.SEEN)
    # P7, 14:30: a quick question on the phone.
    clock.set(at(23, 14, 30))
    log.toggle_channel()
    log.quick_question()
    log.toggle_channel()
    log.flush()
    # Tuesday 24: two cancellations; P9 (self-service, 2 min), P10 (a social emergency, 10 min).
    clock.set(at(24, 9, 0))
    services.appointments.set_status(a4, Status.EXCUSED)
    services.appointments.set_status(a5, Status.REVOKED)
    consult("aide-bafa")
    clock.set(at(24, 9, 2))
    log.close()
    clock.set(at(24, 9, 10))
    log.record(Outcome.SOCIAL_EMERGENCY, Emergency.ALIMENTAIRE.value)
    consult("aide-alimentaire")
    h2 = handoff(services, emergency=Emergency.ALIMENTAIRE)  # to the Département's emergency reception
    clock.set(at(24, 9, 20))
    log.close()
    log.flush()
    # Wednesday 25 at Montrouge: a quick question, the CPAM's card (1 min); a handoff transmitted (due 5 Dec).
    clock.set(at(25, 9, 5))
    services.appointments.set_status(m2, Status.SEEN)
    counter(services, "montrouge", "poste-m")
    clock.set(at(25, 9, 30))
    log.quick_question()
    clock.set(at(25, 9, 40))
    consult("cpam")
    clock.set(at(25, 9, 41))
    log.close()
    log.flush()
    h6 = handoff(services)
    services.handoffs.set_status(h6, HandoffStatus.TRANSMISE)
    counter(services, "nanterre", "guichet-1")
    # Nanterre, Wednesday 25: a refusal; Thursday 26: an absence, a handoff taken up.
    clock.set(at(25, 10, 0))
    h3 = handoff(services, consent=False, life_event=LifeEvent.VIOLENCES)
    clock.set(at(26, 9, 30))
    services.appointments.set_status(a7, Status.NOSHOW)
    clock.set(at(26, 10, 0))
    h4 = handoff(services, already_followed=True, referent="Mme Roy", life_event=LifeEvent.DECES_CONJOINT,
                 event_date=date(2026, 10, 1))
    services.handoffs.set_status(h4, HandoffStatus.TRANSMISE)
    services.handoffs.set_status(h4, HandoffStatus.PRISE_EN_CHARGE)
    # The period's last minute: a quick question, and a person at a second counter still there (open).
    clock.set(at(30, 23, 59))
    log.quick_question()
    h7 = handoff(services, partner="CIDFF")
    second = Passages(services.context)
    consult_there = svc("reclamation")
    assert consult_there is not None
    second.consulted(consult_there, services.advise(consult_there))
    # 1 December, 00:00: the next day, out of November.
    clock.set(at(1, 0, 0, month=12))
    log.quick_question()
    h5 = handoff(services)
    log.flush()
    second.flush()
    clock.set(at(4, 10, 0, month=12))  # Friday 4 December: h1 (due 3 December) is one day late
    return Built({"h1": h1, "h2": h2, "h3": h3, "h4": h4, "h5": h5, "h6": h6, "h7": h7})


def counts(items: Iterable[Count]) -> list[tuple[str, int]]:
    return [(c.code, c.count) for c in items]


def test_every_figure_of_one_agency_and_of_all(services: Services, clock: FixedClock) -> None:
    built = build(services, clock)
    nanterre = services.stats.compute("nanterre", NOVEMBER)
    assert (nanterre.agency, nanterre.agency_label, nanterre.period) == ("nanterre", "Nanterre", NOVEMBER)
    assert nanterre.computed_at == at(4, 10, 0, month=12)

    p = nanterre.passages
    assert p.total == 11  # P1-P7 but P8 (none), P9, P10, the 23:59 question, the one still open
    assert p.by_channel == {PassageChannel.GUICHET: 9, PassageChannel.TELEPHONE: 2}
    assert p.half_days == (
        HalfDay(date(2026, 11, 23), Half.MATIN, guichet=4, telephone=1),
        HalfDay(date(2026, 11, 23), Half.APRES_MIDI, guichet=1, telephone=1),
        HalfDay(date(2026, 11, 24), Half.MATIN, guichet=2, telephone=0),
        HalfDay(date(2026, 11, 30), Half.APRES_MIDI, guichet=2, telephone=0),
    )
    assert p.busiest == p.half_days[0] and p.per_half_day == 11 / 4
    assert p.still_open == 1
    # Closed ones: 240, 300, 600, 180 (idle: ended at 10:33), 1200, 120, 600 s; quick questions are not timed.
    assert (p.median_seconds, p.timed) == (300, 7)
    assert counts(p.outcomes) == [
        ("renseigne", 1), ("libre_service", 1), ("rendez_vous", 1), ("relais", 1), ("partenaire:CPAM", 1),
        (f"departement:{SSD}", 2), ("urgence_definie", 1), ("urgence_sociale:alimentaire", 1),
        ("question_rapide", 3),
    ]
    labels = {c.code: c.label for c in p.outcomes}
    assert labels["partenaire:CPAM"] == "orienté vers un partenaire : CPAM"
    assert labels["urgence_sociale:alimentaire"] == f"urgence sociale qualifiée : {Emergency.ALIMENTAIRE.label}"
    assert counts(p.top_services) == [
        ("aide-bafa", 2), ("reclamation", 2), ("aide-alimentaire", 1), ("aides-financieres-individuelles", 1),
        ("allocations-familiales", 1), ("cpam", 1), ("separation-divorce", 1),
    ]
    assert all(c.label == services.catalog.service(c.code).title for c in p.top_services)  # type: ignore[union-attr]

    a = nanterre.appointments
    assert [(line.kind, line.channel, line.by_status) for line in a.lines] == [
        ("gca", "agence", {"noshow": 1, "moved": 1, "booked": 1}),
        ("gca", "telephone", {"seen": 2, "noshow": 1, "excused": 1, "revoked": 1, "booked": 1}),
    ]
    assert a.total == 9 and a.by_status == {"noshow": 2, "moved": 1, "booked": 2, "seen": 2, "excused": 1,
                                            "revoked": 1}
    assert a.noshow_rate == 0.5  # absents / (reçus + absents) = 2 / 4
    assert [line.noshow_rate for line in a.lines] == [1.0, 1 / 3]

    h = nanterre.handoffs
    assert (h.total, h.urgent) == (5, 1)  # h1, h2, h3, h4, h7 (h5: December; h6: Montrouge)
    assert counts(h.by_status) == [("a_transmettre", 2), ("prise_en_charge", 1), ("refusee", 1), ("transmise", 1)]
    assert counts(h.by_life_event) == [("separation", 3), ("deces_conjoint", 1), ("violences", 1)]
    assert counts(h.by_destination) == [("service_social_caf", 2), ("departement_urgence", 1), ("partenaire", 1),
                                        ("referent", 1)]
    assert h.overdue == (built.handoffs["h1"],)

    every = services.stats.compute(None, NOVEMBER)
    assert (every.agency, every.agency_label) == (None, "toutes les agences")
    p = every.passages
    assert p.total == 13 and p.by_channel == {PassageChannel.GUICHET: 11, PassageChannel.TELEPHONE: 2}
    assert [(x.day.day, x.half, x.total) for x in p.half_days] == [
        (23, Half.MATIN, 5), (23, Half.APRES_MIDI, 2), (24, Half.MATIN, 2), (25, Half.MATIN, 2),
        (30, Half.APRES_MIDI, 2)]
    assert p.per_half_day == 13 / 5 and p.still_open == 1
    assert (p.median_seconds, p.timed) == (270, 8)  # + Montrouge's 60 s: (240 + 300) / 2
    assert dict(counts(p.outcomes))["partenaire:CPAM"] == 2 and dict(counts(p.outcomes))["question_rapide"] == 4
    assert counts(p.top_services)[:3] == [("aide-bafa", 2), ("cpam", 2), ("reclamation", 2)]
    a = every.appointments
    assert [(line.channel, line.total, line.noshow_rate) for line in a.lines] == [("agence", 4, 0.5),
                                                                                 ("telephone", 7, 0.25)]
    assert (a.total, a.by_status["seen"], a.by_status["noshow"], a.noshow_rate) == (11, 4, 2, 2 / 6)
    h = every.handoffs
    assert (h.total, h.urgent, h.overdue) == (6, 1, (built.handoffs["h1"],))  # h6 is due 5 December: not late
    # Ties in alphabetical order, accents ignored: « À transmettre » before « Transmise ».
    assert counts(h.by_status) == [("a_transmettre", 2), ("transmise", 2), ("prise_en_charge", 1), ("refusee", 1)]

    montrouge = services.stats.compute("montrouge", NOVEMBER)
    assert (montrouge.passages.total, montrouge.passages.median_seconds) == (2, 60)
    assert counts(montrouge.passages.outcomes) == [("partenaire:CPAM", 1), ("question_rapide", 1)]
    assert (montrouge.appointments.total, montrouge.appointments.noshow_rate) == (2, 0.0)
    assert (montrouge.handoffs.total, montrouge.handoffs.overdue) == (1, ())


def test_the_period_ends_at_midnight_paris(services: Services, clock: FixedClock) -> None:
    """A passage at 23:59 on the last day is in, one at 00:00 the day after is out; so are the handoffs (stored
    in UTC: 1 December 00:00 in Paris is 30 November 23:00 UTC)."""
    built = build(services, clock)
    last_day = services.stats.compute("nanterre", Period(date(2026, 11, 30), date(2026, 11, 30)))
    assert last_day.passages.half_days == (HalfDay(date(2026, 11, 30), Half.APRES_MIDI, guichet=2),)
    assert last_day.handoffs.total == 1 and counts(last_day.handoffs.by_status) == [("a_transmettre", 1)]
    assert last_day.appointments.total == 1  # a8's successor, Monday 30 at 09:00
    next_day = services.stats.compute("nanterre", Period(date(2026, 12, 1), date(2026, 12, 1)))
    assert next_day.passages.total == 1 and next_day.passages.half_days[0].half is Half.MATIN
    assert next_day.handoffs.total == 1 and next_day.appointments.total == 1
    assert built.handoffs["h5"] > built.handoffs["h7"]


def test_a_week_across_the_change_of_hour(services: Services, clock: FixedClock) -> None:
    """Monday 19 to Sunday 25 October 2026, when Paris goes back from UTC+2 to UTC+1 (25 October, 03:00 → 02:00):
    the week holds 169 hours, from Monday 00:00 summer time to Monday 00:00 winter time."""
    week = Period.of(PeriodKind.SEMAINE, date(2026, 10, 21))
    assert (week.first, week.last) == (date(2026, 10, 19), date(2026, 10, 25))
    start, end = week.bounds()
    assert (utc(end) - utc(start)).total_seconds() == 169 * 3600  # real hours (Paris minus Paris is wall clock)
    counter(services, "nanterre", "guichet-1")
    clock.set(at(16, 10, month=10))
    inside = [book(services, "nanterre", Channel.TELEPHONE, at(19, 9, month=10)),
              book(services, "nanterre", Channel.TELEPHONE, at(23, 15, 30, month=10))]
    book(services, "nanterre", Channel.TELEPHONE, at(26, 9, month=10))  # the next Monday: out
    log = services.passages
    moments = [
        (datetime(2026, 10, 18, 23, 30, tzinfo=PARIS), False),  # Sunday before: out
        (datetime(2026, 10, 19, 0, 30, tzinfo=PARIS), True),  # 18 October 22:30 UTC: in
        (datetime(2026, 10, 25, 2, 30, tzinfo=PARIS), True),  # 02:30 summer time
        (datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=PARIS), True),  # 02:30 winter time, an hour later
        (datetime(2026, 10, 25, 23, 30, tzinfo=PARIS), True),  # 22:30 UTC
        (datetime(2026, 10, 26, 0, 30, tzinfo=PARIS), False),  # 25 October 23:30 UTC, but Monday in Paris: out
    ]
    logged = []
    for moment, _ in moments:
        clock.set(moment)
        log.quick_question()
        logged.append(handoff(services))
        services.handoffs.set_status(logged[-1], HandoffStatus.TRANSMISE)
    log.flush()
    clock.set(at(20, 10))  # every handoff is late now: the overdue ones name those of the week
    figures = services.stats.compute("nanterre", week)
    assert figures.passages.total == 4
    assert [(x.day.day, x.half, x.total) for x in figures.passages.half_days] == [
        (19, Half.MATIN, 1), (25, Half.MATIN, 2), (25, Half.APRES_MIDI, 1)]
    assert figures.handoffs.total == 4
    assert figures.appointments.total == len(inside) == 2
    assert figures.handoffs.overdue == tuple(i for i, (_, kept) in zip(logged, moments, strict=True) if kept)


def test_empty_figures_and_unknown_agency(services: Services) -> None:
    empty = services.stats.compute("gennevilliers", NOVEMBER)
    assert (empty.passages.total, empty.passages.half_days, empty.passages.median_seconds) == (0, (), None)
    assert (empty.passages.busiest, empty.passages.per_half_day, empty.appointments.noshow_rate) == (None, None, None)
    assert (empty.appointments.lines, empty.handoffs.total, empty.handoffs.overdue) == ((), 0, ())
    with pytest.raises(InvalidInput, match="Agence inconnue : « lyon »"):
        services.stats.compute("lyon", NOVEMBER)


def test_periods_from_the_clock_and_their_limits(services: Services) -> None:
    """The clock says Monday 23 November 2026 (tests/conftest.py)."""
    assert services.stats.period(PeriodKind.JOUR) == Period(date(2026, 11, 23), date(2026, 11, 23), PeriodKind.JOUR)
    assert services.stats.period(PeriodKind.SEMAINE).first == date(2026, 11, 23)
    assert services.stats.period(PeriodKind.SEMAINE).last == date(2026, 11, 29)
    assert services.stats.period(PeriodKind.MOIS) == NOVEMBER
    assert services.stats.period(PeriodKind.PLAGE, date(2026, 11, 2)).last == date(2026, 11, 23)
    with pytest.raises(InvalidInput, match="Période vide"):
        Period(date(2026, 11, 2), date(2026, 11, 1))
    with pytest.raises(InvalidInput, match="Période trop longue"):
        Period(date(2023, 1, 1), date(2026, 1, 5))
    with pytest.raises(InvalidInput, match="Année hors limites"):
        Period(date(9999, 12, 31), date(9999, 12, 31))  # bounds() would overflow
    assert noshow_rate({"seen": 3, "noshow": 1, "excused": 5}) == 0.25  # the cancelled ones are not counted

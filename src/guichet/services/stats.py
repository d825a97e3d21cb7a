"""The agency's statistics (issue 17): one agency or all, one period, from the database's counts.

Used by the statistics screen and ``guichet stats``; the figures and what each counts are in
``domain.stats``. Every query groups in the database (``store.stats``), in one read transaction,
so that the figures of one report are of one moment.
"""

from __future__ import annotations

from datetime import date

from guichet.domain.handoff import LIFE_EVENT_LABELS, Destination, HandoffStatus
from guichet.domain.models import LifeEvent
from guichet.domain.passage import OUTCOME_LABELS, REF_IS_ID, Half, Outcome, PassageChannel
from guichet.domain.stats import (
    OUTCOME_ORDER,
    AppointmentFigures,
    AppointmentLine,
    Count,
    HalfDay,
    HandoffFigures,
    PassageFigures,
    Period,
    PeriodKind,
    Statistics,
    median,
)
from guichet.services.context import Context

TOP_SERVICES = 10


class Stats:
    """Statistics on one workstation's context (its catalog names the agencies and services)."""

    def __init__(self, context: Context) -> None:
        self.context = context

    def period(self, kind: PeriodKind, first: date | None = None, last: date | None = None) -> Period:
        """Today, this week, this month (from the clock), or the range ``first``–``last``."""
        if kind is PeriodKind.PLAGE:
            today = self.context.now().date()
            return Period(first or today, last or today)
        return Period.of(kind, self.context.now().date())

    def compute(self, agency: str | None, period: Period) -> Statistics:
        """Every figure for ``agency`` (None: all agencies) over ``period``."""
        from guichet.store import stats as store
        from guichet.store.engine import read_session, storage_errors

        ctx = self.context
        label = ctx.agency(agency).name if agency is not None else "toutes les agences"
        start, end = period.bounds()
        engine = ctx.engine
        now = ctx.now()
        with storage_errors(engine), read_session(engine) as session:
            halves = store.passages_by_half_day(session=session, agency=agency, first=period.first, last=period.last)
            items = store.items(session=session, agency=agency, first=period.first, last=period.last)
            seconds = store.durations(session=session, agency=agency, first=period.first, last=period.last)
            still_open = store.still_open(session=session, agency=agency, first=period.first, last=period.last)
            appointments = store.appointments(session=session, agency=agency, start=start, end=end)
            handoffs = store.handoffs(session=session, agency=agency, start=start, end=end)
            overdue = store.overdue_handoffs(session=session, agency=agency, start=start, end=end,
                                             today=now.date(), awaiting=HandoffStatus.TRANSMISE.value)
        return Statistics(agency, label, period, now, self._passages(halves, items, seconds, still_open),
                          _appointments(appointments), _handoffs(handoffs, overdue))

    def _passages(self, halves: list[tuple[date, str, str, int]], items: list[tuple[str, str, int]],
                  seconds: list[int], still_open: int) -> PassageFigures:
        cells: dict[tuple[date, Half], dict[str, int]] = {}
        by_channel = dict.fromkeys(PassageChannel, 0)
        for day, half, channel, count in halves:
            cells.setdefault((day, Half(half)), {})[channel] = count
            by_channel[PassageChannel(channel)] += count
        ordered = sorted(cells.items(), key=lambda kv: (kv[0][0], kv[0][1] is not Half.MATIN))
        half_days = tuple(HalfDay(day, half, cell.get("guichet", 0), cell.get("telephone", 0))
                          for (day, half), cell in ordered)
        outcomes: list[Count] = []
        services: list[Count] = []
        for kind, ref, count in items:
            if kind == Outcome.SERVICE.value:
                found = self.context.catalog.service(ref)
                services.append(Count(ref, found.title if found else ref, count))
                continue
            outcome = Outcome(kind)
            label = OUTCOME_LABELS[outcome]
            if ref and outcome not in REF_IS_ID:
                label = f"{label} : {_ref_label(outcome, ref)}"
            outcomes.append(Count(f"{kind}:{ref}" if ref else kind, label, count))
        order = {o.value: n for n, o in enumerate(OUTCOME_ORDER)}
        outcomes.sort(key=lambda c: (order.get(c.code.split(":")[0], 99), *_most_first(c)))
        services.sort(key=_most_first)
        return PassageFigures(total=sum(by_channel.values()), by_channel=by_channel, half_days=half_days,
                              outcomes=tuple(outcomes), top_services=tuple(services[:TOP_SERVICES]),
                              median_seconds=median(seconds), timed=len(seconds), still_open=still_open)


def _most_first(count: Count) -> tuple[int, str, str]:
    """The largest count first; ties in alphabetical order, accents ignored (« À transmettre » before « Transmise »)."""
    from guichet.domain.words import fold

    return -count.count, fold(count.label), count.code


def _ref_label(outcome: Outcome, ref: str) -> str:
    if outcome is Outcome.SOCIAL_EMERGENCY:
        from guichet.domain.orientation import Emergency

        try:
            return Emergency(ref).label
        except ValueError:
            return ref
    return ref


def _appointments(rows: list[tuple[str, str, str, int]]) -> AppointmentFigures:
    lines: dict[tuple[str, str], dict[str, int]] = {}
    for kind, channel, status, count in rows:
        statuses = lines.setdefault((kind, channel), {})
        statuses[status] = statuses.get(status, 0) + count
    return AppointmentFigures(tuple(AppointmentLine(kind, channel, statuses)
                                    for (kind, channel), statuses in sorted(lines.items())))


def _handoffs(rows: list[tuple[str, str, str, bool, int]], overdue: list[int]) -> HandoffFigures:
    events: dict[str, int] = {}
    destinations: dict[str, int] = {}
    statuses: dict[str, int] = {}
    urgent = 0
    for event, destination, status, is_urgent, count in rows:
        events[event] = events.get(event, 0) + count
        destinations[destination] = destinations.get(destination, 0) + count
        statuses[status] = statuses.get(status, 0) + count
        urgent += count if is_urgent else 0

    def counts(values: dict[str, int], label: dict[str, str]) -> tuple[Count, ...]:
        return tuple(sorted((Count(code, label.get(code, code), n) for code, n in values.items()), key=_most_first))

    return HandoffFigures(
        total=sum(statuses.values()),
        by_life_event=counts(events, {e.value: LIFE_EVENT_LABELS[e] for e in LifeEvent}),
        by_destination=counts(destinations, {d.value: d.label for d in Destination}),
        by_status=counts(statuses, {s.value: s.label for s in HandoffStatus}),
        overdue=tuple(overdue), urgent=urgent)

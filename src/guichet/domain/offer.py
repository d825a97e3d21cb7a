"""Why a slot search finds nothing, in French: offered nowhere, closed those days, or all taken.

The three are different answers for the person: "this agency does not do that (these do, on
these days)", "not on that day (it runs on these days)", and "everything is booked". A search
that finds nothing says which one it is, never "no free slot" when no schedule offers it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from guichet.domain import fr
from guichet.domain.clock import utc
from guichet.domain.hours import is_public_holiday, usual_week
from guichet.domain.models import Agency, Channel, Kind
from guichet.domain.slots import SlotQuery, candidate_slots, offering, window

_PARTS = {"matin": " le matin", "apres-midi": " l'après-midi"}


def what(kind: Kind, channel: Channel) -> str:
    """``rendez-vous conseiller (CSU) par téléphone``."""
    return f"rendez-vous {kind.label} {channel.label}"


def days_offered(agencies: Sequence[Agency], kind: Kind, channel: Channel, start: date) -> str:
    """``Gennevilliers (lundi, mercredi, vendredi 09:00–12:00, 13:00–16:00)``, ``;`` between agencies:
    the usual days of each agency offering ``kind`` on ``channel``; "" when none does."""
    parts = []
    for agency in offering(agencies, kind, channel):
        schedule = agency.schedule(kind, channel)
        assert schedule is not None
        parts.append(f"{agency.name} ({usual_week(schedule.opening_hours, start) or 'aucun jour habituel'})")
    return " ; ".join(parts)


def not_offered(agencies: Sequence[Agency], kind: Kind, channel: Channel, agency: Agency | None,
                start: date) -> str | None:
    """Why ``kind`` on ``channel`` cannot be booked at all (in ``agency``, or anywhere when None),
    with where and when it is offered instead; None when it is offered."""
    if agency is not None and agency.schedule(kind, channel) is None:
        text = f"{agency.name} ne propose pas de {what(kind, channel)}."
    elif not offering(agencies, kind, channel):
        text = f"Aucune agence ne propose de {what(kind, channel)}."
    else:
        return None
    where = days_offered(agencies, kind, channel, start)
    if where:
        return f"{text} Agences qui le proposent : {where}."
    for other in Channel:
        elsewhere = days_offered(agencies, kind, other, start) if other is not channel else ""
        if elsewhere:
            text += f" En revanche, {what(kind, other)} : {elsewhere}."
    return text


def empty_reason(agencies: Sequence[Agency], query: SlotQuery, now: datetime, agency: Agency | None) -> str:
    """Why a search that found no free slot found none: the period is outside the booking window,
    no schedule runs then (closed those days, with the usual days), or every slot is taken.

    ``agencies``: every agency; ``agency``: the one searched, None for all. Assumes that ``query``'s
    kind and channel are offered (see :func:`not_offered`)."""
    searched = [agency] if agency is not None else offering(agencies, query.kind, query.channel)
    label = what(query.kind, query.channel) + (f" à {agency.name}" if agency is not None else "")
    earliest, latest = window(query, now)
    if utc(earliest) >= utc(latest):
        return (f"Pas de {label} à proposer : la période demandée est passée ou au-delà de l'horizon de "
                f"réservation (jusqu'au {fr.day(latest.date(), year=True)}).")
    part = _PARTS[query.part.value] if query.part is not None else ""
    dated = query.date_from is not None or query.date_to is not None
    period = _period(query) + part if dated else part + _period(query)  # « le mardi … l'après-midi »
    if any(next(candidate_slots(a, query, earliest, latest), None) is not None for a in searched):
        return f"Aucun créneau libre de {label}{period} : tous les créneaux sont pris."
    single = query.date_from if query.date_from is not None and query.date_from == query.date_to else None
    why = "pas de rendez-vous ces jours-là"
    if single is not None and is_public_holiday(single):
        why = "jour férié"
    elif single is not None and agency is not None and (closure := agency.closed_on(single)) is not None:
        why = f"fermeture exceptionnelle : {closure.reason}"
    usual = days_offered(searched, query.kind, query.channel, now.date())
    return f"Pas de {label}{period} ({why}). Jours habituels : {usual}."


def _period(query: SlotQuery) -> str:
    """`` le lundi 23 novembre``, `` du … au …``, `` à partir du …``, or `` dans l'horizon de réservation``."""
    start, end = query.date_from, query.date_to
    if start is not None and start == end:
        return f" le {fr.day(start)}"
    if start is not None and end is not None:
        return f" du {fr.day(start)} au {fr.day(end)}"
    if start is not None:
        return f" à partir du {fr.day(start)}"
    if end is not None:
        return f" jusqu'au {fr.day(end)}"
    return " dans l'horizon de réservation"

"""The life of an appointment: which status moves are allowed, and when.

- booked → seen (the person came), noshow (did not come), excused (cancelled by the person),
  revoked (cancelled by the CAF);
- a late arrival is still seen: noshow → seen;
- a mistaken "arrived" or "no-show" is undone the same day: seen → booked, noshow → booked;
- seen is noted on the day of the appointment only; noshow once it has started;
- only a booked appointment can be moved (rescheduled) to another slot: it becomes moved
  (« déplacé »), a status reached only that way, never by :func:`check_move`.

Pure: the services check a move here, then ask the store to make it only if the record is
still in the status it was read in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from guichet.domain import fr
from guichet.domain.models import Agency, Appointment, Channel, Kind, Status
from guichet.domain.slots import offering
from guichet.errors import InvalidInput

# Target status → the statuses it may be reached from.
ALLOWED_FROM: dict[Status, frozenset[Status]] = {
    Status.SEEN: frozenset({Status.BOOKED, Status.NOSHOW}),  # a late arrival is still seen
    Status.NOSHOW: frozenset({Status.BOOKED}),
    Status.EXCUSED: frozenset({Status.BOOKED}),
    Status.REVOKED: frozenset({Status.BOOKED}),
    Status.BOOKED: frozenset({Status.SEEN, Status.NOSHOW}),  # undo a mistake, on the day only
}
# Status.MOVED is not a target here: only rescheduling (a new appointment) moves one.


def can_move(current: Status, target: Status) -> bool:
    """Whether an appointment in ``current`` may be moved to ``target``."""
    return current in ALLOWED_FROM.get(target, frozenset())


def check_move(appointment: Appointment, target: Status, now: datetime) -> None:
    """:class:`InvalidInput` (one French sentence) unless ``appointment`` may go to ``target`` at ``now``."""
    number = appointment.id
    if not can_move(appointment.status, target):
        raise InvalidInput(f"Le rendez-vous n° {number} est « {appointment.status.label} » : "
                           f"impossible de le passer à « {target.label} ».")
    start = appointment.start
    if target is Status.SEEN and start.date() != now.date():
        raise InvalidInput(f"Le rendez-vous n° {number} est prévu le {fr.day_time(start)} : "
                           "l'arrivée se note le jour même.")
    if target is Status.NOSHOW and now < start:
        raise InvalidInput(f"Le rendez-vous n° {number} n'a pas encore commencé "
                           f"({fr.day_time(start)}) : impossible de noter une absence.")
    if target is Status.BOOKED and start.date() != now.date():
        raise InvalidInput(f"Le rendez-vous n° {number} était prévu le {fr.day_time(start)} : "
                           f"« {appointment.status.label} » ne se corrige que le jour même.")


def check_reschedulable(appointment: Appointment) -> None:
    """:class:`InvalidInput` unless ``appointment`` may be moved to another slot."""
    if appointment.status is not Status.BOOKED:
        raise InvalidInput(f"Le rendez-vous n° {appointment.id} est « {appointment.status.label} » : "
                           "seul un rendez-vous réservé peut être déplacé.")


def status_text(appointment: Appointment, agency_names: Mapping[str, str] | None = None) -> str:
    """The status as a sentence: its label, or for a moved appointment where it went,
    « déplacé au mardi 24 novembre, 10:00 (n° 12) » (« … à Montrouge (n° 12) » in another agency)."""
    a = appointment
    if a.status is not Status.MOVED or a.moved_to is None or a.moved_to_start is None:
        return a.status.label
    where = ""
    if a.moved_to_agency and a.moved_to_agency != a.agency_id:
        where = f" à {(agency_names or {}).get(a.moved_to_agency, a.moved_to_agency)}"
    return f"déplacé au {fr.day_time(a.moved_to_start)}{where} (n° {a.moved_to})"


_SHORT_LABELS = {Status.EXCUSED: "annulé (personne)", Status.REVOKED: "annulé (Caf)"}


def short_status(appointment: Appointment) -> str:
    """The status in a narrow column (at most 19 cells): « annulé (personne) », « déplacé 24/11 10:00 »."""
    a = appointment
    if a.status is Status.MOVED and a.moved_to_start is not None:
        return f"déplacé {a.moved_to_start:%d/%m} {fr.hhmm(a.moved_to_start)}"
    return _SHORT_LABELS.get(a.status, a.status.label)


def offers(agencies: Iterable[Agency], kind: Kind, channel: Channel) -> bool:
    """Whether at least one agency offers ``kind`` appointments on ``channel``."""
    return bool(offering(agencies, kind, channel))


# Most appointments are by phone (000: 90 %), so the phone comes first where it is offered.
_CHANNEL_PREFERENCE = (Channel.TELEPHONE, Channel.AGENCE)


def booking_defaults(agencies: Iterable[Agency], kind: Kind | None = None,
                     channel: Channel | None = None) -> tuple[Kind, Channel]:
    """The kind and channel a booking starts with: those asked for (e.g. by the orientation card)
    when some agency offers them; otherwise a GCA, on the first channel that an agency offers
    for that kind (the phone first)."""
    agencies = tuple(agencies)
    chosen_kind = kind or Kind.GCA
    if channel is not None and offers(agencies, chosen_kind, channel):
        return chosen_kind, channel
    for candidate in _CHANNEL_PREFERENCE:
        if offers(agencies, chosen_kind, candidate):
            return chosen_kind, candidate
    return chosen_kind, channel or _CHANNEL_PREFERENCE[0]  # offered nowhere: the slot search says so

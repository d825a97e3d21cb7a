"""The life of an appointment: which status moves are allowed, and when.

- booked → seen (the person came), noshow (did not come), excused (cancelled by the person),
  revoked (cancelled by the CAF);
- a late arrival is still seen: noshow → seen;
- seen is noted on the day of the appointment only; noshow once it has started;
- only a booked appointment can be moved (rescheduled) to another slot.

Pure: the services check a move here, then ask the store to make it only if the record is
still in the status it was read in.
"""

from __future__ import annotations

from collections.abc import Iterable
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
}


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


def check_reschedulable(appointment: Appointment) -> None:
    """:class:`InvalidInput` unless ``appointment`` may be moved to another slot."""
    if appointment.status is not Status.BOOKED:
        raise InvalidInput(f"Le rendez-vous n° {appointment.id} est « {appointment.status.label} » : "
                           "seul un rendez-vous réservé peut être déplacé.")


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

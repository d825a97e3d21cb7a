"""Small values passed from one screen to the next (kept light: the app imports them at start-up)."""

from __future__ import annotations

from dataclasses import dataclass

from guichet.domain.models import Channel, Kind, Service


@dataclass(frozen=True)
class BookingChoice:
    """What the booking screen is asked to start with (from the orientation card); None: the
    domain's default (``domain.appointment.booking_defaults``)."""

    kind: Kind | None = None
    channel: Channel | None = None
    service: Service | None = None

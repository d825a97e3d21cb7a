"""Small values passed from one screen to the next (kept light: the app imports them at start-up)."""

from __future__ import annotations

from dataclasses import dataclass

from guichet.domain.models import Channel, Kind, Service


@dataclass(frozen=True)
class BookingChoice:
    """What the booking screen starts with (from the orientation card)."""

    kind: Kind = Kind.GCA
    channel: Channel = Channel.TELEPHONE
    service: Service | None = None

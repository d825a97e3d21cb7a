"""The reception log's use case: one workstation's passages (domain.passage), from opening to closing.

The front end calls the cheap methods (:meth:`Passages.consulted`, :meth:`Passages.record`,
:meth:`Passages.close`…) on its own thread: they only change the passage held in memory and queue
what must be written. :meth:`Passages.flush`, run in a worker, writes the queue in order, in one
transaction; when the database does not answer, the queue is kept and written by the next flush, so
a person received while the server was down is still counted. Every method is thread-safe.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from guichet import logs
from guichet.domain.clock import utc
from guichet.domain.passage import (
    ACTED,
    ClosedHow,
    Half,
    Item,
    Outcome,
    PassageChannel,
    card_outcome,
    duration_seconds,
    half_day,
)
from guichet.services.context import Context

if TYPE_CHECKING:
    from guichet.domain.models import Service
    from guichet.domain.orientation import Advice

log = logs.get("passages")


@dataclass(slots=True)
class _Open:
    """The passage of the person at the counter now (in memory)."""

    key: int  # local number, until the database gives the row's id
    agency: str | None
    started: datetime
    day: date
    half: Half
    channel: PassageChannel
    last_action: datetime
    items: list[Item] = field(default_factory=list)
    card: Item | None = None  # what the last card read told the person


@dataclass(frozen=True, slots=True)
class Received:
    """People received in this half-day: at this counter, in its agency (every counter of a shared database)."""

    day: date
    half: Half
    counter: int
    agency: int


@dataclass(frozen=True, slots=True)
class PassageView:
    """What the front end shows of the open passage."""

    started: datetime
    channel: PassageChannel
    items: tuple[Item, ...]


# The operations queued for the database, in order; ``key`` is the passage's local number.
@dataclass(frozen=True, slots=True)
class _OpenOp:
    key: int
    agency: str | None
    started: datetime
    day: date
    half: Half
    channel: PassageChannel


@dataclass(frozen=True, slots=True)
class _ItemOp:
    key: int
    item: Item


@dataclass(frozen=True, slots=True)
class _ChannelOp:
    key: int
    channel: PassageChannel


@dataclass(frozen=True, slots=True)
class _CloseOp:
    key: int
    ended: datetime
    seconds: int | None
    how: ClosedHow


_Op = _OpenOp | _ItemOp | _ChannelOp | _CloseOp


class Passages:
    """This workstation's reception log."""

    def __init__(self, context: Context) -> None:
        self.context = context
        self._lock = threading.Lock()  # the passage in memory and the queue
        self._flush_lock = threading.Lock()  # one writer at a time, in order
        self._current: _Open | None = None
        self._next_channel = PassageChannel.GUICHET
        self._queue: list[_Op] = []
        self._ids: dict[int, int] = {}  # local key → database id
        self._placed: dict[int, tuple[str | None, date]] = {}  # local key → its agency and day, once written
        self._keys = 0

    # -- the counter ----------------------------------------------------------------------------------
    @property
    def workstation(self) -> str:
        """This counter's name in the log: the setting, or the host name."""
        name = self.context.settings.workstation or _host_name()
        return name[:64]

    @property
    def idle(self) -> timedelta:
        return timedelta(minutes=self.context.settings.passage_idle_minutes)

    @property
    def channel(self) -> PassageChannel:
        """The channel of the open passage, or of the next one."""
        with self._lock:
            return self._current.channel if self._current else self._next_channel

    @property
    def current(self) -> PassageView | None:
        with self._lock:
            now = self._current
            return PassageView(now.started, now.channel, tuple(now.items)) if now else None

    @property
    def pending(self) -> int:
        """Operations not written yet (the database did not answer)."""
        with self._lock:
            return len(self._queue)

    # -- what happens at the counter ------------------------------------------------------------------
    def touch(self) -> bool:
        """An action about the person: opens a passage when none is open; whether it opened one."""
        with self._lock:
            return self._touch(self.context.now())

    def keep_alive(self) -> None:
        """The agent is still at work (a key typed): the open passage's last action is now. Opens nothing."""
        with self._lock:
            if self._current is not None:
                self._current.last_action = self.context.now()

    def consulted(self, service: Service, advice: Advice) -> None:
        """The agent read ``service``'s card to the person (counted once per passage)."""
        with self._lock:
            self._touch(self.context.now())
            assert self._current is not None
            self._add(Item(Outcome.SERVICE, service.id))
            self._current.card = card_outcome(service, advice.desk, advice.destination)

    def record(self, kind: Outcome, ref: object = "") -> None:
        """An outcome: an appointment booked (``ref``: its id), a handoff logged, a social emergency…"""
        with self._lock:
            self._touch(self.context.now())
            self._add(Item(kind, str(ref)))

    def toggle_channel(self) -> PassageChannel:
        """At the counter ↔ on the phone, for the open passage (or the next one); the new channel."""
        with self._lock:
            if self._current is None:
                self._next_channel = self._next_channel.other()
                return self._next_channel
            self._current.channel = self._current.channel.other()
            self._next_channel = self._current.channel
            self._queue.append(_ChannelOp(self._current.key, self._current.channel))
            return self._current.channel

    def quick_question(self) -> None:
        """A quick question answered, no search: one passage, opened and closed at once. A passage
        that holds nothing yet becomes that question; one that holds something is closed first."""
        with self._lock:
            now = self.context.now()
            if self._current is not None and self._current.items:
                self._close(ClosedHow.SUIVANT, now)
            self._touch(now)
            self._add(Item(Outcome.QUICK_QUESTION))
            self._close(ClosedHow.RAPIDE, now)

    def close(self, how: ClosedHow = ClosedHow.SUIVANT) -> bool:
        """The person has gone (Ctrl+N, quitting): close the open passage now; whether one was open."""
        with self._lock:
            return self._close(how, self.context.now())

    def close_if_idle(self) -> bool:
        """Close the open passage when nothing happened for the idle delay, at its last action."""
        with self._lock:
            current = self._current
            if current is None or utc(self.context.now()) - utc(current.last_action) < self.idle:
                return False
            return self._close(ClosedHow.INACTIF, current.last_action)

    # -- in memory, under the lock ---------------------------------------------------------------------
    def _touch(self, now: datetime) -> bool:
        if self._current is not None:
            self._current.last_action = now
            return False
        self._keys += 1
        day, half = half_day(now)
        self._current = _Open(self._keys, self.context.settings.agency, now, day, half, self._next_channel, now)
        self._queue.append(_OpenOp(self._keys, self._current.agency, now, day, half, self._current.channel))
        return True

    def _add(self, item: Item) -> None:
        current = self._current
        assert current is not None
        if item not in current.items:
            current.items.append(item)
            self._queue.append(_ItemOp(current.key, item))

    def _close(self, how: ClosedHow, at: datetime) -> bool:
        current = self._current
        if current is None:
            return False
        if current.card is not None and not any(i.kind in ACTED for i in current.items):
            self._add(current.card)  # nothing booked nor logged: what the last card told the person
        # A passage never ends before it began (a clock set back, a frozen clock in a demo).
        ended = at if utc(at) >= utc(current.started) else current.started
        seconds = None if how is ClosedHow.RAPIDE else duration_seconds(current.started, ended)
        self._queue.append(_CloseOp(current.key, ended, seconds, how))
        self._current = None
        return True

    # -- the database ---------------------------------------------------------------------------------
    def flush(self) -> int:
        """Write what is queued, in order, in one transaction (in a worker); how many operations.

        When the database fails, nothing of the batch is kept half-written and the queue stays, to
        be written by the next flush; the error is raised for the caller to show."""
        from guichet.store import passages as store
        from guichet.store.engine import storage_errors, write_session

        with self._flush_lock:
            with self._lock:
                batch = list(self._queue)
                current = self._current
            if not batch:
                return 0
            ids = dict(self._ids)
            placed = dict(self._placed)
            engine = self.context.engine
            with storage_errors(engine), write_session(engine) as session:
                for op in batch:
                    if isinstance(op, _OpenOp):
                        ids[op.key] = store.open_passage(
                            session=session, agency=op.agency, workstation=self.workstation, agent=self.context.agent,
                            channel=op.channel, started=op.started, day=op.day, half=op.half)
                        placed[op.key] = (op.agency, op.day)
                    elif isinstance(op, _ItemOp):
                        agency, day = placed[op.key]
                        store.add_items(session=session, passage_id=ids[op.key], agency=agency, day=day,
                                        items=[op.item])
                    elif isinstance(op, _ChannelOp):
                        store.set_channel(session=session, passage_id=ids[op.key], channel=op.channel)
                    else:
                        store.close(session=session, passage_id=ids[op.key], ended=op.ended, seconds=op.seconds,
                                    how=op.how)
            with self._lock:
                del self._queue[:len(batch)]
                # Keep only what the open passage and the operations still queued need.
                keep = {current.key} if current else set()
                keep |= {op.key for op in self._queue}
                self._ids = {k: v for k, v in ids.items() if k in keep}
                self._placed = {k: v for k, v in placed.items() if k in keep}
            return len(batch)

    def received(self) -> Received:
        """People received in this half-day, at this counter and in its agency (a covering index: <5 ms)."""
        from guichet.store import passages as store
        from guichet.store.engine import read_session, storage_errors

        now = self.context.now()
        day, half = half_day(now)
        engine = self.context.engine
        with storage_errors(engine), read_session(engine) as session:
            counter, agency = store.received(session=session, agency=self.context.settings.agency, day=day,
                                             half=half, workstation=self.workstation)
        return Received(day, half, counter, agency)


def _host_name() -> str:
    try:
        name = socket.gethostname()
    except OSError:
        name = ""
    name = "".join(c for c in name if c.isprintable()).strip()
    return name or "poste"

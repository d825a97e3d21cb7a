"""Typeahead: every key reaches the screen it was typed for, in the order it was typed (issue 16).

Textual hands a key to the focused widget the moment it arrives. A fast agent's keys can thus
overtake the effect of the key before them: ``t`` on the card asks for the handoff form (a
message, handled a moment later) and the « A » of « Awa » typed 10 ms after it reaches the card,
which ignores it; a key typed while a screen is being built reaches a screen where nothing has the
focus yet, and is lost; a Tab still on its way lets the next digits land in the field it leaves.

:class:`TypeaheadMixin` therefore lets one key travel at a time. A key waits, in order, while

- the key before it is still on its way (handed to the focused widget and bubbling up to the
  app's bindings, until a widget stops it or the app has run its bindings), or what it set off is
  not done: messages still queued at the app, the screen or the focused widget and its parents
  (Entrée in the search field asks the screen to focus the card: a message, then a callback);
- the screen on top is not ready: not mounted yet, or nothing focused while it has something to
  focus, or its own ``takes_key(key)`` says no (the booking screen while the slots it is fetching
  are not shown yet: an Entrée typed ahead chooses the first slot of the new list, not nothing).

Each wait has a limit (:data:`LIMIT`, :data:`SCREEN_LIMIT`), so that a key is never held for good
by a screen that never comes. Keys that arrive when nothing is pending go straight through, as
before: the latency of ordinary typing does not change.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import TYPE_CHECKING, Any

from textual import events
from textual.screen import Screen
from textual.timer import Timer

if TYPE_CHECKING:
    from textual.app import App

    _AppBase = App[None]
else:
    _AppBase = object  # at run time a plain mixin: GuichetApp's other base is App itself

LIMIT = 1.0  # s: the longest a key waits for the key before it and what that key set off
SCREEN_LIMIT = 5.0  # s: the longest a key waits for the new screen, its focus, or what it is fetching
POLL = 0.004  # s: how often waiting keys look again (only while some are waiting)


class TypeaheadMixin(_AppBase):
    """Keys wait for the screen they were typed for (see the module's documentation)."""

    _waiting: deque[events.Key]
    _in_flight: tuple[events.Key, float] | None  # the key on its way, since when
    _head_since: float  # when the first waiting key began to wait
    _poll_timer: Timer | None
    _none_waiting: asyncio.Event  # set while no typed key waits

    def _typeahead_init(self) -> None:
        self._none_waiting = asyncio.Event()
        self._none_waiting.set()
        self._waiting = deque()
        self._in_flight = None
        self._head_since = 0.0
        self._poll_timer = None

    @property
    def keys_waiting(self) -> int:
        """How many typed keys wait for their screen (tests and the bench read it)."""
        return len(self._waiting)

    async def keys_delivered(self) -> None:
        """Return once no typed key waits any more: each has been handed to its screen (the demo
        player, tests and the bench wait on it; the wait ends within :data:`SCREEN_LIMIT` of a key)."""
        await self._none_waiting.wait()

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, events.Key):
            await super().on_event(event)
            return
        if event.is_forwarded:  # a key back from the focused widget: the app's bindings, then its trip ends
            await super().on_event(event)
            if self._in_flight is not None and self._in_flight[0] is event:
                self._in_flight = None
                await self._send_waiting()
            return
        if not self._waiting:
            self._head_since = time.monotonic()
        self._waiting.append(event)
        self._none_waiting.clear()
        await self._send_waiting()

    async def _send_waiting(self) -> None:
        """Send the waiting keys, one at a time, while nothing holds them."""
        if not self.is_running or not self.screen_stack:  # the app is closing: nothing left to type into
            self._waiting.clear()
            self._none_waiting.set()
            return
        while self._waiting and self._free(self._waiting[0]):
            key = self._waiting.popleft()
            self._head_since = time.monotonic()  # the next key's wait starts now
            self._in_flight = (key, self._head_since)
            # Textual stops a message at the child of its sender; a key made while the app was the
            # active pump (a test's or the driver's) would then look stopped on leaving the screen,
            # on its way to the app's bindings. Sent by nobody, it is stopped only by a widget that takes it.
            key._sender = None
            await super().on_event(key)  # the app's priority bindings, else forwarded to the focused widget
            if not key.is_forwarded:  # taken by a priority binding (Ctrl+Q, Ctrl+N…): its trip is over
                self._in_flight = None
        if not self._waiting:
            self._none_waiting.set()
        elif self._poll_timer is None:
            self._poll_timer = self.set_timer(POLL, self._poll)

    async def _poll(self) -> None:
        self._poll_timer = None
        await self._send_waiting()

    def _free(self, key: events.Key) -> bool:
        """Whether ``key``, the next one, may go now."""
        now = time.monotonic()
        if self._in_flight is not None:
            sent, since = self._in_flight
            if not sent._stop_propagation and now - since < LIMIT:  # Textual sets it when a widget stops the key
                return False
            self._in_flight = None  # stopped by a widget (a field took it), or lost on a screen that went
        if now - self._head_since >= SCREEN_LIMIT:  # waited long enough: whatever holds it, the key goes
            return True
        return self._settled() and self._takes_keys(self.screen, key.key)

    def _settled(self) -> bool:
        """Whether what the last key set off is done: no message waits at the app, nor on the way from
        the focused widget (or the screen) up. A message waits in a pump's queue, or as the one its loop
        has already taken out of it to look ahead (Textual's ``_pending_message``): the card's request
        for the handoff form waits there at the app while the app handles the next key, which then went
        to the card and was lost (« wa Diallo » for « Awa Diallo », now and then under load)."""
        node: Any = self.screen.focused or self.screen
        while node is not None:
            if not node._message_queue.empty() or node._pending_message is not None:
                return False
            node = node._parent
        return True

    def _takes_keys(self, screen: Screen[Any], key: str) -> bool:
        """Whether ``screen``, on top, can take ``key``: mounted, its first field focused if it has one,
        and ready by its own account (``takes_key``, when it has one)."""
        if not screen.is_mounted:
            return False
        if screen.focused is None and screen.focus_chain:
            return False
        takes_key = getattr(screen, "takes_key", None)
        return takes_key is None or bool(takes_key(key))

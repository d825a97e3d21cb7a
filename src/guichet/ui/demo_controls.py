"""The presenter's controls while a demo plays: pause, resume, one step at a time.

The player types its keys into the app, and the presenter types on the same keyboard (a terminal,
or a browser through ``guichet demo --serve``): both arrive at :meth:`DemoApp.on_event` by the
same road. They are told apart by the key events themselves, not by which key it is: the player
makes each of its events and records it in :attr:`DemoControls.scripted` before sending it, so a
key event the player did not make is the presenter's. A scripted Space is typed into the field; the
presenter's Space pauses. While the script plays, the presenter's other keys are dropped (a stray
key would derail the script), except Ctrl+Q and Ctrl+C, and so are the presenter's mouse clicks
(a click moves the focus: the script's next keys would land elsewhere; the wheel still scrolls).
After the last step, every key and click reaches the app again.

The keys: Espace pauses and resumes; while paused, → (or Entrée) plays exactly one step, its
delays skipped, then waits again. A pause taken in the middle of a step freezes its delays (the
reading time of a caption, the pace of typing) and the step ends only when the presenter resumes
or steps.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import unicodedata
import weakref
from collections.abc import Callable

from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

from guichet.services import Services
from guichet.ui.app import GuichetApp

PAUSE_KEYS = frozenset({"space"})
STEP_KEYS = frozenset({"right", "enter"})
PASS_KEYS = frozenset({"ctrl+q", "ctrl+c"})  # the presenter can always leave
PLAYING_HINT = "Espace : pause"
# No pause symbol (U+23F8): the browsers' and Windows terminals' usual fonts lack it.
PAUSED_HINT = "Démonstration en pause — Espace : reprendre · → : étape suivante · Ctrl+Q : quitter"
SLICE = 0.05  # s: how often a held player looks at the controls again (also wakes at once on a change)


class DemoControls:
    """The state the presenter's keys change and the player obeys (see the module's documentation)."""

    def __init__(self, *, enabled: bool = True, paused: bool = False) -> None:
        self.enabled = enabled  # False: no presenter (headless), every key is the app's as before
        self.paused = paused
        self.playing = False  # the player is between its first and last step
        self.allowance = 0  # steps the presenter asked for while paused, not played yet
        self.scripted: weakref.WeakSet[events.Key] = weakref.WeakSet()
        self.on_change: Callable[[], object] | None = None  # the player redraws the caption bar
        self._wake = asyncio.Event()

    # -- the presenter's side ------------------------------------------------------------------
    def hint(self) -> str:
        """The discreet line that names the keys ("" when there is no presenter or nothing plays)."""
        if not (self.enabled and self.playing):
            return ""
        return PAUSED_HINT if self.paused else PLAYING_HINT

    def toggle(self) -> None:
        self.paused = not self.paused
        self.allowance = 0
        self._changed()

    def step(self) -> None:
        """One more step, while paused (ignored while playing: the script goes on anyway)."""
        if self.paused:
            self.allowance += 1
            self._changed()

    def _changed(self) -> None:
        self._wake.set()
        if self.on_change is not None:
            self.on_change()

    # -- the player's side ---------------------------------------------------------------------
    def key(self, key: str, character: str | None = None) -> events.Key:
        """A key event made by the player, marked as such: the presenter's keys are the others."""
        if character is None:  # named as Textual's own Pilot.press names it
            if len(key) == 1 and not key.isalnum():
                key = _character_to_key(key)
            try:
                character = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
            except KeyError:
                character = key if len(key) == 1 else None
        event = events.Key(key, character)
        self.scripted.add(event)
        return event

    def _held(self) -> bool:
        return self.paused and self.allowance == 0

    async def _wait_for_change(self, timeout: float) -> None:
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout)

    async def gate(self, alive: Callable[[], bool]) -> None:
        """Before a step: return when the script may go on (not paused, or a step was asked for)."""
        while self._held() and alive():
            await self._wait_for_change(SLICE)

    def step_done(self) -> None:
        """After a step: a step asked for while paused is now played."""
        if self.paused and self.allowance > 0:
            self.allowance -= 1

    async def delay(self, seconds: float, alive: Callable[[], bool]) -> None:
        """A human-pace delay that stops counting while paused, and ends at once when a step is asked
        for (a step played while paused has no delay)."""
        left = seconds
        while alive() and left > 0:
            if self.paused:
                if self.allowance > 0:
                    return
                await self._wait_for_change(SLICE)
                continue
            started = time.monotonic()
            await self._wait_for_change(min(left, SLICE))
            left -= time.monotonic() - started

    def presenter_key(self, event: events.Key) -> bool:
        """Handle a key that the player did not make; True when the app must not see it."""
        if not (self.enabled and self.playing) or event in self.scripted or event.key in PASS_KEYS:
            return False
        if event.key in PAUSE_KEYS:
            self.toggle()
        elif event.key in STEP_KEYS:
            self.step()
        return True  # anything else the presenter types while the script plays would derail it


class DemoApp(GuichetApp):
    """The real app, with a presenter's controls over the demo played on it."""

    def __init__(self, services: Services, *, controls: DemoControls, cursor_blink: bool = False) -> None:
        super().__init__(services, cursor_blink=cursor_blink)
        self.demo_controls = controls

    async def on_event(self, event: events.Event) -> None:
        controls = self.demo_controls
        if isinstance(event, events.InputEvent) and not event.is_forwarded and (
                (isinstance(event, events.Key) and controls.presenter_key(event))
                or (isinstance(event, events.MouseDown | events.MouseUp) and controls.enabled and controls.playing)):
            event.stop()
            return
        await super().on_event(event)

"""What can wait for the agent to stop typing: the garbage collector's long passes, and the screens'
warm-up (issue 16). :class:`QuietMixin` calls :meth:`QuietMixin.quiet_moment` whenever the keyboard has
been quiet for :data:`QUIET_SECONDS`.

``guichet`` starts with the collector paused (guichet.__main__, cli.main). After the first paint the
start-up objects, which live as long as the app, are frozen out of every future collection and the
collector resumes (:func:`resume`). What is left to collect is what the screens make and drop.

A full collection still walks every object made since start-up: 25–45 ms on a counter's machine,
several times a minute while someone types, each one a keystroke that shows late (the p95 of the
keystroke bench). Here a full pass is due only after :data:`FULL_EVERY` younger passes instead of
Python's 10, and a quiet moment runs one when younger passes happened since the last: the agent
reads the card, the collector works. The bound keeps memory in check during long typing with no pause.
"""

from __future__ import annotations

import gc
from time import monotonic  # patched by the tests (never time.monotonic itself: the event loop's clock)
from typing import TYPE_CHECKING

from textual import events

if TYPE_CHECKING:
    from textual.app import App

    _AppBase = App[None]
else:
    _AppBase = object  # at run time a plain mixin: GuichetApp's other base is App itself

QUIET_SECONDS = 1.5  # no key for this long: a full collection may run
CHECK_SECONDS = 0.5
FULL_EVERY = 100  # younger (generation 1) passes between two full ones while typing; Python's default is 10
_resumed = False  # set by resume(): the collector is guichet's to schedule (not in tests that never paused it)


def resume() -> None:
    """Freeze the objects made so far (they live as long as the app) and let the collector run, its
    full passes spaced out (the quiet moments run them: :class:`QuietMixin`). Any thread."""
    global _resumed
    gc.freeze()
    _resumed = True
    young, middle, _full = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_EVERY)
    gc.enable()


def full_pass_due() -> bool:
    """Younger passes happened since the last full one (their survivors wait for it)."""
    return gc.get_count()[2] > 0


class QuietMixin(_AppBase):
    """Calls :meth:`quiet_moment` while the keyboard is quiet (start with :meth:`_quiet_start`)."""

    _last_key = 0.0

    def _quiet_start(self) -> None:
        self._last_key = monotonic()
        self.set_interval(CHECK_SECONDS, self._check_quiet, name="quiet moments")

    def _check_quiet(self) -> None:
        if monotonic() - self._last_key >= QUIET_SECONDS:
            self.quiet_moment()

    def quiet_moment(self) -> None:
        """The keyboard is quiet: a full collection, if one is due (and the collector is guichet's)."""
        if _resumed and gc.isenabled() and full_pass_due():
            gc.collect()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):  # as it arrives (before the typeahead: ui/app.py's bases)
            self._last_key = monotonic()
        await super().on_event(event)

"""Top-level screens made ahead (issue 16: the time a screen takes to open).

F2, F3, F4, F9, F10 and Ctrl+F open screens that take nothing from the moment they open but the
counter's agency and the services: :class:`AheadMixin` makes each at the keyboard's quiet moments once
the warm-up is done (ui/quiet.py, ui/warm.py), one a moment: composed, mounted and laid out, not shown.
The booking form made ahead is F4's; the card's `r` gives it its motif (kind, channel, service) just
before showing it (``BookingScreen.take_choice``). Opening one is then a switch without a mask
(ui/modes.py) and one drawing. A screen shown is closed when left (the booking form and the finder are
kept while they hold a person's work), and made again once the next frame is out, after any key still
waiting: every opening shows a fresh screen. Each screen refreshes as it is shown what time and the
other counters change (the hours, the handoffs, the free slots); new settings drop them
(:meth:`AheadMixin.drop_ahead`: the day sheet is the agency's).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from guichet.ui.modes import ModesMixin

if TYPE_CHECKING:
    from guichet.services import Services

AHEAD = ("agencies", "booking", "day_sheet", "handoffs", "finder", "settings")  # in the order they are made


class AheadMixin(ModesMixin):
    """The app's modes, with the screens of :data:`AHEAD` made ahead."""

    services: Services
    cursor_blink: bool
    screens_ready: bool | None  # the warm-up: None until it ends (the app's)

    if TYPE_CHECKING:  # the typeahead's (ui/typeahead.py)
        @property
        def keys_waiting(self) -> int: ...

        async def keys_delivered(self) -> None: ...

    def make_screen(self, mode: str) -> Screen[Any]:
        """A new screen for top-level ``mode`` (the app's actions open them; made ahead here)."""
        if mode == "agencies":
            from guichet.ui.screens.agencies import AgenciesScreen

            return AgenciesScreen(self.services)
        if mode == "booking":  # F4's: the card's `r` gives it its motif as it is shown (ui/app.py)
            from guichet.ui.screens.booking import BookingScreen

            return BookingScreen(self.services, cursor_blink=self.cursor_blink)
        if mode == "day_sheet":  # this counter's agency (None: the day sheet asks which, never shows another's)
            from guichet.ui.screens.daysheet import DaySheetScreen

            home = self.services.home_agency
            return DaySheetScreen(self.services, home.id if home else None)
        if mode == "handoffs":
            from guichet.ui.screens.handoffs import HandoffsScreen

            return HandoffsScreen(self.services)
        if mode == "finder":
            from guichet.ui.screens.finder import FinderScreen  # type: ignore[import-not-found,unused-ignore]

            return FinderScreen(self.services, cursor_blink=self.cursor_blink)
        if mode == "settings":
            from guichet.ui.screens.settings import SettingsScreen

            return SettingsScreen(self.services)
        raise ValueError(f"no screen is made for the mode {mode!r}")

    def build_ahead(self) -> str | None:
        """Make the first mode of :data:`AHEAD` that has no screen (none open, none made ahead):
        composed, mounted and laid out now, shown when asked for. One a call; the mode, or None."""
        if not self.is_running:  # closing: Textual is closing every mode's screens
            return None
        for mode in AHEAD:
            if mode in self._screen_stacks:
                continue
            if mode in self._modes:
                self.remove_mode(mode)
            self.add_mode(mode, partial(self._made_now, mode))
            # Textual's own start of a mode, without switching to it: the screen is registered, its CSS
            # read, and a ScreenResume lays it out (nothing is drawn: it is not the current screen).
            self._init_mode(mode)
            self._made_ahead.add(mode)
            return mode
        return None

    def _made_now(self, mode: str) -> Screen[Any]:
        return self._styled_now(self.make_screen(mode))

    def all_made_ahead(self) -> bool:
        """Whether every mode of :data:`AHEAD` has its screen laid out (made ahead, or open)."""
        return all(self._laid_out(mode) for mode in AHEAD)

    def drop_ahead(self) -> None:
        """The screens made ahead go (the settings changed: they were made with the old ones); the
        next quiet moments make them again."""
        for mode in sorted(self._made_ahead):
            if mode != self.current_mode and mode in self._modes:
                self.remove_mode(mode)
        self._made_ahead.clear()

    def mode_closed(self, mode: str) -> None:
        """A screen made ahead is made again once it is left, as soon as the screen shown instead is
        painted: its cost (a few steps of 5–15 ms; keys typed meanwhile go between them) is paid while
        the agent reads, not at the next opening. Keys waiting for their screen go first."""
        if mode in AHEAD and self.screens_ready is not None:
            self.call_after_refresh(self._make_again)

    def _make_again(self) -> None:
        if self.keys_waiting:
            self.run_worker(self._make_after_keys(), group="made-ahead", exclusive=True)
        else:
            self.build_ahead()

    async def _make_after_keys(self) -> None:
        await self.keys_delivered()
        self.call_after_refresh(self._make_again)  # after the frame that shows them

"""Top-level screens made ahead (issue 16: the time a screen takes to open).

F2, F3, F4, F9, F10 and Ctrl+F open screens that take nothing from the moment they open but the
counter's agency and the services: :class:`AheadMixin` makes each at the keyboard's quiet moments once
the warm-up is done (ui/quiet.py, ui/warm.py), one a moment: composed, mounted and laid out, not shown.
The booking form made ahead is F4's; the card's `r` gives it its motif (kind, channel, service) just
before showing it (``BookingScreen.take_choice``). The handoff form is made ahead too, whole (the fields
under its first screenful included), in a hidden mode (:data:`FORM`); the card's `t` takes it out
(:meth:`AheadMixin.form_made_ahead`), gives it the card's service and answers
(``HandoffScreen.take_card``) and pushes it over the search, where a form made at the key would go. One
form at a time: none is made ahead while one is open. Opening one is then a switch without a mask
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

from guichet.ui.modes import SEARCH, ModesMixin

if TYPE_CHECKING:
    from guichet.services import Services

FORM = "handoff-form"  # a hidden mode: the handoff form made ahead waits there, then goes over the search
AHEAD = ("agencies", "booking", FORM, "day_sheet", "handoffs", "finder", "settings")  # in the order they are made


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
        if mode == FORM:  # the card's `t` gives it its service and answers (ui/app.py: action_handoff)
            from guichet.ui.screens.handoff import HandoffScreen

            return HandoffScreen(self.services, cursor_blink=self.cursor_blink)
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
            if mode in self._screen_stacks or (mode == FORM and self.form_open()):
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
        return all(self._laid_out(mode) or (mode == FORM and self.form_open()) for mode in AHEAD)

    def form_open(self) -> bool:
        """A handoff form is over the search: `t` opens no other, and none is made ahead meanwhile (one
        form at a time: some 8 MB each)."""
        from guichet.ui.screens.handoff import HandoffScreen

        return self._screen_in(SEARCH, HandoffScreen) is not None

    def form_made_ahead(self) -> Screen[Any] | None:
        """The handoff form made ahead, whole (its tail mounted) and never shown, taken out of its hidden
        mode to be pushed over the search; None if there is none yet (the form is then made at the key).

        Textual's ``remove_mode`` would close the screen with its mode: the mode goes, the screen stays."""
        stack = self._screen_stacks.get(FORM)
        if FORM not in self._made_ahead or not stack or not self._laid_out(FORM) \
                or not getattr(stack[0], "complete", False):
            return None
        screen = stack[0]
        del self._screen_stacks[FORM]
        self._modes.pop(FORM, None)
        self._made_ahead.discard(FORM)
        return screen

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

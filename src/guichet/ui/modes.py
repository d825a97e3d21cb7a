"""The app's modes: the top-level screens are switched, never stacked.

:class:`ModesMixin`, which :class:`~guichet.ui.app.GuichetApp` inherits, opens, replaces and
leaves the modes (F2, F3, F4, F9, F10, Ctrl+F), keeps those holding a person's work, and asks
before anything typed is lost (:meth:`ModesMixin.ask_first`); the app keeps its bindings and
the actions that open each screen."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.await_complete import AwaitComplete
from textual.screen import Screen
from textual.widget import AwaitMount

if TYPE_CHECKING:
    from textual.app import App

    _AppBase = App[None]
else:
    _AppBase = object  # at run time a plain mixin: GuichetApp's other base is App itself

SEARCH = "search"  # the mode of the search screen, the app's first
# The app's actions that open a top-level screen: on that very screen their key does nothing
# useful, so F1, the palette and the key strip do not list it there.
OPENS = {"agencies": "AgenciesScreen", "day_sheet": "DaySheetScreen", "book": "BookingScreen",
         "handoffs": "HandoffsScreen", "settings": "SettingsScreen", "find": "FinderScreen",
         "stats": "StatsScreen"}
KEPT_MODES = frozenset({"booking", "finder"})  # kept when the agent switches away: they hold a person's work


def unsaved_work(screen: Screen[Any]) -> str | None:
    """What ``screen`` would lose if closed now (its ``unsaved_work()``), None if nothing."""
    method = getattr(screen, "unsaved_work", None)
    return method() if callable(method) else None


def _nothing() -> AwaitComplete:
    """An AwaitComplete with nothing to wait for (Textual's ``nothing()`` is not typed)."""
    done: AwaitComplete = AwaitComplete.nothing()  # type: ignore[no-untyped-call]
    return done


def lost_phrase(losses: list[str]) -> str:
    """``a``, ``a et b``, ``a, b et c``."""
    return losses[0] if len(losses) == 1 else f"{', '.join(losses[:-1])} et {losses[-1]}"


class ModesMixin(_AppBase):
    """The modes of :class:`~guichet.ui.app.GuichetApp` and the questions before losing typed work."""

    _came_from: dict[str, str]  # mode → the mode the agent was in when it opened (set by the app)
    _made_ahead: set[str]  # modes made ahead (ui/ahead.py) and never shown yet (set by the app)
    _switching = False  # inside Textual's switch_mode, whose delay_update is answered by a mask
    _switching_to_ready = False  # ... to a screen made ahead, complete: no mask, no delay (build_ahead)
    _masked = 0  # the mask holding the frames until the screen switched to is ready (0: none)
    _masks_made = 0
    MASK_LIMIT = 1.0  # seconds: a screen that takes longer to be ready is shown as it stands

    # -- the frames between two modes --------------------------------------------------------------
    def switch_mode(self, mode: str) -> AwaitMount:
        """Textual's, with its transition mask ended by the new screen being ready, not by a clock.

        Textual hides a switch behind ``delay_update()``: no frame for 50 ms. A screen whose mode is
        made now (F2, F9…) is composed and mounted within that time or after it; either way the agent
        waited the whole 50 ms, and the frame drawn meanwhile was thrown away. Here the frames are held
        until the new screen has handled the messages of the switch (mounted, resumed, laid out: no
        half-built screen is ever shown), and not a moment longer; :attr:`MASK_LIMIT` bounds it."""
        self._switching = True
        try:
            mounted = super().switch_mode(mode)
        finally:
            self._switching = False
        if self._masked:
            mask = self._masked
            unmask = partial(self._unmask, mask)
            self.screen.call_later(unmask)  # after the switch's messages, in the screen's own queue
            self.set_timer(self.MASK_LIMIT, unmask, name="mode mask limit")
        return mounted

    def delay_update(self, delay: float = 0.05) -> None:
        if not self._switching:
            super().delay_update(delay)
        elif self._switching_to_ready:
            return  # made ahead, laid out: its first frame is whole, drawn as the switch lays it out
        elif not self._masked:
            self._masks_made += 1
            self._masked = self._masks_made
            self._begin_batch()

    def _unmask(self, mask: int) -> None:
        if self._masked == mask:  # once, and not a later switch's mask
            self._masked = 0
            self._end_batch()
            if not self._batch_count:
                self.screen.refresh()

    # -- modes: the top-level screens are switched, never stacked --------------------------------
    def all_screens(self) -> list[Screen[Any]]:
        """Every screen the app holds, in every mode, the current mode's last."""
        stacks = [stack for mode, stack in self._screen_stacks.items() if mode != self.current_mode]
        return [screen for stack in [*stacks, self._screen_stacks[self.current_mode]] for screen in stack]

    def _losses(self, screens: list[Screen[Any]] | None = None) -> list[str]:
        """What closing ``screens`` (all of them by default) would lose, each said once."""
        found = (unsaved_work(screen) for screen in (self.all_screens() if screens is None else screens))
        return list(dict.fromkeys(text for text in found if text))

    def _mode_losses(self, mode: str) -> list[str]:
        return self._losses(list(self._screen_stacks.get(mode, [])))

    def _laid_out(self, mode: str) -> bool:
        """Whether the screen of ``mode`` has handled its first resume: composed, mounted, laid out."""
        stack = self._screen_stacks.get(mode)
        if not stack:
            return False
        return stack[0].stack_updates > 0

    def mode_closed(self, mode: str) -> None:
        """A top-level screen was closed (ui/ahead.py makes those of AHEAD again)."""

    def open_mode(self, mode: str, make: Callable[[], Screen[Any]]) -> None:
        """Show top-level ``mode`` (made by ``make`` if it is not open, nor made ahead), closing the
        mode left unless it keeps a person's work."""
        if mode == self.current_mode:
            return
        ready = mode in self._made_ahead and self._laid_out(mode)
        self._made_ahead.discard(mode)  # shown now: left, it is closed as any other
        if mode not in self._screen_stacks and mode in self._modes:
            self.remove_mode(mode)  # added but never shown: made again below
        if mode not in self._modes:
            self.add_mode(mode, lambda: self._styled_now(make()))
        left = self.current_mode
        self._came_from[mode] = left
        self._switching_to_ready = ready
        try:
            self.switch_mode(mode)
        finally:
            self._switching_to_ready = False
        if left != SEARCH and left not in KEPT_MODES and not self._mode_losses(left):
            self._close_mode(left)

    def _styled_now(self, screen: Screen[Any]) -> Screen[Any]:
        """``screen``, marked as styled by the stylesheet as it stands.

        Textual's ``switch_mode`` treats a new mode's screen as styled by an older stylesheet (its
        count starts at -1) and answers with ``refresh_css``: the whole stylesheet parsed again and
        every node of the app restyled, twice (once making the mode, once switching to it), some
        100 ms on each opening, and once more on the first return to the search (the app's first
        screen). A pushed screen gets no such pass, and needs none: a screen is styled as it mounts,
        and its own CSS, if new, is read by ``_load_screen_css``. A theme change still reaches it:
        that bumps the app's count past this one."""
        screen._css_update_count = self._css_update_count
        return screen

    def _close_mode(self, mode: str) -> None:
        self._came_from.pop(mode, None)
        self._made_ahead.discard(mode)
        if mode in self._modes and mode != self.current_mode:
            self.remove_mode(mode)
            self.mode_closed(mode)

    def _replace_mode(self, mode: str, make: Callable[[], Screen[Any]]) -> None:
        """Open ``mode`` afresh, dropping what it held."""
        came_from = self._came_from.get(mode, self.current_mode)
        if self.current_mode == mode:
            self.switch_mode(SEARCH)
        self._close_mode(mode)
        self.open_mode(mode, make)
        if came_from != mode:
            self._came_from[mode] = came_from

    def leave_mode(self) -> AwaitComplete:
        """Escape (or a dismiss) at the root of a top-level screen: back to the search, or to the
        form the agent came from when it holds unsaved work; the mode left is closed."""
        left = self.current_mode
        if left == SEARCH:
            return _nothing()
        back = self._came_from.get(left, SEARCH)
        if back == left or back not in self._screen_stacks or not self._mode_losses(back):
            back = SEARCH
        self.switch_mode(back)
        self._came_from.pop(left, None)
        if left in self._modes:
            removed = self.remove_mode(left)
            self.mode_closed(left)
            return removed
        return _nothing()

    def pop_screen(self) -> AwaitComplete:
        """Textual's, except at the root of a top-level screen (its dismiss): back as Escape goes."""
        if len(self._screen_stack) <= 1 and self.current_mode != SEARCH:
            return self.leave_mode()
        return super().pop_screen()

    def switch_screen(self, screen: Screen[Any] | str) -> AwaitComplete:
        """Textual's; a mode's root (made by its mode, not pushed) has no result callback for
        Textual to drop when it is replaced (the booking form by its confirmation)."""
        if self._screen_stack and not self._screen_stack[-1]._result_callbacks:
            self._screen_stack[-1]._push_result_callback(self, None)
        return super().switch_screen(screen)

    async def action_back(self) -> None:
        """Go back one step: the screen below, or from a top-level screen to the search."""
        if len(self._screen_stack) > 1:
            self.pop_screen()
        else:
            self.leave_mode()

    def _screen_in(self, mode: str, kind: type[Screen[Any]]) -> Screen[Any] | None:
        return next((s for s in self._screen_stacks.get(mode, []) if isinstance(s, kind)), None)

    # -- questions before losing what was typed ------------------------------------------------
    def ask_first(self, question: str, losses: list[str], then: Callable[[], object], *,
                  title: str = "Confirmer") -> None:
        """Run ``then`` at once when nothing would be lost, else after a « oui » to ``question``."""
        if not losses:
            then()
            return
        from guichet.ui.screens.ask import AskScreen

        if isinstance(self.screen, AskScreen):  # one question at a time (Ctrl+Q twice, Ctrl+N while asked)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                then()

        self.push_screen(AskScreen(f"{question} Vous perdrez : {lost_phrase(losses)}.", title=title), answered)

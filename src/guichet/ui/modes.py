"""The app's modes: the top-level screens are switched, never stacked.

:class:`ModesMixin`, which :class:`~guichet.ui.app.GuichetApp` inherits, opens, replaces and
leaves the modes (F2, F3, F4, F9, F10, Ctrl+F), keeps those holding a person's work, and asks
before anything typed is lost (:meth:`ModesMixin.ask_first`); the app keeps its bindings and
the actions that open each screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.await_complete import AwaitComplete
from textual.screen import Screen

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

    def open_mode(self, mode: str, make: Callable[[], Screen[Any]]) -> None:
        """Show top-level ``mode`` (made by ``make`` if it is not open), closing the mode left
        unless it keeps a person's work."""
        if mode == self.current_mode:
            return
        if mode not in self._screen_stacks and mode in self._modes:
            self.remove_mode(mode)  # added but never shown: made again below
        if mode not in self._modes:
            self.add_mode(mode, make)
        left = self.current_mode
        self._came_from[mode] = left
        self.switch_mode(mode)
        if left != SEARCH and left not in KEPT_MODES and not self._mode_losses(left):
            self._close_mode(left)

    def _close_mode(self, mode: str) -> None:
        self._came_from.pop(mode, None)
        if mode in self._modes and mode != self.current_mode:
            self.remove_mode(mode)

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
            return self.remove_mode(left)
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

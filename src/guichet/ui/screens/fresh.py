"""A screen's first showing without a second styling pass (issue 16: the time a screen takes to open).

Textual sends every screen it shows a ``ScreenResume`` whose default is to restyle the whole screen,
for a screen coming back after another changed what its styles depend on. A screen shown for the
first time was styled a moment before, as it was mounted: on a form of a hundred widgets the second
pass costs as much as the first (and a mode's screen gets two resumes, one as its mode is made, one
as it is switched to). :class:`FreshStart` drops the restyle of every resume before the screen's
first frame; every later one (back from a dialog, from another mode) restyles as Textual does.
A screen made ahead (ui/ahead.py) is resumed once, unseen, as its mode is made: its first frame is
the one drawn when it is first switched to; closed before it is done mounting, it runs none of its
mount and resume handlers.
"""

from __future__ import annotations

from textual import events
from textual.dom import DOMNode
from textual.message import Message
from textual.widget import Widget


class FreshStart:
    """Mixed into a Screen, before it: the resumes before its first frame do not restyle it again."""

    _resumed_once: bool = False  # a resume came: the screen is fresh until its next refresh ends
    _first_frame_shown: bool = False

    async def _on_message(self, message: Message) -> None:
        # A screen closed before it was done mounting (made ahead as the app quits, or as new settings
        # drop it: ui/ahead.py) has lost widgets, or never got them: its mount and resume handlers
        # would not find them.
        closing = getattr(self, "_pruning", False) or not self.app.is_running  # type: ignore[attr-defined]
        if closing and isinstance(message, events.Mount | events.ScreenResume):
            return
        await super()._on_message(message)  # type: ignore[misc]

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen's own handler (Textual dispatches along the class's MRO), which reads the flag.
        if self._first_frame_shown:
            return
        event.refresh_styles = False
        if not self._resumed_once:
            self._resumed_once = True
            self.call_after_refresh(self._first_frame)  # type: ignore[attr-defined]

    def _first_frame(self) -> None:
        if self.is_current:  # type: ignore[attr-defined]
            self._first_frame_shown = True
        else:  # made ahead (ui/ahead.py), laid out but not drawn: its first showing is still to come
            self._resumed_once = False


class StyledWhenMounted:
    """Mixed into the App: a widget not mounted yet is not restyled when its classes change.

    Textual restyles a node (and its children) whenever one of its classes changes, even when the
    node is still being built and belongs to no screen: ``compact=True`` on a field, a Select's
    value, a toggled class, each applied the whole stylesheet to it, about 5 ms a widget on the
    handoff form (issue 16). Mounting applies the whole stylesheet to every widget anyway, with
    the classes it has by then, so the earlier passes were thrown away."""

    def update_styles(self, node: DOMNode, animate: bool = True) -> None:
        if isinstance(node, Widget) and not node.is_attached:
            return
        super().update_styles(node, animate=animate)  # type: ignore[misc]

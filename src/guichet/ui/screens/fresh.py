"""A screen's first showing without a second styling pass (issue 16: the time a screen takes to open).

Textual sends every screen it shows a ``ScreenResume`` whose default is to restyle the whole screen,
for a screen coming back after another changed what its styles depend on. A screen shown for the
first time was styled a moment before, as it was mounted: on a form of a hundred widgets the second
pass costs as much as the first (and a mode's screen gets two resumes, one as its mode is made, one
as it is switched to). :class:`FreshStart` drops the restyle of every resume before the screen's
first frame; every later one (back from a dialog, from another mode) restyles as Textual does.
"""

from __future__ import annotations

from textual import events
from textual.dom import DOMNode
from textual.widget import Widget


class FreshStart:
    """Mixed into a Screen, before it: the resumes before its first frame do not restyle it again."""

    _resumed_once: bool = False  # a resume came: the screen is fresh until its next refresh ends
    _first_frame_shown: bool = False

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen's own handler (Textual dispatches along the class's MRO), which reads the flag.
        if self._first_frame_shown:
            return
        event.refresh_styles = False
        if not self._resumed_once:
            self._resumed_once = True
            self.call_after_refresh(self._first_frame)  # type: ignore[attr-defined]

    def _first_frame(self) -> None:
        self._first_frame_shown = True


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

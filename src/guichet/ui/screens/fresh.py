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

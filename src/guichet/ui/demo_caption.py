"""The demo's caption bar: the explanation of the step being played, and the presenter's keys."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from guichet.ui.demo_controls import PAUSED_HINT

__all__ = ["CaptionBar"]


class CaptionBar(Static):
    """The demo's explanation of the current step, just above the footer of the current screen."""

    DEFAULT_CSS = """
    CaptionBar {
        dock: bottom;
        margin-bottom: 1;
        height: auto;
        max-height: 4;
        padding: 0 1;
        background: $warning;
        color: auto 90%;
        text-style: bold;
    }
    """

    def __init__(self, caption: str, hint: str = "") -> None:
        super().__init__(self._content(caption, hint))
        self.caption = caption
        self.hint = hint

    @staticmethod
    def _content(caption: str, hint: str) -> Content:
        """The caption, literal; the presenter's keys after it, dimmed (on a line of their own when paused)."""
        if not hint:
            return Content(caption)
        separator = "\n" if hint == PAUSED_HINT else "   "
        return Content.assemble(caption, separator if caption else "", (hint, "not bold dim"))

    def show(self, caption: str, hint: str = "") -> None:
        if (caption, hint) != (self.caption, self.hint):
            self.caption, self.hint = caption, hint
            self.update(self._content(caption, hint))

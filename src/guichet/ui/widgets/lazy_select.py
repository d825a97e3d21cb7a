"""A Select that costs one widget until it is opened (issue 16: the handoff form's opening).

Textual's Select is five widgets: the Select, a line (SelectCurrent) made of three Statics (the
label and two arrows) and the list that drops down (SelectOverlay, an OptionList whose styles are
many). Measured in a bare app, mounting one took as long as four Inputs; the handoff form has six,
the settings two, and most are never opened. :class:`LazySelect` is the same Select (same value,
prompt, ``Changed`` message, keys and mouse) with a line that draws itself (:class:`SelectLine`)
and the list mounted the first time it opens.

It leans on ``textual.widgets._select`` (Textual is pinned in pyproject.toml):
``tests/ui/test_lazy_select.py`` checks every path through it (keys, mouse, prompt, blank, values).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Hashable
from typing import Any, Generic, TypeVar

from textual.content import Content
from textual.css.query import NoMatches
from textual.widgets import Select
from textual.widgets._select import NoSelection, SelectCurrent, SelectOverlay

SelectType = TypeVar("SelectType", bound=Hashable)


class SelectLine(SelectCurrent):
    """The current value (or the prompt, dimmed) and the arrow, drawn by this one widget."""

    DEFAULT_CSS = """
    SelectLine { height: 1; box-sizing: content-box; color: $foreground 50%; }
    SelectLine.-has-value { color: $foreground; }
    """

    def update(self, label: Any) -> None:
        """Show ``label`` (None: the prompt), as Textual's line does; its text is shown literally."""
        self.label = label
        self.has_value = label is not Select.NULL
        self.refresh()

    def compose(self) -> Any:
        return ()

    def render(self) -> Content:
        label = self.placeholder if isinstance(self.label, NoSelection) else self.label
        text = label if isinstance(label, Content) else Content(str(label))
        expanded = isinstance(self.parent, Select) and self.parent.expanded
        arrow = Content.styled(" ▲" if expanded else " ▼", "dim")
        width = self.content_size.width
        if width > 2:
            text = text.truncate(width - 2, ellipsis=True, pad=True)
        return text + arrow


class LazySelect(Select[SelectType], Generic[SelectType]):
    """Textual's Select, with :class:`SelectLine` and its list mounted when first opened."""

    DEFAULT_CSS = """
    LazySelect.-textual-compact > SelectLine { padding: 0 1 0 0; }
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._list: SelectOverlay | None = None  # set when its mount begins (never two)
        self._list_mounted: asyncio.Task[None] | None = None

    def compose(self) -> Any:
        yield SelectLine(self.prompt)

    def _overlay(self) -> SelectOverlay | None:
        """The list, once mounted."""
        return self._list if self._list is not None and self._list.is_attached else None

    async def _mount_list(self) -> SelectOverlay:
        if self._list is None:
            self._list = SelectOverlay(type_to_search=self._type_to_search)
            self._list.compact = self.compact
            self._list_mounted = asyncio.create_task(self._mount_and_fill(self._list))
        assert self._list_mounted is not None
        await self._list_mounted
        return self._list

    async def _mount_and_fill(self, overlay: SelectOverlay) -> None:
        await self.mount(overlay)
        super()._setup_options_renderables()
        self._highlight_value(overlay)

    def _highlight_value(self, overlay: SelectOverlay) -> None:
        for index, (_prompt, value) in enumerate(self._options):
            if value == self.value and value != self.NULL:
                overlay.highlighted = index
                return

    def _setup_options_renderables(self) -> None:
        if self._overlay() is not None:
            super()._setup_options_renderables()

    def _watch_value(self, value: SelectType | NoSelection) -> None:
        """Textual's, with the list optional."""
        self._value = value
        try:
            line = self.query_one(SelectCurrent)
        except NoMatches:
            return
        if value == self.NULL:
            line.update(self.NULL)
        else:
            for index, (prompt, option_value) in enumerate(self._options):
                if option_value == value:
                    overlay = self._overlay()
                    if overlay is not None:
                        overlay.highlighted = index
                    line.update(prompt)
                    break
        self.post_message(self.Changed(self, value))

    def _watch_prompt(self, prompt: str) -> None:
        """Textual's, with the list optional."""
        if not self.is_mounted:
            return
        line = self.query_one(SelectCurrent)
        line.placeholder = prompt
        line.refresh()
        if not self._allow_blank:
            return
        if self.value == self.NULL:
            line.update(self.NULL)
        overlay = self._overlay()
        if overlay is not None:
            from rich.text import Text

            overlay.replace_option_prompt_at_index(0, Text(prompt, style="dim"))

    def _watch_expanded(self, expanded: bool) -> None:
        if expanded and self._overlay() is None:  # opened by the mouse before the list exists
            self.call_later(self._open_when_mounted)
            return
        super()._watch_expanded(expanded)
        self._refresh_line()

    async def _open_when_mounted(self) -> None:
        await self._mount_list()
        if self.expanded:
            super()._watch_expanded(True)
            self._refresh_line()

    def _refresh_line(self) -> None:
        with contextlib.suppress(NoMatches):
            self.query_one(SelectCurrent).refresh()

    def action_show_overlay(self) -> None:
        if self._overlay() is not None:
            super().action_show_overlay()
        else:  # a message to itself: keys typed meanwhile wait for it (ui/typeahead.py)
            self.call_later(self._show_when_mounted)

    async def _show_when_mounted(self) -> None:
        await self._mount_list()
        super().action_show_overlay()

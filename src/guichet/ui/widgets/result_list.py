"""The search's result list: Textual's OptionList, without drawing every result again at each key.

Each keystroke replaces the results. Textual's OptionList forgets, with its options, everything it
had computed for them: the wrapped text of each title and the lines drawn from it, some 12 ms a key
for a dozen results (issue 16: keystroke → frame). Typing one more letter mostly brings back the
same services, so :class:`ResultList` gives each service one :class:`Option` for good (its wrapped
text and height stay on it, as Textual keeps them) and keeps the lines drawn for it, by width,
style, and place in the list (a line carries its index for the mouse), across replacements; a
theme or focus change gives other styles, hence lines drawn anew.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from textual.cache import LRUCache
from textual.content import Content
from textual.strip import Strip
from textual.style import Style
from textual.widgets import OptionList
from textual.widgets.option_list import Option

DRAWN_KEPT = 512  # lines drawn for (service, width, style, place): a dozen places × a few styles × the services met


class ResultList(OptionList):
    """An OptionList whose options are the services found; :meth:`show` replaces them."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._options_by_id: dict[str, Option] = {}
        self._drawn: LRUCache[tuple[Any, ...], list[Strip]] = LRUCache(DRAWN_KEPT)

    def show(self, entries: Iterable[tuple[str, Callable[[], Content]]]) -> None:
        """Replace the options with ``entries`` (an id, and how to make its prompt the first time);
        the same services in the same order change nothing (Textual would draw them all again)."""
        options = []
        for key, prompt in entries:
            option = self._options_by_id.get(key)
            if option is None:
                option = self._options_by_id[key] = Option(prompt(), id=key)
            options.append(option)
        shown = self.options
        if len(options) == len(shown) and all(new is old for new, old in zip(options, shown, strict=True)):
            return  # the same services in the same order (a letter more, same answer): nothing to draw again
        self.clear_options()
        self.add_options(options)

    def _get_option_render(self, option: Option, style: Style) -> list[Strip]:
        padding = self.get_component_styles("option-list--option").padding
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        key = (option.id, self._option_to_index[option], style, padding, width)
        strips = self._drawn.get(key)
        if strips is None:
            strips = super()._get_option_render(option, style)
            self._drawn.set(key, strips)
        return strips

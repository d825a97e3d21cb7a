"""Updating a Static only when what it shows changes (issue 16: the lists' periodic refresh).

``Static.update`` lays the whole screen out again, even with the very text it already shows; the
day sheet's periodic refresh, finding the same appointments, updated its two lines of text each
time and paid for a layout of the screen and a frame for nothing. Textual's ``Content`` compares
its text only (for sorting): styles are compared here too.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


def _same(shown: object, new: object) -> bool:
    if type(shown) is not type(new):
        return False
    if isinstance(shown, Content) and isinstance(new, Content):
        return shown.plain == new.plain and shown.spans == new.spans
    return isinstance(new, str) and shown == new


def set_text(static: Static, content: Content | str) -> None:
    """``static.update(content)``, unless ``static`` shows exactly that already; without a layout of
    the screen when the new text takes as many lines as the old one (a count that changes)."""
    if _same(static.content, content):
        return
    size = static.content_size
    width = static.styles.width  # None: as wide as its container, like 1fr
    if not static.is_mounted or not size or (width is not None and width.is_auto):
        static.update(content)
        return
    static.update(content, layout=False)
    if static.get_content_height(static.container_size, static.app.size, size.width) != size.height:
        static.refresh(layout=True)  # one line more or fewer: the screen is laid out again

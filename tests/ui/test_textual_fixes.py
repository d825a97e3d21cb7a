"""Textual bugs worked around in ui/textual_fixes.py: each fix works, and is still needed."""

from __future__ import annotations

import gc
import weakref

from textual._styles_cache import StylesCache

from guichet.ui import textual_fixes
from guichet.ui.widgets.counter_header import CounterHeader
from tests.ui.conftest import AppFactory
from tests.ui.test_screens import settle

SIZE = (80, 24)


async def test_a_closed_form_leaves_no_rendered_lines_behind(make_app: AppFactory) -> None:
    """Textualize/textual#6665: every widget a screen drew stayed pinned, with its rendered lines, by
    an lru_cache on a method; and the comment field, with what was typed in it, stayed among the app's
    theme watchers. Open the handoff form, close it: its widgets and the lines they drew go with it."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"separation", "enter")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        form = app.screen
        assert type(form).__name__ == "HandoffScreen"
        header = form.query_one(CounterHeader)
        others = [widget for widget in form.walk_children() if widget is not header and header not in widget.ancestors]
        caches = [(type(widget).__name__, weakref.ref(widget._styles_cache)) for widget in others]
        widgets = [(type(widget).__name__, weakref.ref(widget)) for widget in others]
        del header, others
        assert len(caches) > 50
        del form
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "SearchScreen"
        app.quiet_moment()  # the keyboard quiet for a moment (ui/quiet.py): the comment field's watcher goes
        gc.collect()
        alive = [name for name, cache in caches if cache() is not None]
        # The header (its clock) may stay a while: its cancelled timer holds it until the event loop
        # drops the timer as it falls due. Without the fix, every other widget stays too.
        assert alive == []
        assert [name for name, widget in widgets if widget() is not None] == []


def test_the_fix_is_installed_and_textual_still_needs_it() -> None:
    """When Textual fixes #6665 itself, this says so: remove the fix from ui/textual_fixes.py."""
    textual_fixes.apply()  # as GuichetApp does
    assert StylesCache.__dict__["get_inner_outer"] is textual_fixes._get_inner_outer
    assert textual_fixes.TEXTUAL_HAD_6665, "Textual fixed #6665: the workaround in ui/textual_fixes.py can go"

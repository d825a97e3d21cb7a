"""Textual bugs worked around in ui/textual_fixes.py: each fix works, and is still needed."""

from __future__ import annotations

import gc
import weakref
from types import SimpleNamespace
from typing import Any

import pytest
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


class _Target:
    """A timer's event target (Textual keeps a weak reference to it)."""


async def _ticks_after_a_long_one(run: Any, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Run a 1 s timer whose first tick takes 1.5 s, on a fake clock; the clock times of its ticks."""
    from textual import _time as textual_time
    from textual import timer as textual_timer
    from textual._context import active_app

    now = [0.0]
    ticks: list[float] = []

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    def tick() -> None:
        ticks.append(now[0])
        if len(ticks) == 1:
            now[0] += 1.5  # a frame longer than the timer's interval

    monkeypatch.setattr(textual_time, "get_time", lambda: now[0])
    monkeypatch.setattr(textual_timer, "sleep", sleep)  # Textual's own _run sleeps with this one
    monkeypatch.setattr(textual_time, "sleep", sleep)  # the fixed copy, with textual._time's
    target = _Target()
    timer = textual_timer.Timer(target, 1.0, callback=tick, repeat=4)  # type: ignore[arg-type]
    def fail(error: Exception) -> None:
        raise error

    app = SimpleNamespace(_exit=False, features=frozenset(), _handle_exception=fail)  # what a tick reads of the app
    token = active_app.set(app)  # type: ignore[arg-type]
    try:
        await run(timer)  # a few ticks on the fake clock: the first two tell
    finally:
        active_app.reset(token)
    return ticks[:2]


async def test_a_late_timer_ticks_at_its_next_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    """The screen's update timer after a frame longer than its interval: the next frame comes at the
    next tick (3 s here), not one interval later (4 s: Textual's ``Timer._run``, which the fix replaces;
    up to 33 ms instead of 16.7 before a keystroke shows, after every heavy frame)."""
    assert await _ticks_after_a_long_one(textual_fixes._timer_run, monkeypatch) == [1.0, 3.0]


async def test_textual_still_skips_a_tick(monkeypatch: pytest.MonkeyPatch) -> None:
    """When Textual fixes its late timer, this says so: remove the fix from ui/textual_fixes.py."""
    assert textual_fixes.TEXTUAL_TIMER_SKIPS_A_TICK
    original = textual_fixes._TEXTUAL_TIMER_RUN
    assert await _ticks_after_a_long_one(original, monkeypatch) == [1.0, 4.0]


def _slot(name: str) -> Any:
    """The member descriptor of one of Strip's slots (under the fix's descriptor once it is installed)."""
    from textual.strip import Strip

    held = Strip.__dict__[name]
    return held.slot if isinstance(held, textual_fixes._MadeOnFirstUse) else held


def _caches_made(strip: Any) -> list[str]:
    made = []
    for name in textual_fixes._STRIP_CACHES:
        try:
            _slot(name).__get__(strip)
        except AttributeError:
            continue
        made.append(name)
    return made


def test_a_line_drawn_makes_its_caches_only_when_they_are_used() -> None:
    """A Strip (a line drawn) makes no cache until one is asked for, then only that one; what it
    caches is kept and the line draws as before."""
    from rich.segment import Segment
    from textual.strip import Strip

    textual_fixes.apply()  # as GuichetApp does
    line = Strip([Segment("Caf des Hauts-de-Seine")])
    assert _caches_made(line) == []
    cropped = line.crop(4, 7)
    assert cropped.text == "des"
    assert line.crop(4, 7) is cropped  # the crop cache works
    assert _caches_made(line) == ["_crop_cache"]
    assert _caches_made(cropped) == []
    assert [part.text for part in line.divide([3, 7, 22])] == ["Caf", " des", " Hauts-de-Seine"]
    assert _caches_made(line) == ["_divide_cache", "_crop_cache"]
    assert line.cell_length == 22


def test_textual_still_makes_every_cache_of_a_line() -> None:
    """When Textual makes a Strip's caches on first use itself, this says so: remove the fix from
    ui/textual_fixes.py (its copy of ``Strip.__init__`` also follows Textual 8.2's slots)."""
    from rich.segment import Segment
    from textual.strip import Strip

    line = Strip.__new__(Strip)
    textual_fixes._TEXTUAL_STRIP_INIT(line, [Segment("x")])
    assert _caches_made(line) == list(textual_fixes._STRIP_CACHES)
    assert set(Strip.__slots__) == {*textual_fixes._STRIP_CACHES, "_segments", "_cell_length", "_render_cache",
                                    "_link_ids", "_cell_count"}


async def _one_shot_held_at_its_start(run: Any, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Run a one-shot 4 ms timer (``set_timer``) whose thread is held 10 ms between reading its start
    and the time (a worker holding the interpreter), on a fake clock; the clock times of its ticks."""
    from textual import _time as textual_time
    from textual import timer as textual_timer
    from textual._context import active_app

    now = [0.0]
    reads = [0]
    ticks: list[float] = []

    def get_time() -> float:
        reads[0] += 1
        if reads[0] == 2:  # just after the timer read its start
            now[0] += 0.010
        return now[0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    monkeypatch.setattr(textual_time, "get_time", get_time)
    monkeypatch.setattr(textual_timer, "sleep", sleep)
    monkeypatch.setattr(textual_time, "sleep", sleep)
    target = _Target()
    timer = textual_timer.Timer(target, 0.004, callback=lambda: ticks.append(now[0]), repeat=0)  # type: ignore[arg-type]

    def fail(error: Exception) -> None:
        raise error

    app = SimpleNamespace(_exit=False, features=frozenset(), _handle_exception=fail)
    token = active_app.set(app)  # type: ignore[arg-type]
    try:
        await run(timer)
    finally:
        active_app.reset(token)
    return ticks


async def test_a_late_one_shot_timer_fires(monkeypatch: pytest.MonkeyPatch) -> None:
    """``set_timer`` whose start came late fires, once, at once (the typeahead's 4 ms poll, started while
    the warm-up's worker held the interpreter, never fired: the keys it was to send waited for the next
    key typed, « Awa Diallo » never complete in a test under load)."""
    assert await _one_shot_held_at_its_start(textual_fixes._timer_run, monkeypatch) == [0.010]


async def test_textual_still_drops_a_late_one_shot_timer(monkeypatch: pytest.MonkeyPatch) -> None:
    """When Textual fires a late one-shot timer, this says so (the fix above still does what it did)."""
    assert await _one_shot_held_at_its_start(textual_fixes._TEXTUAL_TIMER_RUN, monkeypatch) == []

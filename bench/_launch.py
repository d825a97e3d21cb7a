"""Child process of the start-up and memory benchmarks (not run by hand).

``python bench/_launch.py startup guichet|bare``: runs ``python -m guichet`` (through runpy, so
the import path is the real one: guichet.__main__ → cli.main → make_services → ui.app.run_app)
or the bare app, headless at 100x30. At the first frame that shows the main screen ready for
typing (focus in the Input, the list filled) it notes the time since ``BENCH_T0`` (the parent's
``time.monotonic()`` just before it started this process), the peak RSS so far, the time spent
in garbage collection and whether SQLAlchemy/SQLModel/rapidfuzz were imported before that
frame; then it types FIRST_KEY at once, as an agent who does not wait, and notes the time from
that key to the frame showing its results (``first_search_ms``: the first search must not be
slower for all that start-up left for later). Then it prints one JSON line and leaves at once
with ``os._exit``.

``python bench/_launch.py memory guichet|guichet-rested|bare|bare-storage|bare-libs``: drives a counter session
(see ``_session``) and prints the peak RSS of the process; ``guichet-rested`` starts it once guichet
has rested (the warm-up of the first quiet moment done, the top-level screens made ahead), as a
counter's day does; ``bare-storage`` is the bare session plus the SQLModel stack (imported, an
engine, one query), the floor of any app on that stack; ``bare-libs`` adds guichet's other libraries
(rapidfuzz, opening-hours, PyStemmer), each used once.

``BENCH_PROFILE=FILE`` profiles the start-up (cProfile, until the first frame) into FILE.

Deliberately light: only the standard library before the app's own imports.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from typing import Any

T0 = float(os.environ.get("BENCH_T0", "0")) or time.monotonic()
PROFILE = os.environ.get("BENCH_PROFILE", "")  # a file: cProfile until the first frame (pstats format)
SIZE = (100, 30)
FIRST_KEY = "a"  # typed as soon as the main screen is ready (« apl », « aah », « allocation »…)
BENCH = os.path.dirname(os.path.abspath(__file__))
_gc_ms = [0.0, 0.0]  # time spent collecting garbage so far; start of the current collection


def _collected(phase: str, _info: dict[str, int]) -> None:
    if phase == "start":
        _gc_ms[1] = time.perf_counter()
    else:
        _gc_ms[0] += (time.perf_counter() - _gc_ms[1]) * 1000


gc.callbacks.append(_collected)


def _peak_rss_mb() -> float:
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB elsewhere


def _report(facts: dict[str, Any]) -> None:
    import json  # here, not at the top: the measured start-up is the app's own

    os.write(1, (json.dumps(facts) + "\n").encode())


def _ready(app: Any, screen: Any) -> bool:
    """The main screen is on top, the Input has the focus and the result list is filled."""
    from textual.widgets import Input, OptionList

    if screen is not app.screen or not isinstance(app.focused, Input):
        return False
    return any(found.option_count for found in screen.query(OptionList))


def _patch_app(app_module: Any) -> None:
    """Run headless at SIZE, and at the first frame showing the ready main screen report and leave."""
    from textual._compositor import CompositorUpdate

    App = app_module.App
    run, display = App.run, App._display

    def headless_run(self: Any, **options: Any) -> Any:
        options.update(headless=True, size=SIZE)
        return run(self, **options)

    facts: dict[str, Any] = {}
    typed: dict[str, float] = {}  # FIRST_KEY → when it was handed to the driver

    def first_frame(self: Any, screen: Any, renderable: Any) -> None:
        display(self, screen, renderable)
        if renderable is None:
            return
        if isinstance(renderable, CompositorUpdate):
            renderable.render_segments(self.console)  # the bytes a terminal would receive
        if not facts and _ready(self, screen):
            elapsed = time.monotonic() - T0
            facts.update({
                "ms": elapsed * 1000, "rss_mb": _peak_rss_mb(), "modules": len(sys.modules),
                "gc_objects": len(gc.get_objects()), "gc_ms": _gc_ms[0],
                **{name: name in sys.modules for name in ("sqlalchemy", "sqlmodel", "rapidfuzz", "pydantic")},
            })
            if PROFILE:
                _profiler.disable()
                _profiler.dump_stats(PROFILE)
            _type_first_key(self, screen, typed)
        elif typed.get("shown"):
            facts["first_search_ms"] = (time.monotonic() - typed["at"]) * 1000
            _report(facts)
            os._exit(0)

    def _type_first_key(app: Any, screen: Any, typed: dict[str, float]) -> None:
        """The agent types at once: FIRST_KEY, handed to the driver as a terminal's would be."""
        from _common import key_event

        owner = screen if hasattr(screen, "show_results") else app
        show_results = owner.show_results

        def shown(text: str, **options: Any) -> None:
            show_results(text, **options)
            if text == FIRST_KEY:
                typed["shown"] = 1.0

        owner.show_results = shown

        def press() -> None:
            typed["at"] = time.monotonic()
            app._driver.process_message(key_event(FIRST_KEY))

        def give_up() -> None:
            _report(facts)  # no first_search_ms: the results never showed
            os._exit(0)

        app.call_later(press)
        app.set_timer(10, give_up)

    App.run = headless_run
    App._display = first_frame


class _PatchTextualApp:
    """A meta path finder that patches ``textual.app`` right after the app under test imports it.

    Importing Textual here, before the app's own entry point, would take that import out of the
    app's hands (guichet pauses the garbage collector before it imports anything heavy)."""

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name != "textual.app":
            return None
        import importlib.machinery

        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        loader, execute = spec.loader, spec.loader.exec_module

        def exec_module(module: Any) -> None:
            execute(module)
            _patch_app(module)

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def _patch_for_startup() -> None:
    sys.meta_path.insert(0, _PatchTextualApp())


def startup(which: str) -> None:
    _patch_for_startup()
    if which == "guichet":
        import runpy

        sys.argv = ["guichet"]
        from guichet.cli import common  # headless here: `guichet` would refuse a pipe for a terminal

        common.has_terminal = lambda: True
        runpy.run_module("guichet", run_name="__main__", alter_sys=True)
    else:
        sys.path.insert(0, BENCH)
        from bare_app import BareApp

        BareApp().run()
    _report({"error": "the app ended before its first frame"})


async def _session(which: str) -> list[str]:
    """Search, book (F4, workers done), a handoff for « separation », the day sheet (F3), the handoffs'
    follow-up (F9); the bare app types the same two texts."""
    typed = ["apl pas versee", "separation"]
    seen: list[str] = []
    if which in ("bare", "bare-storage", "bare-libs"):
        sys.path.insert(0, BENCH)
        from bare_app import BareApp

        bare = BareApp(cursor_blink=False)
        async with bare.run_test(size=SIZE) as pilot:
            for text in typed:
                await pilot.press(*text)
                await pilot.press("enter")
                seen.append(f"{type(bare.screen).__name__}:{bare.shown}")
                bare.query_one("Input").value = ""  # type: ignore[attr-defined]
                await pilot.pause()
        if which in ("bare-storage", "bare-libs"):
            seen.append(_bare_storage())
        if which == "bare-libs":
            seen.append(_bare_libs())
        return seen

    from guichet.services import make_services
    from guichet.settings import load_settings
    from guichet.ui.app import GuichetApp
    from guichet.ui.workers import workers_done

    services = make_services(load_settings())
    app = GuichetApp(services, cursor_blink=False)
    try:
        async with app.run_test(size=SIZE) as pilot:
            if which == "guichet-rested":  # started, then idle: warmed up, top-level screens made ahead
                sys.path.insert(0, BENCH)
                from _common import screens_warmed

                await screens_warmed(app)
                seen.append("at rest")
            await pilot.press(*typed[0])
            seen.append(type(app.screen).__name__)
            await pilot.press("f4")
            await pilot.pause()
            await workers_done(app)
            await pilot.pause()
            seen.append(f"{type(app.screen).__name__}:{len(getattr(app.screen, 'slots', []))} slots")
            await pilot.press("escape")
            await pilot.press("ctrl+n", *typed[1], "enter", "t")
            await pilot.pause()
            await workers_done(app)
            await pilot.pause()
            seen.append(type(app.screen).__name__)
            await pilot.press("escape")  # the form is empty: it closes without asking
            for key in ("f3", "f9"):  # the day sheet, then the handoffs' follow-up
                await pilot.press(key)
                await pilot.pause()
                await workers_done(app)
                await pilot.pause()
                seen.append(type(app.screen).__name__)
    finally:
        services.close()
    return seen


def _bare_storage() -> str:
    """What any SQLModel application pays: the stack imported, an engine on a SQLite file, one query."""
    import tempfile

    import sqlmodel
    from sqlalchemy import text

    with tempfile.TemporaryDirectory(prefix="guichet-bench-storage-") as temp:
        engine = sqlmodel.create_engine(f"sqlite:///{temp}/bare.sqlite3")
        with sqlmodel.Session(engine) as session:
            answer = session.connection().execute(text("select 1")).scalar_one()
        engine.dispose()
    return f"sqlmodel select {answer}"


def _bare_libs() -> str:
    """What any app on guichet's other libraries pays: rapidfuzz (a typo looked up), opening-hours (an
    agency's hours with France's holidays, evaluated), PyStemmer (a French word stemmed)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import opening_hours
    import Stemmer
    from rapidfuzz import process
    from rapidfuzz.distance import OSA, Levenshtein

    paris = ZoneInfo("Europe/Paris")
    hours = opening_hours.OpeningHours("Mo-Fr 08:30-12:30; PH off", timezone=paris, country="FR")
    state = hours.state(datetime(2026, 12, 25, 10, 0, tzinfo=paris))
    found = process.extract("logment", ["logement", "allocation"], scorer=Levenshtein.distance, limit=1)
    stem = Stemmer.Stemmer("french").stemWord("allocations")
    return f"libs {state} {found[0][0]} {OSA.distance('ab', 'ba')} {stem}"


def memory(which: str) -> None:
    import asyncio

    seen = asyncio.run(_session(which))
    _report({"rss_mb": _peak_rss_mb(), "seen": seen,
             **{name: name in sys.modules for name in ("sqlalchemy", "sqlmodel", "rapidfuzz", "pydantic")}})


if __name__ == "__main__":
    if PROFILE:
        import cProfile

        _profiler = cProfile.Profile()
        _profiler.enable()
    mode, which = sys.argv[1], sys.argv[2]
    {"startup": startup, "memory": memory}[mode](which)

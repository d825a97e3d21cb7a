"""Scripted demo sessions: the player that plays a demo script against the real app.

The script model and its loading (:class:`Script`, :class:`Step`, :func:`load_script`,
:func:`shipped_scripts`, :func:`is_key_name`) live in :mod:`guichet.ui.demo_script` and are
re-exported here; this module drives the app: timing, the caption bar, snapshots, the report.

The app runs on a throwaway database in a temporary directory, removed at the end. On screen,
the script plays at a human pace; ``speed`` divides every delay (2 = twice as fast). Headless,
it plays as fast as the app allows unless a ``speed`` is given: no typing delay, no reading
time, no pause; only the waits for readiness are kept (the database workers have finished, the
new screen is shown), so the steps happen in the same order on the same screens. Each caption
goes to ``on_caption`` as it is reached (``guichet demo --headless`` prints it).

On screen, the presenter pauses, resumes and steps through the script with the keys of
:mod:`guichet.ui.demo_controls`; the caption bar names them, discreetly.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import random
import tempfile
import time
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from guichet.domain.clock import FixedClock
from guichet.paths import Paths
from guichet.services import make_services
from guichet.settings import Settings
from guichet.tomlcheck import DataError
from guichet.ui.app import SCREEN_TITLES, GuichetApp
from guichet.ui.demo_caption import CaptionBar
from guichet.ui.demo_controls import DemoApp, DemoControls
from guichet.ui.demo_script import Script, Step, is_key_name, load_script, shipped_scripts
from guichet.ui.workers import workers_done

__all__ = [
    "KEY_DELAY", "PRESS_DELAY", "READ_DELAY", "SCREENSHOT_SIZE", "UNTITLED", "WAIT_TIMEOUT",
    "CaptionBar", "CaptionHook", "DemoApp", "DemoControls", "FinishHook", "RunReport", "Script", "Sleep", "Step",
    "generate_screenshots", "is_key_name", "load_script", "play", "run_script", "screen_title",
    "shipped_scripts", "show_caption",
]

SCREENSHOT_SIZE = (100, 30)
KEY_DELAY = 0.08  # seconds per typed character at speed 1
PRESS_DELAY = 0.35  # seconds after each pressed key at speed 1, so that the eye can follow
READ_DELAY = (1.5, 0.045)  # a caption stays at least 1.5 s, plus 45 ms per character, at speed 1
WAIT_TIMEOUT = 30.0  # seconds for the database workers of one ``wait`` step
UNTITLED = "écran sans titre"
THE_END = "Fin de la démonstration : Ctrl+Q pour quitter."
THE_END_SERVED = "Fin de la démonstration : rechargez la page pour la rejouer."


@dataclass(slots=True)
class RunReport:
    """What a run did: steps played, snapshots written, the screen it ended on (``final_screen``:
    its class, for tests; ``final_title``: its French title, for people)."""

    script: str
    steps_total: int
    steps_played: int = 0
    snapshots: list[Path] = field(default_factory=list)
    final_screen: str = ""
    final_title: str = ""
    seconds: float = 0.0

    @property
    def completed(self) -> bool:
        return self.steps_played == self.steps_total


FinishHook = Callable[[GuichetApp], object]
CaptionHook = Callable[[str], object]
Sleep = Callable[[float], Awaitable[None]]  # one human-pace delay, in seconds (tests inject a recorder)


# -- the caption bar (ui/demo_caption.py) -------------------------------------------------
def _hint(app: GuichetApp) -> str:
    controls = getattr(app, "demo_controls", None)
    return controls.hint() if isinstance(controls, DemoControls) else ""


async def show_caption(app: GuichetApp, text: str) -> None:
    """Show ``text`` in the caption bar of the current screen (mounted on first use), with the
    presenter's keys when a presenter can use them. Nothing once the app is closing."""
    if not _alive(app):
        return
    bars = app.screen.query(CaptionBar)
    if bars:
        bars.first().show(text, _hint(app))
    elif text or _hint(app):
        await app.screen.mount(CaptionBar(text, _hint(app)))


# -- playing -------------------------------------------------------------------------------
def _alive(app: GuichetApp) -> bool:
    return app.is_running and app.return_code is None


def _controls(app: GuichetApp) -> DemoControls:
    """The presenter's controls of a :class:`DemoApp`; none (never paused) for a plain app."""
    return app.demo_controls if isinstance(app, DemoApp) else DemoControls(enabled=False)


async def _sleep(app: GuichetApp, seconds: float) -> None:
    """Sleep in small slices, so that an agent quitting the app stops the demo at once; the
    presenter's pause stops the count (see :meth:`DemoControls.delay`)."""
    await _controls(app).delay(seconds, lambda: _alive(app))


async def _press(pilot: Pilot[Any], key: str) -> None:
    """Press ``key`` as ``Pilot.press`` does (then wait for the screen), with the player's mark."""
    app = pilot.app
    assert isinstance(app, GuichetApp)
    app.post_message(_controls(app).key(key))
    await pilot.pause()
    await app.animator.wait_until_complete()
    await pilot.pause()


def screen_title(screen: object) -> str:
    """The French title of ``screen`` for a person: never its class name."""
    title = SCREEN_TITLES.get(type(screen).__name__)
    if title:
        return title
    own = getattr(type(screen), "TITLE", None)
    return own if isinstance(own, str) and own.strip() and own != "guichet" else UNTITLED


async def _settle(pilot: Pilot[Any], *, paused: bool = False) -> None:
    """Readiness without a human pace: the screen has processed its messages (``paused``: the
    caller already waited for that, as ``Pilot.press`` does), every key typed has reached its
    screen, and the database workers have finished (a ``wait`` step's timeout, but no error:
    that is the ``wait`` step's)."""
    app = pilot.app
    assert isinstance(app, GuichetApp)
    if not paused:
        await pilot.pause()
    if app.keys_waiting:  # keys typed ahead wait for their screen (ui/typeahead.py): idle is not done
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(app.keys_delivered(), timeout=WAIT_TIMEOUT)
        await pilot.pause()
    if any(not worker.is_finished for worker in app.workers):
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(workers_done(app), timeout=WAIT_TIMEOUT)
        await pilot.pause()


async def _type_at_once(pilot: Pilot[Any], text: str) -> None:
    """Type ``text`` without waiting for the app to be idle after each key (``Pilot.press`` waits
    at least 40 ms per key): the keys are queued in order, then the app settles once. Only into a
    text field, where a key cannot open a screen; elsewhere, one key at a time as on screen."""
    app = pilot.app
    assert isinstance(app, GuichetApp)
    if not isinstance(app.focused, Input | TextArea):
        for character in text:
            await _press(pilot, character)
        return
    for character in text:
        app.post_message(_controls(app).key(character if character.isalnum() else _character_to_key(character),
                                            character))
    await _settle(pilot)


async def _wait_for_workers(pilot: Pilot[Any], script: Script, step: Step, index: int) -> None:
    app = pilot.app
    deadline = time.monotonic() + WAIT_TIMEOUT
    while (left := deadline - time.monotonic()) > 0:  # an answer may start another worker (slot taken: reload)
        try:
            await asyncio.wait_for(workers_done(app), timeout=left)
        except TimeoutError:
            break
        await pilot.pause()
        if all(worker.is_finished for worker in app.workers):
            return
    raise DataError(str(script.path), step.line, f"step[{index}].wait",
                    f"the database workers were still running after {WAIT_TIMEOUT:g} s")


async def _snapshot(pilot: Pilot[Any], script: Script, step: Step, index: int, output_dir: Path) -> Path:
    app = pilot.app
    bars = list(app.screen.query(CaptionBar))
    for bar in bars:
        bar.display = False
    app.clear_notifications()  # a passing toast (« Question rapide comptée ») would hide the screen in a still
    await pilot.pause()
    svg = app.export_screenshot(title=f"guichet — {script.title}")
    for bar in bars:
        bar.display = True
    await pilot.pause()
    target = output_dir / f"{script.name}-{step.text}.svg"
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        target.write_text(svg, encoding="utf-8")
    except OSError as exc:
        raise DataError(str(script.path), step.line, f"step[{index}].snapshot",
                        f"cannot write {target}: {exc.strerror}") from None
    return target


async def play(pilot: Pilot[Any], script: Script, report: RunReport, *, speed: float | None,
               output_dir: Path | None = None, on_finish: FinishHook | None = None,
               on_caption: CaptionHook | None = None, sleep: Sleep | None = None) -> None:
    """Play the steps of ``script`` on the app driven by ``pilot``, counting them in ``report``.

    ``speed`` divides the human-pace delays; ``None`` plays without them (only the waits for
    readiness). ``sleep`` replaces the delay itself (default: sliced, so that quitting stops it).
    On a :class:`DemoApp`, each step waits for the presenter's controls (pause, one step)."""
    app = pilot.app
    assert isinstance(app, GuichetApp)
    controls = _controls(app)
    controls.playing = True
    try:
        completed = await _play_steps(pilot, app, controls, script, report, speed=speed, output_dir=output_dir,
                                      on_caption=on_caption, sleep=sleep)
    finally:
        controls.playing = False
        controls.on_change = None
    if _alive(app):
        for bar in app.screen.query(CaptionBar):  # the demo is over: its keys are the app's again
            bar.show(bar.caption)
    if not completed:
        return
    report.final_screen = type(app.screen).__name__
    report.final_title = screen_title(app.screen)
    if on_finish is not None:
        on_finish(app)


async def _play_steps(pilot: Pilot[Any], app: GuichetApp, controls: DemoControls, script: Script,
                      report: RunReport, *, speed: float | None, output_dir: Path | None,
                      on_caption: CaptionHook | None, sleep: Sleep | None) -> bool:
    """Play every step; False when the app closed before the end."""
    caption: str | None = None
    jitter = random.Random(zlib.crc32(script.name.encode()))
    delay: Sleep = sleep if sleep is not None else (lambda seconds: _sleep(app, seconds))

    async def human(seconds: float) -> None:  # a delay for the eye: none at full speed
        if speed is not None:
            await delay(seconds / speed)

    def redraw() -> None:  # the presenter paused or resumed: the bar says so at once
        app.call_later(show_caption, app, caption or "")

    controls.on_change = redraw
    await pilot.pause()
    if controls.hint():
        await show_caption(app, "")
    for index, step in enumerate(script.steps):
        await controls.gate(lambda: _alive(app))
        if not _alive(app):
            return False
        if step.kind == "caption":
            caption = step.text
            if on_caption is not None:
                on_caption(caption)
            await show_caption(app, caption)
            await human(READ_DELAY[0] + READ_DELAY[1] * len(step.text))
        elif step.kind == "type":
            if speed is None:
                await _type_at_once(pilot, step.text)
            else:
                for character in step.text:
                    await _press(pilot, character)
                    await human(KEY_DELAY * jitter.uniform(0.6, 1.4))
        elif step.kind == "press":
            for key in step.keys:
                await _press(pilot, key)
                if speed is None:
                    await _settle(pilot, paused=True)  # its screen shown, its data loaded, before the next key
                else:
                    await human(PRESS_DELAY)
        elif step.kind == "pause":
            await human(step.seconds)
        elif step.kind == "wait":
            await _wait_for_workers(pilot, script, step, index)
        elif step.kind == "clock":
            _move_clock(app, script, step)
        elif output_dir is not None:
            report.snapshots.append(await _snapshot(pilot, script, step, index, output_dir))
        if speed is None and step.kind in ("type", "pause"):
            await _settle(pilot)
        await pilot.pause()
        if caption is not None or controls.hint():  # the screen may have changed: the caption follows
            await show_caption(app, caption or "")
        report.steps_played += 1
        controls.step_done()
    return True


def _move_clock(app: GuichetApp, script: Script, step: Step) -> None:
    """A ``clock`` step: the frozen clock moves to that time of the script's day."""
    clock = app.services.clock
    if isinstance(clock, FixedClock) and step.at is not None:
        clock.set(datetime.combine(script.now.date(), step.at))


def _check_speed(speed: float | None) -> None:
    if speed is not None and not (math.isfinite(speed) and speed > 0):
        raise ValueError(f"speed must be a positive number, got {speed}")


async def run_script(script: Script, *, speed: float | None = None, headless: bool = False,
                     output_dir: Path | None = None, size: tuple[int, int] | None = None,
                     on_finish: FinishHook | None = None, on_caption: CaptionHook | None = None,
                     sleep: Sleep | None = None, served: bool = False) -> RunReport:
    """Run the real app on a throwaway database and play ``script`` on it.

    Headless: the app runs without a terminal and stops after the last step; without a
    ``speed`` it plays at full speed (no human-pace delay). Otherwise it takes the terminal,
    plays at a human pace (``speed`` 1 unless given) and stays open after the last step until
    the agent quits (Ctrl+Q). ``on_caption`` receives each caption as it is reached;
    ``on_finish`` sees the app after the last step, before it closes (tests read its state).
    On screen, the presenter's keys pause, resume and step (:mod:`guichet.ui.demo_controls`);
    ``served``: the screen is a browser's (``guichet demo --serve``), which the end caption says.
    """
    _check_speed(speed)
    if speed is None and not headless:
        speed = 1.0  # on screen, a person follows the demo
    report = RunReport(script.name, len(script.steps))
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="guichet-demo-") as temporary:
        root = Path(temporary)
        settings = Settings(paths=Paths(root / "config", root / "data", root / "logs"), now=script.now,
                            agency=script.agency, agent_name=script.agent)
        services = make_services(settings, clock=FixedClock(script.now))
        app = DemoApp(services, controls=DemoControls(enabled=not headless))
        try:
            if headless:
                async with app.run_test(size=size or script.size, headless=True, notifications=True) as pilot:
                    await play(pilot, script, report, speed=speed, output_dir=output_dir, on_finish=on_finish,
                               on_caption=on_caption, sleep=sleep)
            else:
                async def autopilot(pilot: Pilot[Any]) -> None:
                    await play(pilot, script, report, speed=speed, output_dir=output_dir, on_finish=on_finish,
                               on_caption=on_caption, sleep=sleep)
                    if _alive(app):
                        await show_caption(app, THE_END_SERVED if served else THE_END)

                await app.run_async(auto_pilot=autopilot)
        finally:
            services.close()
    report.seconds = time.monotonic() - started
    return report


def generate_screenshots(output_dir: Path, *, size: tuple[int, int] = SCREENSHOT_SIZE) -> list[Path]:
    """Run every shipped script headless at full speed; return the SVG files written.

    Each ``snapshot`` step becomes ``<output_dir>/<script-name>-<snapshot-name>.svg``.
    """
    written: list[Path] = []
    for path in shipped_scripts():
        script = load_script(path)
        if not any(step.kind == "snapshot" for step in script.steps):
            continue  # nothing to write: not worth playing
        report = asyncio.run(run_script(script, speed=None, headless=True, output_dir=output_dir,
                                        size=size))
        written.extend(report.snapshots)
    return written

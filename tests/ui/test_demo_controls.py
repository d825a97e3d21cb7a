"""The presenter's controls over a played demo (issue 18, item 4): « pause/resume and step forward
during a played demo (a presenter answers a question and goes on) ».

The player's keys and the presenter's arrive by the same road; here the test's ``pilot.press``
plays the presenter (its key events are not the player's), while the player types its own.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual import events
from textual.widget import Widget
from textual.widgets import Input, OptionList

from guichet.domain.clock import FixedClock
from guichet.services import Services, make_services
from guichet.ui import demo
from guichet.ui.demo_controls import PAUSED_HINT, PLAYING_HINT, DemoApp, DemoControls
from tests.conftest import FIXED_NOW, make_settings

HEAD = 'title = "Essai"\nnow = "2026-11-23T10:00"\nagency = "nanterre"\nagent = "Camille Martin"\n'
# Each step is short at speed 1 (0.2 s pauses, 5 characters typed at ~0.08 s): unpaused, the
# whole script plays in about 1.5 s, so a second without progress is the pause's doing.
STEPS = ('[[step]]\npause = 0.2\n' * 3 + '[[step]]\ntype = "apl v"\n' + '[[step]]\npause = 0.2\n' * 3
         + '[[step]]\ncaption = "Fin."\n')
HOLD = 1.0  # s: how long a paused script is watched for progress


@pytest.fixture
def script(tmp_path: Path) -> demo.Script:
    path = tmp_path / "controls.toml"
    path.write_text(HEAD + STEPS, encoding="utf-8")
    return demo.load_script(path)


@pytest.fixture
def demo_services(tmp_path: Path) -> Iterator[Services]:
    services = make_services(make_settings(tmp_path), clock=FixedClock(FIXED_NOW))
    yield services
    services.close()


async def until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    """Wait for ``condition`` up to a deadline (a failure names it), never a fixed sleep."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met before the deadline"
        await asyncio.sleep(0.02)


async def holds(value: Callable[[], int], expected: int, seconds: float = HOLD) -> None:
    """``value()`` stays ``expected`` from now until a deadline ``seconds`` away, looked at all along."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert value() == expected
        await asyncio.sleep(0.02)
    assert value() == expected


def bar_text(app: DemoApp) -> str:
    return str(app.screen.query_one(demo.CaptionBar).render())


@pytest.mark.slow  # ~9 s: the script plays in real time (speed 1), a pause is watched for a second
async def test_pause_holds_the_script_a_step_plays_one_and_resume_reaches_the_end(
        script: demo.Script, demo_services: Services) -> None:
    controls = DemoControls()
    app = DemoApp(demo_services, controls=controls)
    report = demo.RunReport(script.name, len(script.steps))
    async with app.run_test(size=(100, 30)) as pilot:
        player = asyncio.create_task(demo.play(pilot, script, report, speed=1.0))
        await until(lambda: bool(app.screen.query(demo.CaptionBar)))
        assert PLAYING_HINT in bar_text(app)  # discreet, but the keys are named
        await pilot.press("space")  # the presenter, not the player
        assert controls.paused
        paused_at = report.steps_played
        assert paused_at < len(script.steps) - 2
        await holds(lambda: report.steps_played, paused_at)
        assert "Démonstration en pause" in bar_text(app) and PAUSED_HINT.split(" — ")[1] in bar_text(app)

        await pilot.press("right")  # one step, exactly
        await until(lambda: report.steps_played == paused_at + 1)
        await holds(lambda: report.steps_played, paused_at + 1, seconds=0.6)

        await pilot.press("space")  # resumed: the script goes on to its end
        assert not controls.paused
        await asyncio.wait_for(player, timeout=15)
        assert report.completed and report.steps_played == len(script.steps)
        # The script's own space was typed; the presenter's were not.
        assert app.screen.query_one(Input).value == "apl v"
        assert PLAYING_HINT not in bar_text(app) and "Fin." in bar_text(app)


async def test_presenter_keys_do_not_reach_the_app_while_it_plays_then_do(
        script: demo.Script, demo_services: Services) -> None:
    controls = DemoControls(paused=True)  # held before its first step
    app = DemoApp(demo_services, controls=controls)
    report = demo.RunReport(script.name, len(script.steps))
    async with app.run_test(size=(100, 30)) as pilot:
        player = asyncio.create_task(demo.play(pilot, script, report, speed=None))
        await until(lambda: controls.playing)
        await pilot.press("x", "y", "down", "tab")  # stray keys of the presenter: dropped
        await holds(lambda: report.steps_played, 0, seconds=0.5)
        assert app.screen.query_one(Input).value == ""
        for expected in (1, 2):  # Entrée steps too, one step each
            await pilot.press("enter")
            await until(lambda expected=expected: report.steps_played == expected)  # type: ignore[misc]
        await pilot.press("space")
        await asyncio.wait_for(player, timeout=15)
        assert report.completed and app.screen.query_one(Input).value == "apl v"
        await pilot.press("z")  # the demo is over: the app is the presenter's
        assert app.screen.query_one(Input).value == "apl vz"


async def test_the_presenter_can_quit_while_paused(script: demo.Script, demo_services: Services) -> None:
    controls = DemoControls(paused=True)
    app = DemoApp(demo_services, controls=controls)
    report = demo.RunReport(script.name, len(script.steps))
    async with app.run_test(size=(100, 30)) as pilot:
        player = asyncio.create_task(demo.play(pilot, script, report, speed=None))
        await until(lambda: controls.playing)
        await pilot.press("ctrl+q")
        await asyncio.wait_for(player, timeout=5)
    assert report.steps_played == 0 and not report.completed


def click(app: DemoApp, widget: Widget) -> None:
    """A presenter's click, as a driver sends it: down and up through the app (Pilot.click goes round it)."""
    x, y = widget.region.x + 1, widget.region.y
    for kind in (events.MouseDown, events.MouseUp):
        app.post_message(kind(None, x, y, 0, 0, 1, False, False, False, screen_x=x, screen_y=y))


async def test_presenter_clicks_do_not_move_the_focus_while_it_plays(
        script: demo.Script, demo_services: Services) -> None:
    controls = DemoControls(paused=True)
    app = DemoApp(demo_services, controls=controls)
    report = demo.RunReport(script.name, len(script.steps))
    async with app.run_test(size=(100, 30)) as pilot:
        player = asyncio.create_task(demo.play(pilot, script, report, speed=None))
        await until(lambda: controls.playing)
        field, results = app.screen.query_one(Input), app.screen.query_one(OptionList)
        assert app.focused is field
        click(app, results)
        await pilot.pause()
        assert app.focused is field  # the script's keys still go to the search field
        await pilot.press("space")
        await asyncio.wait_for(player, timeout=15)
        click(app, results)  # over: the presenter's click is the app's
        await until(lambda: app.focused is results, seconds=5)


def test_a_key_is_the_players_only_if_the_player_made_it() -> None:
    controls = DemoControls()
    controls.playing = True
    scripted = controls.key("space")
    assert (scripted.key, scripted.character) == ("space", " ")
    assert not controls.presenter_key(scripted) and not controls.paused  # typed into the app
    assert controls.presenter_key(events.Key("space", " ")) and controls.paused  # the presenter's: a pause
    assert controls.key("é").character == "é" and controls.key("enter").key == "enter"


def test_step_only_while_paused_and_nothing_without_a_presenter() -> None:
    controls = DemoControls()
    controls.playing = True
    controls.step()
    assert controls.allowance == 0  # playing: the script goes on anyway
    controls.toggle()
    controls.step()
    controls.step()
    assert controls.allowance == 2
    controls.step_done()
    assert controls.allowance == 1
    controls.toggle()  # resumed: what was asked while paused is forgotten
    assert controls.allowance == 0 and not controls.paused
    headless = DemoControls(enabled=False)
    headless.playing = True
    assert not headless.presenter_key(events.Key("space", " ")) and headless.hint() == ""


async def test_a_pause_freezes_a_delay_and_a_step_ends_it() -> None:
    controls = DemoControls()
    controls.toggle()
    waited = asyncio.create_task(controls.delay(0.2, lambda: True))
    await holds(lambda: int(waited.done()), 0, seconds=0.6)  # 0.2 s asked, but paused
    controls.step()
    await until(waited.done, seconds=2)
    resumed = asyncio.create_task(controls.delay(0.2, lambda: True))
    controls.toggle()
    started = time.monotonic()
    await asyncio.wait_for(resumed, timeout=2)
    assert time.monotonic() - started < 1.0

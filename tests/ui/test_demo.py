"""Demo scripts: the shipped ones play to their end on the real app; broken ones fail with file:line."""

from __future__ import annotations

import argparse
import html
import io
import re
from collections.abc import Iterator
from datetime import date, datetime
from functools import partialmethod
from pathlib import Path

import pytest

from guichet.cli import demo as cli_demo
from guichet.cli import main as cli
from guichet.domain.clock import PARIS
from guichet.domain.followup import HandoffRecord
from guichet.domain.handoff import Destination
from guichet.domain.models import Channel, Kind, LifeEvent
from guichet.domain.passage import PassageChannel
from guichet.domain.stats import PassageFigures, PeriodKind
from guichet.tomlcheck import DataError
from guichet.ui import demo
from guichet.ui.app import GuichetApp
from guichet.ui.screens.confirmation import ConfirmationScreen
from guichet.ui.screens.search import SearchScreen

pytestmark = pytest.mark.slow  # the demo scripts played through: the full suite's

SHIPPED = {path.stem: path for path in demo.shipped_scripts()}


async def _play(name: str, output_dir: Path) -> tuple[demo.RunReport, dict[str, object]]:
    """Play a shipped script headless and return its report and what the app held at the end."""
    script = demo.load_script(SHIPPED[name])
    seen: dict[str, object] = {}

    def on_finish(app: GuichetApp) -> None:
        seen["screen"] = app.screen
        seen["handoffs"] = app.services.handoffs.listing()
        seen["day"] = app.services.appointments.day_sheet("nanterre", date(2026, 11, 24))

    report = await demo.run_script(script, headless=True, output_dir=output_dir,
                                   size=demo.SCREENSHOT_SIZE, on_finish=on_finish)
    assert report.completed and report.steps_played == len(script.steps) > 10
    names = [s.text for s in script.steps if s.kind == "snapshot"]
    assert [p.name for p in report.snapshots] == [f"{name}-{n}.svg" for n in names]
    for path in report.snapshots:
        assert path.read_text(encoding="utf-8").startswith("<svg")
    return report, seen


def test_shipped_scripts_are_the_five_demos() -> None:
    assert sorted(SHIPPED) == ["accueil-statistiques", "matinee", "phone-gca-booking", "separation-handoff",
                               "walk-in-hours"]
    for name, path in SHIPPED.items():
        script = demo.load_script(path)
        small = name in ("matinee", "accueil-statistiques")
        assert script.agency == "nanterre" and script.size == ((80, 24) if small else (100, 30))
        assert sum(s.kind == "caption" for s in script.steps) >= 5


async def test_walk_in_hours_plays_to_the_end(tmp_path: Path) -> None:
    report, seen = await _play("walk-in-hours", tmp_path)
    assert report.final_screen == "SearchScreen" and isinstance(seen["screen"], SearchScreen)
    assert report.final_title == "Recherche et orientation"
    nanterre = (tmp_path / "walk-in-hours-nanterre.svg").read_text(encoding="utf-8")
    # The detail of Nanterre is shown; its only address is the head office's, for mail.
    assert "12:30" in nanterre
    shown = html.unescape(nanterre).replace("\xa0", " ")
    assert "Adresse postale (courrier) : 70 à 88 rue Paul Lescop" in shown
    assert "Adresse de l'accueil non précisée dans les sources" in shown


@pytest.mark.slow  # > 5 s on the 2-core machine
async def test_phone_booking_ends_on_the_confirmation(tmp_path: Path) -> None:
    report, seen = await _play("phone-gca-booking", tmp_path)
    screen = seen["screen"]
    assert report.final_screen == "ConfirmationScreen" and isinstance(screen, ConfirmationScreen)
    assert report.final_title == "Confirmation"
    booked = screen.appointment
    assert (booked.agency_id, booked.kind, booked.channel) == ("nanterre", Kind.GCA, Channel.TELEPHONE)
    assert booked.start == datetime(2026, 11, 24, 9, 30, tzinfo=PARIS)
    assert (booked.name, booked.phone, booked.service_id) == ("Awa Diallo", "0612345678", "apl-non-versee")
    assert seen["day"] == [booked]


@pytest.mark.slow  # > 5 s on the 2-core machine
async def test_separation_ends_with_a_saved_handoff(tmp_path: Path) -> None:
    report, seen = await _play("separation-handoff", tmp_path)
    assert report.final_screen == "HandoffsScreen" and report.final_title == "Suivi des passages de relais"
    records = seen["handoffs"]
    assert isinstance(records, list) and len(records) == 1
    record: HandoffRecord = records[0]
    draft = record.draft
    assert (draft.name, draft.file_number, draft.phone) == ("Awa Diallo", "1234567", "0612345678")
    assert draft.life_event is LifeEvent.SEPARATION and draft.consent is True
    assert set(draft.benefits) == {"ASF", "AF", "APL"} and draft.comment.startswith("Séparée en septembre")
    assert record.destination is Destination.SERVICE_SOCIAL_CAF and record.message


async def test_a_counted_morning_then_the_statistics(tmp_path: Path) -> None:
    """accueil-statistiques (issue 17, item 7): five people received, their durations from the
    script's clock steps, the quick question and the phone call counted, then F12."""
    script = demo.load_script(SHIPPED["accueil-statistiques"])
    seen: dict[str, object] = {}

    def on_finish(app: GuichetApp) -> None:
        seen["screen"] = type(app.screen).__name__
        stats = app.services.stats
        seen["figures"] = stats.compute("nanterre", stats.period(PeriodKind.JOUR)).passages

    report = await demo.run_script(script, headless=True, output_dir=tmp_path, size=demo.SCREENSHOT_SIZE,
                                   on_finish=on_finish)
    assert report.completed and seen["screen"] == "StatsScreen"
    figures = seen["figures"]
    assert isinstance(figures, PassageFigures)
    assert figures.total == 5 and figures.by_channel == {PassageChannel.GUICHET: 4, PassageChannel.TELEPHONE: 1}
    assert figures.median_seconds == 6 * 60 and figures.timed == 4  # 4, 7, 7 and 5 minutes; the question left out
    header = html.unescape((tmp_path / "accueil-statistiques-en-tete.svg").read_text(encoding="utf-8"))
    assert "reçus\xa05\xa0ici" in header or "reçus 5 ici" in header


async def test_visible_mode_drives_the_running_app(monkeypatch: pytest.MonkeyPatch) -> None:
    """The non-headless path (run_async + autopilot), run here without a terminal."""
    monkeypatch.setattr(GuichetApp, "run_async", partialmethod(GuichetApp.run_async, headless=True, size=(100, 30)))
    script = demo.load_script(SHIPPED["walk-in-hours"])
    requested: list[float] = []

    async def sleep(seconds: float) -> None:  # the delays are asked for, not slept
        requested.append(seconds)

    report = await demo.run_script(script, on_finish=lambda app: app.exit(), sleep=sleep)
    assert report.completed and report.final_screen == "SearchScreen"
    # On screen, the human pace is kept: each caption stays for its reading time, each key is seen.
    captions = [s.text for s in script.steps if s.kind == "caption"]
    assert requested[0] == pytest.approx(demo.READ_DELAY[0] + demo.READ_DELAY[1] * len(captions[0]))
    assert demo.PRESS_DELAY in requested and sum(requested) > 30


# -- headless: fast, its captions printed as it goes -------------------------------------------------
async def test_headless_asks_for_no_human_delay_and_gives_its_captions_in_order() -> None:
    script = demo.load_script(SHIPPED["walk-in-hours"])
    requested: list[float] = []
    captions: list[str] = []

    async def sleep(seconds: float) -> None:
        requested.append(seconds)

    report = await demo.run_script(script, headless=True, sleep=sleep, on_caption=captions.append)
    assert report.completed and report.final_title == "Recherche et orientation"
    assert requested == []  # no typing delay, no reading time, no pause: only the waits for readiness
    assert captions == [s.text for s in script.steps if s.kind == "caption"]


async def test_headless_with_a_speed_keeps_the_pace_asked_for() -> None:
    script = demo.load_script(SHIPPED["walk-in-hours"])
    requested: list[float] = []

    async def sleep(seconds: float) -> None:
        requested.append(seconds)

    report = await demo.run_script(script, headless=True, speed=2.0, sleep=sleep)
    assert report.completed and demo.PRESS_DELAY / 2 in requested and max(requested) > 1.0


async def test_typing_at_full_speed_fills_the_field(tmp_path: Path) -> None:
    """Headless, a ``type`` step into a field is queued at once: the same text arrives, accents and all."""
    path = tmp_path / "typing.toml"
    path.write_text(HEAD + '[[step]]\ntype = "séparation, « APL » ?"\n', encoding="utf-8")
    seen: dict[str, str] = {}

    def on_finish(app: GuichetApp) -> None:
        from textual.widgets import Input
        seen["value"] = app.screen.query_one(Input).value

    report = await demo.run_script(demo.load_script(path), headless=True, on_finish=on_finish)
    assert report.completed and seen["value"] == "séparation, « APL » ?"



async def test_typing_waits_for_keys_held_by_typeahead(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ``type`` step ends when every key typed has reached its field, not when the app looks idle:
    keys held by the typeahead (ui/typeahead.py) wait without using the CPU (the CI failure of stop 24,
    where the last four keys of « séparation, « APL » ? » were still waiting)."""
    import time

    from guichet.ui.typeahead import TypeaheadMixin

    path = tmp_path / "held.toml"
    path.write_text(HEAD + '[[step]]\ntype = "apl pas versee"\n', encoding="utf-8")
    held_until: list[float] = []
    takes = TypeaheadMixin._takes_keys

    def slow_screen(self: GuichetApp, screen: object, key: str) -> bool:
        if not held_until:  # the first key is held 3 s: longer than any idle wait (Pilot.pause gives up after 1 s)
            held_until.append(time.monotonic() + 3.0)
        return time.monotonic() >= held_until[0] and takes(self, screen, key)  # type: ignore[arg-type]

    monkeypatch.setattr(TypeaheadMixin, "_takes_keys", slow_screen)
    seen: dict[str, str] = {}

    def on_finish(app: GuichetApp) -> None:
        from textual.widgets import Input
        seen["value"] = app.screen.query_one(Input).value

    report = await demo.run_script(demo.load_script(path), headless=True, on_finish=on_finish)
    assert report.completed and seen["value"] == "apl pas versee"


# -- broken scripts ------------------------------------------------------------------------------
HEAD = 'title = "Essai"\nnow = "2026-11-23T10:00"\nagency = "nanterre"\nagent = "Camille Martin"\n'
STEP = '[[step]]\ncaption = "Bonjour."\n'
BROKEN = {  # name: (text, line, words of the message)
    "syntax": (HEAD.replace('"Camille Martin"', "Camille Martin") + STEP, 4, "invalid TOML"),
    "unknown-kind": (HEAD + STEP + '[[step]]\nclick = "enter"\n', 8, "step[1].click: unknown step kind"),
    "two-kinds": (HEAD + STEP + '[[step]]\ntype = "apl"\npress = ["enter"]\n', 9, "one kind per step"),
    "negative-pause": (HEAD + STEP + '[[step]]\npause = -1.5\n', 8, "step[1].pause: must be more than 0"),
    "empty-type": (HEAD + '[[step]]\ntype = "  "\n', 6, "step[0].type: must not be empty"),
    "unknown-key": (HEAD + STEP + '[[step]]\npress = ["down", "entre"]\n', 8, "unknown key name 'entre' (item 2)"),
    "bad-now": (HEAD.replace("2026-11-23T10:00", "23/11/2026 10h") + STEP, 2, "now: expected YYYY-MM-DDTHH:MM"),
    "unknown-agency": (HEAD.replace('"nanterre"', '"paris"') + STEP, 3, "agency: unknown agency 'paris'"),
    "small-size": (HEAD + "size = [79, 24]\n" + STEP, 5, "size: must be from 80x24"),
    "unknown-top-key": (HEAD + "speed = 2\n" + STEP, 5, "speed: unknown key"),
    "wait-false": (HEAD + STEP + "[[step]]\nwait = false\n", 8, "write 'wait = true'"),
    "no-steps": (HEAD, None, "missing key 'step'"),
    "empty-step": (HEAD + STEP + "[[step]]\n\n[[step]]\nwait = true\n", 7, "empty step"),
    "press-text": (HEAD + '[[step]]\npress = "enter"\n', 6, "expected a list of strings"),
    "snapshot-name": (HEAD + '[[step]]\nsnapshot = "Écran 1"\n', 6, "lowercase letters, digits and dashes"),
    "snapshot-twice": (HEAD + '[[step]]\nsnapshot = "a"\n[[step]]\nsnapshot = "a"\n', 8, "already the name"),
    "clock-text": (HEAD + STEP + '[[step]]\nclock = "10h25"\n', 8, "step[1].clock: '10h25': expected a time"),
    "clock-hour": (HEAD + STEP + '[[step]]\nclock = "25:00"\n', 8, "step[1].clock: '25:00': expected a time"),
    "missing-title": (HEAD.replace('title = "Essai"\n', "") + STEP, None, "missing key 'title'"),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_broken_script_names_file_and_line(tmp_path: Path, name: str) -> None:
    text, line, words = BROKEN[name]
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        demo.load_script(path)
    error = caught.value
    assert error.file == str(path) and error.line == line, str(error)
    assert words in str(error) and str(error).startswith(f"{path}:{line}:" if line else f"{path}:")


def test_missing_script_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="demo script not found"):
        demo.load_script(tmp_path / "absent.toml")


@pytest.mark.parametrize("key", ["enter", "escape", "tab", "shift+tab", "down", "f2", "f24", "ctrl+s", "ctrl+n",
                                 "slash", "minus", "space", "full_stop", "s", "é", "?", "alt+left", "ctrl+shift+left"])
def test_textual_key_names_are_accepted(key: str) -> None:
    assert demo.is_key_name(key)


@pytest.mark.parametrize("key", ["entre", "Enter", "ESCAPE", "f25", "ctrl+", "ctrl+ctrl+s", "cmd+s", "<any>", " ",
                                 "horaires", "tab tab"])
def test_unknown_key_names_are_refused(key: str) -> None:
    assert not demo.is_key_name(key)


async def test_speed_must_be_positive() -> None:
    script = demo.load_script(SHIPPED["walk-in-hours"])
    with pytest.raises(ValueError, match="speed"):
        await demo.run_script(script, speed=0, headless=True)


# -- command line ----------------------------------------------------------------------------------
@pytest.fixture
def main_with_demo(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """``cli.main`` with the demo commands registered (whether or not cli.py already does it)."""
    original = cli.build_parser

    def build() -> argparse.ArgumentParser:
        parser = original()
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        if "demo" not in sub.choices:
            cli_demo.register(sub, cli._common())
        return parser

    monkeypatch.setattr(cli, "build_parser", build)
    yield


@pytest.mark.usefixtures("main_with_demo")
def test_cli_demo_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo", "--list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in out] == ["accueil-statistiques", "matinee", "phone-gca-booking",
                                                 "separation-handoff", "walk-in-hours"]
    assert "Une personne demande si l'accueil de Nanterre est ouvert" in out[4]


@pytest.mark.usefixtures("main_with_demo")
def test_cli_demo_without_script_lists_too(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo"]) == 0
    assert "walk-in-hours" in capsys.readouterr().out


@pytest.mark.usefixtures("main_with_demo")
def test_cli_broken_script_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(HEAD + STEP + '[[step]]\npress = ["entre"]\n', encoding="utf-8")
    assert cli.main(["demo", str(path), "--headless"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"guichet: {path}:8: step[1].press: unknown key name") and err.count("\n") == 1
    assert cli.main(["demo", "no-such-demo"]) == 2
    assert "aucune démonstration de ce nom" in capsys.readouterr().err


@pytest.mark.usefixtures("main_with_demo")
@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "vite"])
def test_cli_bad_speed_is_a_usage_error(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo", "walk-in-hours", "--speed", value]) == 2
    err = capsys.readouterr().err
    assert "--speed" in err and len(err.strip().splitlines()) == 1 and err.startswith("guichet : erreur : ")


@pytest.fixture
def no_human_delay(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every human-pace delay the demo asks for, recorded instead of slept."""
    requested: list[float] = []

    async def record(app: GuichetApp, seconds: float) -> None:
        requested.append(seconds)

    monkeypatch.setattr(demo, "_sleep", record)
    return requested


@pytest.mark.usefixtures("main_with_demo")
def test_cli_headless_demo_prints_its_captions_then_a_french_end_line(
        no_human_delay: list[float], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo", "walk-in-hours", "--headless"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and no_human_delay == []  # full speed: not one human-pace delay asked for
    lines = out.splitlines()
    captions = [s.text for s in demo.load_script(SHIPPED["walk-in-hours"]).steps if s.kind == "caption"]
    assert lines[:-1] == captions
    assert re.fullmatch(r"Démonstration terminée : Une personne demande si l'accueil de Nanterre est ouvert — "
                        r"17 étapes sur 17 en \d+,\d s ; écran final : Recherche et orientation\.", lines[-1])
    assert "Screen" not in out


@pytest.mark.usefixtures("main_with_demo")
@pytest.mark.parametrize("option", ["--vitesse", "--speed"])
def test_cli_headless_demo_in_real_time_if_asked(option: str, no_human_delay: list[float],
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo", "walk-in-hours", "--headless", option, "1"]) == 0
    assert demo.PRESS_DELAY in no_human_delay and max(no_human_delay) > 1.5
    assert capsys.readouterr().out.splitlines()[-1].startswith("Démonstration terminée")


@pytest.mark.usefixtures("main_with_demo")
def test_cli_headless_captions_are_printed_literally(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "markup.toml"
    path.write_text(HEAD + '[[step]]\ncaption = "[b]gras[/b] et [link=x]lien[/link]"\n', encoding="utf-8")
    assert cli.main(["demo", str(path), "--headless"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "[b]gras[/b] et [link=x]lien[/link]"
    assert lines[1].startswith("Démonstration terminée : Essai — 1 étape sur 1 en ")


def test_a_caption_never_sends_a_terminal_sequence() -> None:
    """The loader refuses control characters; the printer escapes them all the same (a script
    built in code, a future loader)."""
    stream = io.StringIO()
    cli_demo.caption_printer(stream)("rouge \x1b[31m\x9b2J ; presse-papiers \x1b]52;c;aGk=\x07\nfin")
    assert stream.getvalue() == "rouge \\x1b[31m\\x9b2J ; presse-papiers \\x1b]52;c;aGk=\\x07\\x0afin\n"


def test_cli_handler_called_directly(services: object, capsys: pytest.CaptureFixture[str]) -> None:
    args = argparse.Namespace(script=None, list=True, speed=1.0, headless=True)
    assert cli_demo.cmd_demo(services, args) == 0  # type: ignore[arg-type]
    assert len(capsys.readouterr().out.splitlines()) == 5


@pytest.mark.usefixtures("main_with_demo")
def test_screenshots_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    # One script is enough to check the command; every script's snapshots are checked above.
    monkeypatch.setattr(demo, "shipped_scripts", lambda: [SHIPPED["walk-in-hours"]])
    assert cli.main(["screenshots", "--output", str(tmp_path / "shots")]) == 0
    written = capsys.readouterr().out.split()
    assert [Path(p).name for p in written] == ["walk-in-hours-agences.svg", "walk-in-hours-nanterre.svg"]


def test_generate_screenshots_writes_svgs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "shipped_scripts", lambda: [SHIPPED["walk-in-hours"]])
    written = demo.generate_screenshots(tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [p.name for p in written]
    svg = written[0].read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "guichet&#160;—&#160;Une&#160;personne" in svg


def test_the_final_screen_is_named_in_french_never_by_its_class() -> None:
    from textual.screen import Screen

    from guichet.ui.screens.ask import AskScreen

    class Unknown(Screen[None]):
        pass

    class Titled(Screen[None]):
        TITLE = "Un écran titré"

    assert demo.screen_title(SearchScreen.__new__(SearchScreen)) == "Recherche et orientation"
    assert demo.screen_title(Unknown()) == demo.UNTITLED == "écran sans titre"
    assert demo.screen_title(Titled()) == "Un écran titré"
    assert "Screen" not in demo.screen_title(AskScreen("Vraiment ?"))

"""« Copié » only when something was copied (issue 14, item 10): a system clipboard tool when there is
one, OSC 52 always, and always an owner-only file of the exports folder that the purge deletes."""

from __future__ import annotations

import os
import stat
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.selection import Selection
from textual.widgets import Input, Select, TextArea

from guichet.domain.clock import PARIS
from guichet.domain.models import Appointment, Channel, Kind
from guichet.services.appointments import BookingRequest
from guichet.ui.app import GuichetApp
from guichet.ui.screens.confirmation import ConfirmationScreen
from guichet.ui.screens.handoff import HandoffScreen
from tests.conftest import FIXED_NOW
from tests.ui.conftest import AppFactory
from tests.ui.test_screens import settle

SIZE = (80, 24)
NOTHING_COPIED = "Pas de presse-papiers disponible ici : texte enregistré dans"
COPIED = "Copié dans le presse-papiers (et enregistré dans"


@pytest.fixture
def no_clipboard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal with no display and no clipboard tool on the PATH (a plain SSH session)."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)


def fake_tool(folder: Path, name: str, *, exit_code: int = 0, sleep: float = 0) -> Path:
    """A clipboard tool on the PATH that writes what it reads on stdin to ``<name>.out``; its output file."""
    folder.mkdir(exist_ok=True)
    out = folder / f"{name}.out"
    script = folder / name
    script.write_text(f"#!{sys.executable}\nimport pathlib, sys, time\ntime.sleep({sleep})\n"
                      f"pathlib.Path({str(out)!r}).write_bytes(sys.stdin.buffer.read())\nsys.exit({exit_code})\n",
                      encoding="utf-8")
    script.chmod(0o755)
    return out


@pytest.fixture
def x11_clipboard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An X11 session whose ``xclip`` works; the file it writes the copied text to."""
    tools = tmp_path / "bin"
    out = fake_tool(tools, "xclip")
    monkeypatch.setenv("PATH", str(tools))
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    return out


def _appointment(app: GuichetApp) -> Appointment:
    return app.services.appointments.book(BookingRequest(
        "nanterre", Kind.GCA, Channel.TELEPHONE, datetime(2026, 11, 23, 13, 0, tzinfo=PARIS), "Awa Diallo",
        "7654321", "06 12 34 56 78", "apl-non-versee"))


def _clipboard_file(app: GuichetApp) -> Path:
    return app.services.settings.paths.exports_dir / "presse-papiers.txt"


def _messages(app: GuichetApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def _confirmation(pilot: Pilot[None], appointment: Appointment) -> ConfirmationScreen:
    app = pilot.app
    assert isinstance(app, GuichetApp)
    screen = ConfirmationScreen(app.services, appointment)
    await app.push_screen(screen)
    await pilot.pause()
    return screen


# -- the confirmation (c) -------------------------------------------------------------------------
@pytest.mark.usefixtures("no_clipboard")
async def test_without_a_clipboard_the_text_goes_to_a_private_file(make_app: AppFactory) -> None:
    app = make_app()
    appointment = _appointment(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _confirmation(pilot, appointment)
        await pilot.press("c")
        await settle(pilot)
        target = _clipboard_file(app)
        [message] = [m for m in _messages(app) if "presse-papiers" in m]
        assert NOTHING_COPIED in message and str(target) in message
        assert "sélectionner à l'écran" in message
        assert not any(m.startswith("Copié") or "copiée" in m for m in _messages(app))
        assert target.read_text(encoding="utf-8") == screen.text
        if os.name == "posix":
            assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert app.clipboard == screen.text  # OSC 52 was sent all the same


async def test_with_a_clipboard_tool_the_message_says_copied(make_app: AppFactory, x11_clipboard: Path) -> None:
    app = make_app()
    appointment = _appointment(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _confirmation(pilot, appointment)
        await pilot.press("c")
        await settle(pilot)
        target = _clipboard_file(app)
        [message] = [m for m in _messages(app) if "presse-papiers" in m]
        assert COPIED in message and str(target) in message
        assert x11_clipboard.read_text(encoding="utf-8") == screen.text
        assert target.read_text(encoding="utf-8") == screen.text  # the file is written all the same


@pytest.mark.usefixtures("no_clipboard")
async def test_the_confirmation_text_can_be_selected_on_screen(make_app: AppFactory) -> None:
    app = make_app()
    appointment = _appointment(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _confirmation(pilot, appointment)
        text = screen.query_one("#confirmation-text")
        assert text.allow_select and screen.allow_select and app.ALLOW_SELECT
        screen.selections = {text: Selection(None, None)}
        selected = screen.get_selected_text()
        assert selected is not None and screen.text.splitlines()[0] in selected


# -- the handoff form (Ctrl+Y, and the copy made when it is saved) ---------------------------------
async def _handoff_form(pilot: Pilot[None]) -> HandoffScreen:
    app = pilot.app
    assert isinstance(app, GuichetApp)
    screen = HandoffScreen(app.services, app.services.service("separation-divorce"), cursor_blink=False)
    await app.push_screen(screen)
    await pilot.pause()
    screen.query_one("#name", Input).value = "Awa Diallo"
    screen.query_one("#file-number", Input).value = "1234567"
    screen.query_one("#phone", Input).value = "0612345678"
    screen.query_one("#motifs", Input).value = "Demande d'explication sur l'ASF"
    screen.query_one(TextArea).text = "Séparation en juin ; ASF suspendue depuis août ?"
    screen.query_one("#benefits").select("ASF")  # type: ignore[attr-defined]
    screen.query_one("#consent", Select).value = "yes"
    await pilot.pause()
    assert screen.message is not None
    return screen


@pytest.mark.usefixtures("no_clipboard")
async def test_handoff_message_without_a_clipboard(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _handoff_form(pilot)
        await pilot.press("ctrl+y")
        await settle(pilot)
        target = _clipboard_file(app)
        [message] = [m for m in _messages(app) if "presse-papiers" in m]
        assert NOTHING_COPIED in message and str(target) in message
        assert target.read_text(encoding="utf-8") == screen.message
        if os.name == "posix":
            assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.usefixtures("no_clipboard")
async def test_saved_handoff_says_where_its_message_went(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _handoff_form(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, HandoffScreen)
        [record] = app.services.handoffs.listing()
        [message] = [m for m in _messages(app) if "presse-papiers" in m]
        assert message.startswith(f"Passage de relais n° {record.id} enregistré.")
        assert NOTHING_COPIED in message
        assert "copié" not in message.lower().replace("pas de presse-papiers", "")
        assert _clipboard_file(app).read_text(encoding="utf-8") == record.message == screen.message


async def test_saved_handoff_copied_with_a_tool(make_app: AppFactory, x11_clipboard: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _handoff_form(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        [record] = app.services.handoffs.listing()
        [message] = [m for m in _messages(app) if "presse-papiers" in m]
        assert COPIED in message
        assert x11_clipboard.read_text(encoding="utf-8") == record.message


# -- the tools, one by one -------------------------------------------------------------------------
def test_clip_exe_gets_utf16(tmp_path: Path) -> None:
    from guichet.ui.clipboard import system_copy

    out = fake_tool(tmp_path / "bin", "clip.exe")
    text = "Réservé à « Awa » : 0X XX XX XX XX"
    assert system_copy(text, {"PATH": str(tmp_path / "bin")}, "win32") == "clip.exe"
    raw = out.read_bytes()
    assert raw[:2] in (b"\xff\xfe", b"\xfe\xff") and raw.decode("utf-16") == text


def test_a_failing_tool_gives_way_to_the_next(tmp_path: Path) -> None:
    from guichet.ui.clipboard import system_copy

    broken = fake_tool(tmp_path / "bin", "xclip", exit_code=1)
    working = fake_tool(tmp_path / "bin", "xsel")
    assert system_copy("texte", {"PATH": str(tmp_path / "bin"), "DISPLAY": ":0"}, "linux") == "xsel"
    assert broken.exists() and working.read_text(encoding="utf-8") == "texte"


def test_wayland_first_and_no_display_no_x11_tool(tmp_path: Path) -> None:
    from guichet.ui.clipboard import clipboard_tools

    assert clipboard_tools({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, "linux")[0] == ["wl-copy"]
    assert [tool[0] for tool in clipboard_tools({}, "linux")] == ["clip.exe"]  # WSL only
    assert clipboard_tools({}, "darwin") == [["pbcopy"]]
    fake_tool(tmp_path / "bin", "xclip")
    from guichet.ui.clipboard import system_copy

    assert system_copy("texte", {"PATH": str(tmp_path / "bin")}, "linux") is None  # no DISPLAY: not tried


def test_a_hanging_tool_is_given_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from guichet.ui import clipboard

    monkeypatch.setattr(clipboard, "TOOL_TIMEOUT", 0.5)
    fake_tool(tmp_path / "bin", "xclip", sleep=30)
    started = datetime.now()
    assert clipboard.system_copy("texte", {"PATH": str(tmp_path / "bin"), "DISPLAY": ":0"}, "linux") is None
    assert datetime.now() - started < timedelta(seconds=10)


def test_an_unwritable_folder_is_said(tmp_path: Path) -> None:
    from guichet.ui.clipboard import copy_everywhere

    blocker = tmp_path / "exports"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    result = copy_everywhere("texte", blocker, {"PATH": str(tmp_path)}, "linux")
    assert result.path is None and not result.copied
    assert "n'a pas pu être enregistré" in result.message


# -- retention -------------------------------------------------------------------------------------
def test_the_purge_deletes_the_clipboard_file_after_a_day(make_app: AppFactory) -> None:
    from guichet.ui.clipboard import save_copy

    app = make_app()
    folder = app.services.settings.paths.exports_dir
    target = save_copy("Awa Diallo, 7654321", folder)
    made = FIXED_NOW - timedelta(hours=2)
    os.utime(target, (made.timestamp(), made.timestamp()))
    copies = app.services.retention.person_data("7654321")["copies"]  # right of access: the copy is listed
    assert [c["kind"] for c in copies] == ["copie du presse-papiers"]
    assert app.services.retention.purge().exports_deleted == 0 and target.exists()
    old = FIXED_NOW - timedelta(days=2)
    os.utime(target, (old.timestamp(), old.timestamp()))
    assert app.services.retention.purge(dry_run=True).exports_deleted == 1 and target.exists()
    assert app.services.retention.purge().exports_deleted == 1
    assert not target.exists()

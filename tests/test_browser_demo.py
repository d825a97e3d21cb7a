"""The demo in a browser (issue 18, item 3): « guichet demo … --serve … Tested with a real headless
browser (Chromium from the system packages): the page loads, the demo plays, a screenshot shows
the search screen. »

The server is the real command (``python -m guichet demo walk-in-hours --serve``); the browser is
the system's Chromium, driven through its DevTools protocol with aiohttp's websocket client
(aiohttp comes with textual-serve). What the page's terminal receives is read from the page's own
websocket frames (the terminal draws on a canvas: its text is not in the DOM). Skipped, with the
reason, where textual-serve or Chromium is missing (``apt-get install -y chromium``).
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from guichet.cli import main as cli
from guichet.cli import serve
from guichet.ui import demo

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
SPEED = 20  # the script's pace: each caption is still drawn (60 frames a second), the test stays short
HOLD = 1.5  # s: how long the paused demo is watched (unpaused, a caption stays 0.3 s at SPEED)
DEADLINE = 60.0  # s: the whole demo, page load included, on a busy 2-core machine
ANSI = re.compile(r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|.)")


@pytest.fixture
def browser() -> str:
    """The system's Chromium (looked for before the server starts: without it, nothing to start)."""
    for name in BROWSERS:
        if path := shutil.which(name):
            return path
    pytest.skip("pas de Chromium sur ce poste : apt-get install -y chromium (le paquet Debian), "
                "puis relancer ce test")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(browser: str) -> Iterator[str]:
    """``guichet demo walk-in-hours --serve`` on a free local port; its URL once it listens."""
    pytest.importorskip("textual_serve", reason="l'option web n'est pas installée : pip install \"guichet[web]\"")
    number = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "guichet", "demo", "walk-in-hours", "--serve", "--port", str(number),
         "--vitesse", str(SPEED)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        assert process.stdout is not None
        first = process.stdout.readline()  # the French start-up line, once it listens
        assert f"servie sur http://127.0.0.1:{number}" in first, first + (process.stderr.read() if process.stderr
                                                                        else "")
        yield f"http://127.0.0.1:{number}/"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class DevTools:
    """The few DevTools calls this test needs, over one websocket, on one page (flat sessions)."""

    def __init__(self, socket_: Any) -> None:
        self.socket = socket_
        self.ids = iter(range(1, 1_000_000))
        self.session: str | None = None
        self.frames: list[bytes] = []  # what the page's terminal received, in order
        self.replies: dict[int, dict[str, Any]] = {}

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        number = next(self.ids)
        message: dict[str, Any] = {"id": number, "method": method, "params": params}
        if self.session is not None:
            message["sessionId"] = self.session
        await self.socket.send_str(json.dumps(message))
        while number not in self.replies:
            await self.read()
        reply = self.replies.pop(number)
        assert "error" not in reply, reply
        return dict(reply.get("result", {}))

    async def read(self) -> None:
        message = json.loads((await self.socket.receive(timeout=DEADLINE)).data)
        if "id" in message:
            self.replies[message["id"]] = message
        elif message.get("method") == "Network.webSocketFrameReceived":
            response = message["params"]["response"]
            data = response["payloadData"]
            self.frames.append(base64.b64decode(data) if response["opcode"] == 2 else data.encode())

    def text(self) -> str:
        """The terminal's output so far, its escape sequences removed."""
        return ANSI.sub("", b"".join(self.frames).decode("utf-8", errors="replace"))

    async def quiet(self, seconds: float) -> str:
        """Read whatever the page receives until ``seconds`` from now; the text then."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                await asyncio.wait_for(self.read(), left)
            except TimeoutError:
                break
        return self.text()

    async def press_space(self) -> None:
        """The presenter's Space, typed into the page's terminal (as a person's key reaches it)."""
        await self.call("Runtime.evaluate", expression="document.querySelector('.xterm-helper-textarea').focus()")
        for kind in ("keyDown", "keyUp"):
            await self.call("Input.dispatchKeyEvent", type=kind, key=" ", code="Space", windowsVirtualKeyCode=32,
                            **({"text": " "} if kind == "keyDown" else {}))

    async def until(self, words: str, deadline: float) -> str:
        while words not in (text := self.text()):
            assert time.monotonic() < deadline, f"{words!r} never reached the page; it shows: {text[-400:]!r}"
            await self.read()
        return text


async def play_in_browser(executable: str, url: str, profile: Path, shot: Path) -> list[int]:
    """Open ``url`` in headless Chromium, pause the demo and resume it with Space, follow its captions,
    screenshot the search screen; return where each caption first appeared in the page's terminal output."""
    import aiohttp

    chromium = subprocess.Popen(
        [executable, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--mute-audio",
         "--remote-debugging-port=0", f"--user-data-dir={profile}", "--window-size=1280,800", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + DEADLINE
        active = profile / "DevToolsActivePort"
        while not (active.exists() and len(active.read_text().split()) == 2):
            assert time.monotonic() < deadline and chromium.poll() is None, "Chromium did not start"
            await asyncio.sleep(0.05)
        port, path = active.read_text().split()
        async with aiohttp.ClientSession() as http, http.ws_connect(f"ws://127.0.0.1:{port}{path}",
                                                                    max_msg_size=0) as socket_:
            tools = DevTools(socket_)
            target = (await tools.call("Target.createTarget", url="about:blank"))["targetId"]
            tools.session = (await tools.call("Target.attachToTarget", targetId=target, flatten=True))["sessionId"]
            await tools.call("Network.enable")
            # The page asks a web font of a host this machine cannot reach: refused at once, not waited for.
            await tools.call("Network.setBlockedURLs", urls=["*://fonts.googleapis.com/*"])
            await tools.call("Page.enable")
            await tools.call("Page.navigate", url=url)
            script = demo.load_script(demo.shipped_scripts()[-1])
            assert script.name == "walk-in-hours"
            captions = [step.text[:30] for step in script.steps if step.kind == "caption"]
            await tools.until(captions[0], deadline)
            await tools.press_space()  # the presenter pauses, from the browser
            await tools.until("Démonstration en pause", deadline)
            seen = sum(words in tools.text() for words in captions)
            assert seen < len(captions)
            held = await tools.quiet(HOLD)  # paused: no new caption while the room asks its question
            assert sum(words in held for words in captions) == seen
            await tools.press_space()  # and goes on
            positions = [(await tools.until(words, deadline)).index(words) for words in captions]
            await tools.until("Fin de la démonstration : rechargez la page pour la rejouer.", deadline)
            await asyncio.sleep(0.5)  # the last frame drawn on the page's canvas
            title = await tools.call("Runtime.evaluate", expression="document.title + '|' + document.body.className")
            assert "-first-byte" in title["result"]["value"]  # the page has the terminal up
            png = await tools.call("Page.captureScreenshot", format="png")
            shot.write_bytes(base64.b64decode(png["data"]))
            # After the last caption (« Échap ramène à la recherche »), the search screen is drawn again.
            assert "Services les plus demandés" in tools.text()[positions[-1]:]
        return positions
    finally:
        chromium.terminate()
        try:
            chromium.wait(timeout=10)
        except subprocess.TimeoutExpired:
            chromium.kill()
            chromium.wait()


@pytest.mark.slow  # a server, a demo process and a browser: seconds
def test_the_demo_plays_and_pauses_in_a_headless_chromium(browser: str, server: str, tmp_path: Path) -> None:
    shot = tmp_path / "demo-navigateur.png"
    keep = os.environ.get("GUICHET_BROWSER_SHOT")  # where to keep the screenshot, to look at it
    with tempfile.TemporaryDirectory(prefix="guichet-chromium-") as profile:
        positions = asyncio.run(play_in_browser(browser, server, Path(profile), shot))
    assert len(positions) >= 5 and positions == sorted(positions)  # every caption, in the script's order
    picture = shot.read_bytes()
    assert picture.startswith(b"\x89PNG") and len(picture) > 20_000  # a drawn screen, not an empty page
    if keep:
        shutil.copy(shot, keep)


# -- the command line around it ----------------------------------------------------------------------
def test_without_the_web_extra_a_french_line_and_exit_2(monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "textual_serve" else real(name))
    assert cli.main(["demo", "walk-in-hours", "--serve"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "textual-serve" in err and 'pip install "guichet[web]"' in err


@pytest.mark.parametrize(("argv", "words"), [
    (["--hote", "0.0.0.0"], "--hote et --port vont avec --serve"),
    (["--port", "8080"], "--hote et --port vont avec --serve"),
    (["--serve", "--headless"], "--serve et --headless s'excluent"),
    (["--serve", "--port", "0"], "un numéro de port de 1 à 65535 est attendu"),
    (["--serve", "--port", "http"], "un numéro de port de 1 à 65535 est attendu"),
])
def test_serve_options_misused_exit_2(argv: list[str], words: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo", "walk-in-hours", *argv]) == 2
    assert words in capsys.readouterr().err


@pytest.mark.parametrize(("host", "local"), [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                              ("127.0.1.1", True), ("0.0.0.0", False), ("192.168.1.20", False),
                                              ("::", False), ("salle-b.local", False)])
def test_only_the_loopback_is_local(host: str, local: bool) -> None:
    assert serve.is_local(host) is local


def test_the_public_address_of_a_wildcard_is_the_machine_name() -> None:
    assert serve.public_url("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert serve.public_url("::1", 8001) == "http://[::1]:8001"
    assert serve.public_url("0.0.0.0", 8000) == f"http://{socket.gethostname()}:8000"


def test_the_served_process_gets_a_throwaway_home_and_the_frozen_clock(tmp_path: Path) -> None:
    script = demo.load_script(demo.shipped_scripts()[-1])
    real = {"PATH": "/usr/bin", "GUICHET_HOME": "/home/agent/guichet", "GUICHET_NOW": "2030-01-01T08:00",
            "GUICHET_DATABASE_URL": "postgresql+psycopg://caf/guichet", "GUICHET_DATA": "/srv/data"}
    served = serve.served_environment(real, tmp_path, script)
    assert served == {"PATH": "/usr/bin", "GUICHET_HOME": str(tmp_path), "GUICHET_NOW": "2026-11-23T12:20"}
    command = serve.served_command(script.path, 1.5)
    split = subprocess.list2cmdline if os.name == "nt" else shlex.join  # the shell line, quoted for this system
    assert command == split([sys.executable, "-m", "guichet", "demo", str(script.path.resolve()), "--vitesse", "1.5",
                             "--servi"])


class FakeServer:
    """textual-serve's Server, recording what it was given instead of listening."""

    seen: dict[str, Any] = {}
    failure: OSError | None = None

    def __init__(self, command: str, **options: Any) -> None:
        FakeServer.seen = {"command": command, **options}

    def serve(self) -> None:
        FakeServer.seen["environ"] = dict(os.environ)
        if FakeServer.failure is not None:
            raise FakeServer.failure


@pytest.fixture
def fake_server(monkeypatch: pytest.MonkeyPatch) -> type[FakeServer]:
    server_module = pytest.importorskip("textual_serve.server")
    monkeypatch.setattr(server_module, "Server", FakeServer)
    FakeServer.failure = None
    return FakeServer


def test_a_non_local_host_is_served_with_a_french_warning(fake_server: type[FakeServer],
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    before = dict(os.environ)
    assert cli.main(["demo", "walk-in-hours", "--serve", "--hote", "0.0.0.0", "--port", "8123"]) == 0
    err = capsys.readouterr().err
    assert "attention, --hote 0.0.0.0 ouvre la démonstration à toute machine" in err and "port 8123" in err
    seen = fake_server.seen
    assert (seen["host"], seen["port"]) == ("0.0.0.0", 8123) and seen["command"].endswith("--servi")
    home = seen["environ"]["GUICHET_HOME"]
    assert home != before.get("GUICHET_HOME") and "guichet-serve-" in home and not Path(home).exists()  # removed
    assert seen["environ"]["GUICHET_NOW"] == "2026-11-23T12:20"
    assert dict(os.environ) == before  # the server's own environment is given back


def test_the_local_default_needs_no_warning(fake_server: type[FakeServer],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo", "walk-in-hours", "--serve"]) == 0
    assert capsys.readouterr().err == ""
    assert (fake_server.seen["host"], fake_server.seen["port"]) == ("127.0.0.1", 8000)
    assert fake_server.seen["public_url"] == "http://127.0.0.1:8000"


def test_a_port_already_taken_is_one_french_line(fake_server: type[FakeServer],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    fake_server.failure = OSError(98, "Address already in use")
    assert cli.main(["demo", "walk-in-hours", "--serve", "--port", "8124"]) == 2
    err = capsys.readouterr().err
    assert "impossible d'écouter sur 127.0.0.1:8124" in err and "--port" in err

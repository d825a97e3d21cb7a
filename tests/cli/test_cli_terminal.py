"""``guichet`` without a terminal (``guichet < /dev/null``, ``guichet | cat``) refuses to start the
full-screen interface in one French line, exit code 2, instead of hanging; the real process is run."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

NO_TERMINAL = "guichet : l'interface plein écran demande un terminal ; pour les commandes, voir guichet --help."
TIMEOUT = 20  # seconds: the refusal takes well under one; a hang would take forever


def _guichet(*argv: str, home: Path, stdin: Any = subprocess.DEVNULL, stdout: Any = subprocess.PIPE,
             code: str | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "GUICHET_HOME": str(home), "TERM": "xterm-256color"}
    command = [sys.executable, "-m", "guichet", *argv] if code is None else [sys.executable, "-c", code]
    return subprocess.run(command, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE, env=env,
                          timeout=TIMEOUT, check=False)


@pytest.mark.parametrize("argv", [[], ["tui"], ["--now", "2026-11-23T10:00"]], ids=["alone", "tui", "options-only"])
def test_no_terminal_at_all(argv: list[str], tmp_path: Path) -> None:
    done = _guichet(*argv, home=tmp_path)
    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.decode() == NO_TERMINAL + "\n"


def test_stdout_is_a_pipe_but_stdin_a_terminal(tmp_path: Path) -> None:  # guichet | cat
    leader, follower = pty.openpty()
    try:
        done = _guichet(home=tmp_path, stdin=follower)
    finally:
        os.close(follower)
        os.close(leader)
    assert (done.returncode, done.stdout, done.stderr.decode()) == (2, b"", NO_TERMINAL + "\n")


def test_stdin_is_not_a_terminal_but_stdout_is(tmp_path: Path) -> None:  # guichet < /dev/null
    leader, follower = pty.openpty()
    try:
        done = _guichet(home=tmp_path, stdout=follower)
        os.set_blocking(leader, False)
        try:
            shown = os.read(leader, 65536)
        except BlockingIOError:
            shown = b""
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 2 and done.stderr.decode() == NO_TERMINAL + "\n"
    assert b"\x1b[" not in shown  # nothing was drawn on the terminal: the interface never started


def test_the_refusal_comes_before_textual_is_imported(tmp_path: Path) -> None:
    code = ("import sys; from guichet.cli.main import main; rc = main([]); "
            "print(rc, 'textual' in sys.modules, 'guichet.ui.app' in sys.modules)")
    done = _guichet(home=tmp_path, code=code)
    assert done.stdout.decode().split() == ["2", "False", "False"]
    assert done.stderr.decode() == NO_TERMINAL + "\n"


def test_commands_still_work_without_a_terminal(tmp_path: Path) -> None:
    done = _guichet("hours", "nanterre", "--now", "2026-11-23T10:00", home=tmp_path)
    assert done.returncode == 0 and done.stdout.decode().startswith("Accueil sans rendez-vous")


def test_help_through_the_real_entry_point(tmp_path: Path) -> None:
    done = _guichet("--help", home=tmp_path)
    out = done.stdout.decode()
    assert done.returncode == 0 and out.startswith("utilisation : guichet [-h]")
    assert "usage:" not in out and "show this help" not in out


def test_a_demo_on_screen_needs_a_terminal_too(tmp_path: Path) -> None:
    done = _guichet("demo", "walk-in-hours", home=tmp_path)
    assert done.returncode == 2 and done.stdout == b""
    assert done.stderr.decode() == ("guichet : la démonstration à l'écran demande un terminal ; sans écran : "
                                    "guichet demo walk-in-hours --headless.\n")

"""Copying a text for the agent (a confirmation, a handoff message), saying what really happened.

Textual's ``App.copy_to_clipboard`` only sends the text to the terminal (OSC 52): many terminals
ignore it, and nobody can tell. So :func:`copy_text`:

1. sends OSC 52 anyway (where the terminal takes it, the text is there);
2. tries a real system clipboard tool when one exists: ``clip.exe`` on Windows (and WSL),
   ``pbcopy`` on macOS, ``wl-copy`` under Wayland, ``xclip`` or ``xsel`` under X11, each with a
   short timeout, no shell, the text on stdin;
3. always writes the text to an owner-only file of the exports folder, so that it can be opened
   and pasted from there.

The message says "copié" only when a tool took the text; otherwise it says where the file is and
that the text on screen can be selected. The file holds personal data (a name, a phone number,
a handoff message): it is one file, overwritten by each copy, and the retention purge deletes it
after :data:`~guichet.services.retention.CLIPBOARD_KEEP_DAYS` (``guichet purge``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.app import App

from guichet import logs
from guichet.paths import ensure_private_dir, write_private
from guichet.services.exports import CLIPBOARD_FILE

TOOL_TIMEOUT = 2.0  # seconds: a clipboard tool that hangs (no display answering) is given up
NO_CLIPBOARD = "Pas de presse-papiers disponible ici"

log = logs.get("clipboard")


def clipboard_tools(env: Mapping[str, str] | None = None, platform: str | None = None) -> list[list[str]]:
    """The system clipboard commands worth trying here, in order (their programs may be missing)."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if platform == "win32":
        return [["clip.exe"]]
    if platform == "darwin":
        return [["pbcopy"]]
    tools: list[list[str]] = []
    if env.get("WAYLAND_DISPLAY"):
        tools.append(["wl-copy"])
    if env.get("DISPLAY"):
        tools += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    tools.append(["clip.exe"])  # Windows' clipboard from WSL, when it is on the PATH
    return tools


def system_copy(text: str, env: Mapping[str, str] | None = None, platform: str | None = None) -> str | None:
    """Give ``text`` to the first clipboard tool that takes it; its name, or None when none did."""
    env = os.environ if env is None else env
    for command in clipboard_tools(env, platform):
        program = shutil.which(command[0], path=env.get("PATH", os.defpath))
        if program is None:
            continue
        # clip.exe reads the console's code page unless the text starts with a UTF-16 byte order mark.
        data = text.encode("utf-16") if command[0] == "clip.exe" else text.encode("utf-8")
        try:
            # stdout and stderr to /dev/null: xclip and wl-copy stay behind to serve the text, and
            # waiting for a pipe they hold would last until the next copy.
            done = subprocess.run([program, *command[1:]], input=data, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, timeout=TOOL_TIMEOUT, check=False)
        except (OSError, subprocess.SubprocessError) as exc:
            log.info("clipboard tool %s failed: %s", command[0], type(exc).__name__)
            continue
        if done.returncode == 0:
            return command[0]
        log.info("clipboard tool %s exited with %d", command[0], done.returncode)
    return None


@dataclass(frozen=True, slots=True)
class CopyResult:
    """What a copy did: the tool that took the text (None: none), the file written (None: failed)."""

    tool: str | None
    path: Path | None
    error: str = ""  # why the file could not be written

    @property
    def copied(self) -> bool:
        return self.tool is not None

    @property
    def message(self) -> str:
        """The sentence the agent reads (the path literally: show it with markup=False)."""
        if self.tool is not None and self.path is not None:
            return f"Copié dans le presse-papiers (et enregistré dans {self.path})."
        if self.tool is not None:
            return f"Copié dans le presse-papiers (fichier non enregistré : {self.error})."
        if self.path is not None:
            return (f"{NO_CLIPBOARD} : texte enregistré dans {self.path} ; "
                    "vous pouvez aussi le sélectionner à l'écran.")
        return (f"{NO_CLIPBOARD}, et le texte n'a pas pu être enregistré ({self.error}) : "
                "sélectionnez-le à l'écran.")


def save_copy(text: str, folder: Path) -> Path:
    """Write ``text`` to the clipboard file of ``folder``, readable by its owner only; its path."""
    ensure_private_dir(folder)
    return write_private(folder / CLIPBOARD_FILE, text, durable=False)


def copy_everywhere(text: str, folder: Path, env: Mapping[str, str] | None = None,
                    platform: str | None = None) -> CopyResult:
    """A system clipboard tool if one takes ``text``, and always the file (blocking: a thread)."""
    tool = system_copy(text, env, platform)
    try:
        path: Path | None = save_copy(text, folder)
        error = ""
    except OSError as exc:
        path, error = None, exc.strerror or type(exc).__name__
        log.warning("clipboard file not written: %s", type(exc).__name__)
    return CopyResult(tool, path, error)


def copy_text(app: App[Any], text: str, folder: Path, *, before: str = "") -> None:
    """Copy ``text`` for the agent and tell them what happened (``before``: a sentence to put first).

    OSC 52 goes at once; the tool and the file are tried in a thread worker of the app (not of the
    screen, which may close meanwhile), and the app then shows the message."""
    app.copy_to_clipboard(text)

    def work() -> None:
        try:
            result = copy_everywhere(text, folder)
        except Exception as exc:  # a bug: logged; the agent still has the text on screen
            logs.unexpected(log, exc, "copy_text")
            result = CopyResult(None, None, "erreur inattendue")
        severity = "information" if result.copied else "warning" if result.path else "error"
        message = f"{before} {result.message}".strip()
        app.call_from_thread(app.notify, message, severity=severity, timeout=12, markup=False)

    app.run_worker(work, thread=True, group="clipboard", name="clipboard", exit_on_error=False)

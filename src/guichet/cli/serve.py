"""``guichet demo SCRIPT --serve``: the demo in a browser, for a presentation room (issue 18).

textual-serve (the optional extra ``web``: ``pip install "guichet[web]"``) serves a page; each
browser that opens it starts its own process, ``python -m guichet demo SCRIPT --servi``, whose
screen travels to the page. That process runs on a throwaway home (``GUICHET_HOME``, a temporary
directory removed when the server stops) with the script's frozen clock (``GUICHET_NOW``), and
the demo itself plays on its own temporary database: never the user's real data.

The server listens on 127.0.0.1 unless another address is asked for with ``--hote``; a
non-local address is said, with a warning, before it starts.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import os
import shlex
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from guichet.cli.common import safe

if TYPE_CHECKING:
    from guichet.ui.demo_script import Script

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
EXIT_USAGE = 2
NO_EXTRA = ("guichet : la démonstration dans un navigateur demande le module textual-serve, "
            "qui n'est pas installé. Installez l'option web : pip install \"guichet[web]\".")
# What the served process must not inherit: another database, another data folder, another clock.
DROPPED = ("GUICHET_DATABASE_URL", "GUICHET_DATA", "GUICHET_NOW", "GUICHET_HOME")


def port(text: str) -> int:
    """argparse type: a TCP port, 1 to 65535."""
    import argparse

    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"un numéro de port de 1 à 65535 est attendu ; reçu {text!r}")
    return value


def is_local(host: str) -> bool:
    """Whether ``host`` is this machine only (the loopback: 127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def public_url(host: str, number: int) -> str:
    """The address the browsers open (and the page's websocket too): a wildcard address is no
    place to go, so it becomes this machine's name."""
    name = host.strip("[]")
    if name in ("0.0.0.0", "::", ""):
        name = socket.gethostname()
    if ":" in name:
        name = f"[{name}]"
    return f"http://{name}:{number}"


def served_command(script: Path, speed: float) -> str:
    """The command line of the process that each browser starts, quoted for this system's shell."""
    argv = [sys.executable, "-m", "guichet", "demo", str(script.resolve()), "--vitesse", f"{speed:g}", "--servi"]
    return subprocess.list2cmdline(argv) if os.name == "nt" else shlex.join(argv)


def served_environment(environ: dict[str, str], home: Path, script: Script) -> dict[str, str]:
    """The environment of the served processes: a throwaway home, the script's frozen clock."""
    served = {name: value for name, value in environ.items() if name not in DROPPED}
    served["GUICHET_HOME"] = str(home)
    served["GUICHET_NOW"] = script.now.strftime("%Y-%m-%dT%H:%M")
    return served


def serve(script: Script, *, host: str, number: int, speed: float, err: TextIO | None = None,
          out: TextIO | None = None) -> int:
    """Serve ``script`` until Ctrl+C; 2 (with one French line) without the extra or a free port."""
    err = err or sys.stderr
    out = out or sys.stdout
    if importlib.util.find_spec("textual_serve") is None:
        print(NO_EXTRA, file=err)
        return EXIT_USAGE
    if not is_local(host):
        print(f"guichet : attention, --hote {safe(host)} ouvre la démonstration à toute machine qui peut joindre "
              f"ce poste sur le port {number}, sans mot de passe. Elle ne montre que des données fictives ; "
              f"pour une salle, préférez un écran branché sur ce poste (--hote {DEFAULT_HOST}).", file=err)
    from textual_serve.server import Server

    url = public_url(host, number)

    class FrenchServer(Server):
        """textual-serve, with its start-up words in French and its log kept for warnings."""

        def initialize_logging(self) -> None:
            import logging

            logging.basicConfig(level=logging.WARNING, format="%(message)s")

        async def on_startup(self, app: object) -> None:
            print(f"Démonstration « {safe(script.title)} » servie sur {url}\n"
                  "Ouvrez cette adresse dans un navigateur : chaque ouverture rejoue la démonstration "
                  "depuis le début.\n"
                  "Espace : pause ou reprise, → : étape suivante. Ctrl+C ici arrête le serveur.", file=out, flush=True)

    with tempfile.TemporaryDirectory(prefix="guichet-serve-") as home:
        saved = dict(os.environ)
        os.environ.clear()
        os.environ.update(served_environment(saved, Path(home), script))  # textual-serve passes it on
        try:
            FrenchServer(served_command(script.path, speed), host=host.strip("[]"), port=number,
                         title=f"guichet — {script.title}", public_url=url).serve()
        except OSError as exc:
            print(f"guichet : impossible d'écouter sur {safe(host)}:{number} ({safe(exc.strerror or str(exc))}) ; "
                  "choisissez un autre port avec --port.", file=err)
            return EXIT_USAGE
        finally:
            os.environ.clear()
            os.environ.update(saved)
    return 0

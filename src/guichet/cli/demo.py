"""``guichet demo`` and ``guichet screenshots``: scripted demo sessions on a throwaway database.

The demo builds its own settings and services from the script (instant, agency, agent, a
temporary database), so the services that ``cli.main`` passes in are not used. The UI is
imported only when one of these commands runs.

On screen, a demo plays at a human pace. Headless, it plays at full speed unless ``--vitesse``
(``--speed``) is given, prints each caption as it is reached, one line each, and ends with one
French line: the final screen's title, the steps played and the time it took.

With ``--serve``, the demo plays in a browser instead (:mod:`guichet.cli.serve`, through the
optional extra ``web``); each browser starts ``guichet demo SCRIPT --servi``, whose screen is the
page's and whose standard output is the page's channel (nothing else is printed on it).
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from guichet.cli.common import has_terminal, safe
from guichet.cli.serve import DEFAULT_HOST, DEFAULT_PORT, port
from guichet.services import Services

if TYPE_CHECKING:
    from guichet.ui.demo import RunReport

MAX_SPEED = 100_000.0


def speed(text: str) -> float:
    """argparse type: a pace multiplier, more than 0 (2 = twice as fast)."""
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"un nombre est attendu, par exemple 0,5, 1 ou 2 ; reçu {text!r}") from None
    if not math.isfinite(value) or not 0 < value <= MAX_SPEED:
        raise argparse.ArgumentTypeError(f"un nombre plus grand que 0 et au plus {MAX_SPEED:g} est attendu ; "
                                         f"reçu {text!r}")
    return value


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    demo = sub.add_parser(
        "demo", parents=[common], help="jouer une démonstration scriptée (base de données jetable)",
        description="Joue une démonstration scriptée sur l'application réelle, avec une base de données jetable. "
                    "À l'écran, au rythme d'une personne ; avec --headless, sans écran et à pleine vitesse, "
                    "chaque légende affichée sur une ligne.",
    )
    demo.add_argument("script", nargs="?", metavar="SCRIPT",
                      help="nom d'une démonstration livrée (voir --list) ou chemin d'un script .toml")
    demo.add_argument("--vitesse", "--speed", dest="speed", type=speed, default=None, metavar="X",
                      help="rythme : 1 = temps réel, 2 = deux fois plus vite (par défaut : 1 à l'écran, "
                           "pleine vitesse avec --headless)")
    demo.add_argument("--headless", action="store_true",
                      help="jouer sans afficher l'écran, en écrivant les légendes au fil de l'eau")
    demo.add_argument("--list", action="store_true", help="lister les démonstrations livrées")
    demo.add_argument("--serve", action="store_true",
                      help="jouer la démonstration dans un navigateur (option web : pip install \"guichet[web]\") ; "
                           "chaque ouverture de la page la rejoue depuis le début")
    demo.add_argument("--hote", "--host", dest="host", default=None, metavar="ADRESSE",
                      help="avec --serve : adresse d'écoute (par défaut : 127.0.0.1, ce poste seulement)")
    demo.add_argument("--port", type=port, default=None, metavar="PORT",
                      help="avec --serve : port d'écoute (par défaut : 8000)")
    demo.add_argument("--servi", dest="served", action="store_true", help=argparse.SUPPRESS)  # the page's process
    demo.set_defaults(handler=cmd_demo)

    shots = sub.add_parser(
        "screenshots", parents=[common], help="écrire les captures d'écran du README (SVG)",
        description="Joue chaque démonstration livrée sans écran et écrit ses captures d'écran (SVG).",
    )
    shots.add_argument("--output", type=Path, default=Path("screenshots"), metavar="DOSSIER",
                       help="dossier où écrire les captures (par défaut : screenshots/)")
    shots.set_defaults(handler=cmd_screenshots)


def resolve_script(name: str) -> Path:
    """A shipped script's name (``walk-in-hours``), or a path to a script file."""
    from guichet.ui.demo import shipped_scripts
    from guichet.ui.session_file import resolve

    return resolve(name, shipped_scripts(), "aucune démonstration de ce nom (livrées :")


def caption_printer(stream: TextIO) -> Callable[[str], None]:
    """Print each caption of a headless demo on ``stream``: one line, at once, its text literal (no
    terminal sequence). The stream is taken before the app runs, as the app redirects ``sys.stdout``."""

    def print_caption(text: str) -> None:
        print(safe(text), file=stream, flush=True)

    return print_caption


def summary(title: str, report: RunReport) -> str:
    """The French end line of a demo: the final screen's title, the steps, the time it took."""
    state = "terminée" if report.completed else "interrompue"
    seconds = f"{report.seconds:.1f}".replace(".", ",")
    steps = f"{report.steps_played} étape{'s' if report.steps_played > 1 else ''} sur {report.steps_total}"
    final = f" ; écran final : {safe(report.final_title)}" if report.final_title else ""
    return f"Démonstration {state} : {safe(title)} — {steps} en {seconds} s{final}."


def cmd_demo(services: Services, args: argparse.Namespace) -> int:
    from guichet.ui.demo import load_script, run_script, shipped_scripts

    if args.list or not args.script:
        for path in shipped_scripts():
            script = load_script(path)
            print(safe(f"{script.name:<22} {script.title} ({len(script.steps)} étapes)"))
        if not args.list:
            print("Lancer : guichet demo NOM [--headless] [--vitesse 2]")
        return 0
    if (args.host is not None or args.port is not None) and not args.serve:
        print("guichet : --hote et --port vont avec --serve (la démonstration dans un navigateur).", file=sys.stderr)
        return 2
    if args.serve and args.headless:
        print("guichet : --serve et --headless s'excluent : le navigateur est l'écran de la démonstration.",
              file=sys.stderr)
        return 2
    script = load_script(resolve_script(args.script))
    if args.serve:
        from guichet.cli.serve import serve

        return serve(script, host=args.host or DEFAULT_HOST, number=args.port or DEFAULT_PORT,
                     speed=args.speed or 1.0)
    if not args.headless and not args.served and not has_terminal():
        print("guichet : la démonstration à l'écran demande un terminal ; sans écran : "
              f"guichet demo {safe(args.script)} --headless.", file=sys.stderr)
        return 2
    import asyncio  # only the demo needs an event loop of its own

    report = asyncio.run(run_script(script, speed=args.speed, headless=args.headless, served=args.served,
                                    on_caption=caption_printer(sys.stdout) if args.headless else None))
    if not args.served:  # served, the standard output is the page's: the browser shows the end
        print(summary(script.title, report))
    return 0


def cmd_screenshots(services: Services, args: argparse.Namespace) -> int:
    from guichet.ui.demo import generate_screenshots

    for path in generate_screenshots(args.output):
        print(safe(str(path)))
    return 0

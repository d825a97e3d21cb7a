"""``guichet demo`` and ``guichet screenshots``: scripted demo sessions on a throwaway database.

The demo builds its own settings and services from the script (instant, agency, agent, a
temporary database), so the services that ``cli.main`` passes in are not used. The UI is
imported only when one of these commands runs.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any

from guichet.cli.common import safe
from guichet.services import Services
from guichet.tomlcheck import DataError

MAX_SPEED = 100_000.0


def speed(text: str) -> float:
    """argparse type: a pace multiplier, more than 0 (2 = twice as fast)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number such as 0.5, 1 or 2, got {text!r}") from None
    if not math.isfinite(value) or not 0 < value <= MAX_SPEED:
        raise argparse.ArgumentTypeError(f"expected a number more than 0 and at most {MAX_SPEED:g}, got {text!r}")
    return value


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    demo = sub.add_parser("demo", parents=[common], help="play a scripted demo session (throwaway database)")
    demo.add_argument("script", nargs="?", help="shipped script name (see --list) or path to a .toml script")
    demo.add_argument("--speed", type=speed, default=1.0, metavar="X", help="pace multiplier (default 1; 2 = faster)")
    demo.add_argument("--headless", action="store_true", help="run without showing the screen")
    demo.add_argument("--list", action="store_true", help="list the shipped scripts")
    demo.set_defaults(handler=cmd_demo)

    shots = sub.add_parser("screenshots", parents=[common],
                           help="write the README screenshots (SVG) by playing every shipped script")
    shots.add_argument("--output", type=Path, default=Path("screenshots"), metavar="DIR",
                       help="output directory (default: screenshots/)")
    shots.set_defaults(handler=cmd_screenshots)


def resolve_script(name: str) -> Path:
    """A shipped script's name (``walk-in-hours``), or a path to a script file."""
    from guichet.ui.demo import shipped_scripts

    shipped = {path.stem: path for path in shipped_scripts()}
    if name in shipped:
        return shipped[name]
    path = Path(name)
    if path.suffix == ".toml" or path.exists():
        return path
    raise DataError(name, None, "", f"no such demo script (shipped: {', '.join(shipped)})")


def cmd_demo(services: Services, args: argparse.Namespace) -> int:
    from guichet.ui.demo import load_script, run_script, shipped_scripts

    if args.list or not args.script:
        for path in shipped_scripts():
            script = load_script(path)
            print(safe(f"{script.name:<22} {script.title} ({len(script.steps)} étapes)"))
        if not args.list:
            print("Lancer : guichet demo NOM [--speed 2] [--headless]")
        return 0
    script = load_script(resolve_script(args.script))
    import asyncio  # only the demo needs an event loop of its own

    report = asyncio.run(run_script(script, speed=args.speed, headless=args.headless))
    state = "terminée" if report.completed else "interrompue"
    print(f"Démonstration {state} : {safe(script.title)} — {report.steps_played}/{report.steps_total} étapes "
          f"en {report.seconds:.1f} s, écran final : {report.final_screen or '—'}.")
    return 0


def cmd_screenshots(services: Services, args: argparse.Namespace) -> int:
    from guichet.ui.demo import generate_screenshots

    for path in generate_screenshots(args.output):
        print(safe(str(path)))
    return 0

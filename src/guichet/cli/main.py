"""The ``guichet`` command: the TUI by default, and subcommands that mirror its actions.

Every user error ends as one line on stderr and exit code 2; the UI is imported only when
the TUI is asked for, so that ``guichet hours --json`` starts fast. The help and argparse's
own words are French (see ``cli/french.py``). The TUI needs a terminal: without one
(``guichet < /dev/null``, ``guichet | cat``) guichet says so in one line rather than starting blind.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guichet import __version__
from guichet.cli.common import dump, has_terminal, instant, safe
from guichet.cli.french import FrenchParser
from guichet.domain import fr
from guichet.domain.clock import local_iso
from guichet.errors import DatabaseUnreachable, GuichetError
from guichet.logs import setup_logging
from guichet.services import Services, make_services
from guichet.settings import Settings, load_settings, with_overrides

if TYPE_CHECKING:
    from guichet.domain.hours import WalkInStatus

EXIT_USAGE = 2  # what was typed (or configured) is wrong
EXIT_FAILURE = 1  # an unreachable database or a bug: nothing the agent typed
EXIT_CLOSED_PIPE = 128 + 13  # the reader went away (`| head -1`): what a shell reports for SIGPIPE

Handler = Callable[[Services, argparse.Namespace], int]


NO_TERMINAL = "guichet : l'interface plein écran demande un terminal ; pour les commandes, voir guichet --help."
INSTANT = "AAAA-MM-JJTHH:MM"  # the metavar of an instant, e.g. 2026-11-23T10:00
JSON_HELP = "sortie JSON, pour un autre programme"

def _common() -> FrenchParser:
    # Options valid both before and after the subcommand: SUPPRESS keeps a value given
    # before the subcommand from being reset by the subparser's default.
    common = FrenchParser(add_help=False)
    common.add_argument("--now", type=instant, default=argparse.SUPPRESS, metavar=INSTANT,
                        help="arrêter l'horloge à cet instant, heure de Paris (aussi GUICHET_NOW)")
    common.add_argument("--data", type=Path, default=argparse.SUPPRESS, metavar="DOSSIER",
                        help="dossier dont agencies.toml et services.toml remplacent ceux livrés")
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = FrenchParser(
        prog="guichet", parents=[common],
        description="Accueil des CAF : orientation, horaires, rendez-vous, passages de relais. "
                    "Sans commande : l'interface plein écran du guichet.",
        epilog="L'aide d'une commande : guichet COMMANDE --help.",
    )
    parser.add_argument("--version", action="version", version=f"guichet {__version__}",
                        help="afficher la version de guichet et quitter")
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE", title="commandes",
                                help="sans commande : l'interface plein écran")

    hours = sub.add_parser("hours", parents=[common], help="horaires de l'accueil sans rendez-vous",
                           description="Dit si l'accueil sans rendez-vous de chaque agence est ouvert, "
                                       "jusqu'à quand, et sa prochaine ouverture.")
    hours.add_argument("agency", nargs="?", metavar="AGENCE",
                       help="identifiant de l'agence, par exemple nanterre (par défaut : toutes)")
    hours.add_argument("--at", type=instant, metavar=INSTANT, help="l'instant à vérifier (par défaut : maintenant)")
    hours.add_argument("--json", action="store_true", help=JSON_HELP)
    hours.set_defaults(handler=cmd_hours)

    info = sub.add_parser("info", parents=[common], help="dossiers, base de données et fichiers de données utilisés",
                          description="Montre la version, les dossiers, la base de données, les fichiers de "
                                      "données et l'horloge en usage sur ce poste.")
    info.add_argument("--json", action="store_true", help=JSON_HELP)
    info.set_defaults(handler=cmd_info)

    tui = sub.add_parser("tui", parents=[common], help="ouvrir l'interface plein écran (par défaut)",
                         description="Ouvre l'interface plein écran du guichet (il faut un terminal).")
    tui.set_defaults(handler=cmd_tui)

    # The subcommands' modules are imported here, not at the top: the TUI's start-up needs none of them.
    from guichet.cli import appointments, catalog, db, demo, handoffs, retention, stats, training

    catalog.register(sub, common)
    appointments.register(sub, common)
    handoffs.register(sub, common)
    retention.register(sub, common)
    stats.register(sub, common)
    db.register(sub, common)
    demo.register(sub, common)
    training.register(sub, common)
    return parser


def status_json(status: WalkInStatus) -> dict[str, Any]:
    """The JSON object of ``guichet hours --json`` for one agency."""
    return {
        "agency": status.agency.id,
        "name": status.agency.name,
        "has_walk_in": status.has_walk_in,
        "walk_in_open": status.is_open,
        "closes_at": local_iso(status.closes_at),
        "next_opening": local_iso(status.next_opening),
        "today": [[fr.hhmm(a), fr.hhmm(b)] for a, b in status.today],
        "holiday": status.holiday,
        "closure": status.closure.reason if status.closure else None,
        "at": local_iso(status.at),
    }


def cmd_hours(services: Services, args: argparse.Namespace) -> int:
    from guichet.domain.hours import describe, walk_in_overview

    statuses = services.walk_in(args.agency, args.at)
    if args.json:
        dump([status_json(s) for s in statuses])
        return 0
    at = statuses[0].at if statuses else services.now()
    print(f"Accueil sans rendez-vous — {fr.day_time(at)}")
    for status in statuses:
        print(safe(f"{status.agency.name} — {describe(status)}"))
        if status.has_walk_in:
            print(f"    aujourd'hui : {fr.ranges(status.today)}")
    if any(not s.is_open for s in statuses):  # where to send the person instead: every agency's
        everyone = services.walk_in(None, at) if args.agency else statuses
        opened = [s for s in everyone if s.is_open]
        lines = walk_in_overview(everyone)
        if not lines and args.agency:
            lines = ["Ouvert en ce moment : " + " ; ".join(f"{s.agency.name} ({describe(s)})" for s in opened) + "."]
        for line in lines:
            print(safe(line))
    return 0


def rapidfuzz_compiled() -> bool:
    """Whether rapidfuzz runs its compiled core (the pure-Python fallback is ~80x slower)."""
    from rapidfuzz import fuzz

    return not fuzz.ratio.__module__.endswith("_py")


def cmd_info(services: Services, args: argparse.Namespace) -> int:
    settings = services.settings
    compiled = rapidfuzz_compiled()
    facts = {
        "version": __version__,
        "config_file": str(settings.paths.config_file),
        "data_dir": str(settings.paths.data_dir),
        "log_dir": str(settings.paths.log_dir),
        "data_override_dir": str(settings.data_override_dir),
        "database_url": services.context.database_label,
        "database": "partagée (PostgreSQL)" if services.is_shared_database else "locale (SQLite)",
        "data_files": list(services.catalog.sources),
        "agencies": len(services.catalog.agencies),
        "services": len(services.catalog.services),
        "rapidfuzz": "compiled" if compiled else "pure-python",
        "clock": services.now().isoformat(timespec="minutes")
        + (" (frozen)" if settings.now else ""),
    }
    if args.json:
        dump(facts)
    else:
        width = max(len(k) for k in facts)
        for key, value in facts.items():
            if isinstance(value, list):
                value = "\n".join(f"{'':{width + 2}}{safe(str(v))}" for v in value).lstrip()
            else:
                value = safe(str(value))
            print(f"{key:<{width}}  {value}")
    if not compiled:
        print(
            "warning: rapidfuzz runs its pure-Python fallback (about 80x slower): on Windows "
            "install the Microsoft Visual C++ Redistributable (x64), then reinstall rapidfuzz",
            file=sys.stderr,
        )
    return 0


def cmd_tui(services: Services, args: argparse.Namespace) -> int:
    from guichet.ui.app import run_app

    return run_app(services)


def settings_from(args: argparse.Namespace, env: dict[str, str] | None = None) -> Settings:
    settings = load_settings(env)
    return with_overrides(settings, now=getattr(args, "now", None), data_dir=getattr(args, "data", None))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``guichet`` console script."""
    try:
        code = _main(argv)
        if sys.stdout is not None:  # None under pythonw
            sys.stdout.flush()  # now, not at the interpreter's exit, where a closed pipe can only be reported
    except BrokenPipeError:
        return _closed_pipe()
    return code


def _main(argv: Sequence[str] | None) -> int:
    # Start-up allocates many objects that live as long as the process: collecting them is
    # wasted time. The TUI re-enables the collector after its first paint; other commands now.
    gc.disable()
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as exc:  # usage errors (one line, code 2), --help and --version (code 0)
            gc.enable()
            return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    else:  # the counter's everyday start, `guichet` alone: the TUI, without building every subcommand's parser
        args = argparse.Namespace(handler=cmd_tui)
    handler: Handler = getattr(args, "handler", cmd_tui)
    if handler is not cmd_tui:
        gc.enable()
    elif not has_terminal():  # started blind, the full-screen UI would wait for keys that never come
        gc.enable()
        print(NO_TERMINAL, file=sys.stderr)
        return EXIT_USAGE
    try:
        settings = settings_from(args)
        setup_logging(settings.paths.log_file)
        services = make_services(settings)
        try:
            return handler(services, args)
        finally:
            services.close()
    except DatabaseUnreachable as exc:  # the server, not what was typed: exit code 1, and where to look
        print(f"guichet: {exc} Vérifiez la connexion au serveur et `guichet info`.", file=sys.stderr)
        return EXIT_FAILURE
    except GuichetError as exc:  # the one error root: every planned error is one line
        print(f"guichet: {safe(str(exc))}", file=sys.stderr)  # it may quote a typed path or value
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        raise  # the reader of our output went away: main() ends quietly
    except Exception as exc:  # never a traceback in front of the agent: one line, the details in the log
        return _unexpected(exc)



def _closed_pipe() -> int:
    """The reader of our output went away (``guichet search apl | head -1``): end quietly, as Unix
    tools do, with the code a shell reports for a process that SIGPIPE ended (Python ignores
    SIGPIPE, so the write raised BrokenPipeError instead). What is still buffered would fail again
    when the interpreter flushes stdout at exit ("Exception ignored … BrokenPipeError", exit code
    120), so stdout is pointed at the null device first."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no descriptor behind stdout (a test's capture, pythonw)
        pass
    return EXIT_CLOSED_PIPE


def _unexpected(exc: Exception) -> int:
    """An error nobody planned for: logged with its traceback but no message (messages may quote
    personal data), one line on stderr."""
    from guichet import logs

    logs.unexpected(logs.get("cli"), exc, "a command")
    print(f"guichet : erreur inattendue ({type(exc).__name__}) ; détails dans le journal (voir `guichet info`).",
          file=sys.stderr)
    return EXIT_FAILURE

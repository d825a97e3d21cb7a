"""``guichet entrainement``: checked exercises in the real interface, and the session's summary.

``guichet entrainement`` lists the exercises; ``guichet entrainement ID [ID…]`` runs them one after
the other (``--tous``: all of them), each on its own throwaway database with its frozen clock. At the
end, the summary the trainer keeps: per exercise, the checks met, the time and the keys; exercise ids
only, nothing about the fictitious persons. ``--json`` prints it as JSON; ``--sortie FICHIER`` also
writes that JSON to a file readable by its owner only (never unless asked).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from guichet.cli.common import has_terminal, safe
from guichet.domain.clock import PARIS
from guichet.domain.exercise import ExerciseResult, Summary
from guichet.domain.rights import long_date
from guichet.paths import write_private
from guichet.services import Services


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    training = sub.add_parser(
        "entrainement", parents=[common], help="s'entraîner sur des situations vérifiées (base de données jetable)",
        description="Former un nouvel agent : une situation racontée par une personne, l'interface réelle sur une "
                    "base de données jetable, puis ce qui était attendu, point par point, avec la règle et sa "
                    "source. Sans identifiant : la liste des exercices.",
    )
    training.add_argument("exercises", nargs="*", metavar="ID",
                          help="identifiant d'un exercice livré (voir la liste) ou chemin d'un fichier .toml")
    training.add_argument("--tous", "--all", dest="all", action="store_true", help="enchaîner tous les exercices")
    training.add_argument("--list", "--liste", dest="list", action="store_true", help="lister les exercices")
    training.add_argument("--json", action="store_true", help="le résumé de la séance en JSON")
    training.add_argument("--sortie", "--output", dest="output", type=Path, default=None, metavar="FICHIER",
                          help="écrire aussi le résumé (JSON) dans ce fichier, lisible par vous seul")
    training.set_defaults(handler=cmd_training)


def cmd_training(services: Services, args: argparse.Namespace) -> int:
    from guichet.ui.exercise_file import load_exercise, resolve, shipped_exercises

    if args.list or not (args.exercises or args.all):
        for path in shipped_exercises():
            exercise = load_exercise(path)
            where = "au téléphone" if exercise.channel == "telephone" else "au guichet"
            print(safe(f"{exercise.id} · {where} · {len(exercise.checks)} vérifications"))
            print(safe(f"    {exercise.title}"))
        if not args.list:
            print("Lancer : guichet entrainement ID [ID…]   ou   guichet entrainement --tous")
        return 0
    paths = shipped_exercises() if args.all else [resolve(name) for name in args.exercises]
    exercises = [load_exercise(path) for path in paths]  # every file checked before the first one runs
    if args.output is not None and not args.output.parent.is_dir():
        print(f"guichet : le dossier de {safe(str(args.output))} n'existe pas.", file=sys.stderr)
        return 2
    if not has_terminal():
        print("guichet : l'entraînement se fait dans l'interface plein écran : il faut un terminal.", file=sys.stderr)
        return 2
    from guichet.ui import training

    results: list[ExerciseResult] = []
    for number, exercise in enumerate(exercises, start=1):
        run = training.run_exercise(exercise, position=(number, len(exercises)))
        if run.result is not None:
            results.append(run.result)
        if not run.go_on:
            break
    return report(Summary(tuple(results), day=datetime.now(PARIS).date().isoformat()), args)


def _day(iso: str) -> str:
    """``2026-12-01`` → ``1er décembre 2026``."""
    return long_date(date.fromisoformat(iso))


def report(summary: Summary, args: argparse.Namespace) -> int:
    """Print the summary (French lines, or JSON) and write it to ``--sortie`` when asked."""
    data = summary.as_json()
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print("Séance d'entraînement" + (f" du {_day(summary.day)}" if summary.day else "") + " :")
        for line in summary.lines() if summary.results else ["Aucun exercice terminé."]:
            print(safe(line))
    if args.output is not None:
        try:
            written = write_private(args.output, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        except OSError as exc:
            print(safe(f"guichet : résumé non écrit dans {args.output} : {exc.strerror or exc}"), file=sys.stderr)
            return 2
        if not args.json:
            print(safe(f"Résumé écrit : {written}"))
    return 0

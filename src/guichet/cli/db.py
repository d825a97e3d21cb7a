"""``guichet db init|upgrade|check``: for the administrator of a shared database."""

from __future__ import annotations

import argparse
from typing import Any

from guichet.cli.common import dump, safe
from guichet.services import Services


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    db = sub.add_parser("db", parents=[common], help="créer, mettre à jour ou vérifier la base (administrateurs)",
                        description="Pour l'administrateur d'une base partagée : créer le schéma, le mettre à "
                                    "jour, le vérifier.")
    actions = db.add_subparsers(dest="db_command", metavar="ACTION", required=True, title="actions",
                                help="init, upgrade ou check")
    for name, text, description in (
        ("init", "créer le schéma d'une base vide", "Crée le schéma dans une base de données vide."),
        ("upgrade", "appliquer les mises à jour du schéma (SQLite : après une copie de sauvegarde)",
         "Applique les mises à jour du schéma en attente ; avec SQLite, une copie de sauvegarde est faite avant."),
        ("check", "version du schéma, intégrité et gardes du journal",
         "Vérifie la version du schéma, l'intégrité de la base et les gardes du journal."),
    ):
        action = actions.add_parser(name, parents=[common], help=text, description=description)
        action.add_argument("--json", action="store_true", help="sortie JSON, pour un autre programme")
        action.set_defaults(handler=cmd_db, db_action=name)


def cmd_db(services: Services, args: argparse.Namespace) -> int:
    from guichet.services.database import administer

    report = administer(services.settings.effective_database_url, args.db_action, services.now())
    if args.json:
        dump(report)
    else:
        for key, value in report.items():
            print(f"{key:<16} {safe(str(value))}")
    return 0 if report["ok"] else 1

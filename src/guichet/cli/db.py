"""``guichet db init|upgrade|check``: for the administrator of a shared database."""

from __future__ import annotations

import argparse
from typing import Any

from guichet.cli.common import dump, safe
from guichet.services import Services


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    db = sub.add_parser("db", parents=[common], help="create, upgrade or check the database (administrators)")
    actions = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    for name, text in (("init", "create the schema of an empty database"),
                       ("upgrade", "apply the pending schema upgrades (SQLite: after a backup copy)"),
                       ("check", "schema version, integrity and the journal's guards")):
        action = actions.add_parser(name, parents=[common], help=text)
        action.add_argument("--json", action="store_true")
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

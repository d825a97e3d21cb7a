"""``guichet db init|upgrade|check``: for the administrator of a shared database."""

from __future__ import annotations

import argparse
from typing import Any

from guichet.cli.common import UsageError, dump
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
    from sqlalchemy import inspect

    from guichet.store.engine import make_engine, masked_url
    from guichet.store.migrations import LATEST, pending, upgrade
    from guichet.store.schema import backup_of, current_version, init_schema

    url = services.settings.effective_database_url
    engine = make_engine(url)
    try:
        now = services.now()
        before = current_version(engine)
        report: dict[str, Any] = {"database": masked_url(url), "version_before": before, "latest": LATEST}
        if args.db_action == "init":
            if before is not None:
                raise UsageError(f"the database already has a schema (version {before}): use `guichet db check`")
            init_schema(engine, now)
        elif args.db_action == "upgrade":
            if before is None:
                raise UsageError("the database is empty: use `guichet db init`")
            if pending(before):
                report["backup"] = backup_of(engine, before, now)
                report["applied"] = [m.version for m in upgrade(engine, before, now)]
            else:
                report["applied"] = []
        report["version"] = current_version(engine)
        if args.db_action == "check":
            report["tables"] = sorted(inspect(engine).get_table_names())
            report["journal_guarded"] = _journal_guarded(engine)
            if engine.dialect.name == "sqlite":
                with engine.connect() as connection:
                    report["integrity"] = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
        ok = report["version"] == LATEST and report.get("journal_guarded", True) is True and \
            report.get("integrity", "ok") == "ok"
        report["ok"] = ok
    finally:
        engine.dispose()
    if args.json:
        dump(report)
    else:
        for key, value in report.items():
            print(f"{key:<16} {value}")
    return 0 if ok else 1


def _journal_guarded(engine: Any) -> bool:
    """Whether the journal refuses a rewrite (tried inside a transaction that is rolled back)."""
    from sqlalchemy.exc import DBAPIError

    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            connection.exec_driver_sql("UPDATE journal SET action = 'x' WHERE id = (SELECT min(id) FROM journal)")
            empty = connection.exec_driver_sql("SELECT count(*) FROM journal").scalar() == 0
            return bool(empty)  # nothing to rewrite: cannot tell, the triggers exist by construction
        except DBAPIError:
            return True
        finally:
            transaction.rollback()

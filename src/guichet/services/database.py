"""The administrator's database actions: create the schema, upgrade it, check it.

They open their own engine: a counter's engine creates or upgrades the schema as it opens,
which is exactly what an administrator's ``init`` or ``check`` must not do behind their back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from guichet.errors import InvalidInput, StoreError

Action = Literal["init", "upgrade", "check"]


def administer(url: str, action: Action, now: datetime) -> dict[str, Any]:
    """Run ``action`` on the database at ``url``; the report says what was found and done,
    and ``ok`` whether the database is at the latest version, its journal guarded and intact."""
    from guichet.store.engine import make_engine, masked_url, storage_errors
    from guichet.store.migrations import LATEST, pending, upgrade
    from guichet.store.schema import backup_of, check, current_version, init_schema

    engine = make_engine(url)
    try:
        with storage_errors(engine):
            before = current_version(engine)
            report: dict[str, Any] = {"database": masked_url(url), "version_before": before, "latest": LATEST}
            if before is not None and before > LATEST:
                raise StoreError(f"La base est en version {before}, plus récente que ce guichet ({LATEST}) : "
                                 "installez sur ce poste la version de guichet qui l'a mise à jour.")
            if action == "init":
                if before is not None:
                    raise InvalidInput(f"the database already has a schema (version {before}): "
                                       "use `guichet db check`")
                init_schema(engine, now)
            elif action == "upgrade":
                if before is None:
                    raise InvalidInput("the database is empty: use `guichet db init`")
                if pending(before):
                    report["backup"] = backup_of(engine, before, now)
                    report["applied"] = [m.version for m in upgrade(engine, before, now)]
                else:
                    report["applied"] = []
            report["version"] = current_version(engine)
            if action == "check":
                report.update(check(engine))
    finally:
        engine.dispose()
    report["ok"] = (report["version"] == LATEST and report.get("journal_guarded", True) is True
                    and report.get("integrity", "ok") == "ok")
    return report

"""Schema v5 (issue 15, items 6 and 7): ``handoff.due_on`` (the answer's due date, 004 annex 1: « Répondre dans
un délai de 7 à 10 jours maximum »), filled for the handoffs already transmitted; the indexes for the late and
the stale handoffs; the refusals recorded before keep only their minimum (004 annex 7: « conservées deux ans
après la clôture d'un suivi d'intervention »: a refusal opens no follow-up). On SQLite (the kept version-1
file, and a version-4 database) and on PostgreSQL (a version-4 database)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from guichet.domain.clock import FixedClock
from guichet.domain.handoff import Destination, HandoffStatus
from guichet.services import make_services
from guichet.settings import Settings
from guichet.store.migrations import LATEST, MIGRATIONS, upgrade
from guichet.store.schema import current_version
from tests.conftest import FIXED_NOW, make_settings

V1 = Path(__file__).parent / "data" / "schema_v1.sqlite3"


def undo_v5(engine: Engine) -> None:
    """Take what v5 added out of a freshly created (latest) database, and stamp it version 4."""
    with engine.begin() as connection:
        connection.execute(text("DROP INDEX ix_handoff_due"))
        connection.execute(text("DROP INDEX ix_handoff_open_since"))
        connection.execute(text("ALTER TABLE handoff DROP COLUMN due_on"))
        connection.execute(text("DELETE FROM schema_version"))
        connection.execute(text("INSERT INTO schema_version (version, applied_at) VALUES (4, '2026-01-01 00:00:00')"))


def _as_version_four(engine: Engine) -> None:
    """A version-4 database with handoffs written by the v4 code."""
    undo_v5(engine)
    rows = [  # id, status, name, file_number, consent, destination, destination_label
        (1, "transmise", "Awa Diallo", "1234567", True, "service_social_caf", "Service social de la Caf"),
        (2, "transmise", "Li Wei", "7654321", True, "departement", "Service social du Département"),
        (3, "prise_en_charge", "Paul Martin", None, True, "service_social_caf", "Service social de la Caf"),
        (4, "refusee", "Refus Test", "1112223", False, "referent", "Travailleur social référent : Mme Le Goff"),
        (5, "refusee", "Jeanne Petit", "4445556", True, "service_social_caf", "Service social de la Caf"),
        (6, "a_transmettre", "Zoé Roux", None, True, "partenaire", "CIDFF"),
    ]
    events = [  # handoff id, at (naive UTC), status
        (1, "2026-11-23 09:00:00", "a_transmettre"), (1, "2026-11-23 09:05:00", "transmise"),
        (2, "2026-11-30 22:30:00", "a_transmettre"), (2, "2026-11-30 23:30:00", "transmise"),  # 1 Dec in Paris
        (3, "2026-11-02 09:00:00", "transmise"), (3, "2026-11-04 09:00:00", "prise_en_charge"),
        (4, "2026-11-23 09:00:00", "refusee"), (5, "2026-11-23 09:00:00", "a_transmettre"),
        (5, "2026-11-23 09:30:00", "refusee"), (6, "2026-11-23 09:00:00", "a_transmettre"),
    ]
    with engine.begin() as connection:
        for number, status, name, file_number, consent, destination, label in rows:
            connection.execute(text(
                "INSERT INTO handoff (id, created_at, updated_at, closed_at, created_by, agency, status, "
                "status_reason, name, file_number, phone, contact, life_event, event_date, motifs, benefits, comment, "
                "specificities, specificity_other, sharp_drop, already_followed, referent, partner, "
                "documents_to_professional, consent, urgent, destination, destination_label, message) VALUES "
                "(:id, :at, :at, :closed, 'agent', 'nanterre', :status, '', :name, :file_number, '0612345678', "
                "'telephone', 'separation', '2026-06-01', 'Non-paiement', 'ASF', 'Séparée en juin.', 'allophone', "
                "'', false, :followed, :referent, '', false, :consent, false, :destination, :label, :message)"),
                {"id": number, "at": "2026-11-02 09:00:00", "status": status, "name": name,
                 "file_number": file_number, "consent": consent, "destination": destination, "label": label,
                 "closed": "2026-11-23 09:30:00" if status == "refusee" else None,
                 "followed": destination == "referent", "referent": "Mme Le Goff" if number == 4 else "",
                 "message": None if not consent else f"Passage de relais n° {number}"})
        for handoff_id, at, status in events:
            connection.execute(text("INSERT INTO handoff_event (handoff_id, at, actor, status, reason) "
                                    "VALUES (:id, :at, 'agent', :status, '')"),
                               {"id": handoff_id, "at": at, "status": status})
        if engine.dialect.name == "postgresql":  # the ids were given: move the sequences past them
            connection.execute(text("SELECT setval('handoff_id_seq', 6)"))
            connection.execute(text("SELECT setval('handoff_event_id_seq', 10)"))


@pytest.fixture
def database_settings(backend: str, settings: Settings, request: pytest.FixtureRequest) -> Settings:
    if backend == "postgresql":
        return replace(settings, database_url=request.getfixturevalue("pg_database_url"))
    return settings


def test_v5_is_followed_by_v6_only() -> None:
    assert LATEST == 6 and [m.version for m in MIGRATIONS][-2:] == [5, 6]


def test_upgrading_a_version_four_database(database_settings: Settings) -> None:
    clock = FixedClock(FIXED_NOW)
    services = make_services(database_settings, clock=clock)
    engine = services.engine
    _as_version_four(engine)
    assert current_version(engine) == 4
    assert "due_on" not in [c["name"] for c in inspect(engine).get_columns("handoff")]
    assert [m.version for m in upgrade(engine, 4, FIXED_NOW)] == [5, 6]
    assert current_version(engine) == LATEST
    assert {"ix_handoff_due", "ix_handoff_open_since"} <= {i["name"] for i in inspect(engine).get_indexes("handoff")}
    # Due 10 days after the move to « transmise », counted in Paris days (n° 2 was sent on 1 December there).
    dues = {h: services.handoffs.get(h).due_on for h in range(1, 7)}
    assert dues == {1: date(2026, 12, 3), 2: date(2026, 12, 11), 3: date(2026, 11, 12), 4: None, 5: None, 6: None}
    # The refusal of the person (n° 4) keeps its minimum; a refusal by the service (n° 5, agreed) keeps its data.
    refused = services.handoffs.get(4)
    assert (refused.draft.name, refused.draft.file_number, refused.draft.phone) == ("", None, None)
    assert (refused.draft.comment, refused.draft.benefits, refused.draft.specificities) == ("", (), ())
    assert (refused.draft.referent, refused.draft.already_followed, refused.draft.event_date) == ("", False, None)
    assert (refused.destination, refused.destination_label) == (Destination.REFERENT, Destination.REFERENT.label)
    assert (refused.status, refused.draft.life_event.value) == (HandoffStatus.REFUSEE, "separation")
    kept = services.handoffs.get(5)
    assert (kept.draft.name, kept.draft.file_number) == ("Jeanne Petit", "4445556")
    assert kept.message == "Passage de relais n° 5"
    assert services.handoffs.get(6).destination_label == "CIDFF"  # not a refusal: untouched
    # The list puts the late one first on 4 December: n° 1 was due on the 3rd.
    clock.set(FIXED_NOW.replace(day=4, month=12))
    assert [r.id for r in services.handoffs.listing()][:1] == [1]
    assert upgrade(engine, 4, FIXED_NOW) == []  # applied already: skipped
    services.close()


def test_the_kept_version_one_file_gets_its_due_date_and_its_refusal_minimised(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    shutil.copy(V1, tmp_path / "data" / "guichet.sqlite3")
    services = make_services(make_settings(tmp_path), clock=FixedClock(FIXED_NOW))
    sent, refused = services.handoffs.get(1), services.handoffs.get(2)
    assert (sent.status, sent.due_on, sent.draft.name) == (HandoffStatus.TRANSMISE, date(2026, 12, 3), "Awa Diallo")
    assert (refused.status, refused.draft.name, refused.due_on) == (HandoffStatus.REFUSEE, "", None)
    services.close()

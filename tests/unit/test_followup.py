"""The follow-up's dates: the answer's due date and how late it is, the expiry delay of a handoff never closed.

004_a86ec49ae4cb90e1.txt, annex 1: « Un délai de réponse de 7 à 10 jours maximum suivant la réception de la
demande est un engagement hors situation urgente »; annex 7: « Elles seront conservées deux ans après la
clôture d'un suivi d'intervention »; 000: « un accompagnement (6 mois maximum) ».
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from guichet.domain.clock import PARIS
from guichet.domain.followup import (
    ANSWER_DAYS,
    AWAITING_ANSWER,
    OPEN_STATUSES,
    HandoffRecord,
    days_late,
    due_date,
    due_note,
    expiry_reason,
    late_text,
    short_due_note,
)
from guichet.domain.handoff import Destination, HandoffDraft, HandoffStatus
from guichet.domain.models import LifeEvent
from guichet.services.retention import months_before
from guichet.settings import SettingsError, load_settings

SEEDS = Path(__file__).parents[3] / "shared" / "seeds"
AT = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)


def record(status: HandoffStatus = HandoffStatus.TRANSMISE, due_on: date | None = date(2026, 12, 3)) -> HandoffRecord:
    draft = HandoffDraft(name="Awa Diallo", life_event=LifeEvent.SEPARATION, motifs="m", comment="c")
    return HandoffRecord(id=1, draft=draft, status=status, created_at=AT, updated_at=AT, created_by="agent",
                         urgent=False, destination=Destination.SERVICE_SOCIAL_CAF, destination_label="x",
                         due_on=due_on)


def test_the_sources_say_so() -> None:
    found = {p.name[:3]: " ".join(p.read_text(encoding="utf-8").split()) for p in SEEDS.glob("00*.txt")}
    if not found:
        pytest.skip("../shared/seeds is not beside this checkout")
    assert "Un délai de réponse de 7 à 10 jours maximum suivant la réception de la demande est un engagement " \
           "hors situation urgente" in found["004"]
    assert "Elles seront conservées deux ans après la clôture d'un suivi d'intervention." in found["004"]
    assert "accompagnement (6 mois maximum)" in found["000"]


def test_the_answer_is_due_ten_days_after_the_transmission() -> None:
    """« 7 à 10 jours maximum »: the maximum, in days (the convention does not say working days)."""
    assert ANSWER_DAYS == 10
    assert due_date(date(2026, 11, 23)) == date(2026, 12, 3)  # Monday → Thursday of the next week
    assert due_date(date(2026, 12, 24)) == date(2027, 1, 3)  # across the holidays and the year: days are days
    assert due_date(date(2028, 2, 25)) == date(2028, 3, 6)  # a leap year


def test_late_from_the_day_after_the_due_date() -> None:
    r = record()
    assert [days_late(r, date(2026, 12, d)) for d in (1, 3, 4, 6)] == [0, 0, 1, 3]
    assert (late_text(0), late_text(1), late_text(3)) == ("", "en retard depuis 1 jour", "en retard depuis 3 jours")
    assert due_note(r, date(2026, 12, 6)) == "en retard depuis 3 jours"
    assert due_note(r, date(2026, 12, 3)) == "réponse attendue au plus tard le jeudi 3 décembre 2026"
    assert (short_due_note(r, date(2026, 12, 6)), short_due_note(r, date(2026, 12, 1))) == (
        "en retard 3 j", "avant le 03/12")


@pytest.mark.parametrize("status", [s for s in HandoffStatus if s is not AWAITING_ANSWER])
def test_only_a_transmitted_handoff_can_be_late(status: HandoffStatus) -> None:
    """Taken in charge, closed, refused or expired: the answer came or is no longer awaited."""
    r = record(status)
    assert days_late(r, date(2027, 6, 1)) == 0 and due_note(r, date(2027, 6, 1)) == ""
    assert days_late(record(due_on=None), date(2027, 6, 1)) == 0  # never transmitted


def test_open_statuses_and_the_expiry_reason() -> None:
    assert OPEN_STATUSES == (HandoffStatus.A_TRANSMETTRE, HandoffStatus.TRANSMISE, HandoffStatus.PRISE_EN_CHARGE)
    assert HandoffStatus.EXPIREE.label == "Expirée"
    assert expiry_reason(12).startswith("Sans suite depuis plus de 12 mois : passage de relais expiré")
    assert len(expiry_reason(60)) <= 300  # the status reason's column
    assert months_before(datetime(2027, 3, 31, 10, 0, tzinfo=PARIS), 1) == datetime(2027, 2, 28, 10, 0, tzinfo=PARIS)
    assert months_before(datetime(2027, 11, 24, 10, 0, tzinfo=PARIS), 12) == datetime(2026, 11, 24, 10, 0,
                                                                                        tzinfo=PARIS)


def test_the_expiry_delay_setting(tmp_path: Path) -> None:
    """12 months by default (twice the longest accompaniment), 1 to 60 in config.toml."""
    env = {"GUICHET_HOME": str(tmp_path)}
    assert load_settings(env).handoff_expiry_months == 12
    config = load_settings(env).paths.config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("handoff_expiry_months = 6\n", encoding="utf-8")
    assert load_settings(env).handoff_expiry_months == 6
    config.write_text("handoff_expiry_months = 0\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="handoff_expiry_months"):
        load_settings(env)

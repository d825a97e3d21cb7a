"""No personal data ever reaches the log file, even at DEBUG (a full flow through the CLI)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from guichet.cli.main import main
from guichet.logs import LOGGER

NAME, FILE_NUMBER, PHONE = "Zoé Kerbrat-Lemoine", "7654321", "0698765432"
NOW = ["--now", "2026-11-23T10:00"]


@pytest.fixture(autouse=True)
def _fresh_logger() -> None:
    logger = logging.getLogger(LOGGER)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()


def test_full_flow_at_debug_logs_no_personal_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("GUICHET_HOME", str(tmp_path))
    monkeypatch.setenv("GUICHET_LOG_LEVEL", "DEBUG")
    assert main(["book", "--agency", "nanterre", "--kind", "gca", "--channel", "telephone", "--at", "2026-11-23T13:00",
                 "--name", NAME, "--file-number", FILE_NUMBER, "--phone", "06 98 76 54 32", "--json", *NOW]) == 0
    appointment = json.loads(capsys.readouterr().out)["id"]
    assert main(["reschedule", str(appointment), "--to", "2026-11-23T14:00", *NOW]) == 0
    assert main(["book", "--agency", "nanterre", "--kind", "gca", "--channel", "telephone", "--at", "2026-11-23T15:00",
                 "--name", NAME, "--phone", "0698", *NOW]) == 2
    capsys.readouterr()
    assert main(["handoff", "new", "--name", NAME, "--file-number", FILE_NUMBER, "--phone", PHONE,
                 "--event", "separation", "--motifs", "Non-paiement", "--benefit", "ASF",
                 "--comment", "Situation confidentielle de Zoé", "--consent", "yes", "--json", *NOW]) == 0
    handoff = json.loads(capsys.readouterr().out)["id"]
    assert main(["handoff", "status", str(handoff), "transmise", *NOW]) == 0
    assert main(["person", "--file-number", FILE_NUMBER, *NOW]) == 0
    assert main(["day", "--agency", "nanterre", "--date", "2026-11-23", *NOW]) == 0
    logs = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "logs").glob("guichet.log*"))
    assert f"appointment {appointment} booked" in logs  # the log is really written at DEBUG
    assert f"handoff {handoff}: transmise" in logs
    for secret in (NAME, "Zoé", "Kerbrat", FILE_NUMBER, PHONE, "06 98 76 54 32", "confidentielle"):
        assert secret not in logs


def test_a_database_error_during_a_handoff_logs_no_personal_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    monkeypatch.setenv("GUICHET_HOME", str(tmp_path))
    assert main(["day", "--agency", "nanterre", *NOW]) == 0  # creates the database
    con = sqlite3.connect(tmp_path / "data" / "guichet.sqlite3")
    con.execute("CREATE TRIGGER refuse BEFORE INSERT ON handoff BEGIN SELECT RAISE(FAIL, 'refused'); END")
    con.commit()
    con.close()
    capsys.readouterr()
    code = main(["handoff", "new", "--name", NAME, "--file-number", FILE_NUMBER, "--phone", PHONE,
                 "--event", "separation", "--motifs", "Non-paiement", "--benefit", "ASF",
                 "--comment", "Situation confidentielle de Zoé", "--consent", "yes", *NOW])
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and "erreur inattendue" in err
    logs = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "logs").glob("guichet.log*"))
    assert "IntegrityError" in logs and "Traceback" in logs  # the bug is in the log, with where it happened
    for secret in (NAME, "Zoé", "Kerbrat", FILE_NUMBER, PHONE, "confidentielle", "Non-paiement"):
        assert secret not in logs + err

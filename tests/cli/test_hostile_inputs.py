"""Hostile and broken input on the command line: one clear line, exit code 2, nothing written."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from guichet.cli.main import main

NOW = ["--now", "2026-11-23T10:00"]
BOOK = ["book", "--agency", "nanterre", "--kind", "gca", "--channel", "telephone", "--at", "2026-11-23T13:00"]
OK_PERSON = ["--name", "Awa Diallo", "--phone", "0612345678"]
HANDOFF = ["handoff", "new", "--event", "separation", "--motifs", "Non-paiement", "--benefit", "ASF",
           "--phone", "0612345678", "--consent", "yes"]

CASES: list[tuple[str, list[str]]] = [
    ("name-overlong", [*BOOK, "--name", "A" * 81, "--phone", "0612345678"]),
    ("name-escape-sequence", [*BOOK, "--name", "\x1b[31mRouge\x1b[0m", "--phone", "0612345678"]),
    ("name-nul", [*BOOK, "--name", "Awa\x00Diallo", "--phone", "0612345678"]),
    ("name-bidi-override", [*BOOK, "--name", "Awa\u202eollaiD", "--phone", "0612345678"]),
    ("name-newline", [*BOOK, "--name", "Awa\nDiallo", "--phone", "0612345678"]),
    ("name-only-digits", [*BOOK, "--name", "12345", "--phone", "0612345678"]),
    ("name-blank", [*BOOK, "--name", "   ", "--phone", "0612345678"]),
    ("phone-uk", [*BOOK, "--name", "Awa", "--phone", "+44 20 7946 0958"]),
    ("phone-us", [*BOOK, "--name", "Awa", "--phone", "+1 212 555 0100"]),
    ("phone-short", [*BOOK, "--name", "Awa", "--phone", "06123"]),
    ("phone-letters", [*BOOK, "--name", "Awa", "--phone", "06 AB CD EF GH"]),
    ("phone-starts-00", [*BOOK, "--name", "Awa", "--phone", "0012345678"]),
    ("phone-sql", [*BOOK, "--name", "Awa", "--phone", "0612345678' OR '1'='1"]),
    ("file-number-letters", [*BOOK, *OK_PERSON, "--file-number", "12AB567"]),
    ("file-number-8-digits", [*BOOK, *OK_PERSON, "--file-number", "12345678"]),
    ("objective-overlong", [*BOOK, *OK_PERSON, "--objective", "x" * 301]),
    ("objective-control", [*BOOK, *OK_PERSON, "--objective", "ok\x07bell"]),
    ("service-unknown", [*BOOK, *OK_PERSON, "--service", "'; DROP TABLE appointment; --"]),
    ("impossible-date", ["book", "--agency", "nanterre", "--kind", "gca", "--channel", "telephone",
                         "--at", "2026-02-30T10:00", *OK_PERSON]),
    ("date-without-time", ["book", "--agency", "nanterre", "--kind", "gca", "--channel", "telephone",
                           "--at", "2026-11-30", *OK_PERSON]),
    ("year-9999", ["book", "--agency", "nanterre", "--kind", "gca", "--channel", "telephone",
                   "--at", "9999-12-31T10:00", *OK_PERSON]),
    ("agency-sql", ["book", "--agency", "nanterre' OR 1=1 --", "--kind", "gca", "--channel", "telephone",
                    "--at", "2026-11-23T13:00", *OK_PERSON]),
    ("agency-path", ["slots", "--agency", "../../etc/passwd", "--kind", "gca", "--channel", "agence"]),
    ("kind-unknown", ["slots", "--kind", "tss", "--channel", "agence"]),
    ("limit-huge", ["slots", "--kind", "gca", "--channel", "agence", "--limit", "99999999999999999999"]),
    ("cancel-negative", ["cancel", "-5"]),
    ("cancel-huge", ["cancel", "999999999999999999999999"]),
    ("handoff-no-consent", ["handoff", "new", "--name", "Awa", "--event", "separation", "--motifs", "m",
                            "--benefit", "ASF", "--comment", "c", "--phone", "0612345678"]),
    ("handoff-no-comment", [*HANDOFF, "--name", "Awa"]),
    ("handoff-bad-benefit", [*HANDOFF, "--name", "Awa", "--comment", "c", "--benefit", "XYZ"]),
    ("handoff-future-death", ["handoff", "new", "--name", "Awa", "--event", "deces_parent", "--motifs", "m",
                              "--benefit", "AF", "--comment", "c", "--phone", "0612345678", "--consent", "yes",
                              "--event-date", "2027-05-01"]),
    ("handoff-period-reversed", [*HANDOFF, "--name", "Awa", "--comment", "c", "--period-start", "2026-10-01",
                                 "--period-end", "2026-09-01"]),
    ("handoff-comment-overlong", [*HANDOFF, "--name", "Awa", "--comment", "c" * 2001]),
    ("handoff-motifs-escape", [*HANDOFF, "--name", "Awa", "--comment", "c", "--motifs", "\x1b]52;c;cGF3bg==\x07"]),
    ("handoff-status-skip", ["handoff", "status", "1", "cloturee"]),
    ("person-bad-number", ["person", "--file-number", "abc"]),
    ("hours-bad-at", ["hours", "--at", "lundi"]),
]


def _counts(home: Path) -> tuple[int, int, int]:
    database = home / "data" / "guichet.sqlite3"
    if not database.exists():
        return (0, 0, 0)
    con = sqlite3.connect(database)
    try:
        tables = {t for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "appointment" not in tables:
            return (0, 0, 0)
        return tuple(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[return-value]
                     for t in ("appointment", "handoff", "journal"))
    finally:
        con.close()


@pytest.mark.parametrize(("argv"), [c for _, c in CASES], ids=[i for i, _ in CASES])
def test_hostile_input_is_one_line_exit_2_and_writes_nothing(argv: list[str], tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("GUICHET_HOME", str(tmp_path))
    code = main([*argv, *NOW])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    # "guichet : erreur : …" for what argparse refuses, "guichet: …" for what the services refuse
    assert len(lines) == 1 and lines[0].startswith(("guichet: ", "guichet : erreur : ")), err
    assert "Traceback" not in err and "\x1b" not in err
    assert _counts(tmp_path) == (0, 0, 0)


def test_sql_looking_text_is_stored_as_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """Text that looks like SQL is a name like any other: stored verbatim, nothing else touched."""
    monkeypatch.setenv("GUICHET_HOME", str(tmp_path))
    name = "Robert'); DROP TABLE appointment;--"
    assert main([*BOOK, "--name", name, "--phone", "0612345678", "--json", *NOW]) == 0
    assert json.loads(capsys.readouterr().out)["name"] == name
    assert main(["day", "--agency", "nanterre", "--date", "2026-11-23", "--json", *NOW]) == 0
    assert [a["name"] for a in json.loads(capsys.readouterr().out)] == [name]
    assert _counts(tmp_path) == (1, 0, 1)


def test_cases_are_many() -> None:
    assert len(CASES) >= 30


def test_unreachable_database_is_one_line_not_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("GUICHET_HOME", str(tmp_path))
    monkeypatch.setenv("GUICHET_DATABASE_URL", "postgresql+psycopg://nobody@/guichet?host=/nonexistent&connect_timeout=1")
    code = main(["day", "--agency", "nanterre", *NOW])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "Base de données injoignable" in err and "Traceback" not in err

"""Text from the data files, the database and the environment on the command line: shown as it
is, and never a terminal control sequence (issue 13, item 7).

Markup-like text (``[/]``, ``[b``, ``[link=…]``, ``$error``, a trailing backslash) is valid data:
the command line prints it unchanged. Control characters are refused on the way in (data files,
names, settings); the ones that still reach an output (a row written by hand or by an older
version, a C1 control in a data file, a directory name) are printed as a visible ``\\x1b``.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from guichet.cli.common import safe
from guichet.cli.main import main
from guichet.domain.handoff_message import signature
from guichet.paths import SHIPPED_DATA

NOW = "2026-11-23T10:00"  # Monday: Nanterre books from 10:30
AGENCY = "Nanterre [/] [link=https://x]clic[/link] [$error]rouge[/] [b \\"
ADDRESS = "70 rue [b]Lescop[/b] [/link] $error \\"
AGENCY_NOTE = "Note [link=https://x]clic[/link] [b"
CLOSURE = "Inventaire [/] [$warning]x[/] [b"
TITLE = "Paiement [/] non [b reçu $error \\"
SUMMARY = "Résumé [link=https://x]clic[/link] [$error]rouge[/] [b"
BRING = ("[/b] RIB [b", "Pièce \\")
PARTNER = "CCAS [/] [link=https://x]x[/link] $error \\"
SERVICE_NOTE = "[$warning]Noter[/] [/] « domiciliation » [b"
PERSON = "Awa [b]Diallo[/b] [$error]x[/] \\"
MOTIFS = "Non-paiement [/] [b"
COMMENT = "Contexte [link=https://x]clic[/link]\n[$error]rouge[/] \\"
AGENT = "Agent [/] $error [b \\"
OSC52 = "\x1b]52;c;SGVsbG8=\x07"  # writes "Hello" to the clipboard of the terminal that prints it
# What a terminal would obey: C0 controls but the line feed and the tab, DEL, the C1 controls.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string (its escapes are JSON's)."""
    return json.dumps(text)


def _edit_block(text: str, start: str, end: str, changes: dict[str, str]) -> str:
    """``text`` with each key of ``changes`` replaced by its value, once, from ``start`` to the next
    ``end`` (or the end of the text)."""
    begin = text.index(start)
    stop = text.find(end, begin + len(start))
    stop = len(text) if stop < 0 else stop
    block = text[begin:stop]
    for old, new in changes.items():
        assert block.count(old) == 1, old
        block = block.replace(old, new)
    return text[:begin] + block + text[stop:]


def hostile_catalog(directory: Path, *, address: str = ADDRESS, title: str = TITLE) -> Path:
    """The shipped agencies.toml and services.toml copied into ``directory``, Nanterre and the most
    asked-for service (« Paiement non reçu ») and a partner's (« domiciliation ») given hostile-but-valid
    texts."""
    directory.mkdir(parents=True, exist_ok=True)
    agencies = (SHIPPED_DATA / "agencies.toml").read_text(encoding="utf-8")
    agencies = _edit_block(agencies, 'id = "nanterre"', "[[agency]]", {
        'name = "Nanterre"': f"name = {toml_string(AGENCY)}",
        # a street address where the public is received (the shipped file knows none, only a postal one)
        'postal_address = "70 à 88 rue Paul Lescop, 92023 Nanterre Cedex"': f"address = {toml_string(address)}",
        '"Adresse postale du siège de la Caf des Hauts-de-Seine (un Cedex, pour le courrier) : ce n\'est pas '
        'l\'adresse de l\'accueil (000_fb1f5dfc0eaffb6c.txt, dernière page).",':
            f"{toml_string(AGENCY_NOTE)},",
        "[[agency.schedule]]\nkind = \"gca\"\nchannel = \"agence\"":
            f"[[agency.closure]]\nfrom = 2026-12-24\nreason = {toml_string(CLOSURE)}\n\n"
            "[[agency.schedule]]\nkind = \"gca\"\nchannel = \"agence\"",
    })
    (directory / "agencies.toml").write_text(agencies, encoding="utf-8")
    services = (SHIPPED_DATA / "services.toml").read_text(encoding="utf-8")
    services = _edit_block(services, 'id = "paiement-non-recu"', "[[service]]", {
        'title = "Paiement non reçu"': f"title = {toml_string(title)}",
        "summary = \"Une prestation n'est pas ou plus versée : rechercher le motif du non-paiement (pièce manquante, "
        "déclaration, contrôle) sans présumer une « suspension ».\"": f"summary = {toml_string(SUMMARY)}",
        "bring = [\"Numéro allocataire\", \"Pièce d'identité\", \"Dernier courrier de la Caf\", \"RIB\"]":
            f"bring = [{', '.join(toml_string(item) for item in BRING)}]",
    })
    services = _edit_block(services, 'id = "domiciliation"', "[[service]]", {
        'partner = "CCAS"': f"partner = {toml_string(PARTNER)}",
        'note = "Urgence d\'hébergement : accueil du Département. Noter « domiciliation » dans un passage de '
        'relais."': f"note = {toml_string(SERVICE_NOTE)}",
    })
    (directory / "services.toml").write_text(services, encoding="utf-8")
    return directory


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``guichet argv --now NOW`` in-process: (exit code, stdout, stderr), checked free of control sequences."""
    try:
        code = main([*argv, "--now", NOW])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    assert not CONTROL.search(out), f"control character on stdout: {out!r}"
    assert not CONTROL.search(err), f"control character on stderr: {err!r}"
    return code, out, err


def ok(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """A successful run: exit 0, nothing on stderr but the rules' « Attention : » lines for the agent."""
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert all(line.startswith("Attention : ") for line in err.splitlines()), err
    return out


def home() -> Path:
    return Path(os.environ["GUICHET_HOME"])


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return hostile_catalog(tmp_path / "data")


def book(capsys: pytest.CaptureFixture[str], data: Path, name: str = PERSON) -> dict[str, Any]:
    out = ok(capsys, "book", "--data", str(data), "--agency", "nanterre", "--kind", "gca", "--channel", "agence",
             "--at", "2026-11-23T10:30", "--name", name, "--phone", "0612345678", "--file-number", "1234567",
             "--service", "paiement-non-recu", "--objective", MOTIFS, "--json")
    booked: dict[str, Any] = json.loads(out)
    return booked


def handoff(capsys: pytest.CaptureFixture[str], data: Path) -> int:
    config = home() / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text(f"agent_name = {toml_string(AGENT)}\n", encoding="utf-8")
    out = ok(capsys, "handoff", "new", "--data", str(data), "--name", PERSON, "--event", "separation",
             "--motifs", MOTIFS, "--comment", COMMENT, "--benefit", "ASF", "--phone", "0612345678",
             "--file-number", "1234567", "--consent", "yes", "--json")
    record_id: int = json.loads(out)["id"]
    return record_id


def sql(statement: str, *values: object) -> None:
    """A change made by hand in the database (or by an older version): no validation on the way in."""
    con = sqlite3.connect(home() / "data" / "guichet.sqlite3")
    try:
        with con:
            con.execute(statement, values)
    finally:
        con.close()


# -- the helper ------------------------------------------------------------------------------
def test_safe_shows_every_control_character_and_keeps_the_text() -> None:
    assert safe(AGENCY) == AGENCY
    assert safe("é\u202fà « ok »") == "é\u202fà « ok »"  # French typography is not a control
    assert safe(f"a{OSC52}b") == "a\\x1b]52;c;SGVsbG8=\\x07b"
    assert safe("\x9b31m\x7f\x00\r") == "\\x9b31m\\x7f\\x00\\x0d"
    assert safe("un\ndeux\ttrois") == "un\\x0adeux\\x09trois"
    assert safe("un\ndeux\ttrois\r", multiline=True) == "un\ndeux\ttrois\\x0d"


# -- markup-like text: printed unchanged -----------------------------------------------------
def test_hours_prints_agency_names_and_closures_as_they_are(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    out = ok(capsys, "hours", "--data", str(data))
    assert f"{AGENCY} — " in out
    out = ok(capsys, "hours", "nanterre", "--at", "2026-12-24T10:00", "--data", str(data))
    assert f"{AGENCY} — fermé (fermeture exceptionnelle : {CLOSURE})" in out


def test_search_and_service_print_catalog_text_as_it_is(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    found = ok(capsys, "search", "pas", "reçu", "--data", str(data)).splitlines()
    assert found[0].split()[1] == "paiement-non-recu" and found[0].endswith(f"  {TITLE}")
    assert "Aucun service ne correspond à « zz[/ [link=x] »." in ok(capsys, "search", "zz[/", "[link=x]")
    out = ok(capsys, "service", "paiement-non-recu", "--data", str(data))
    assert out.startswith(f"{TITLE}\n{SUMMARY}\n")
    assert all(f"  • {item}\n" in out for item in BRING)
    out = ok(capsys, "service", "domiciliation", "--data", str(data))
    assert f"→ {PARTNER}\n" in out and f"  {SERVICE_NOTE}\n" in out


def test_booking_day_sheet_and_person_print_names_as_they_are(capsys: pytest.CaptureFixture[str],
                                                              data: Path) -> None:
    assert AGENCY in ok(capsys, "slots", "--agency", "nanterre", "--kind", "gca", "--channel", "telephone",
                        "--limit", "1", "--data", str(data))
    booked = book(capsys, data)
    assert booked["name"] == PERSON
    confirmation = ok(capsys, "reschedule", str(booked["id"]), "--to", "2026-11-23T11:00", "--data", str(data))
    assert f"Objet : {TITLE}." in confirmation and f"À l'accueil de la Caf : {AGENCY}, {ADDRESS}." in confirmation
    assert f"À préparer : {BRING[0]} ; {BRING[1]}." in confirmation
    out = ok(capsys, "day", "--agency", "nanterre", "--data", str(data))
    assert out.startswith(f"{AGENCY} — ")
    assert out.rstrip("\n").endswith(PERSON)
    assert out.count(PERSON) == 2  # the moved appointment, and its replacement
    assert PERSON in ok(capsys, "person", "--file-number", "1234567", "--data", str(data))


def test_handoff_list_and_show_print_what_was_typed_as_it_is(capsys: pytest.CaptureFixture[str],
                                                             data: Path) -> None:
    record_id = handoff(capsys, data)
    assert f"n° {record_id}" in ok(capsys, "handoff", "list", "--data", str(data))
    out = ok(capsys, "handoff", "show", str(record_id), "--data", str(data))
    assert f"Personne : {PERSON} — " in out and f"\n{MOTIFS}\n" in out and signature(AGENT) in out
    assert COMMENT in out  # a multi-line text keeps its line break
    assert PERSON in ok(capsys, "person", "--file-number", "1234567", "--data", str(data))


# -- control characters that still reach an output ------------------------------------------
def test_rows_changed_by_hand_never_print_a_terminal_sequence(capsys: pytest.CaptureFixture[str],
                                                              data: Path) -> None:
    booked = book(capsys, data)
    record_id = handoff(capsys, data)
    sql("UPDATE appointment SET name = ? WHERE id = ?", f"Awa{OSC52}Diallo\x9b2J", booked["id"])
    sql("UPDATE handoff SET name = ?, message = ? WHERE id = ?",
        f"Awa{OSC52}Diallo", f"Awa{OSC52}Diallo\nligne 1\rFAUSSE LIGNE\nligne 2{OSC52}", record_id)
    shown = "Awa\\x1b]52;c;SGVsbG8=\\x07Diallo"
    assert f"{shown}\\x9b2J" in ok(capsys, "day", "--agency", "nanterre", "--data", str(data))
    assert shown in ok(capsys, "person", "--file-number", "1234567", "--data", str(data))
    out = ok(capsys, "handoff", "show", str(record_id), "--data", str(data))
    assert shown in out and "ligne 1\\x0dFAUSSE LIGNE\nligne 2\\x1b]52" in out
    ok(capsys, "handoff", "list", "--data", str(data))
    # JSON: every control character escaped (json escapes C0; DEL and C1 by guichet), the data intact.
    sheet = json.loads(ok(capsys, "day", "--agency", "nanterre", "--json", "--data", str(data)))
    assert sheet[0]["name"] == f"Awa{OSC52}Diallo\x9b2J"
    records = json.loads(ok(capsys, "handoff", "list", "--json", "--data", str(data)))
    assert records[0]["name"] == f"Awa{OSC52}Diallo"


def test_control_characters_in_a_data_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """ESC, a C1 control (U+009B is a CSI by itself), DEL and a bidirectional override are refused
    with one clear line naming the file: a data file's text never acts on the agent's terminal."""
    for name, changes in (("esc", {"title": f"Paiement{OSC52}"}),
                          ("c1", {"address": "rue\x9b2J", "title": "Paiement"}),
                          ("del", {"title": "Paie\x7fment"}),
                          ("bidi", {"title": "Paiement \u202egnp.exe"})):
        data = hostile_catalog(tmp_path / name, **changes)
        code, out, err = run(capsys, "service", "paiement-non-recu", "--data", str(data))
        assert (code, out) == (2, ""), name
        assert err.count("\n") == 1 and ".toml" in err and "control character" in err, name


def test_info_prints_directory_names_visibly(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = hostile_catalog(tmp_path / f"donnees{OSC52}[b]")
    out = ok(capsys, "info", "--data", str(data))
    assert "donnees\\x1b]52;c;SGVsbG8=\\x07[b]" in out
    facts = json.loads(ok(capsys, "info", "--json", "--data", str(data)))
    assert facts["data_override_dir"] == str(data)

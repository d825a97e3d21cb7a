"""The workstation's settings file and the agent's identity: owner-only, one line of printable text."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from guichet.cli.main import main
from guichet.services import make_services
from guichet.settings import SettingsError, save_workstation
from tests.conftest import make_settings


def test_saved_settings_are_owner_only_and_atomic(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    saved = save_workstation(settings, agency="montrouge", agent_name="Camille  Martin", theme=None)
    path = settings.paths.config_file
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # it may hold the database's password
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert (saved.agency, saved.agent_name) == ("montrouge", "Camille Martin")
    assert sorted(p.name for p in path.parent.iterdir()) == ["config.toml"]  # no temporary file left
    path.chmod(0o644)  # an older guichet wrote it readable by all: the next save tightens it
    save_workstation(saved, agency="nanterre", agent_name="Camille Martin", theme=None)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize("name", ["Camille\x1b]52;c;SGVsbG8=\x07", "Camille\x9b31m", "Ca\x7fmille"])
def test_an_agent_name_with_control_characters_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(SettingsError, match="caractère de contrôle"):
        save_workstation(make_settings(tmp_path), agency="nanterre", agent_name=name, theme=None)


def test_a_configured_agent_name_with_an_escape_stops_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text('agent_name = "M. Martin\\u001b[2J"\n', encoding="utf-8")
    monkeypatch.setenv("GUICHET_HOME", str(tmp_path))
    assert main(["hours", "--now", "2026-11-23T10:00"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "agent_name" in err and "\x1b" not in err


def test_the_os_login_is_kept_printable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGNAME", "cmartin\x1b]52;c;SGVsbG8=\x07")
    monkeypatch.setenv("USER", "cmartin\x1b]52;c;SGVsbG8=\x07")
    services = make_services(make_settings(tmp_path))
    assert services.agent == "cmartin]52;c;SGVsbG8="
    monkeypatch.setenv("LOGNAME", "\x1b\x07")
    monkeypatch.setenv("USER", "\x1b\x07")
    assert make_services(make_settings(tmp_path)).agent == "agent"

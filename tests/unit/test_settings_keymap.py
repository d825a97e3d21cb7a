"""``[keymap]`` in config.toml, as the settings read it: a table of binding id → keys. Its shape
is checked here (the ids and the clashes by the UI, tests/ui/test_keymap.py); the workstation
settings written from the Réglages screen keep it."""

from __future__ import annotations

import gc
import tomllib
from pathlib import Path

import pytest

from guichet.cli.main import main
from guichet.paths import Paths
from guichet.settings import Settings, SettingsError, load_settings, save_workstation


def _config(tmp_path: Path, text: str) -> dict[str, str]:
    """The environment of a workstation whose config.toml holds ``text``."""
    (tmp_path / "config").mkdir(exist_ok=True)
    (tmp_path / "config" / "config.toml").write_text(text, encoding="utf-8")
    return {"GUICHET_HOME": str(tmp_path)}


def test_no_keymap_is_an_empty_one(tmp_path: Path) -> None:
    assert load_settings(_config(tmp_path, 'agency = "nanterre"\n')).keymap == {}
    assert load_settings({"GUICHET_HOME": str(tmp_path / "nothing")}).keymap == {}


def test_keymap_maps_binding_ids_to_keys(tmp_path: Path) -> None:
    env = _config(tmp_path, '[keymap]\n"app.agencies" = "ctrl+g"\n"app.book" = " f4 , ctrl+r "\n')
    assert load_settings(env).keymap == {"app.agencies": "ctrl+g", "app.book": "f4,ctrl+r"}


def test_an_id_written_without_quotes_is_read_as_it_is_spelled(tmp_path: Path) -> None:
    """TOML reads ``app.agencies = …`` as a table ``app`` holding ``agencies``: still the id."""
    env = _config(tmp_path, '[keymap]\napp.agencies = "ctrl+g"\nday.seen = "ctrl+a"\n"help.close" = "q"\n')
    assert load_settings(env).keymap == {"app.agencies": "ctrl+g", "day.seen": "ctrl+a", "help.close": "q"}


@pytest.mark.parametrize(("text", "expected"), [
    ('keymap = "ctrl+g"\n', "[keymap] : une table est attendue"),
    ('[keymap]\n"app.agencies" = 7\n', "[keymap] : « app.agencies » : une touche entre guillemets est attendue"),
    ('[keymap]\n"app.agencies" = "  "\n', "[keymap] : « app.agencies » : une touche entre guillemets est attendue"),
    ('[keymap]\n"app.agencies" = ["f2"]\n', "« app.agencies » : une touche entre guillemets est attendue"),
    ('[keymap]\n"app.agencies" = "f2,,f3"\n', "« app.agencies » : touche vide dans « f2,,f3 »"),
    ('[keymap]\n"app\\nagencies" = 1\n', "« app\\nagencies » : une touche"),  # on one line whatever it holds
])
def test_a_keymap_of_the_wrong_shape_is_one_line_naming_the_file(tmp_path: Path, text: str, expected: str) -> None:
    env = _config(tmp_path, text)
    with pytest.raises(SettingsError) as caught:
        load_settings(env)
    message = str(caught.value)
    assert "\n" not in message and "\x1b" not in message
    assert message.startswith(f"{tmp_path / 'config' / 'config.toml'} : [keymap] : ")
    assert expected in message, message


def test_the_command_line_says_it_in_one_line_with_exit_code_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    _config(tmp_path, '[keymap]\n"app.agencies" = 2\n')
    monkeypatch.setenv("GUICHET_HOME", str(tmp_path))
    try:
        code = main(["hours", "--now", "2026-11-23T10:00"])
    finally:
        gc.enable()
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("guichet: ") and "« app.agencies »" in err, err


def test_settings_stay_hashable_with_a_keymap(tmp_path: Path) -> None:
    paths = Paths(tmp_path / "c", tmp_path / "d", tmp_path / "l")
    assert hash(Settings(paths, keymap={"app.agencies": "ctrl+g"})) == hash(Settings(paths))


def test_saving_the_workstation_keeps_the_keymap_and_every_other_key(tmp_path: Path) -> None:
    env = _config(tmp_path, 'agency = "nanterre"\nhorizon_weeks = 8\nratio = 1.5\nzones = ["a", "b"]\n\n'
                            '[keymap]\n"app.agencies" = "ctrl+g"\nday.seen = "ctrl+a"\n\n'
                            '[other]\nname = "tab\\there \\"quoted\\" \\u0007"\n')
    before = load_settings(env)
    after = save_workstation(before, agency="chatenay-malabry", agent_name="Camille Martin", theme=None)
    assert after.keymap == before.keymap == {"app.agencies": "ctrl+g", "day.seen": "ctrl+a"}
    again = load_settings(env)
    assert again.keymap == before.keymap and again.agency == "chatenay-malabry" and again.horizon_weeks == 8
    written = tomllib.loads((tmp_path / "config" / "config.toml").read_text(encoding="utf-8"))
    assert written["ratio"] == 1.5 and written["zones"] == ["a", "b"]
    assert written["other"] == {"name": 'tab\there "quoted" \x07'}
    assert written["keymap"] == {"app.agencies": "ctrl+g", "day": {"seen": "ctrl+a"}}

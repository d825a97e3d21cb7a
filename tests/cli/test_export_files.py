"""Exports hold names and phones: owner-only, never over an existing file or through a link, complete or absent."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from guichet.cli.main import main

NOW = ["--now", "2026-11-23T10:00"]
BOOK = ["book", "--agency", "nanterre", "--kind", "gca", "--channel", "telephone", "--at", "2026-11-23T11:00",
        "--name", "Awa Diallo", "--phone", "0612345678", *NOW]
DAY = ["day", "--agency", "nanterre", "--date", "2026-11-23", *NOW]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    monkeypatch.setenv("GUICHET_HOME", str(tmp_path / "home"))
    assert main(BOOK) == 0
    capsys.readouterr()
    return tmp_path


def test_a_new_csv_is_owner_only(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = home / "feuille.csv"
    assert main([*DAY, "--csv", str(target)]) == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "Awa Diallo" in target.read_text(encoding="utf-8-sig")
    assert sorted(p.name for p in home.iterdir()) == ["feuille.csv", "home"]  # no temporary file left


def test_an_existing_file_is_never_overwritten(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = home / "important.txt"
    target.write_text("à garder\n", encoding="utf-8")
    code = main([*DAY, "--csv", str(target)])
    _, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1 and "existe déjà" in err
    assert target.read_text(encoding="utf-8") == "à garder\n"


def test_a_link_is_never_followed(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = home / "ailleurs.txt"
    elsewhere.write_text("à garder\n", encoding="utf-8")
    link = home / "lien.csv"
    link.symlink_to(elsewhere)
    dangling = home / "pendant.csv"
    dangling.symlink_to(home / "nouveau.csv")
    for target in (link, dangling):
        assert main([*DAY, "--csv", str(target)]) == 2
        assert "existe déjà" in capsys.readouterr().err
    assert elsewhere.read_text(encoding="utf-8") == "à garder\n"
    assert not (home / "nouveau.csv").exists()


def test_a_full_disk_leaves_nothing_behind(home: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    target = home / "feuille.csv"
    code = main([*DAY, "--csv", str(target)])
    _, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1 and "rien n'a été écrit" in err
    assert sorted(p.name for p in home.iterdir()) == ["home"]  # neither the file nor a temporary one

"""The wheel contains everything: code, the data files (``data/`` at the repository root, shipped
as ``guichet/data`` by pyproject's ``force-include``) and the stylesheets.

Builds guichet's wheel (``pip wheel --no-deps``, no index needed when hatchling is installed, as
the ``test`` extra does), reads its file list, then unpacks it in a temporary directory and runs
``python -m guichet`` from there, outside the source tree, with this environment's dependencies.
tests/test_offline_install.py goes further (a fresh virtual environment, every dependency from a
wheelhouse) but needs the package index and can be skipped; this one needs neither.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "guichet"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """guichet's wheel, built from the working tree."""
    output = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(output), str(ROOT)]
    if importlib.util.find_spec("hatchling") is not None:
        command.insert(4, "--no-build-isolation")  # the build backend is here: no package index needed
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    [built] = output.glob("guichet-*.whl")
    return built


def test_the_wheel_holds_the_data_files_and_the_stylesheets(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    data = {f"guichet/data/{p.relative_to(ROOT / 'data').as_posix()}" for p in (ROOT / "data").rglob("*.toml")}
    assert {"guichet/data/agencies.toml", "guichet/data/services.toml"} <= data
    assert any(name.startswith("guichet/data/demos/") for name in data)
    assert sorted(data - names) == []
    stylesheets = {f"guichet/{p.relative_to(SRC).as_posix()}" for p in SRC.rglob("*.tcss")}
    assert "guichet/ui/app.tcss" in stylesheets
    assert sorted(stylesheets - names) == []
    assert "guichet/py.typed" in names
    assert not any(name.startswith(("data/", "src/", "tests/")) for name in names)


def test_guichet_runs_from_the_unpacked_wheel(wheel: Path, tmp_path: Path) -> None:
    """Its data files are the wheel's own, not the source tree's; its demos are found and play,
    stylesheets included."""
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUICHET_")}
    # PYTHONPATH comes before site-packages, so the unpacked guichet wins over the editable install.
    env.update(PYTHONPATH=str(site), GUICHET_HOME=str(tmp_path / "home"), GUICHET_NOW="2026-11-23T12:30")

    def guichet(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "guichet", *args], capture_output=True, text=True, env=env,
                              cwd=tmp_path, timeout=120)

    info = guichet("info", "--json")
    assert info.returncode == 0, info.stderr
    files = [Path(f) for f in json.loads(info.stdout)["data_files"]]
    assert sorted(f.name for f in files) == ["agencies.toml", "services.toml", "social_work.toml"]
    assert all(f.is_relative_to(site / "guichet" / "data") for f in files), files

    listing = guichet("demo")
    assert listing.returncode == 0, listing.stderr
    names = {line.split()[0] for line in listing.stdout.splitlines() if line.strip()}
    assert {p.stem for p in (ROOT / "data" / "demos").glob("*.toml")} <= names

    demo = guichet("demo", "walk-in-hours", "--headless", "--speed", "100")
    assert demo.returncode == 0, demo.stdout + demo.stderr

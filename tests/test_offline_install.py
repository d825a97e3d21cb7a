"""The offline install of a locked-down workstation: a Linux wheelhouse, then pip --no-index.

Builds the wheelhouse for this Python (downloading from the package index: this is the one test
that needs it), installs guichet into a fresh virtual environment without any index, and runs
`guichet hours --json` and a headless demo from there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        sys.platform != "linux" or os.environ.get("GUICHET_SKIP_OFFLINE_INSTALL") == "1",
        reason="the Linux wheelhouse install runs on Linux (set GUICHET_SKIP_OFFLINE_INSTALL=1 to skip it)",
    ),
]


def test_install_from_the_wheelhouse_without_network(tmp_path: Path) -> None:
    house = tmp_path / "wheelhouse"
    subprocess.run([sys.executable, str(ROOT / "tools" / "build_wheelhouse.py"), "--platform", "linux",
                    "--python", PYTHON, "--output", str(house)], check=True, capture_output=True, timeout=600)
    folder = house / f"linux-py{PYTHON}"
    assert any(folder.glob("guichet-*.whl")) and any(folder.glob("textual-*.whl"))
    target = tmp_path / "venv"
    venv.create(target, with_pip=True)
    python = target / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUAL_ENV"))}
    env["PIP_CONFIG_FILE"] = os.devnull  # no index from the machine's configuration either
    subprocess.run([str(python), "-m", "pip", "install", "--no-index", "--find-links", str(folder), "guichet"],
                   check=True, capture_output=True, env=env, timeout=600)
    env.update(GUICHET_HOME=str(tmp_path / "home"), GUICHET_NOW="2026-11-23T12:30")
    guichet = target / "bin" / "guichet"
    hours = subprocess.run([str(guichet), "hours", "--json"], check=True, capture_output=True, text=True, env=env,
                           cwd=tmp_path, timeout=120)
    statuses = {s["agency"]: s["walk_in_open"] for s in json.loads(hours.stdout)}
    assert statuses == {"chatenay-malabry": False, "gennevilliers": False, "montrouge": False, "nanterre": True}
    info = subprocess.run([str(guichet), "info", "--json"], check=True, capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)
    data_files = [Path(f) for f in json.loads(info.stdout)["data_files"]]
    assert data_files and all(f.is_relative_to(target) and f.parent.name == "data" for f in data_files), data_files
    demo = subprocess.run([str(guichet), "demo", "walk-in-hours", "--headless", "--speed", "100"],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert demo.returncode == 0, demo.stderr

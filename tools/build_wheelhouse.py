"""Build a wheelhouse: guichet and every dependency as wheels, for offline installs.

    python tools/build_wheelhouse.py [--platform linux|windows|all] [--python 3.11,3.12,3.13] [--output DIR]

Then, on a workstation with no network and no admin rights (see README, "Installer sur un
poste sans réseau"):

    py -m venv %LOCALAPPDATA%\\guichet\\venv
    %LOCALAPPDATA%\\guichet\\venv\\Scripts\\pip install --no-index --find-links DIR guichet

Only binary wheels are taken (``--only-binary=:all:``): nothing is compiled on the workstation.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLATFORMS = {
    "linux": ["manylinux_2_17_x86_64", "manylinux2014_x86_64", "manylinux_2_28_x86_64"],
    "windows": ["win_amd64"],
}
EXTRAS = ""  # the PostgreSQL driver is added with --with-postgres, the browser demo with --with-web


def build_guichet_wheel(output: Path) -> Path:
    """Build guichet's own wheel (pure Python: one wheel for every platform)."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(output), str(ROOT)],
                   check=True, stdout=subprocess.DEVNULL)
    [wheel] = sorted(output.glob("guichet-*.whl"))
    return wheel


def download(wheel: Path, output: Path, platform: str, python: str, postgres: bool, web: bool = False) -> None:
    """Every dependency of ``wheel`` (and of the extras asked for) as binary wheels for ``platform`` and ``python``."""
    version = python.replace(".", "")
    extras = [name for name, wanted in (("postgres", postgres), ("web", web)) if wanted]
    target = f"{wheel}[{','.join(extras)}]" if extras else str(wheel)
    command = [sys.executable, "-m", "pip", "download", "--only-binary=:all:", "--dest", str(output),
               "--python-version", python, "--implementation", "cp", "--abi", f"cp{version}", "--abi", "abi3",
               "--abi", "none", target]
    for tag in PLATFORMS[platform]:
        command += ["--platform", tag]
    if platform == "linux":
        command += ["--platform", "any"]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--platform", choices=["linux", "windows", "all"], default="all")
    parser.add_argument("--python", default="3.11,3.12,3.13", help="comma-separated Python versions")
    parser.add_argument("--output", type=Path, default=ROOT / "wheelhouse")
    parser.add_argument("--with-postgres", action="store_true", help="add the PostgreSQL driver")
    parser.add_argument("--with-web", action="store_true", help="add textual-serve (guichet demo NAME --serve)")
    args = parser.parse_args(argv)
    platforms = list(PLATFORMS) if args.platform == "all" else [args.platform]
    with tempfile.TemporaryDirectory() as scratch:
        wheel = build_guichet_wheel(Path(scratch))
        for platform in platforms:
            for python in args.python.split(","):
                folder = args.output / f"{platform}-py{python.strip()}"
                folder.mkdir(parents=True, exist_ok=True)
                (folder / wheel.name).write_bytes(wheel.read_bytes())
                download(wheel, folder, platform, python.strip(), args.with_postgres, args.with_web)
                size = sum(f.stat().st_size for f in folder.glob("*.whl"))
                print(f"{folder.name}: {len(list(folder.glob('*.whl')))} wheels, {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

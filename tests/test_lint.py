"""The linters are part of the test suite: ruff on everything, mypy --strict on src/, the import
contracts of pyproject's [tool.importlinter] (docs/architecture.md) and no import cycle."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    import grimp

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True)


@pytest.mark.skipif(shutil.which("ruff") is None and not (ROOT / "pyproject.toml").exists(),
                    reason="ruff not installed")
def test_ruff_clean() -> None:
    result = _run("ruff", "check", "src", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_clean() -> None:
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


# -- The rooms' contracts (pyproject's [tool.importlinter]) and import cycles ---------------------

# `lint-imports`, run by this Python wherever its scripts live (click reads the arguments after `-c`).
_LINT_IMPORTS = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"


def _lint_imports(*args: str, cwd: Path = ROOT, pythonpath: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}  # rich wraps nothing the tests look for
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run([sys.executable, "-c", _LINT_IMPORTS, "--no-cache", "--no-logo", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_import_contracts_kept() -> None:
    """domain is pure, store/services/ui keep to their rooms, the layers hold, no sibling cycle."""
    result = _lint_imports(str(ROOT / "pyproject.toml"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_broken_contract_fails(tmp_path: Path) -> None:
    """The check can fail: a copy of the package whose domain imports Textual, lazily, inside a
    function, breaks the domain contract by name."""
    shutil.copytree(ROOT / "src" / "guichet", tmp_path / "guichet", ignore=shutil.ignore_patterns("__pycache__"))
    clock = tmp_path / "guichet" / "domain" / "clock.py"
    clock.write_text(clock.read_text(encoding="utf-8") + "\n\ndef _broken() -> None:\n    import textual\n",
                     encoding="utf-8")
    result = _lint_imports(str(ROOT / "pyproject.toml"), "--contract", "domain-pure",
                           cwd=tmp_path, pythonpath=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "domain is pure: no UI, no database, no other room BROKEN" in output
    assert "guichet.domain.clock -> textual" in output


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The import cycles of ``graph``: its strongly connected components of more than one module
    (or of one module importing itself), each sorted; Tarjan's algorithm, without recursion."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    work: list[tuple[str, Iterator[str]]] = []  # the depth-first path: each module and what it has left to visit

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        work.append((module, iter(sorted(graph.find_modules_directly_imported_by(module)))))

    for root in sorted(graph.modules):
        if root in index:
            continue
        visit(root)
        while work:
            module, imported = work[-1]
            following = next(imported, None)
            if following is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[module])
                if low[module] == index[module]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == module:
                            break
                    if len(component) > 1 or graph.direct_import_exists(importer=module, imported=module):
                        cycles.append(sorted(component))
            elif following not in index:
                visit(following)
            elif following in on_stack:
                low[module] = min(low[module], index[following])
    return sorted(cycles)


def _describe(graph: grimp.ImportGraph, cycle: list[str]) -> str:
    members = set(cycle)
    lines = [" <-> ".join(cycle)]
    for importer in cycle:
        for imported in sorted(graph.find_modules_directly_imported_by(importer) & members):
            for detail in graph.get_import_details(importer=importer, imported=imported):
                lines.append(f"    {importer} -> {imported} (l.{detail['line_number']}: {detail['line_contents']})")
    return "\n".join(lines)


def test_the_cycle_finder_finds_cycles() -> None:
    import grimp

    graph = grimp.ImportGraph()
    for importer, imported in [("p.a", "p.b"), ("p.b", "p.c"), ("p.c", "p.a"), ("p.c", "p.d"), ("p.e", "p.e")]:
        graph.add_import(importer=importer, imported=imported)
    assert import_cycles(graph) == [["p.a", "p.b", "p.c"], ["p.e"]]


def test_no_import_cycle() -> None:
    """No two modules of guichet import each other, directly or through others, counting the
    imports inside functions and under TYPE_CHECKING (a package's __init__ and its modules too,
    which the acyclic_siblings contract does not see)."""
    import grimp

    graph = grimp.build_graph("guichet", cache_dir=None)
    cycles = import_cycles(graph)
    assert not cycles, "import cycles:\n" + "\n".join(_describe(graph, cycle) for cycle in cycles)

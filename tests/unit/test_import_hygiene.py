"""The domain core imports neither the UI nor the database (DESIGN.md, convention 1)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import guichet.domain

DOMAIN_MODULES = sorted(
    f"guichet.domain.{m.name}" for m in pkgutil.iter_modules(guichet.domain.__path__)
)
FORBIDDEN = ("textual", "sqlmodel", "sqlalchemy")


@pytest.mark.parametrize("module", DOMAIN_MODULES)
def test_domain_module_is_pure(module: str) -> None:
    code = f"import sys, {module}; print(','.join(m for m in {FORBIDDEN!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_cli_hours_path_does_not_import_ui_or_database() -> None:
    """`guichet hours` must stay fast: no Textual, no SQLAlchemy on its path."""
    code = (
        "import sys, guichet.cli, guichet.services, guichet.catalog;"
        f"print(','.join(m for m in {FORBIDDEN!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""

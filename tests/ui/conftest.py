"""One deterministic fixture for every screen: fixed clock, temporary database, shipped data,
no cursor blink, explicit terminal size (given by each test)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from guichet.domain.clock import FixedClock
from guichet.services import Services, make_services
from guichet.ui.app import GuichetApp
from tests.conftest import FIXED_NOW, make_settings

AppFactory = Callable[..., GuichetApp]


@pytest.fixture(autouse=True)
def _still_header_figures(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A snapshot shows the header without the reception log's figures: they arrive from a worker
    at a moment no snapshot can wait for (tests/ui/test_reception.py asserts them)."""
    if "snap_compare" in request.fixturenames:
        from guichet.ui.reception import ReceptionMixin

        monkeypatch.setattr(ReceptionMixin, "_show_figures", lambda self, received: None)


@pytest.fixture
def snap_compare(snap_compare: Callable[..., bool]) -> Callable[..., bool]:
    """pytest-textual-snapshot's, with the app at rest before anything else: its first screen drawn
    and done with what follows its first frame (the search's card comes just before the mark), the start-up workers (the
    warm-up's database check) finished. The plugin itself only pauses a few times, which a loaded
    CI machine can outrun (test_snapshot_search_empty failed once so, at 89 % of a full run)."""

    def compare(app: Any, *args: Any, run_before: Callable[..., Any] | None = None, **kwargs: Any) -> bool:
        async def at_rest_first(pilot: Any) -> None:
            from tests.ui.test_screens import settle

            await settle(pilot)
            for _ in range(100):  # a FreshStart screen (ui/screens/fresh.py) marks its first frame
                if getattr(pilot.app.screen, "_first_frame_shown", True):
                    break
                await pilot.pause()
            await settle(pilot)
            if run_before is not None:
                result = run_before(pilot)
                if inspect.isawaitable(result):
                    await result

        return snap_compare(app, *args, run_before=at_rest_first, **kwargs)

    return compare


@pytest.fixture
def make_app(tmp_path: Path) -> Iterator[AppFactory]:
    """Build the app as `guichet` does, with a fixed clock and its own database."""
    built: list[Services] = []

    def factory(**changes: object) -> GuichetApp:
        services = make_services(make_settings(tmp_path, **changes), clock=FixedClock(FIXED_NOW))
        built.append(services)
        return GuichetApp(services, cursor_blink=False)

    yield factory
    for services in built:
        services.close()


@pytest.hookimpl(tryfirst=True)  # before -m "not slow" deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The everyday loop runs the first case of each parametrized screen test (80×24 first for
    the snapshots); the full suite runs every case. A pilot test costs about 3 s: the matrices
    (every screen, every key, every spelling) belong to CI, one case of each to the loop."""
    here = Path(__file__).parent
    seen: set[tuple[Path, str]] = set()
    for item in items:
        if not isinstance(item, pytest.Function) or getattr(item, "callspec", None) is None:
            continue
        if here not in item.path.parents:
            continue
        key = (item.path, item.originalname)
        if key in seen:
            item.add_marker(pytest.mark.slow)
        else:
            seen.add(key)

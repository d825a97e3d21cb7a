"""What the agent reads when a database call fails in a worker, for every write and list read.

Only a real connection failure says "injoignable"; a refusal or a lost race says its own
sentence; a bug says one sentence pointing to the log, where its traceback lands (without its
message, which may quote a person); and any text is shown literally, never as markup.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Static

from guichet.errors import DatabaseUnreachable, InvalidInput, LostRace
from guichet.logs import LOGGER, setup_logging, traceback_without_messages
from guichet.ui.app import GuichetApp
from guichet.ui.messages import WorkerFailed
from guichet.ui.workers import (
    UNEXPECTED_READ,
    UNEXPECTED_WRITE,
    UNREACHABLE_READ,
    UNREACHABLE_WRITE,
)
from tests.ui.conftest import AppFactory
from tests.ui.test_screens import _awa_at_eleven, settle

pytestmark = pytest.mark.slow  # six operations × four failures: the full suite's

SIZE = (120, 40)
# Textual markup of every kind: tags, a closing tag, a theme variable, a click action, an unclosed tag.
MARKUP = "Nom « [red]x[/red] » [$error]refusé[/] [@click=app.quit]q[/] [b"
PERSONAL = "Zoé Personne 06 98 76 54 32"  # in a bug's message: must never reach the log


@dataclass(frozen=True)
class Operation:
    """One database call of a screen, and how the agent gets a screen to make it."""

    name: str
    service: str  # the attribute of Services that makes the call…
    method: str  # …and its method, replaced by one that raises
    write: bool
    drive: Callable[[Pilot[None]], Awaitable[None]]
    prepare: Callable[[GuichetApp], object] = lambda _app: None  # the data the screen needs


async def _book(pilot: Pilot[None]) -> None:
    await pilot.press("f4")
    await settle(pilot)
    await pilot.press("enter", *"Jean Dupont", "enter", "enter", *"0612345678", "ctrl+s")  # chosen, valid details


async def _check_in(pilot: Pilot[None]) -> None:
    await pilot.press("f3")
    await settle(pilot)
    await pilot.press("a")


async def _day_sheet(pilot: Pilot[None]) -> None:
    await pilot.press("f3")


async def _handoff_list(pilot: Pilot[None]) -> None:
    await pilot.press("f9")


async def _handoff_sent(pilot: Pilot[None]) -> None:
    await pilot.press("f9")
    await settle(pilot)
    await pilot.press("t")


async def _handoff_saved(pilot: Pilot[None]) -> None:
    await pilot.press(*"separation", "enter", "t")
    await pilot.pause()
    await pilot.press("ctrl+s")


def _one_handoff(app: GuichetApp) -> object:
    """The handoff of the list's snapshot (tests/ui/test_screens.py), in ``app``'s database."""
    from guichet.domain.handoff import Contact, HandoffDraft
    from guichet.domain.models import LifeEvent

    return app.services.handoffs.create(HandoffDraft(
        name="Awa Diallo", life_event=LifeEvent.SEPARATION, motifs="Non-paiement", comment="ASF non versée.",
        benefits=("ASF",), contact=Contact.COURRIER, file_number="1234567", consent=True))


OPERATIONS = [
    Operation("booking", "appointments", "book", True, _book),
    Operation("day-sheet status", "appointments", "set_status", True, _check_in, _awa_at_eleven),
    Operation("day-sheet read", "appointments", "day_sheet", False, _day_sheet),
    Operation("handoff list read", "handoffs", "listing", False, _handoff_list),
    Operation("handoff status", "handoffs", "set_status", True, _handoff_sent, _one_handoff),
    Operation("handoff save", "handoffs", "create", True, _handoff_saved),
]
IDS = [operation.name for operation in OPERATIONS]


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """guichet's log file as `guichet` sets it up (the app's settings put it in tmp_path/logs)."""
    logger = logging.getLogger(LOGGER)
    handlers, level, propagate = list(logger.handlers), logger.level, logger.propagate
    path = tmp_path / "logs" / "guichet.log"
    assert setup_logging(path) == path
    yield path
    for handler in logger.handlers[:]:
        if handler not in handlers:
            logger.removeHandler(handler)
            handler.close()
    logger.setLevel(level)
    logger.propagate = propagate


def _raising(exc: Exception) -> Callable[..., NoReturn]:
    def raising(*_args: object, **_kwargs: object) -> NoReturn:
        raise exc

    return raising


def _shown(app: GuichetApp) -> str:
    """Every text of the current screen as the agent reads it (its notifications included)."""
    # query(Static) would miss the toasts: their CSS type does not inherit Static's.
    return "\n".join(str(widget.render()) for widget in app.screen.query("*") if isinstance(widget, Static))


async def _fail(make_app: AppFactory, operation: Operation, exc: Exception,
                ) -> tuple[GuichetApp, str, list[WorkerFailed]]:
    """Make ``operation`` raise ``exc`` from its worker; what the screen shows, and the failures reported."""
    app = make_app()
    operation.prepare(app)
    setattr(getattr(app.services, operation.service), operation.method, _raising(exc))
    reported: list[WorkerFailed] = []

    def hook(message: Message) -> None:  # sees the message at the screen, then at the app it bubbles to
        if isinstance(message, WorkerFailed) and all(message is not seen for seen in reported):
            reported.append(message)

    async with app.run_test(size=SIZE, message_hook=hook, notifications=True) as pilot:
        await operation.drive(pilot)
        await settle(pilot)
        await pilot.pause()  # the notification's toast
        return app, _shown(app), reported


@pytest.mark.parametrize("operation", OPERATIONS, ids=IDS)
async def test_an_unreachable_database_says_injoignable(make_app: AppFactory, log_file: Path,
                                                         operation: Operation) -> None:
    _app, shown, reported = await _fail(make_app, operation, DatabaseUnreachable("connexion perdue"))
    assert (UNREACHABLE_WRITE if operation.write else UNREACHABLE_READ) in shown
    assert reported and all(f.unreachable and f.write is operation.write for f in reported)
    assert "Traceback" not in log_file.read_text(encoding="utf-8")  # not a bug


@pytest.mark.parametrize("operation", OPERATIONS, ids=IDS)
async def test_a_refusal_or_a_lost_race_shows_its_own_message(make_app: AppFactory, log_file: Path,
                                                              operation: Operation) -> None:
    if operation.write:
        exc: Exception = LostRace("Un autre guichet vient de modifier ce dossier : voici son état actuel.")
    else:
        exc = InvalidInput("Agence inconnue : vérifiez la configuration du poste.")
    _app, shown, reported = await _fail(make_app, operation, exc)
    assert str(exc) in shown
    assert "injoignable" not in shown.lower()
    assert reported and all(not f.unreachable and f.lost_race is operation.write for f in reported)
    assert "Traceback" not in log_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("operation", OPERATIONS, ids=IDS)
async def test_a_bug_is_logged_with_its_traceback_and_told_in_one_sentence(
        make_app: AppFactory, log_file: Path, operation: Operation) -> None:
    _app, shown, reported = await _fail(make_app, operation, RuntimeError(f"bug: {PERSONAL}"))
    assert (UNEXPECTED_WRITE if operation.write else UNEXPECTED_READ) in shown
    assert "Erreur inattendue" in shown and "guichet info" in shown
    assert "injoignable" not in shown.lower()
    assert reported and not any(f.unreachable for f in reported)
    log = log_file.read_text(encoding="utf-8")
    assert re.search(r"ERROR guichet\.ui: unexpected RuntimeError in \w+Screen\._\w+\n", log)  # which worker
    assert "Traceback (most recent call last):" in log
    assert ", in raising\n" in log  # the frame that raised
    assert "RuntimeError (message withheld from the log)" in log
    assert PERSONAL not in log and "Zoé" not in log


@pytest.mark.parametrize("operation", OPERATIONS, ids=IDS)
async def test_markup_in_a_message_is_shown_literally(make_app: AppFactory, log_file: Path,
                                                      operation: Operation) -> None:
    _app, shown, _reported = await _fail(make_app, operation, InvalidInput(MARKUP))
    assert MARKUP in shown
    assert "Traceback" not in log_file.read_text(encoding="utf-8")


def test_the_log_shows_every_exception_of_a_chain_by_its_type_only() -> None:
    def store() -> None:
        raise KeyError(PERSONAL)

    def service() -> None:
        try:
            store()
        except KeyError as exc:
            raise RuntimeError(f"bug: {PERSONAL}") from exc

    try:
        service()
    except RuntimeError as exc:
        text = traceback_without_messages(exc)
    assert text.startswith("Traceback (most recent call last):\n")
    cause, effect = text.split("\nThe above exception was the direct cause of the following exception:\n\n")
    assert "in store" in cause and cause.endswith("\nKeyError (message withheld from the log)\n")
    assert effect.startswith("Traceback") and effect.endswith("\nRuntimeError (message withheld from the log)")
    assert "Zoé" not in text  # the frames show the code (an f-string), never the values

"""Database work off the UI thread (Textual thread workers), the same way on every screen.

- Reads are exclusive in their group: a newer read (another day, a refresh) replaces an older one,
  and :func:`deliver` drops the older one's results if its thread still finishes, so a list never
  shows stale rows over fresh ones.
- Writes (a booking, a handoff, a status) are never exclusive: once the agent asked for one,
  no refresh can cancel it before it starts.
- A call that raises is caught in the worker and handed to :func:`report`, which posts a
  :class:`~guichet.ui.messages.WorkerFailed` to the screen: :func:`failure` is the one place that
  turns an exception into the sentence the agent reads (and logs the unexpected ones).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.message_pump import MessagePump
from textual.worker import get_current_worker

from guichet import logs
from guichet.errors import DatabaseUnreachable, GuichetError, LostRace
from guichet.ui.messages import WorkerFailed

READ = "db"
WRITE = "write"

UNREACHABLE_READ = "Base de données injoignable : réessayez dans un instant."
UNREACHABLE_WRITE = "Base de données injoignable : rien n'a été enregistré."
UNEXPECTED_READ = "Erreur inattendue : lecture impossible (détails dans le journal, voir « guichet info »)."
# A bug may strike after the commit (while the result is built or logged): the agent must check
# rather than be told that nothing was saved and book the same person twice.
UNEXPECTED_WRITE = ("Erreur inattendue : vérifiez si l'enregistrement a eu lieu avant de recommencer "
                    "(détails dans le journal, voir « guichet info »).")

log = logs.get("ui")


def deliver(app: App[Any], callback: Callable[..., object], *args: object) -> None:
    """From a read worker's thread: hand its results to the UI unless a newer read replaced it."""
    if not get_current_worker().is_cancelled:
        app.call_from_thread(callback, *args)


def report(screen: MessagePump, exc: Exception, *, write: bool) -> None:
    """From a worker's thread: post to ``screen`` what the agent must read about ``exc``.

    The failure of a read that a newer one replaced is as stale as its rows would be: it is
    logged (when unexpected) but not shown."""
    worker = get_current_worker()
    failed = failure(exc, write=write, where=f"{type(screen).__name__}.{worker.name}")
    if not worker.is_cancelled:
        screen.post_message(failed)


def failure(exc: Exception, *, write: bool, where: str = "") -> WorkerFailed:
    """What to tell the agent about ``exc``, raised by a database call (a ``write`` or a read).

    - :class:`DatabaseUnreachable`, a real connection failure: "injoignable";
    - any other :class:`GuichetError` (a refusal, a lost race, a setup problem): its own message;
    - anything else is a bug: logged with its traceback, and one sentence pointing to the log.
    """
    if isinstance(exc, DatabaseUnreachable):
        return WorkerFailed(UNREACHABLE_WRITE if write else UNREACHABLE_READ, write=write, unreachable=True)
    if isinstance(exc, GuichetError) and str(exc):
        return WorkerFailed(str(exc), write=write, lost_race=isinstance(exc, LostRace))
    logs.unexpected(log, exc, where or "a worker")
    return WorkerFailed(UNEXPECTED_WRITE if write else UNEXPECTED_READ, write=write)


async def workers_done(app: App[Any]) -> None:
    """Wait until every worker of ``app`` has finished. A read cancelled by a newer one counts as
    finished (Textual's ``wait_for_complete`` raises for it); a failed worker has already been
    reported by the app itself."""
    while busy := [worker for worker in app.workers if not worker.is_finished]:
        await asyncio.gather(*(worker.wait() for worker in busy), return_exceptions=True)

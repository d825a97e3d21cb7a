"""Database work off the UI thread (Textual thread workers), the same way on every screen.

- Reads are exclusive in their group: a newer read (another day, a refresh) replaces an older one,
  and :func:`deliver` drops the older one's results if its thread still finishes, so a list never
  shows stale rows over fresh ones.
- Writes (a booking, a handoff, a status) are never exclusive: once the agent asked for one,
  no refresh can cancel it before it starts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.worker import get_current_worker

READ = "db"
WRITE = "write"


def deliver(app: App[Any], callback: Callable[..., object], *args: object) -> None:
    """From a read worker's thread: hand its results to the UI unless a newer read replaced it."""
    if not get_current_worker().is_cancelled:
        app.call_from_thread(callback, *args)


async def workers_done(app: App[Any]) -> None:
    """Wait until every worker of ``app`` has finished. A read cancelled by a newer one counts as
    finished (Textual's ``wait_for_complete`` raises for it); a failed worker has already been
    reported by the app itself."""
    while busy := [worker for worker in app.workers if not worker.is_finished]:
        await asyncio.gather(*(worker.wait() for worker in busy), return_exceptions=True)

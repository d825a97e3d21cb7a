"""What the UI's workers report to their screen ("attributes down, messages up").

Messages are small dataclasses; the worker posts one to its own screen from its thread
(Textual's ``post_message`` is thread-safe) and the screen's handler decides where to show it.
Built by :func:`guichet.ui.workers.failure`, the one place that classifies a worker's exception.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.message import Message


@dataclass
class WorkerFailed(Message):
    """A database worker's call raised: what to tell the agent.

    ``text`` is one French sentence, possibly quoting what the agent typed or a data file:
    show it literally, never as markup. The message bubbles up to the app after the screen.
    """

    text: str
    write: bool
    """The failed call was a write (a booking, a handoff, a status): nothing was saved."""
    unreachable: bool = False
    """A real connection failure (:class:`~guichet.errors.DatabaseUnreachable`), not a refusal nor a bug."""
    lost_race: bool = False
    """Another counter changed the record first: reload to show its current state."""

    @property
    def content(self) -> Content:
        """``text`` in the error style, shown literally (markup in it is not interpreted)."""
        return Content.from_markup("[b $error]$text[/]", text=self.text)

"""The App's reception log (issue 17): every person received counted, nobody named.

:class:`ReceptionMixin` keeps this counter's passage (``services.passages``) in step with what the
agent does. A passage opens with the first action about a person after Ctrl+N (or at start):
typing a search, choosing a service, asking the hours (F2), opening the booking (F4), the finder
(Ctrl+F) or the handoff form, marking an arrival. Every key typed while it is open keeps it alive;
it closes at the next Ctrl+N, at the idle delay (at its last action) or when guichet quits. Ctrl+T
switches counter ↔ phone, Ctrl+R counts a quick question with no search.

The screens report what happened through :func:`noted`, :func:`consulted` and :func:`touched`; the
writes run in a worker (never on the UI thread) and, when the database does not answer, wait in the
service's queue for the next one. After each write, and every :data:`FIGURES_SECONDS`, the headers
show the people received this half-day, here and in the agency (every counter of a shared database).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.dom import DOMNode

from guichet import logs
from guichet.domain.passage import ClosedHow, Outcome, PassageChannel
from guichet.errors import GuichetError
from guichet.services import Services
from guichet.ui.widgets.counter_header import CounterHeader

if TYPE_CHECKING:
    from textual.app import App

    from guichet.domain.models import Service
    from guichet.domain.orientation import Advice
    from guichet.services.passages import Received

    _AppBase = App[None]
else:
    _AppBase = object  # at run time a plain mixin: GuichetApp's other base is App itself

FIGURES_SECONDS = 30.0  # the other counters' people, and the idle close, are looked at this often

log = logs.get("ui")


class ReceptionMixin(_AppBase):
    """This counter's passages, kept by the app (see the module's documentation)."""

    services: Services
    _figures: str
    if TYPE_CHECKING:
        def all_screens(self) -> list[Any]: ...  # ModesMixin's

    def _reception_init(self) -> None:
        self._figures = ""

    def _reception_start(self) -> None:
        """After the first paint: the figures now, then every :data:`FIGURES_SECONDS`."""
        self.refresh_figures()
        self.set_interval(FIGURES_SECONDS, self._reception_tick)

    # -- what the screens report -------------------------------------------------------------------
    def passage_touched(self) -> None:
        if self.services.passages.touch():
            self._write_passages()

    def passage_consulted(self, service: Service, advice: Advice) -> None:
        self.services.passages.consulted(service, advice)
        self._write_passages()

    def passage_noted(self, kind: Outcome, ref: object = "") -> None:
        self.services.passages.record(kind, ref)
        self._write_passages()

    def passage_closed(self, how: ClosedHow = ClosedHow.SUIVANT) -> None:
        if self.services.passages.close(how):
            self._write_passages()

    def passage_closed_now(self) -> None:
        """Quitting: close the open passage and write the queue at once, on this thread (a worker
        would not outlive the app). A database that does not answer keeps the queue: it is logged."""
        self.services.passages.close(ClosedHow.FIN)
        try:
            self.services.passages.flush()
        except Exception as exc:
            log.warning("reception log: %d operation(s) not written at exit (%s)", self.services.passages.pending,
                        type(exc).__name__)

    # -- the keys ----------------------------------------------------------------------------------
    def action_toggle_channel(self) -> None:
        """Ctrl+T: this person is received at the counter ↔ on the phone."""
        channel = self.services.passages.toggle_channel()
        self._show_channel(channel)
        self.notify(f"Accueil {channel.label} : compté ainsi pour cette personne et les suivantes.",
                    title="Canal", markup=False)
        self._write_passages()

    def action_quick_question(self) -> None:
        """Ctrl+R: a quick question answered with no search: one person received, counted at once."""
        self.services.passages.quick_question()
        self.notify("Question rapide comptée (une personne reçue).", title="Accueil", markup=False)
        self._write_passages()

    async def on_event(self, event: events.Event) -> None:
        # Every key the agent types keeps the open passage alive (a long handoff form is not idleness).
        if isinstance(event, events.Key) and not event.is_forwarded:
            self.services.passages.keep_alive()
        await super().on_event(event)

    # -- the database, in workers ------------------------------------------------------------------
    @work(thread=True, group="passages")
    def _write_passages(self) -> None:
        try:
            self.services.passages.flush()
        except GuichetError:  # unreachable, locked…: the queue is kept, the next write or tick tries again
            return
        except Exception as exc:  # a bug: logged (type and traceback, no message); the queue is kept too
            logs.unexpected(log, exc, "the reception log's write")
            return
        self._read_figures()

    @work(thread=True, exclusive=True, group="passage-figures")
    def refresh_figures(self) -> None:
        self._read_figures()

    def _read_figures(self) -> None:
        try:
            received = self.services.passages.received()
        except GuichetError:  # the database check says when the database is down; the figures just wait
            return
        except Exception as exc:  # a bug: logged (type and traceback, no message), the figures wait
            logs.unexpected(log, exc, "the reception log's figures")
            return
        self.call_from_thread(self._show_figures, received)

    def _reception_tick(self) -> None:
        self.services.passages.close_if_idle()
        if self.services.passages.pending:  # written, then the figures read again
            self._write_passages()
        else:
            self.refresh_figures()

    # -- the headers -------------------------------------------------------------------------------
    def _show_figures(self, received: Received) -> None:
        here = f"reçus {received.counter} ici"
        self._figures = f"{here} · {received.agency} agence" if self.services.home_agency else here
        for header in self._headers():
            header.received = self._figures

    def _show_channel(self, channel: PassageChannel) -> None:
        for header in self._headers():
            header.show_channel(channel is PassageChannel.TELEPHONE)

    def _headers(self) -> list[CounterHeader]:
        return [header for screen in self.all_screens() for header in screen.query(CounterHeader)]

    def dress_header(self, header: CounterHeader) -> None:
        """A header being built: the figures and the channel as the others show them."""
        header.set_reactive(CounterHeader.received, self._figures)
        header.show_channel(self.services.passages.channel is PassageChannel.TELEPHONE)


def _reception(node: DOMNode) -> ReceptionMixin | None:
    app = node.app
    return app if isinstance(app, ReceptionMixin) else None


def touched(node: DOMNode) -> None:
    """An action about the person (``node``: the widget or screen where it happened)."""
    if (reception := _reception(node)) is not None:
        reception.passage_touched()


def consulted(node: DOMNode, service: Service, advice: Advice) -> None:
    """The agent read ``service``'s card to the person."""
    if (reception := _reception(node)) is not None:
        reception.passage_consulted(service, advice)


def noted(node: DOMNode, kind: Outcome, ref: object = "") -> None:
    """An outcome: ``kind`` with ``ref`` (a record's id, a partner, an emergency's code)."""
    if (reception := _reception(node)) is not None:
        reception.passage_noted(kind, ref)

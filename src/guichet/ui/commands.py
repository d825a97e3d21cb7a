"""Command palette providers: every action of the app, and the service catalog."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from guichet.ui.app import GuichetApp


class ServiceProvider(Provider):
    """Search the service catalog from the palette; choosing one shows its card."""

    async def search(self, query: str) -> Hits:
        app = cast("GuichetApp", self.app)
        for hit in app.services.search(query, 8):
            yield Hit(
                hit.score / 100,
                self.matcher(query).highlight(hit.service.title),
                partial(app.show_service, hit.service.id),
                help=hit.service.summary,
            )


class ActionProvider(Provider):
    """The app's actions in French: the palette offers every one of them."""

    ACTIONS = (
        ("Rechercher un service", "search", "Revenir à la recherche"),
        ("Agences : horaires d'accueil", "agencies", "Ouvert ou fermé, prochaine ouverture"),
        ("Prendre rendez-vous", "book", "Créneaux libres GCA ou CSU, en agence ou par téléphone"),
        ("Rendez-vous du jour", "day_sheet", "Pointer les arrivées et les absences"),
        ("Passage de relais à un travailleur social", "handoff", "Le message structuré, avec consentement"),
        ("Suivi des passages de relais", "handoffs", "Transmis, pris en charge, clôturés, refusés"),
        ("Nouvel usager", "new_person", "Effacer la recherche et la fiche en cours"),
        ("Réglages du poste", "settings", "Agence du guichet, nom de l'agent, thème (contraste élevé)"),
        ("Aide : touches de l'écran", "help", "Les raccourcis clavier de l'écran en cours"),
        ("Quitter guichet", "quit", "Fermer l'application"),
    )

    async def discover(self) -> Hits:
        for title, action, help_text in self.ACTIONS:
            yield DiscoveryHit(title, partial(self.app.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, help_text in self.ACTIONS:
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self.app.run_action, action),
                          help=help_text)

"""``guichet search`` and ``guichet service``: the catalog from the command line."""

from __future__ import annotations

import argparse
from typing import Any

from guichet.cli.common import dump, positive, safe
from guichet.domain.models import Service
from guichet.domain.orientation import Advice
from guichet.services import Services


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    search = sub.add_parser("search", parents=[common], help="chercher dans le catalogue des services",
                            description="Cherche les services qui répondent aux mots de la personne "
                                        "(accents et fautes de frappe tolérés).")
    search.add_argument("query", nargs="*", metavar="MOTS",
                        help="les mots de la personne (aucun : les services les plus demandés)")
    search.add_argument("--limit", type=positive, default=10, metavar="N",
                        help="nombre de résultats (par défaut 10)")
    search.add_argument("--json", action="store_true", help="sortie JSON, pour un autre programme")
    search.set_defaults(handler=cmd_search)

    service = sub.add_parser("service", parents=[common], help="la fiche d'un service et son orientation",
                             description="Affiche la fiche d'un service : résumé, orientation, pièces à apporter.")
    service.add_argument("id", metavar="SERVICE", help="identifiant du service (voir guichet search)")
    service.add_argument("--json", action="store_true", help="sortie JSON, pour un autre programme")
    service.set_defaults(handler=cmd_service)


def cmd_search(services: Services, args: argparse.Namespace) -> int:
    text = " ".join(args.query)
    if len(text) > 200:
        text = text[:200]
    hits = services.search(text, args.limit)
    if args.json:
        dump([
            {"id": h.service.id, "title": h.service.title, "category": h.service.category,
             "score": h.score, "field": h.field, "desk": h.service.orientation.desk.value}
            for h in hits
        ])
        return 0
    if not hits:
        print(f"Aucun service ne correspond à « {safe(text)} ».")
        return 0
    width = max(len(safe(h.service.id)) for h in hits)
    for hit in hits:
        print(f"{hit.score:3d}  {safe(hit.service.id):<{width}}  {safe(hit.service.title)}")
    return 0


def service_json(service: Service, advice: Advice) -> dict[str, Any]:
    return {
        "id": service.id,
        "title": service.title,
        "category": service.category,
        "summary": service.summary,
        "keywords": list(service.keywords),
        "bring": list(service.bring),
        "benefits": list(service.benefits),
        "life_event": service.life_event.value if service.life_event else None,
        "social_work_event": service.social_work_event,
        "urgency_hint": service.urgency_hint,
        "source": service.source,
        "orientation": {
            "desk": advice.desk.value,
            "destination": advice.destination,
            "channel": advice.channel.value if advice.channel else None,
            "reasons": list(advice.reasons),
            "social_work_eligible": advice.social_work_eligible,
            "booking_kind": advice.booking_kind.value if advice.booking_kind else None,
            "offers_handoff": advice.offers_handoff,
        },
    }


def cmd_service(services: Services, args: argparse.Namespace) -> int:
    service = services.service(args.id)
    advice = services.advise(service)
    if args.json:
        dump(service_json(service, advice))
        return 0
    print(safe(service.title))
    print(safe(service.summary))
    print()
    print(f"→ {safe(advice.destination)}" + (f" ({advice.channel.label})" if advice.channel else ""))
    for reason in advice.reasons:
        print(f"  {safe(reason)}")
    if advice.urgency_hint:
        print("  ⚠ Peut relever de l'URGENCE DEFINIE (AAH/RSA interrompu ou en forte baisse, "
              "autre prestation non versée depuis 3 mois).")
    if service.bring:
        print()
        print("À apporter ou vérifier :")
        for item in service.bring:
            print(f"  • {safe(item)}")
    return 0

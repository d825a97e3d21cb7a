"""``guichet handoff new|list|show|status``: handoffs to a social worker and their follow-up."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING, Any

from guichet.cli.common import day as day_arg
from guichet.cli.common import dump, record_id, safe
from guichet.domain.models import LifeEvent
from guichet.services import Services

if TYPE_CHECKING:
    from guichet.domain.followup import HandoffRecord

EVENTS = [e.value for e in LifeEvent]
MOVES = ["a_transmettre", "transmise", "prise_en_charge", "cloturee", "refusee"]  # what an agent may set
STATUSES = [*MOVES, "expiree"]  # « expirée » is set by `guichet purge` only
SPECIFICITIES = ["allophone", "sans_domicile", "domiciliation", "illettrisme", "sans_numerique", "non_mobile", "sourd"]
EMERGENCIES = ["alimentaire", "sans_logement", "energie", "protection_enfance", "violences"]


DAY = "AAAA-MM-JJ"
JSON_HELP = "sortie JSON, pour un autre programme"


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    handoff = sub.add_parser("handoff", parents=[common], help="passages de relais au travailleur social",
                             description="Enregistrer un passage de relais à un travailleur social, et le suivre.")
    actions = handoff.add_subparsers(dest="handoff_command", metavar="ACTION", required=True, title="actions",
                                     help="new, list, show ou status")

    new = actions.add_parser("new", parents=[common],
                             help="enregistrer un passage de relais (l'accord de la personne est obligatoire)",
                             description="Enregistre un passage de relais et affiche le message à envoyer au "
                                         "travailleur social. L'accord de la personne (--consent) est obligatoire.")
    new.add_argument("--name", required=True, metavar="NOM", help="nom et prénom de la personne")
    new.add_argument("--file-number", metavar="NUMÉRO", help="numéro allocataire (7 chiffres)")
    new.add_argument("--phone", metavar="TÉLÉPHONE", help="numéro de téléphone (obligatoire pour être rappelé)")
    new.add_argument("--contact", choices=["telephone", "courrier", "accueil"], default="telephone",
                     help="comment la joindre (par défaut : telephone)")
    new.add_argument("--event", choices=EVENTS, required=True, help="l'événement de vie")
    new.add_argument("--event-date", type=day_arg, metavar=DAY, help="la date de l'événement")
    new.add_argument("--motifs", default="", metavar="TEXTE", help="motif(s) de la demande")
    new.add_argument("--benefit", action="append", default=[], metavar="CODE",
                     help="prestation concernée (plusieurs fois possible) : APL, RSA…")
    new.add_argument("--comment", default="", metavar="TEXTE",
                     help="commentaire : la situation et la question précise posée au travailleur social")
    new.add_argument("--specificity", action="append", default=[], choices=SPECIFICITIES,
                     help="une particularité de la personne (plusieurs fois possible)")
    new.add_argument("--specificity-other", default="", metavar="TEXTE", help="une autre particularité, en clair")
    new.add_argument("--rights-opened", type=day_arg, metavar=DAY, help="date d'ouverture des droits")
    new.add_argument("--non-payment-since", type=day_arg, metavar=DAY, help="prestation non versée depuis ce jour")
    new.add_argument("--period-start", type=day_arg, metavar=DAY, help="début de la période concernée")
    new.add_argument("--period-end", type=day_arg, metavar=DAY, help="fin de la période concernée")
    new.add_argument("--sharp-drop", action="store_true", help="AAH ou RSA interrompu ou en forte baisse")
    new.add_argument("--emergency", choices=EMERGENCIES, help="une urgence sociale signalée")
    new.add_argument("--already-followed", action="store_true",
                     help="la personne est déjà suivie par un travailleur social")
    new.add_argument("--referent", default="", metavar="NOM", help="le travailleur social qui la suit déjà")
    new.add_argument("--few-links", action="store_true",
                     help="déjà suivie, mais peu ou plus de liens avec ce travailleur social")
    new.add_argument("--not-autonomous", action="store_true", help="déjà suivie et pas autonome dans sa demande")
    new.add_argument("--caf-closed", action="store_true",
                     help="un accompagnement du service social de la Caf a déjà été clôturé")
    new.add_argument("--single-parent", choices=["yes", "no"], help="parent seul : yes ou no (non demandé sinon)")
    new.add_argument("--family", choices=["yes", "no"],
                     help="famille avec enfant à charge ou à naître : yes ou no (non demandé sinon)")
    new.add_argument("--partner", default="", metavar="NOM", help="un partenaire déjà en lien avec la personne")
    new.add_argument("--documents-to-professional", action="store_true",
                     help="des pièces sont à remettre au professionnel")
    new.add_argument("--consent", choices=["yes", "no"], help="l'accord de la personne : yes ou no (obligatoire)")
    new.add_argument("--service", metavar="SERVICE", help="identifiant du service d'où vient le passage de relais")
    new.add_argument("--json", action="store_true", help=JSON_HELP)
    new.set_defaults(handler=cmd_new)

    listing = actions.add_parser("list", parents=[common], help="les passages de relais, par statut",
                                 description="Liste les passages de relais, tous ou ceux des statuts demandés : "
                                             "d'abord ceux dont la réponse est en retard (attendue dans les 10 "
                                             "jours suivant la transmission), puis les autres.")
    listing.add_argument("--status", action="append", choices=STATUSES, default=[],
                         help="seulement ce statut (plusieurs fois possible)")
    listing.add_argument("--format", choices=["text", "json", "csv"], default="text",
                         help="format de sortie : text (par défaut), json ou csv")
    listing.add_argument("--json", action="store_true", help="comme --format json")
    listing.set_defaults(handler=cmd_list)

    show = actions.add_parser("show", parents=[common], help="un passage de relais, son message et son suivi",
                              description="Affiche un passage de relais : le message envoyé et chaque étape du suivi.")
    show.add_argument("id", type=record_id, metavar="NUMÉRO", help="numéro du passage de relais")
    show.add_argument("--json", action="store_true", help=JSON_HELP)
    show.set_defaults(handler=cmd_show)

    status = actions.add_parser("status", parents=[common], help="faire avancer le suivi d'un passage de relais",
                                description="Fait passer un passage de relais à l'étape suivante de son suivi.")
    status.add_argument("id", type=record_id, metavar="NUMÉRO", help="numéro du passage de relais")
    status.add_argument("status", choices=MOVES, metavar="STATUT",
                        help=f"le nouveau statut : {', '.join(MOVES)}")
    status.add_argument("--reason", default="", metavar="TEXTE", help="le motif (obligatoire pour refusee)")
    status.add_argument("--json", action="store_true", help=JSON_HELP)
    status.set_defaults(handler=cmd_status)


def cmd_new(services: Services, args: argparse.Namespace) -> int:
    from guichet.domain.handoff import Contact, HandoffDraft, Specificity
    from guichet.domain.orientation import Emergency

    draft = HandoffDraft(
        name=args.name, life_event=LifeEvent(args.event), motifs=args.motifs, comment=args.comment,
        benefits=tuple(code.strip().upper() for code in args.benefit), file_number=args.file_number,
        phone=args.phone, contact=Contact(args.contact), event_date=args.event_date,
        specificities=tuple(Specificity(s) for s in args.specificity), specificity_other=args.specificity_other,
        rights_opened=args.rights_opened, non_payment_since=args.non_payment_since,
        period_start=args.period_start, period_end=args.period_end, sharp_drop=args.sharp_drop,
        emergency=Emergency(args.emergency) if args.emergency else None, already_followed=args.already_followed,
        referent=args.referent, partner=args.partner, documents_to_professional=args.documents_to_professional,
        consent=None if args.consent is None else args.consent == "yes", service_id=args.service,
        few_links=args.few_links, not_autonomous=args.not_autonomous, caf_closed=args.caf_closed,
        single_parent=None if args.single_parent is None else args.single_parent == "yes",
        family=None if args.family is None else args.family == "yes",
    )
    if args.service:
        services.service(args.service)
    record = services.handoffs.create(draft)
    for warning in services.handoffs.preview(draft).qualification.warnings:  # the answers are not stored
        print(f"Attention : {safe(warning)}", file=sys.stderr)
    if args.json:
        from guichet.services.exports import record_json

        dump(record_json(record, services.now().date()))
    elif record.message is None:
        print(f"Refus de la personne enregistré (n° {record.id}), sans message.")
    else:
        print(f"Passage de relais n° {record.id} enregistré ({record.status.label}).")
        print()
        print(safe(record.message, multiline=True))
    return 0


def _line(record: HandoffRecord, today: date) -> str:
    """One line of the list: a late one starts with « En retard depuis N jours », a transmitted one that is
    not late ends with its due date."""
    from guichet.domain.followup import days_late, due_note
    from guichet.services.exports import summary_line

    line, note = summary_line(record), due_note(record, today)
    if days_late(record, today):
        return f"{note[0].upper()}{note[1:]} · {line}"
    return f"{line} · {note}" if note else line


def cmd_list(services: Services, args: argparse.Namespace) -> int:
    from guichet.domain.handoff import HandoffStatus

    records = services.handoffs.listing(tuple(HandoffStatus(s) for s in args.status))
    today = services.now().date()
    fmt = "json" if args.json else args.format
    from guichet.services.exports import record_json, records_csv

    if fmt == "json":
        dump([record_json(r, today) for r in records])  # C1 controls escaped by dump
    elif fmt == "csv":
        print(records_csv(records, today), end="")
    elif not records:
        print("Aucun passage de relais.")
    else:
        for record in records:
            print(safe(_line(record, today)))
    return 0


def cmd_show(services: Services, args: argparse.Namespace) -> int:
    from guichet.domain import fr
    from guichet.domain.followup import due_note

    record = services.handoffs.get(args.id)
    today = services.now().date()
    if args.json:
        from guichet.services.exports import record_json

        dump(record_json(record, today))
        return 0
    print(safe(record.message, multiline=True) if record.message
          else f"Refus de la personne : aucun message (n° {record.id}).")
    if note := due_note(record, today):
        print()
        print(f"{note[0].upper()}{note[1:]}.")
    print()
    print("Suivi :")
    for change in record.history:
        reason = f" — {safe(change.reason)}" if change.reason else ""
        print(f"  {fr.day_time(change.at, year=True)}  {change.status.label} ({safe(change.actor)}){reason}")
    return 0


def cmd_status(services: Services, args: argparse.Namespace) -> int:
    from guichet.domain.handoff import HandoffStatus

    record = services.handoffs.set_status(args.id, HandoffStatus(args.status), args.reason)
    if args.json:
        from guichet.services.exports import record_json

        dump(record_json(record, services.now().date()))
    else:
        print(f"Passage de relais n° {record.id} : {record.status.label}.")
    return 0

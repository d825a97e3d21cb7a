"""``guichet slots|book|cancel|reschedule|arrived|noshow|day``: appointments."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from guichet.cli.common import UsageError, day, dump, instant, positive, record_id, safe
from guichet.domain import fr
from guichet.domain.clock import local_iso
from guichet.domain.models import Channel, Kind, Status
from guichet.services import Services
from guichet.services.exports import appointment_json

KINDS = [k.value for k in Kind]
CHANNELS = [c.value for c in Channel]


INSTANT = "AAAA-MM-JJTHH:MM"
DAY = "AAAA-MM-JJ"
JSON_HELP = "sortie JSON, pour un autre programme"
KIND_HELP = "avec qui : gca (gestionnaire-conseil allocataire) ou csu (conseiller service à l'usager)"
CHANNEL_HELP = "où : agence (sur place) ou telephone"


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    slots = sub.add_parser("slots", parents=[common], help="les prochains créneaux libres",
                           description="Liste les prochains créneaux de rendez-vous libres, de toutes les agences "
                                       "ou d'une seule.")
    slots.add_argument("--agency", default="all", metavar="AGENCE",
                       help="identifiant de l'agence, ou all pour toutes (par défaut)")
    slots.add_argument("--kind", choices=KINDS, required=True, help=KIND_HELP)
    slots.add_argument("--channel", choices=CHANNELS, required=True, help=CHANNEL_HELP)
    slots.add_argument("--from", dest="date_from", type=day, metavar=DAY, help="à partir de ce jour")
    slots.add_argument("--to", dest="date_to", type=day, metavar=DAY, help="jusqu'à ce jour inclus")
    slots.add_argument("--part", choices=["matin", "apres-midi"], help="le matin ou l'après-midi seulement")
    slots.add_argument("--limit", type=positive, default=20, metavar="N",
                       help="nombre de créneaux au plus (par défaut 20)")
    slots.add_argument("--json", action="store_true", help=JSON_HELP)
    slots.set_defaults(handler=cmd_slots)

    book = sub.add_parser("book", parents=[common], help="réserver un créneau",
                          description="Réserve un créneau de rendez-vous et affiche la confirmation à lire "
                                      "à la personne.")
    book.add_argument("--agency", required=True, metavar="AGENCE", help="identifiant de l'agence, par exemple nanterre")
    book.add_argument("--kind", choices=KINDS, required=True, help=KIND_HELP)
    book.add_argument("--channel", choices=CHANNELS, required=True, help=CHANNEL_HELP)
    book.add_argument("--at", type=instant, required=True, metavar=INSTANT, help="début du créneau, heure de Paris")
    book.add_argument("--name", required=True, metavar="NOM", help="nom et prénom de la personne")
    book.add_argument("--file-number", metavar="NUMÉRO", help="numéro allocataire (7 chiffres)")
    book.add_argument("--phone", metavar="TÉLÉPHONE",
                      help="numéro de téléphone français (obligatoire pour un rendez-vous par téléphone)")
    book.add_argument("--service", metavar="SERVICE", help="identifiant du service (le motif du rendez-vous)")
    book.add_argument("--objective", default="", metavar="TEXTE", help="objet du rendez-vous, en quelques mots")
    book.add_argument("--json", action="store_true", help=JSON_HELP)
    book.set_defaults(handler=cmd_book)

    for name, help_text, description in (
        ("cancel", "annuler un rendez-vous", "Annule un rendez-vous, à la demande de la personne ou de la Caf."),
        ("arrived", "la personne est arrivée", "Marque la personne arrivée à son rendez-vous."),
        ("noshow", "la personne n'est pas venue", "Marque le rendez-vous « non venu »."),
    ):
        change = sub.add_parser(name, parents=[common], help=help_text, description=description)
        change.add_argument("id", type=record_id, metavar="NUMÉRO", help="numéro du rendez-vous")
        if name == "cancel":
            change.add_argument("--by", choices=["person", "caf"], default="person",
                                help="qui annule : person, la personne (excusée, par défaut), ou caf, la Caf")
        change.add_argument("--json", action="store_true", help=JSON_HELP)
        change.set_defaults(handler=cmd_status, change=name)

    move = sub.add_parser("reschedule", parents=[common], help="déplacer un rendez-vous sur un autre créneau",
                          description="Déplace un rendez-vous sur un autre créneau (et, si besoin, une autre "
                                      "agence) : l'ancien est marqué déplacé, un nouveau est réservé.")
    move.add_argument("id", type=record_id, metavar="NUMÉRO", help="numéro du rendez-vous à déplacer")
    move.add_argument("--to", dest="to", type=instant, required=True, metavar=INSTANT,
                      help="début du nouveau créneau, heure de Paris")
    move.add_argument("--agency", metavar="AGENCE", help="une autre agence (par défaut : la même)")
    move.add_argument("--json", action="store_true", help=JSON_HELP)
    move.set_defaults(handler=cmd_reschedule)

    sheet = sub.add_parser("day", parents=[common], help="les rendez-vous du jour d'une agence",
                           description="Liste les rendez-vous d'une agence pour un jour, ou les écrit en CSV.")
    sheet.add_argument("--agency", required=True, metavar="AGENCE", help="identifiant de l'agence")
    sheet.add_argument("--date", type=day, metavar=DAY, help="le jour (par défaut : aujourd'hui)")
    sheet.add_argument("--csv", type=Path, metavar="FICHIER",
                       help="écrire la liste en CSV dans ce nouveau fichier (- : sur la sortie)")
    sheet.add_argument("--json", action="store_true", help=JSON_HELP)
    sheet.set_defaults(handler=cmd_day)


def cmd_slots(services: Services, args: argparse.Namespace) -> int:
    from guichet.domain.slots import DayPart

    if args.date_from and args.date_to and args.date_to < args.date_from:
        raise UsageError("--to est avant --from")
    agency = None if args.agency == "all" else args.agency
    criteria: dict[str, Any] = {"date_from": args.date_from, "date_to": args.date_to,
                                "part": DayPart(args.part) if args.part else None}
    # Offered nowhere (or not in that agency): an error saying who offers it, not an empty list.
    found = services.appointments.find_slots(Kind(args.kind), Channel(args.channel), agency, limit=args.limit,
                                             **criteria)
    names = {a.id: a.name for a in services.agencies}
    if args.json:
        dump([{"agency": s.agency_id, "kind": s.kind.value, "channel": s.channel.value,
               "start": local_iso(s.start), "end": local_iso(s.end), "free": s.free, "desks": s.desks}
              for s in found])
        return 0
    if not found:  # closed those days, or all taken: the two are told apart
        print(safe(services.appointments.empty_reason(Kind(args.kind), Channel(args.channel), agency, **criteria)))
    for slot in found:
        print(f"{fr.day_time(slot.start)}  {safe(names[slot.agency_id]):<18} {slot.free}/{slot.desks} libre(s)")
    return 0


def cmd_book(services: Services, args: argparse.Namespace) -> int:
    from guichet.services.appointments import BookingRequest

    booked = services.appointments.book(BookingRequest(
        agency_id=args.agency, kind=Kind(args.kind), channel=Channel(args.channel), start=args.at,
        name=args.name, file_number=args.file_number, phone=args.phone, service_id=args.service,
        objective=args.objective,
    ))
    if args.json:
        dump(appointment_json(booked))
    else:
        print(safe(services.appointments.confirmation(booked), multiline=True))
    return 0


_CHANGES = {"arrived": Status.SEEN, "noshow": Status.NOSHOW}


def cmd_status(services: Services, args: argparse.Namespace) -> int:
    if args.change == "cancel":
        target = Status.EXCUSED if args.by == "person" else Status.REVOKED
    else:
        target = _CHANGES[args.change]
    changed = services.appointments.set_status(args.id, target)
    if args.json:
        dump(appointment_json(changed))
    else:
        print(f"Rendez-vous n° {changed.id} du {fr.day_time(changed.start)} : {changed.status.label}.")
    return 0


def cmd_reschedule(services: Services, args: argparse.Namespace) -> int:
    moved = services.appointments.reschedule(args.id, args.to, args.agency)
    if args.json:
        dump(appointment_json(moved))
    else:
        print(f"Rendez-vous n° {args.id} déplacé : nouveau rendez-vous n° {moved.id}.")
        print(safe(services.appointments.confirmation(moved), multiline=True))
    return 0


def write_new_file(path: Path, text: str) -> None:
    """Write an export that holds personal data: a new file only (an existing file or link is never
    overwritten nor followed), owner-only, complete or not at all (a full disk leaves nothing)."""
    from guichet.paths import write_private

    if path.exists() or path.is_symlink():
        raise UsageError(f"« {path} » existe déjà : rien n'a été écrit (choisissez un autre nom).")
    if not path.parent.is_dir():
        raise UsageError(f"Le dossier « {path.parent} » n'existe pas : rien n'a été écrit.")
    try:
        write_private(path, text, encoding="utf-8-sig")
    except OSError as exc:
        raise UsageError(f"Impossible d'écrire « {path} » ({exc.strerror or type(exc).__name__}) : "
                         "rien n'a été écrit.") from None


def cmd_day(services: Services, args: argparse.Namespace) -> int:
    from guichet.services.exports import day_sheet_csv

    sheet = services.appointments.day_sheet(args.agency, args.date)
    if args.csv is not None:
        text = day_sheet_csv(sheet, {a.id: a.name for a in services.agencies})
        if str(args.csv) == "-":
            print(text, end="")
        else:
            write_new_file(args.csv, text)
        return 0
    if args.json:
        dump([appointment_json(a) for a in sheet])
        return 0
    agency = services.agency(args.agency)
    when = args.date or services.now().date()
    print(f"{safe(agency.name)} — {fr.day(when, year=True)} — {len(sheet)} rendez-vous")
    for a in sheet:
        print(f"{fr.hhmm(a.start)}  n° {a.id:<6} {a.kind.value.upper():<4} {a.channel.label:<15} "
              f"{a.status.label:<24} {safe(a.name)}")
    return 0

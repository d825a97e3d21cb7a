"""``guichet purge`` and ``guichet person``: the retention rules and the right of access."""

from __future__ import annotations

import argparse
from typing import Any

from guichet.cli.common import dump, safe
from guichet.services import Services
from guichet.services.retention import BACKUP_KEEP_DAYS


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    purge = sub.add_parser("purge", parents=[common], help="supprimer ce que les durées de conservation imposent",
                           description="Supprime ou anonymise ce que les durées de conservation imposent : "
                                       "passages de relais clôturés ou expirés, anciens rendez-vous, sauvegardes, "
                                       "exports. Un passage de relais resté ouvert sans changement depuis "
                                       "handoff_expiry_months mois (12 par défaut) expire d'abord.")
    purge.add_argument("--dry-run", action="store_true", help="compter seulement, sans rien supprimer")
    purge.add_argument("--json", action="store_true", help="sortie JSON, pour un autre programme")
    purge.set_defaults(handler=cmd_purge)

    person = sub.add_parser("person", parents=[common],
                            help="tout ce qui est conservé sur une personne (droit d'accès)",
                            description="Rassemble tout ce que guichet conserve sur une personne, pour répondre "
                                        "à une demande de droit d'accès.")
    person.add_argument("--file-number", required=True, metavar="NUMÉRO", help="numéro allocataire (7 chiffres)")
    person.add_argument("--json", action="store_true", help="sortie JSON, pour un autre programme")
    person.set_defaults(handler=cmd_person)


def cmd_purge(services: Services, args: argparse.Namespace) -> int:
    from guichet.domain import fr
    report = services.retention.purge(dry_run=args.dry_run)
    if args.json:
        expiry = report.expiry_cutoff.date().isoformat() if report.expiry_cutoff else None
        dump({"dry_run": report.dry_run, "handoffs_expired": report.handoffs_expired, "expiry_cutoff": expiry,
              "handoffs": report.handoffs, "appointments": report.appointments,
              "journal_entries_anonymised": report.journal_entries,
              "backups_purged": report.backups_purged, "backups_deleted": report.backups_deleted,
              "exports_deleted": report.exports_deleted,
              "handoff_cutoff": report.handoff_cutoff.date().isoformat(),
              "appointment_cutoff": report.appointment_cutoff.date().isoformat(),
              "reception_log_entries": report.passages,
              "reception_log_cutoff": report.passage_cutoff.isoformat() if report.passage_cutoff else None})
        return 0
    verb = "seraient supprimés" if report.dry_run else "supprimés"
    if report.expiry_cutoff is not None:
        expire = "expireraient" if report.dry_run else "expirés"
        print(f"Passages de relais ouverts sans changement depuis le "
              f"{fr.day(report.expiry_cutoff.date(), year=True)} {expire} : {report.handoffs_expired}")
    print(f"Passages de relais clôturés ou expirés avant le {fr.day(report.handoff_cutoff.date(), year=True)} {verb} : "
          f"{report.handoffs}")
    print(f"Rendez-vous antérieurs au {fr.day(report.appointment_cutoff.date(), year=True)} {verb} : "
          f"{report.appointments}")
    print(f"Entrées du journal anonymisées : {report.journal_entries}")
    if report.passage_cutoff is not None:
        print(f"Personnes reçues (journal d'accueil, sans donnée personnelle) avant le "
              f"{fr.day(report.passage_cutoff, year=True)} {verb} : {report.passages}")
    if report.backups_purged or report.backups_deleted:
        purge, delete = ("à purger", "à supprimer") if report.dry_run else ("purgée(s)", "supprimée(s)")
        print(f"Sauvegardes avant mise à jour : {report.backups_purged} {purge} de la même façon, "
              f"{report.backups_deleted} {delete} (plus de {BACKUP_KEEP_DAYS} jours)")
    if report.exports_deleted:
        print(f"Exports de la liste du jour {verb} : {report.exports_deleted}")
    if report.dry_run:
        print("Simulation : rien n'a été modifié.")
    return 0


def cmd_person(services: Services, args: argparse.Namespace) -> int:
    data = services.retention.person_data(args.file_number)
    if args.json:
        dump(data)
        return 0
    print(f"Numéro allocataire {safe(str(data['file_number']))}")
    print(f"Rendez-vous : {len(data['appointments'])}")
    for a in data["appointments"]:
        print(f"  n° {a['id']}  {a['start']}  {safe(str(a['agency']))}  {a['kind']}/{a['channel']}  {a['status']}  "
              f"{safe(str(a['name']))}")
    print(f"Passages de relais : {len(data['handoffs'])}")
    for h in data["handoffs"]:
        print(f"  n° {h['id']}  {h['created_at']}  {h['status_label']}  {h['life_event_label']}  "
              f"{safe(str(h['name']))}")
    print(f"Copies faites par guichet qui la mentionnent : {len(data['copies'])}")
    for copy in data["copies"]:
        print(f"  {copy['kind']} : {safe(str(copy['path']))}")
    return 0

"""What leaves guichet as text: JSON objects, CSV for spreadsheets, the confirmation read out.

CSV is ``;``-separated (French spreadsheets) and neutralises formulas (CSV injection).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from guichet.domain import fr, person
from guichet.domain.appointment import status_text
from guichet.domain.clock import local_iso, utc
from guichet.domain.followup import HandoffRecord, days_late
from guichet.domain.handoff import LIFE_EVENT_LABELS, HandoffStatus
from guichet.domain.models import Agency, Appointment, Channel, Kind, Service, Status
from guichet.domain.passage import PassageChannel
from guichet.domain.stats import DEFINITIONS, Count, HalfDay, Statistics, one_decimal

# -- plumbing --------------------------------------------------------------------------------------


def csv_safe(value: object) -> str:
    """A cell as text; one starting like a formula is quoted so no spreadsheet runs it (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def to_csv(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The header and the rows as CSV text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([csv_safe(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def _iso_day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


# -- appointments ----------------------------------------------------------------------------------


def appointment_json(a: Appointment) -> dict[str, Any]:
    """One appointment as a JSON object: codes for programs, with their French labels beside them;
    a moved appointment names the one that replaced it (``moved_to``, ``moved_to_start``)."""
    return {
        "id": a.id, "agency": a.agency_id, "kind": a.kind.value, "kind_label": a.kind.label,
        "channel": a.channel.value, "channel_label": a.channel.label,
        "start": local_iso(a.start), "end": local_iso(a.end), "seat": a.seat,
        "status": a.status.value, "status_label": status_text(a),
        "name": a.name, "file_number": a.file_number, "phone": a.phone, "service": a.service_id,
        "objective": a.objective, "booked_by": a.booked_by, "booked_by_name": a.booked_by_name,
        "rescheduled_from": a.rescheduled_from, "moved_to": a.moved_to,
        "moved_to_start": local_iso(a.moved_to_start), "moved_to_agency": a.moved_to_agency,
        "checked_in_at": local_iso(a.checked_in_at),
    }


# The text a copy left in the exports folder (ui/clipboard.py writes it, the retention purge deletes it).
CLIPBOARD_FILE = "presse-papiers.txt"

APPOINTMENT_CSV_COLUMNS = ("N°", "Heure", "Fin", "Type", "Canal", "Place", "Statut", "Nom", "N° allocataire",
                           "Téléphone", "Motif", "Objet", "Remplace le n°", "Réservé par", "Identifiant agent")


def day_sheet_csv(appointments: list[Appointment], agency_names: Mapping[str, str] | None = None) -> str:
    """The day sheet as CSV (UTF-8, ``;`` separated as French spreadsheets expect): French headers and
    labels, a moved appointment with where it went, the agent's name beside the login that booked."""
    return to_csv(APPOINTMENT_CSV_COLUMNS, (
        (a.id, fr.hhmm(a.start), fr.hhmm(a.end), a.kind.label, a.channel.label, a.seat,
         status_text(a, agency_names), a.name, a.file_number, a.phone, a.service_id, a.objective,
         a.rescheduled_from, a.booked_by_name, a.booked_by)
        for a in appointments
    ))


_DEFAULT_BRING = ("Votre numéro allocataire", "Une pièce d'identité")


NO_ADDRESS = "adresse de l'accueil non connue de guichet : vérifiez-la sur caf.fr"


def place_to_go(agency: Agency) -> str:
    """Where the person goes: the agency's street address, or its name and that the address is not
    known. Never its postal address (a Cedex, for mail only)."""
    return f"{agency.name}, {agency.address}" if agency.address else f"agence de {agency.name} ({NO_ADDRESS})"


def confirmation(appointment: Appointment, agency: Agency, service: Service | None) -> str:
    """The French confirmation to read out or print."""
    minutes = int((utc(appointment.end) - utc(appointment.start)).total_seconds() // 60)  # real minutes
    lines = [f"Rendez-vous n° {appointment.id} — {appointment.kind.label}",
             f"Le {fr.day_time(appointment.start, year=True)} (durée {minutes} minutes)."]
    if appointment.channel is Channel.TELEPHONE:  # who will call, and which number
        number = person.spoken_phone(appointment.phone) if appointment.phone else "numéro de votre dossier"
        lines.append(f"Nous vous appellerons au {number}.")
        lines.append(f"L'appel viendra de la Caf, agence de {agency.name}.")
    else:
        lines.append(f"À l'accueil de la Caf : {place_to_go(agency)}.")
    bring: tuple[str, ...] = _DEFAULT_BRING
    if service is not None:
        lines.insert(1, f"Objet : {service.title}.")
        bring = service.bring or bring
    lines.append("À préparer : " + " ; ".join(bring) + ".")
    lines.append("En cas d'empêchement, prévenez la Caf au 3230 ou sur caf.fr.")
    return "\n".join(lines)


# -- handoffs, for the social-work team ------------------------------------------------------------


def record_json(record: HandoffRecord, today: date | None = None) -> dict[str, Any]:
    """One handoff as a JSON object (dates ISO, codes as in the data files); with ``today``, how late its
    answer is (``days_late``, ``late``) beside its due date."""
    d = record.draft
    late = {} if today is None else {"days_late": days_late(record, today), "late": days_late(record, today) > 0}
    return {
        "id": record.id, "status": record.status.value, "status_label": record.status.label,
        "status_reason": record.status_reason, "urgent": record.urgent,
        "destination": record.destination.value, "destination_label": record.destination_label,
        "created_at": local_iso(record.created_at), "created_by": record.created_by, "agency": record.agency,
        "name": d.name, "file_number": d.file_number, "phone": d.phone, "contact": d.contact.value,
        "life_event": d.life_event.value, "life_event_label": LIFE_EVENT_LABELS[d.life_event],
        "event_date": _iso_day(d.event_date), "motifs": d.motifs, "benefits": list(d.benefits),
        "comment": d.comment, "specificities": [s.value for s in d.specificities],
        "specificity_other": d.specificity_other, "rights_opened": _iso_day(d.rights_opened),
        "non_payment_since": _iso_day(d.non_payment_since), "period_start": _iso_day(d.period_start),
        "period_end": _iso_day(d.period_end), "emergency": d.emergency.value if d.emergency else None,
        "already_followed": d.already_followed, "referent": d.referent, "partner": d.partner,
        "documents_to_professional": d.documents_to_professional, "consent": d.consent,
        "service": d.service_id, "message": record.message, "due_on": _iso_day(record.due_on), **late,
        "history": [{"at": local_iso(h.at), "actor": h.actor, "status": h.status.value, "reason": h.reason}
                    for h in record.history],
    }


HANDOFF_CSV_COLUMNS = ("id", "statut", "urgence", "destination", "cree_le", "nom", "numero_allocataire",
                       "telephone", "evenement", "date_evenement", "prestations", "motifs", "commentaire",
                       "echeance_reponse", "jours_de_retard")


def records_csv(records: list[HandoffRecord], today: date) -> str:
    """Handoffs as CSV (``;``-separated, formulas neutralised), with each answer's due date and days late."""
    return to_csv(HANDOFF_CSV_COLUMNS, (
        (r.id, r.status.value, "URGENCE DEFINIE" if r.urgent else "", r.destination_label,
         local_iso(r.created_at), r.draft.name, r.draft.file_number, r.draft.phone,
         LIFE_EVENT_LABELS[r.draft.life_event], _iso_day(r.draft.event_date) or "", ", ".join(r.draft.benefits),
         r.draft.motifs, r.draft.comment, _iso_day(r.due_on) or "", days_late(r, today) or "")
        for r in records
    ))


def records_json(records: list[HandoffRecord], today: date | None = None) -> str:
    return json.dumps([record_json(r, today) for r in records], ensure_ascii=False, indent=2)


def summary_line(record: HandoffRecord) -> str:
    """One line for lists: ``n° 12 · URGENCE · À transmettre · 23/11 · Séparation · APL``."""
    d = record.draft
    parts = [f"n° {record.id}", record.status.label, record.created_at.strftime("%d/%m"),
             LIFE_EVENT_LABELS[d.life_event]]
    if record.urgent:
        parts.insert(1, "URGENCE DEFINIE")
    if d.benefits:
        parts.append(", ".join(d.benefits))
    return " · ".join(parts)


# -- the agency's statistics (guichet stats), for managers' own tools --------------------------------


def _counts_json(counts: Iterable[Count]) -> list[dict[str, Any]]:
    return [{"code": c.code, "label": c.label, "count": c.count} for c in counts]


def _rate(rate: float | None) -> float | None:
    return None if rate is None else round(rate, 4)


def stats_json(stats: Statistics) -> dict[str, Any]:
    """The statistics as one JSON object: English keys, codes beside their French labels, every status
    and channel present (zero included), the period and agency, and what each figure counts."""
    p, a, h = stats.passages, stats.appointments, stats.handoffs
    busiest = p.busiest
    per_half_day = p.per_half_day
    return {
        "agency": stats.agency, "agency_label": stats.agency_label,
        "period": {"first": stats.period.first.isoformat(), "last": stats.period.last.isoformat(),
                   "kind": stats.period.kind.value, "days": stats.period.days, "label": stats.period.label},
        "computed_at": local_iso(stats.computed_at),
        "passages": {
            "total": p.total, "by_channel": {c.value: p.by_channel.get(c, 0) for c in PassageChannel},
            "still_open": p.still_open,
            "per_half_day": None if per_half_day is None else round(per_half_day, 2),
            "busiest": None if busiest is None else _half_day_json(busiest),
            "half_days": [_half_day_json(x) for x in p.half_days],
            "outcomes": _counts_json(p.outcomes), "top_services": _counts_json(p.top_services),
            "median_seconds": p.median_seconds, "timed": p.timed,
        },
        "appointments": {
            "total": a.total, "by_status": _statuses(a.by_status), "noshow_rate": _rate(a.noshow_rate),
            "lines": [{"kind": line.kind, "kind_label": Kind(line.kind).label, "channel": line.channel,
                       "channel_label": Channel(line.channel).label, "total": line.total,
                       "by_status": _statuses(line.by_status), "noshow_rate": _rate(line.noshow_rate)}
                      for line in a.lines],
        },
        "handoffs": {
            "total": h.total, "urgent": h.urgent,
            "by_status": {s.value: next((c.count for c in h.by_status if c.code == s.value), 0)
                          for s in HandoffStatus},
            "by_life_event": _counts_json(h.by_life_event), "by_destination": _counts_json(h.by_destination),
            "overdue": len(h.overdue), "overdue_ids": list(h.overdue),
        },
        "definitions": dict(DEFINITIONS),
    }


def _half_day_json(half: HalfDay) -> dict[str, Any]:
    return {"day": half.day.isoformat(), "half": half.half.value, "guichet": half.guichet,
            "telephone": half.telephone, "total": half.total}


def _statuses(by_status: Mapping[str, int]) -> dict[str, int]:
    """Every appointment status, in the order of its life, zero included (a status unknown here kept last)."""
    known = {s.value: by_status.get(s.value, 0) for s in Status}
    return known | {code: n for code, n in by_status.items() if code not in known}


STATS_CSV_COLUMNS = ("Agence", "Du", "Au", "Rubrique", "Chiffre", "Détail", "Valeur", "Ce que compte la rubrique")


def stats_rows(stats: Statistics) -> list[tuple[str, str, str, int | str]]:
    """The statistics as (section, figure, detail, value) rows, one figure each, in French."""
    p, a, h = stats.passages, stats.appointments, stats.handoffs
    rows: list[tuple[str, str, str, int | str]] = [
        ("passages", "personnes reçues", "total", p.total),
        *(("passages", "personnes reçues", c.label, p.by_channel.get(c, 0)) for c in PassageChannel),
        ("passages", "accueils encore ouverts", "", p.still_open),
    ]
    if p.per_half_day is not None:
        rows.append(("passages", "moyenne par demi-journée travaillée", "", one_decimal(p.per_half_day)))
    for x in p.half_days:
        when = f"{x.day.isoformat()} {x.half.label}"
        rows += [("half_days", when, "total", x.total), ("half_days", when, PassageChannel.GUICHET.label, x.guichet),
                 ("half_days", when, PassageChannel.TELEPHONE.label, x.telephone)]
    for c in p.outcomes:
        label, _, which = c.label.partition(" : ")
        rows.append(("outcomes", label, which, c.count))
    rows += [("top_services", c.label, c.code, c.count) for c in p.top_services]
    rows += [("median", "durée médiane (secondes)", "", "" if p.median_seconds is None else p.median_seconds),
             ("median", "accueils chronométrés", "", p.timed)]
    rows += _appointment_rows("tous types et canaux", a.total, a.by_status, a.noshow_rate)
    for line in a.lines:
        rows += _appointment_rows(f"{Kind(line.kind).label} {Channel(line.channel).label}", line.total,
                                  line.by_status, line.noshow_rate)
    rows += [("handoffs", "passages de relais", "total", h.total),
             ("handoffs", "passages de relais", "URGENCE DEFINIE", h.urgent),
             ("handoffs", "passages de relais", "en retard", len(h.overdue))]
    rows += [("handoffs", "par statut", s.label, next((c.count for c in h.by_status if c.code == s.value), 0))
             for s in HandoffStatus]
    rows += [("handoffs", "par événement", c.label, c.count) for c in h.by_life_event]
    rows += [("handoffs", "par destinataire", c.label, c.count) for c in h.by_destination]
    return rows


def _appointment_rows(figure: str, total: int, by_status: Mapping[str, int],
                      rate: float | None) -> list[tuple[str, str, str, int | str]]:
    rows: list[tuple[str, str, str, int | str]] = [("appointments", figure, "total", total)]
    rows += [("appointments", figure, s.label, by_status.get(s.value, 0)) for s in Status]
    rows.append(("appointments", figure, "taux d'absence (%)", "" if rate is None else one_decimal(rate * 100)))
    return rows


STATS_SECTIONS = {"passages": "Personnes reçues", "half_days": "Par demi-journée", "outcomes": "Issues",
                  "top_services": "Services consultés", "median": "Durée", "appointments": "Rendez-vous",
                  "handoffs": "Passages de relais"}


def stats_csv(stats: Statistics) -> str:
    """The statistics as CSV for a French spreadsheet: ``;``-separated, decimal commas, one figure a row,
    the agency and the period on every row (several exports pasted together still read), and what each
    section counts in the last column."""
    agency = stats.agency_label
    first, last = stats.period.first.isoformat(), stats.period.last.isoformat()
    return to_csv(STATS_CSV_COLUMNS, (
        (agency, first, last, STATS_SECTIONS[section], figure, detail, value, DEFINITIONS[section])
        for section, figure, detail, value in stats_rows(stats)
    ))

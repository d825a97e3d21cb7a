"""The person's identifiers, validated and normalised: CAF file number, name, French phone."""

from __future__ import annotations

import re
import unicodedata

from guichet.errors import InvalidInput

_FILE_NUMBER = re.compile(r"^\d{7}$")
_NAME_MAX = 80
_NOTE_MAX = 300
# French numbers: 0X XX XX XX XX (X = 1-9 for the first digit after 0), or +33 / 0033 forms.
_PHONE = re.compile(r"^(?:\+33|0033|0)([1-9]\d{8})$")


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def _has_control(text: str) -> bool:
    return any(unicodedata.category(c) in ("Cc", "Cf") for c in text)


def file_number(text: str | None, *, required: bool = False) -> str | None:
    """A CAF file number: exactly 7 digits, kept as a string (leading zeros matter)."""
    value = _clean(text or "").replace(" ", "")
    if not value:
        if required:
            raise InvalidInput("Le numéro allocataire est obligatoire.")
        return None
    if not _FILE_NUMBER.match(value):
        raise InvalidInput("Le numéro allocataire doit compter exactement 7 chiffres.")
    return value


def name(text: str | None) -> str:
    """The person's name: required, one line, at most 80 characters, no control characters."""
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in (text or "").strip(" ")):
        raise InvalidInput("Le nom contient des caractères non autorisés.")
    value = " ".join(_clean(text or "").split())
    if not value:
        raise InvalidInput("Le nom de la personne est obligatoire.")
    if len(value) > _NAME_MAX:
        raise InvalidInput(f"Le nom ne doit pas dépasser {_NAME_MAX} caractères.")
    if _has_control(value) or not any(c.isalpha() for c in value):
        raise InvalidInput("Le nom contient des caractères non autorisés.")
    return value


def phone(text: str | None, *, required: bool = False) -> str | None:
    """A French phone number normalised to ``0612345678``; spaces, dots and dashes accepted."""
    raw = _clean(text or "")
    if not raw:
        if required:
            raise InvalidInput("Le numéro de téléphone est obligatoire pour un rendez-vous téléphonique.")
        return None
    compact = re.sub(r"[\s.\-]", "", raw).replace("(0)", "")  # "+33 (0)6 12 34 56 78" is common
    compact = compact.replace("(", "").replace(")", "")
    found = _PHONE.match(compact)
    if not found:
        raise InvalidInput("Numéro de téléphone invalide : un numéro français à 10 chiffres est attendu "
                           "(06 12 34 56 78 ou +33 6 12 34 56 78).")
    return "0" + found.group(1)


def spoken_phone(normalised: str) -> str:
    """``0612345678`` → ``06 12 34 56 78``."""
    return " ".join(normalised[i : i + 2] for i in range(0, len(normalised), 2))


def note(text: str | None, *, max_len: int = _NOTE_MAX, label: str = "La note") -> str:
    """A short free text: trimmed, bounded, without control characters (newlines allowed)."""
    value = _clean(text or "")
    if len(value) > max_len:
        raise InvalidInput(f"{label} ne doit pas dépasser {max_len} caractères.")
    if any(unicodedata.category(c) in ("Cc", "Cf") and c != "\n" for c in value):
        raise InvalidInput(f"{label} contient des caractères de contrôle.")
    return value

"""The person's identifiers, validated and normalised: CAF file number, name, French phone."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

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
        raise InvalidInput("Numéro de téléphone invalide : 10 chiffres, 0X XX XX XX XX.")
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


# -- comparing and finding names (typos tolerated, accents and case ignored) -----------------------
_LONG_WORD = 6  # from this length a word may hold two typos (as in the service search)


def name_key(text: str) -> tuple[str, ...]:
    """A name's folded words, sorted: « DIALLO Awa » and « Awa Diallo » have the same key."""
    from guichet.domain.words import fold

    return tuple(sorted(fold(text).split()))


_NON_WORD_OR_LINE = re.compile(r"[^a-z0-9\n]+")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _fold_lines(names: Sequence[str]) -> list[str]:
    """:func:`guichet.domain.words.fold` of each name, in one pass over all of them (thousands of
    names cost a few milliseconds instead of one call each)."""
    text = "\n".join(" ".join(name.split()) for name in names)  # one line per name, whatever it holds
    if not text.isascii():
        lowered = text.lower().replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")  # NFKD keeps them whole
        decomposed = unicodedata.normalize("NFKD", lowered)
        text = _COMBINING.sub("", decomposed)  # the accents, split off by NFKD
    lines = _NON_WORD_OR_LINE.sub(" ", text.lower()).split("\n")
    return lines if names else []


def match_names(query: str, candidates: Sequence[tuple[int, str]], limit: int) -> list[tuple[int, float]]:
    """The ``limit`` best (id, score) among ``candidates`` (id, name) for the typed ``query``, best
    first. Every word typed must match a word of the name: exactly, as its start (the word being
    typed, 2 letters or more) or within 1 typo (2 from 6 letters; a swap counts as one). Words are
    folded (accents, case, punctuation) first. Score 1.0 = every word exact."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    from guichet.domain.words import fold

    words = fold(query).split()
    if not words or limit <= 0:
        return []
    by_word: dict[str, list[int]] = {}  # folded name word → the candidates holding it
    for index, folded in enumerate(_fold_lines([name for _id, name in candidates])):
        for word in set(folded.split()):
            by_word.setdefault(word, []).append(index)
    vocabulary = list(by_word)
    totals: dict[int, float] | None = None
    for typed in words:
        quality: dict[str, float] = {}
        for word in vocabulary:
            if word == typed:
                quality[word] = 1.0
            elif len(typed) >= 2 and word.startswith(typed):
                quality[word] = 0.9
        if len(typed) >= 3:
            allowed = 1 if len(typed) < _LONG_WORD else 2
            for word, distance, _ in process.extract(typed, vocabulary, scorer=OSA.distance,
                                                      score_cutoff=allowed, limit=None):
                quality.setdefault(word, 0.8 - 0.1 * (distance - 1))
        best: dict[int, float] = {}
        for word, score in quality.items():
            for index in by_word[word]:
                if score > best.get(index, 0.0):
                    best[index] = score
        totals = best if totals is None else {i: s + best[i] for i, s in totals.items() if i in best}
        if not totals:
            return []
    assert totals is not None
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [(candidates[index][0], score / len(words)) for index, score in ranked]

"""The texts the search reads: a service's fields, its whole phrasings, a query's terms.

:func:`field_texts` gives the searchable texts of a service in the order of the index's fields;
:func:`whole_phrasings` files the phrasings and keywords that the index matches whole, and
:func:`raise_whole_phrasings` scores a query that says one of them whole;
:func:`parse` turns a query into :data:`Term` s (its folded words, each with its synonym
expansions). The index itself lives in :mod:`guichet.domain.search`.

Pure: no disk, no database, no UI.
"""

from __future__ import annotations

from collections.abc import Iterable

from guichet.domain.models import Service
from guichet.domain.words import SYNONYMS, lacking, tokens
from guichet.domain.words import stem as _stem

__all__ = ["Term", "field_texts", "parse", "raise_whole_phrasings", "whole_phrasings"]

# A query word: its alternatives (the word itself, then synonym expansions), each a tuple of
# folded words that must all match, with the factor applied to its score.
Term = tuple[tuple[tuple[str, ...], float], ...]
_SYNONYM = 0.95  # an expansion is a guess: the words actually typed win a tie
_LACK = ("sans", "pas", "plus")  # the words before a thing lacked (see words.lacking)


def field_texts(service: Service) -> tuple[tuple[str, ...], ...]:
    """The searchable texts of a service, field by field in the order of ``FIELDS``: each keyword
    and each phrasing is a text of its own (one can be said whole, see :func:`whole_phrasings`).

    Benefit codes go with the summary: a service lists the benefits it *concerns* (retirement
    concerns the AAH), so a code alone must not rank it with the services *about* the benefit,
    whose title or keywords name it.
    """
    return (
        (service.title,),
        service.keywords,
        service.phrasings,
        (service.id,),
        (service.category,),
        (" ".join((service.summary, *service.benefits)),),
    )


def whole_phrasings(
    phrases: Iterable[tuple[int, frozenset[str]]], postings: dict[str, dict[int, float]],
) -> dict[str, list[tuple[int, frozenset[str]]]]:
    """The ``phrases`` (entry, stems: the phrasings and keywords of two content words or more)
    filed under their rarest stem in ``postings``: a query looks up only the phrases of the stems
    it holds."""
    filed: dict[str, list[tuple[int, frozenset[str]]]] = {}
    for entry, stems in phrases:
        key = min(stems, key=lambda stem: (len(postings.get(stem, ())), stem))
        filed.setdefault(key, []).append((entry, stems))
    return filed


def raise_whole_phrasings(
    phrasings: dict[str, list[tuple[int, frozenset[str]]]], terms: list[Term],
    per_term: list[dict[int, float]], score: float,
) -> None:
    """Where the query's ``terms`` hold every stem of one of an entry's ``phrasings`` (see
    :func:`whole_phrasings`), those terms score at least ``score`` for that entry, in
    ``per_term`` (per term: entry -> score), in place: the person said what the catalog wrote."""
    said: dict[str, list[int]] = {}  # stem typed (or its one-word synonym) -> term positions
    for position, term in enumerate(terms):
        for words, _factor in term:
            if len(words) == 1:
                said.setdefault(_stem(words[0]), []).append(position)
    for key in tuple(said):
        for entry, stems in phrasings.get(key, ()):
            if stems <= said.keys():
                for stem in stems:
                    for position in said[stem]:
                        best = per_term[position]
                        if best.get(entry, 0.0) < score:
                            best[entry] = score


def parse(query: str) -> list[Term]:
    """Split a query into terms (folded words), each with its synonym expansions."""
    terms: list[Term] = []
    lacked = lacking(query)
    words = tokens(query)
    for position, word in enumerate(words):
        alternatives: list[tuple[tuple[str, ...], float]] = [((word,), 1.0)]
        if word in _LACK and words[position + 1:position + 2] and words[position + 1] in lacked:
            # "plus de logement" is what the catalog writes "sans logement", "pas de logement"
            # (not the "non" of "aide au logement non versée")
            alternatives.extend(((other,), _SYNONYM) for other in _LACK if other != word)
        else:
            alternatives.extend((tuple(tokens(expansion)), _SYNONYM)
                                for expansion in SYNONYMS.get(word, ()))
        terms.append(tuple(alternatives))
    return terms

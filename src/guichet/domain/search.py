"""The service search index: find the service in a few keystrokes.

Every field is folded (accents, case, ligatures, punctuation) and tokenised once, when the index
is built. A query is matched word by word against the *vocabulary* of the catalog: exact words
first, then prefixes (the word being typed), then typos through rapidfuzz. Only the vocabulary
words that matched are looked up in an inverted index, so the cost of a query grows with the
vocabulary and with the number of matching entries, not with the size of the catalog.

Pure: no disk, no database, no UI. The index is immutable once built, so concurrent searches
from several threads are safe.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from guichet.domain.models import Service

__all__ = ["STOP_WORDS", "SYNONYMS", "Hit", "Index", "fold", "tokens"]

# Articles, prepositions and pronouns people put in front of the words that matter. "pas" is
# kept on purpose: "apl pas versée" differs from "apl versée" (checked on the query set).
STOP_WORDS = frozenset({
    "a", "au", "aux", "avec", "c", "ce", "d", "de", "des", "du", "en", "est", "et", "j", "je",
    "l", "la", "le", "les", "m", "ma", "me", "mes", "mon", "n", "ne", "on", "ou", "par",
    "pour", "qu", "que", "s", "sa", "se", "ses", "son", "sur", "t", "ta", "te", "tes", "ton",
    "un", "une", "y",
})

# Query-side only: the short forms agents and callers type for what the catalog writes out.
# Expansions are plain French (stop words are dropped when they are parsed); the short form
# stays a candidate too, since benefit codes such as APL are indexed with each service.
SYNONYMS: dict[str, tuple[str, ...]] = {
    # desk shorthand
    "rdv": ("rendez-vous",),
    "alloc": ("allocation",),
    "allocs": ("allocation",),
    "mdp": ("mot de passe",),
    "num": ("numéro",),
    "tel": ("téléphone",),
    "secu": ("sécurité sociale",),
    # acronyms, for catalogs (user overrides) whose entries spell them out without the code
    "caf": ("caisse d'allocations familiales",),
    "af": ("allocations familiales",),
    "apl": ("aide au logement",),
    "ppa": ("prime d'activité",),
    "rsa": ("revenu de solidarité",),
    "aah": ("allocation aux adultes handicapés",),
    "asf": ("soutien familial",),
    "ars": ("rentrée scolaire",),
    "cmg": ("mode de garde",),
    "paje": ("jeune enfant",),
    "mdph": ("maison départementale des personnes handicapées",),
}

# A query word scores (match quality x field weight): exact > prefix > typo within a field; a
# word in the title says more than one in the summary. So an exact keyword (0.85) beats a title
# prefix (~0.76), which beats an exact summary word (0.6). Tuned on the query set.
FIELDS = ("title", "keywords", "id", "category", "summary")
_WEIGHTS = (1.0, 0.85, 0.75, 0.6, 0.6)  # by decreasing weight: the index relies on the order
_EXACT, _PREFIX_LAST, _PREFIX, _FUZZY = 1.0, 0.8, 0.7, 0.6  # _PREFIX_LAST: word being typed
_SYNONYM = 0.95  # an expansion is a guess: the words actually typed win a tie
_MAX_PREFIX = 64  # a one-letter prefix must not pull the whole vocabulary
_LONG_WORD = 6  # from this length a word may hold two typos

_FOLD_TABLE = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})  # NFKD keeps these whole
_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Fold ``text`` for matching: no accents, lowercase, ligatures split, punctuation to spaces.

    >>> fold("L’Œuvre d'Hélène")
    'l oeuvre d helene'
    """
    if not text.isascii():  # most queries are typed without accents: skip the slow part
        decomposed = unicodedata.normalize("NFKD", text.lower().translate(_FOLD_TABLE))
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text.lower()).strip()


def tokens(text: str) -> list[str]:
    """The folded words of ``text`` without French stop words.

    A text made only of stop words keeps them: "de" may be the start of "décès".
    """
    words = fold(text).split()
    kept = [word for word in words if word not in STOP_WORDS]
    return kept if kept else words


def _stem(word: str) -> str:
    """A light French stem so that plural and feminine forms meet: "aidées", "aide" → "aide"."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    while len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


@dataclass(frozen=True)
class Hit:
    """One search result."""

    service: Service
    score: int  # 0-100; 100 = every query word found exactly in the title
    field: str  # "title" | "keywords" | "summary" | "category" | "id" | "popularity"


# A query word: its alternatives (the word itself, then synonym expansions), each a tuple of
# stems that must all match, with the factor applied to its score.
_Term = tuple[tuple[tuple[str, ...], float], ...]


def popularity_order(services: Sequence[Service]) -> tuple[int, ...]:
    """Positions of ``services``, most popular first (then title, then id: stable across runs)."""
    return tuple(sorted(range(len(services)),
                        key=lambda i: (-services[i].popularity, fold(services[i].title), services[i].id)))


def popular(services: Sequence[Service], limit: int, order: tuple[int, ...] | None = None) -> list[Hit]:
    """What an empty query shows: the ``limit`` most common services (no index needed)."""
    order = popularity_order(services) if order is None else order
    return [Hit(services[i], 0, "popularity") for i in order[:max(limit, 0)]]


class Index:
    """An immutable search index over a sequence of services."""

    def __init__(self, services: Sequence[Service]) -> None:
        self._services = tuple(services)
        self._by_popularity = popularity_order(self._services)
        self._rank = [0] * len(self._by_popularity)
        for position, entry in enumerate(self._by_popularity):
            self._rank[entry] = position
        # Per entry and field, the set of stems: used to explain which field matched.
        self._fields: list[tuple[frozenset[str], ...]] = []
        # Inverted index: stem -> {entry: weight of the best field holding it}.
        postings: dict[str, dict[int, float]] = {}
        folded: dict[str, tuple[str, ...]] = {}  # raw word -> stems: catalogs repeat words
        for entry, service in enumerate(self._services):
            per_field = []
            for text in _field_texts(service):
                stems: set[str] = set()
                for raw in text.split():
                    found = folded.get(raw)
                    if found is None:
                        found = folded[raw] = tuple(
                            _stem(w) for w in fold(raw).split() if w not in STOP_WORDS)
                    stems.update(found)
                per_field.append(frozenset(stems))
            self._fields.append(tuple(per_field))
            # Fields come by decreasing weight: the first one holding a stem is its best.
            for weight, field_stems in zip(_WEIGHTS, per_field, strict=True):
                for stem in field_stems:
                    postings.setdefault(stem, {}).setdefault(entry, weight)
        self._postings = postings
        self._vocabulary = sorted(postings)  # for prefix look-ups with bisect
        by_length: dict[int, list[str]] = {}
        for stem in self._vocabulary:
            by_length.setdefault(len(stem), []).append(stem)
        self._by_length = by_length

    @classmethod
    def build(cls, services: Iterable[Service]) -> Index:
        """Build an index from any iterable of services."""
        return cls(tuple(services))

    def __len__(self) -> int:
        return len(self._services)

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        """The ``limit`` services that best match ``query``, best first.

        A blank query returns the most popular services (field "popularity", score 0).
        """
        if limit <= 0:
            return []
        terms = _parse(query)
        if not terms:
            return popular(self._services, limit, self._by_popularity)
        totals: dict[int, float] = {}
        explained: list[list[tuple[str, float]]] = []  # per term: the words it matched
        # The last word is still being typed, unless a space follows it.
        last = -1 if query[-1:].isspace() else len(terms) - 1
        for position, term in enumerate(terms):
            matched: list[tuple[str, float]] = []
            (stems, factor), *expansions = term
            best = self._match_all(stems, position == last, factor, matched)
            for stems, factor in expansions:  # a synonym counts where it beats the word typed
                more = self._match_all(stems, position == last, factor, matched)
                for entry, score in more.items():
                    if score > best.get(entry, 0.0):
                        best[entry] = score
            explained.append(matched)
            if not totals:
                totals = best  # always a fresh dict: adopting it saves a copy
            else:
                get = totals.get
                for entry, score in best.items():
                    totals[entry] = get(entry, 0.0) + score
        # Every query word counts the same: an entry missing one word loses its share.
        return self._top(totals, 100.0 / len(terms), limit, explained)

    # -- matching --------------------------------------------------------------------------

    def _match_all(
        self, stems: tuple[str, ...], is_last: bool, factor: float,
        matched: list[tuple[str, float]],
    ) -> dict[int, float]:
        """Entries holding every stem of an alternative, each scored by its weakest stem."""
        result: dict[int, float] | None = None
        for stem in stems:
            candidates = self._candidates(stem, is_last)
            matched.extend((word, quality * factor) for word, quality in candidates)
            scores = self._scores(candidates)
            if result is not None:  # every stem must match; the weakest one sets the score
                scores = {e: min(s, scores[e]) for e, s in result.items() if e in scores}
            result = scores
            if not result:
                return {}
        assert result is not None
        if factor != 1.0:
            result = {entry: score * factor for entry, score in result.items()}
        return result

    def _candidates(self, stem: str, is_last: bool) -> list[tuple[str, float]]:
        """Vocabulary words matching ``stem``, with a quality: exact > prefix > typo."""
        found: list[tuple[str, float]] = []
        exact = stem in self._postings
        if exact:
            found.append((stem, _EXACT))
        # Prefixes: the slice of the sorted vocabulary that starts with the stem.
        start = bisect_left(self._vocabulary, stem)
        stop = bisect_left(self._vocabulary, stem + "\uffff", start)
        prefixed = self._vocabulary[start + exact:stop]  # the exact word, if any, comes first
        if len(prefixed) > _MAX_PREFIX:
            prefixed = heapq.nsmallest(_MAX_PREFIX, prefixed, key=len)
        quality = _PREFIX_LAST if is_last else _PREFIX
        # A completion close to what was typed ranks above a long one.
        found.extend((word, quality * (0.9 + 0.1 * len(stem) / len(word))) for word in prefixed)
        if not exact and len(stem) >= 4:
            found.extend(self._typos(stem, set(prefixed)))
        return found

    def _typos(self, stem: str, skip: set[str]) -> list[tuple[str, float]]:
        """Vocabulary words within a small edit distance (transpositions count as one)."""
        # Imported here: rapidfuzz costs ~25 ms to import, which start-up need not pay.
        from rapidfuzz import process
        from rapidfuzz.distance import OSA, Levenshtein

        max_distance = 1 if len(stem) < _LONG_WORD else 2
        found: list[tuple[str, float]] = []
        for length in range(len(stem) - max_distance, len(stem) + max_distance + 1):
            words = self._by_length.get(length)
            if not words:
                continue
            # Levenshtein has rapidfuzz's fastest scan; a swap costs 2 there, so scan one wider
            # and keep what the transposition-aware OSA distance accepts.
            for word, _, _ in process.extract(
                stem, words, scorer=Levenshtein.distance, score_cutoff=max_distance + 1,
                limit=None,
            ):
                distance = OSA.distance(stem, word)
                if distance <= max_distance and word not in skip:
                    found.append((word, _FUZZY * (1.0 - 0.1 * (distance - 1))))
        return found

    def _scores(self, candidates: list[tuple[str, float]]) -> dict[int, float]:
        """Best score per entry over the matched vocabulary words (quality x field weight)."""
        if not candidates:
            return {}
        word, quality = candidates[0]
        if quality == _EXACT:  # the common case: copy the postings as they are
            scores = dict(self._postings[word])
            candidates = candidates[1:]
        else:
            scores = {}
        get = scores.get
        for word, quality in candidates:
            for entry, weight in self._postings[word].items():
                score = quality * weight
                if score > get(entry, 0.0):
                    scores[entry] = score
        return scores

    # -- ranking ---------------------------------------------------------------------------

    def _top(
        self, totals: dict[int, float], scale: float, limit: int,
        explained: list[list[tuple[str, float]]],
    ) -> list[Hit]:
        """The best entries by integer score, ties by popularity then title."""
        if not totals:
            return []
        if len(totals) > 4 * limit:
            # Cheap pre-selection in C: everything scoring at or above the limit-th best.
            floor = heapq.nlargest(limit, totals.values())[-1]
            floor_int = int(floor * scale + 0.5)
            threshold = (floor_int - 0.5) / scale - 1e-9
            pool = [entry for entry, total in totals.items() if total >= threshold]
        else:
            pool = list(totals)
        ranked = sorted(
            ((min(100, int(totals[e] * scale + 0.5)), e) for e in pool),
            key=lambda pair: (-pair[0], self._rank[pair[1]]),
        )[:limit]
        return [Hit(self._services[e], score, self._explain(e, explained))
                for score, e in ranked]

    def _explain(self, entry: int, explained: list[list[tuple[str, float]]]) -> str:
        """The field that contributed the most to an entry's score."""
        fields = self._fields[entry]
        best_field, best = FIELDS[0], -1.0
        for matched in explained:
            for word, quality in matched:
                for name, weight, stems in zip(FIELDS, _WEIGHTS, fields, strict=True):
                    if word in stems and quality * weight > best:
                        best_field, best = name, quality * weight
        return best_field


def _field_texts(service: Service) -> tuple[str, ...]:
    """The searchable texts of a service, in the order of ``FIELDS``.

    Benefit codes go with the summary: a service lists the benefits it *concerns* (retirement
    concerns the AAH), so a code alone must not rank it with the services *about* the benefit,
    whose title or keywords name it.
    """
    return (
        service.title,
        " ".join(service.keywords),
        service.id,
        service.category,
        " ".join((service.summary, *service.benefits)),
    )


def _parse(query: str) -> list[_Term]:
    """Split a query into terms, each with its synonym expansions."""
    terms: list[_Term] = []
    for word in tokens(query):
        alternatives: list[tuple[tuple[str, ...], float]] = [((_stem(word),), 1.0)]
        for expansion in SYNONYMS.get(word, ()):
            stems = tuple(_stem(w) for w in tokens(expansion))
            alternatives.append((stems, _SYNONYM))
        terms.append(tuple(alternatives))
    return terms

"""The service search index: find the service in a few keystrokes.

Every field is folded (accents, case, ligatures, punctuation) and tokenised once, when the index
is built. A query is matched word by word against the *vocabulary* of the catalog: exact words
first, then prefixes (the word being typed), then typos through rapidfuzz. Only the vocabulary
words that matched are looked up in an inverted index, so the cost of a query grows with the
vocabulary and with the number of matching entries, not with the size of the catalog.

Words are folded and stemmed (French Snowball: "séparée", "séparation", "séparer" meet) by
:mod:`guichet.domain.words`; prefixes and typos are looked up among the *surface* words, then
mapped to stems. Each service also carries everyday *phrasings* (the person's words), a field of
their own; familiar words ("boulot", "proprio") reach the catalog's through :data:`SYNONYMS`. A
phrasing said whole ("mon bébé est arrivé") scores its words like title words for its service. A
word weighs by its rarity in the catalog (damped inverse entry frequency): "huissier" outweighs
"faire"; negations and numbers add to a score, never dilute it (except a service's own number,
"115"). Below a confidence floor (lower for a long sentence), or when the best service explains
none of the words said (only guessed them), :meth:`Index.lookup` gives no answer but the closest
themes. The texts read (fields, whole phrasings, query terms) come from
:mod:`guichet.domain.search_terms`.

Pure: no disk, no database, no UI. Immutable once built: safe to search from several threads.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from guichet.domain.models import Service
from guichet.domain.search_terms import Term, field_texts, parse, raise_whole_phrasings, whole_phrasings
from guichet.domain.words import STOP_WORDS, SYNONYMS, fold, is_modifier, tokens
from guichet.domain.words import stem as _stem  # the index has its own `stem` locals

# The word handling (fold, tokens, STOP_WORDS, SYNONYMS) is re-exported: callers import it here.
__all__ = ["CONFIDENCE_FLOOR", "LONG_FLOOR", "ONE_WORD_FLOOR", "SENTENCE_FLOOR", "STOP_WORDS", "SYNONYMS",
           "Hit", "Index", "Lookup", "fold", "tokens"]

# A query word scores (match quality x field weight): exact > prefix > typo within a field; a
# word in the title says more than one in the summary. So an exact keyword (0.85) beats a title
# prefix (~0.76), which beats an exact summary word (0.6). Tuned on the query set.
FIELDS = ("title", "keywords", "phrasings", "id", "category", "summary")
_WEIGHTS = (1.0, 0.85, 0.85, 0.75, 0.6, 0.6)  # by decreasing weight: the index relies on the order
_EXACT, _PREFIX_LAST, _PREFIX, _FUZZY = 1.0, 0.8, 0.7, 0.6  # _PREFIX_LAST: word being typed
_MAX_PREFIX = 64  # a one-letter prefix must not pull the whole vocabulary
_LONG_WORD = 6  # from this length a word may hold two typos
_IDF, _MIN_SHARE, _UNKNOWN_SHARE = 0.25, 0.02, 0.02  # see Index._weight
_EXPLAINS = 0.6  # a word explains a service from this score: a typo in a keyword scores 0.51
_MODIFIER = 0.5  # a negation or a number adds half its weight (see _search)
_MIN_TYPO = 5  # shorter words have too many neighbours one letter away ("pain": "paie", "pair")
# A phrasing or keyword said whole ("mon bébé est arrivé", two words or more besides negations and
# numbers): each of its words scores like a title word, the typed words still winning a tie.
_WHOLE_PHRASING, _WHOLE_FIELDS = 0.95, ("keywords", "phrasings")
_SERVICE_NUMBER = 2  # a number of three digits or more written in at most this many entries: "115"

# Below this score (0-100) the best hit is not an answer: "nothing matches well". The score says
# how much of what was said the service explains; a word that matches nowhere ("ma voiture est en
# panne") pulls it under. One word need only be recognised, even with a typo (a keyword's: 51).
CONFIDENCE_FLOOR, ONE_WORD_FLOOR = 52, 50
SENTENCE_FLOOR = 40  # a sentence whose best service explains two words or more (see _search)
# A whole situation told at the counter ("je viens de me séparer, elle est partie avec les
# enfants, je reste seul dans l'appartement") says many words no one service holds: from
# LONG_SENTENCE content words, a lower floor when the best service explains three words or more.
LONG_SENTENCE, LONG_FLOOR, LONG_EXPLAINS = 7, 33, 3


@dataclass(frozen=True)
class Hit:
    """One search result."""

    service: Service
    score: int  # 0-100; 100 = every query word found exactly in the title
    field: str  # "title" | "keywords" | "phrasings" | "summary" | "category" | "id" | "popularity"


@dataclass(frozen=True)
class Lookup:
    """What a search found, and whether it is an answer.

    ``hits``: the services that match well enough to be put forward, best first; empty when
    nothing matches well. ``nearby``: then, the closest themes (the best weak matches, best
    first), to offer as "Rien ne correspond bien ; thèmes proches : …"; empty otherwise.
    """

    hits: tuple[Hit, ...]
    nearby: tuple[Hit, ...] = ()

    @property
    def confident(self) -> bool:
        """Whether the search has answers (``hits``) rather than only nearby themes."""
        return bool(self.hits)


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
        surface: dict[str, str] = {}  # folded word as written -> its stem
        # text -> its stems, and whether two of them are more than negations and numbers
        parsed: dict[str, tuple[frozenset[str], bool]] = {}  # catalogs repeat their texts
        phrases: list[tuple[int, frozenset[str]]] = []  # (entry, stems) of its whole phrasings
        for entry, service in enumerate(self._services):
            per_field = []
            for position, texts in enumerate(field_texts(service)):
                field_stems: frozenset[str] = frozenset()
                for text in texts:
                    known = parsed.get(text)
                    if known is None:
                        words = tokens(text)
                        for word in words:
                            if word not in surface:
                                surface[word] = _stem(word)
                        known = parsed[text] = (
                            frozenset(surface[word] for word in words),
                            len({surface[word] for word in words if not is_modifier(word)}) >= 2)
                    field_stems |= known[0]
                    if known[1] and FIELDS[position] in _WHOLE_FIELDS:
                        phrases.append((entry, known[0]))
                per_field.append(field_stems)
            self._fields.append(tuple(per_field))
            # Fields come by decreasing weight: the first one holding a stem is its best.
            for weight, field_stems in zip(_WEIGHTS, per_field, strict=True):
                for stem in field_stems:
                    postings.setdefault(stem, {}).setdefault(entry, weight)
        self._postings = postings
        self._phrasings = whole_phrasings(phrases, postings)
        self._surface = surface
        self._vocabulary = sorted(surface)  # for prefix look-ups with bisect
        by_length: dict[int, list[str]] = {}
        for word in self._vocabulary:
            by_length.setdefault(len(word), []).append(word)
        self._by_length = by_length

    @property
    def services(self) -> tuple[Service, ...]:
        """The services indexed, in catalog order."""
        return self._services

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
        return self._search(query, limit, parse(query))[0]

    def _search(self, query: str, limit: int, terms: list[Term]) -> tuple[list[Hit], bool]:
        """The hits, and whether the best one is an answer (see :meth:`lookup`)."""
        if limit <= 0:
            return [], False
        if not terms:
            return popular(self._services, limit, self._by_popularity), True
        explained: list[list[tuple[str, float]]] = []  # per term: the words it matched
        per_term: list[dict[int, float]] = []
        # The last word is still being typed, unless a space follows it.
        last = -1 if query[-1:].isspace() else len(terms) - 1
        for position, term in enumerate(terms):
            matched: list[tuple[str, float]] = []
            (words, factor), *expansions = term
            best = self._match_all(words, position == last, factor, matched)
            for words, factor in expansions:  # a synonym counts where it beats the word typed
                more = self._match_all(words, position == last, factor, matched)
                for entry, score in more.items():
                    if score > best.get(entry, 0.0):
                        best[entry] = score
            explained.append(matched)
            per_term.append(best)
        raise_whole_phrasings(self._phrasings, terms, per_term, _WHOLE_PHRASING)
        # A word found in few entries says more than one found in many ("smic" against "aide"):
        # each word weighs its inverse entry frequency, damped. A word found nowhere weighs like
        # a common one: every entry lacks it, and the score says how much of the query is missing.
        weights = [self._weight(len(best)) if best or not term[0][0][0].isdigit() else 0.0
                   for term, best in zip(terms, per_term, strict=True)]  # "800 euros": no theme
        if not any(weights):
            return [], False
        # Numbers and negations ("3", "pas") tell services apart where they are written; they
        # add to a score and take nothing from it (unless the query is nothing else). A number
        # that names a service ("115", "3230") is a theme, not a quantity.
        content = [not is_modifier(term[0][0][0]) or self._is_number_of_a_service(term[0][0][0])
                   for term in terms]
        if not any(content):
            content = [True] * len(terms)
        totals: dict[int, float] = {}
        for weight, best, is_content in zip(weights, per_term, content, strict=True):
            weight = weight if is_content else weight * _MODIFIER
            get = totals.get
            for entry, score in best.items():
                totals[entry] = get(entry, 0.0) + weight * score
        said = sum(w for w, is_content in zip(weights, content, strict=True) if is_content)
        ranked = self._top(totals, 100.0 / (said or sum(weights)), limit)
        hits = [Hit(self._services[e], score, self._explain(e, explained)) for score, e in ranked]
        if not ranked:
            return hits, False
        score, entry = ranked[0]
        # A word explains the service when it is found there, not merely guessed (a typo or the
        # start of a word in the middle of a sentence): an answer explains one word at least.
        found = [best for best, is_content in zip(per_term, content, strict=True) if is_content]
        explains = sum(1 for best in found if best.get(entry, 0.0) >= _EXPLAINS)
        if score >= (ONE_WORD_FLOOR if len(found) == 1 else CONFIDENCE_FLOOR):
            return hits, explains >= 1 or len(found) == 1
        # A sentence dilutes the score: still an answer when the best service explains two of
        # the words said or more (three, from LONG_SENTENCE words, under a lower floor), and at
        # most one word is unknown to the whole catalog.
        unknown = sum(1 for best in found if not best)
        long = len(found) >= LONG_SENTENCE and explains >= LONG_EXPLAINS
        floor = LONG_FLOOR if long else SENTENCE_FLOOR
        if long and unknown == 1:
            # A situation told at length names a place or a thing no service holds ("à l'hôpital
            # de Nanterre"): that one word weighs like the commonest word, not like a missing theme.
            score = round(score * said / (said - self._weight(0) + 1.0))
        return hits, score >= floor and explains >= 2 and unknown <= 1

    def _is_number_of_a_service(self, word: str) -> bool:
        """Whether ``word`` is a phone number the catalog names ("115", "119", "3230"): a theme, not
        a quantity."""
        return (len(word) >= 3 and word.isdigit()
                and 0 < len(self._postings.get(word, ())) <= _SERVICE_NUMBER)

    def _weight(self, found: int) -> float:
        """The weight of a query word found in ``found`` entries: 1 for the most common ones,
        up to about 2 for a word of one entry."""
        size = len(self._services)
        share = found / size if found else _UNKNOWN_SHARE
        return 1.0 + _IDF * math.log(1.0 / max(share, _MIN_SHARE))

    def lookup(self, query: str, limit: int = 10, nearby: int = 3) -> Lookup:
        """Like :meth:`search`, but says when nothing matches well.

        When the best hit scores under :data:`CONFIDENCE_FLOOR` (:data:`ONE_WORD_FLOOR` for one
        word; :data:`SENTENCE_FLOOR`, or :data:`LONG_FLOOR` for a long sentence, when it explains
        enough words and at most one is unknown to the catalog), or explains none of the words
        of a sentence (only guesses them), no hit is an answer: ``hits`` is empty and ``nearby``
        holds the ``nearby`` closest themes instead. A blank query gives the popular services.
        """
        found, confident = self._search(query, max(limit, nearby), parse(query))
        if confident:
            return Lookup(tuple(found[:limit]))
        return Lookup((), tuple(found[:nearby]))

    # -- matching --------------------------------------------------------------------------

    def _match_all(
        self, words: tuple[str, ...], is_last: bool, factor: float,
        matched: list[tuple[str, float]],
    ) -> dict[int, float]:
        """Entries holding every word of an alternative, each scored by its weakest word."""
        result: dict[int, float] | None = None
        for word in words:
            candidates = self._candidates(word, is_last)
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

    def _candidates(self, word: str, is_last: bool) -> list[tuple[str, float]]:
        """Stems matching the folded query ``word``, with a quality: exact > prefix > typo.

        Prefixes and typos are looked up among the words as written in the catalog (what people
        type), then mapped to their stems; the best quality per stem is kept.
        """
        stem = _stem(word)
        exact = stem in self._postings
        best: dict[str, float] = {stem: _EXACT} if exact else {}
        # Prefixes: the slice of the sorted vocabulary that starts with the word typed.
        start = bisect_left(self._vocabulary, word)
        stop = bisect_left(self._vocabulary, word + "\uffff", start)
        prefixed = self._vocabulary[start:stop]
        if len(prefixed) > _MAX_PREFIX:
            prefixed = heapq.nsmallest(_MAX_PREFIX, prefixed, key=len)
        quality = _PREFIX_LAST if is_last else _PREFIX
        # A completion close to what was typed ranks above a long one.
        surface = self._surface
        for longer in prefixed:
            found = surface[longer]
            score = quality * (0.9 + 0.1 * len(word) / len(longer))
            if score > best.get(found, 0.0):
                best[found] = score
        # A stop word typed whole (a query of politeness alone, "comment allez-vous madame") is
        # no misspelling of a catalog word ("madame": "malade").
        if not exact and len(word) >= _MIN_TYPO and word not in STOP_WORDS:
            for found, score in self._typos(word, set(prefixed)):
                if score > best.get(found, 0.0):
                    best[found] = score
        # The exact stem, if any, first (the common case of _scores).
        return sorted(best.items(), key=lambda pair: -pair[1])

    def _typos(self, word: str, skip: set[str]) -> list[tuple[str, float]]:
        """Stems of the vocabulary words within a small edit distance of ``word`` (transpositions
        count as one)."""
        # Imported here: rapidfuzz costs ~25 ms to import, which start-up need not pay.
        from rapidfuzz import process
        from rapidfuzz.distance import OSA, Levenshtein

        max_distance = 1 if len(word) < _LONG_WORD else 2
        found: list[tuple[str, int]] = []
        surface = self._surface
        for length in range(len(word) - max_distance, len(word) + max_distance + 1):
            words = self._by_length.get(length)
            if not words:
                continue
            # Levenshtein has rapidfuzz's fastest scan; a swap costs 2 there, so scan one wider
            # and keep what the transposition-aware OSA distance accepts.
            for other, _, _ in process.extract(
                word, words, scorer=Levenshtein.distance, score_cutoff=max_distance + 1,
                limit=None,
            ):
                distance = OSA.distance(word, other)
                if distance <= max_distance and other not in skip:
                    found.append((surface[other], distance))
        # Only the closest words: one typo away ("chomge": "chomage") beats two ("change").
        closest = min((distance for _, distance in found), default=0)
        quality = _FUZZY * (1.0 - 0.1 * (closest - 1))
        return [(stem, quality) for stem, distance in found if distance == closest]

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

    def _top(self, totals: dict[int, float], scale: float, limit: int) -> list[tuple[int, int]]:
        """The best entries by integer score, ties by popularity then title: (score, entry)."""
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
        # Ranked on the score before it is capped at 100: a negation or a number that adds to
        # a full score ("je touche plus rien") still tells services apart.
        ranked = sorted(((int(totals[e] * scale + 0.5), e) for e in pool),
                        key=lambda pair: (-pair[0], self._rank[pair[1]]))[:limit]
        return [(min(100, score), entry) for score, entry in ranked]

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

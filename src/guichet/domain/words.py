"""French words as the search reads them: folding, stop words, familiar words, stems.

:func:`fold` takes accents, case, ligatures and punctuation off; :func:`tokens` splits a text into
its folded words without French stop words (telling "né", a birth, from the "ne" of a negation;
ungluing the "je" of SMS spellings: "jtouche").
:data:`SYNONYMS` (kept in :mod:`guichet.domain.lexicon`, re-exported here) maps desk shorthand, SMS
spellings, familiar words ("boulot", "proprio", "mec", "virer", "thunes", "gosse") and benefit codes
to the catalog's words; it is read on the query side only. :data:`MODIFIERS` are the negations,
which qualify the words around them; :func:`lacking` finds the thing a person lacks ("plus de
logement"). :func:`stem` gives the French Snowball stem of a folded word (PyStemmer, imported on
first use, with a light fallback when the install is broken), with the irregular forms and the
verb-noun pairs Snowball leaves apart brought together ("reprends": "reprise").

Pure: no disk, no database, no UI. The index lives in :mod:`guichet.domain.search`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from guichet.domain.lexicon import SYNONYMS

__all__ = ["MODIFIERS", "QUANTITIES", "STOP_WORDS", "SYNONYMS", "fold", "is_modifier", "lacking", "stem",
           "tokens"]

# Articles, prepositions, pronouns, auxiliaries and the fillers of speech that people put around
# the words that matter ("je suis", "il me", "svp"), and the days and times they give ("hier",
# "lundi", "la semaine dernière"), which no service is about. Checked on the folded word. Kept on purpose:
# "pas", "plus", "rien" ("apl pas versée" differs from "apl versée"), "dois" ("je dois de
# l'argent"; before a verb it is dropped, see _modal), "déjà" ("j'ai déjà une assistante
# sociale", "j'ai déjà fait une réclamation"), and "né": only the unaccented "ne" of a negation
# is a stop word (see _born).
STOP_WORDS = frozenset({
    "a", "ai", "alors", "aout", "as", "assez", "au", "aujourd", "aussi", "autres", "aux",
    "avais", "avait", "avec", "avez", "avoir", "avons", "avril", "bah", "bcp", "beaucoup",
    "ben", "bonjour", "c", "ca", "car", "ce", "cela", "celle", "celui", "ces", "cet", "cette",
    "ceux", "chez", "chose", "choses", "chui", "ci", "comme", "d", "dans", "de", "decembre",
    "demain", "depuis", "dernier", "derniere", "derriere", "des", "dessous",
    "dimanche", "dire", "dit", "donc", "du", "elle", "elles", "en", "encore", "ensuite", "es",
    "est", "et", "etais", "etait", "ete", "etes", "etre", "eu", "euh", "eux", "fais", "faut",
    "fevrier", "font", "g", "genre", "hein", "hier", "hui", "ici", "il", "ils", "j", "jai",
    "janvier", "je", "jeudi", "jsui", "jsuis", "juillet", "juin", "juste", "l", "la", "le", "les",
    "leur", "leurs", "lui", "lundi", "m", "ma", "madame", "mai", "maintenant", "mais", "mardi",
    "mars", "matin", "me", "merci", "mercredi", "mes", "moi", "mon", "monsieur", "n", "ne",
    "nos", "notre", "nous", "novembre", "octobre", "ok", "okay", "on", "ont", "ou", "par",
    "parce", "passee", "passees", "pendant", "peut", "peux", "pour", "pr",
    "prochain", "prochaine", "puis", "qu", "que", "quelle", "quelles", "quelqu", "quelque",
    "quelques", "quels", "qui", "quoi", "s", "sa", "sais", "samedi", "savoir", "se", "semaine",
    "septembre", "seulement", "ses", "simplement", "si", "soir", "sommes", "son", "sont", "stp", "suis", "sur", "svp",
    "t", "ta", "te", "tes", "toi", "ton", "tous", "tout", "toute", "toutes", "tres", "truc",
    "trucs", "tu", "un", "une", "va", "vais", "vas", "vendredi", "venir", "venu", "venue",
    "vers", "veut", "veux", "viens", "voila", "voir", "vos", "votre", "voudrais", "vous",
    "vraiment", "y",
    # more fillers of speech, vague spans of time, and SMS spellings of the words above
    "bientot", "chuis", "ya", "yen", "sui", "jsp", "tkt", "voudrai", "voudrait", "aimerais",
    "aimerai", "prochainement", "actuellement", "jours", "jour", "fois", "peu", "temps",
    "ke", "ki", "koi", "ds", "tt", "ts", "mm", "pcq", "pck", "dc", "vs", "ns", "depui",
    "autre", "devant", "euros", "euro", "balles",  # "500 euros": an amount, not a theme
    # the politeness and hedges of a whole situation told at the counter ("excusez-moi, je
    # voulais savoir comment..., s'il vous plaît"): rare in the catalog, so they weighed heavily
    "comment", "voulais", "voulait", "voudrions", "excusez", "excuse", "excuser", "plait",
    "pourriez", "pouvez", "pourrais", "pourrait", "entendu", "bonsoir", "allo", "oui", "heu",
    "hum", "bref", "franchement", "enfin", "desole", "desolee", "dites", "savais", "possible",
    "vont", "allez", "allait", "allaient", "disent", "disait", "meme",
    # SMS spellings of greetings, hedges and time words
    "slt", "bjr", "bsr", "mrc", "mci", "dsl", "tjr", "tjrs", "qq", "qqn", "qqun", "qlq", "jcp",
    "jsais", "chais", "chepa", "mtn", "auj", "keske", "oki", "aprem",
    # round 5: the oaths and fillers of Arabic-French speech, a form of address ("ma petite
    # dame"), and adverbs of the catalog's summaries that a typo would otherwise reach ("salon":
    # "selon")
    "wallah", "walla", "wesh", "hamdoulah", "hamdoullah", "inchallah", "starfoullah", "zarma",
    "machi", "dame", "selon", "notamment", "parfois", "partout", "tellement", "vachement",
    "carrement",
    # prepositions of time and place ("après 2 ans de chômage", "contre mon voisin"): in the
    # catalog's summaries, they weighed like themes
    "apres", "avant", "contre", "entre", "jusqu", "jusque", "lorsque", "lors",
    # judgements and vague nouns of speech ("c'est vrai ?", "des gens bizarres", "depuis
    # longtemps"), which no service is about
    "gens", "longtemps", "vrai", "vraie", "faux", "bizarre", "bizarres",
    "machin", "machins",

})
# Negations: kept (they tell "apl pas versée" from "apl versée"), but they only qualify the
# words around them: the search lets them add to a score, never dilute it (numbers alike).
MODIFIERS = frozenset({"pas", "pa", "plus", "rien", "jamais", "no", "not"})  # "money no coming"
# Numbers written out ("depuis deux mois", "mes trois enfants") qualify a situation like digits
# do: they add to a score where the catalog writes them, never dilute it.
QUANTITIES = frozenset({
    "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze",
    "quinze", "vingt", "trente", "cent", "mille",
    # and the spans of time they count ("depuis 2 mois"): a span qualifies a situation, it names
    # none ("enceinte de 2 mois" is a pregnancy); an age ("20 ans") is a theme, not a span
    "mois", "annee", "annees", "semaines",
})

# "né", "née", "nés", "nées": a birth. Typed without its accent, "ne" is a birth after a form
# of "être" ("il est ne") and a negation after a subject ("je ne", "il ne").
_BORN_FOLDED = {"nee": "ne", "nes": "ne", "nees": "ne"}  # "né" in any gender and number
_ETRE = frozenset({"est", "suis", "es", "sont", "etait", "etaient", "ete", "soit", "sera"})
_SUBJECTS = frozenset({"je", "j", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles",
                       "ca", "ce", "c", "cela", "qui"})


_FOLD_TABLE = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})  # NFKD keeps these whole
_NON_WORD = re.compile(r"[^a-z0-9]+")
_BORN_ACCENTED = re.compile(r"(?<![^\W_])née?s?(?![^\W_])")  # né, née, nés, nées


def fold(text: str) -> str:
    """Fold ``text`` for matching: no accents, lowercase, ligatures split, punctuation to spaces.

    >>> fold("L’Œuvre d'Hélène")
    'l oeuvre d helene'
    """
    if not text.isascii():  # most queries are typed without accents: skip the slow part
        text = text.lower()
        if "œ" in text or "æ" in text or "ß" in text:  # translate() is slow: only when needed
            text = text.translate(_FOLD_TABLE)
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text.lower()).strip()


def tokens(text: str) -> list[str]:
    """The folded words of ``text`` without French stop words.

    "né" (a birth) is kept as "ne"; the "ne" of a negation is dropped. A text made only of stop
    words keeps them: "de" may be the start of "décès".
    """
    lowered = text.lower()
    if "né" in lowered:  # the accent tells a birth from a negation: mark it before folding
        lowered = _BORN_ACCENTED.sub("nee", lowered)
    folded = fold(lowered)
    if " " in folded:  # set phrases of speech whose words would read as themes
        folded = _FILLER_PHRASES.sub(" ", f" {folded} ")
        folded = _IDIOMS.sub(lambda match: _IDIOM_WORDS[match.group(1)], folded)
    words = [_unelided(word) for word in folded.split()]
    kept = []
    for position, word in enumerate(words):
        if word in _BORN_FOLDED:
            kept.append("ne")
        elif word in _MUST and _modal(words, position):
            continue
        elif word not in STOP_WORDS or (word == "ne" and _born(words, position)):
            kept.append(word)
    # Only stop words: kept, those left around a set phrase ("merci au revoir": "merci"), or all
    # of them when nothing else is said ("de la part").
    return kept or words or fold(lowered).split()


# Set phrases of speech, on the folded text: "de la part de ma voisine" is not a share, "du coup"
# is not a blow ("des coups": violence), "en fait" is not a fact, "je m'adresse à qui" is no
# change of address.
_FILLER_PHRASES = re.compile(
    r" (?:de la part|du coup|d un coup|en fait|au fait|s il vous plait|s il te plait|c est a dire"
    r"|tout a fait|quand meme|par contre|au revoir"
    r"|(?:m|t|s|vous|nous) adress(?:e|es|er|ez|ons))(?= )")  # "à qui je m'adresse": no address
# Idioms whose words would read as other themes: "un coup de pouce" is help, not a blow (nor a
# cut-off: "coup" meets "coupure"); "petit à petit" is in instalments, not a child.
_IDIOM_WORDS = {
    "coup de pouce": "aide", "coup de main": "aide", "petit a petit": "plusieurs fois",
    "peu a peu": "plusieurs fois",
    # "ils ont arrêté de me payer": a payment stopped, not an "arrêt" (de travail, maladie)
    **{f"{verb} de {me}{pay}": "plus verse" for verb in ("arrete", "arretent", "arreter")
       for me in ("", "me ", "nous ") for pay in ("payer", "verser")},
}
_IDIOMS = re.compile(r"(?<= )(" + "|".join(_IDIOM_WORDS) + r")(?= )")
# "Devoir" before a verb is "must" ("qu'est-ce que je dois faire", "je dois déclarer"), not a
# debt ("je dois de l'argent", "je dois 300 euros"): dropped then (see _modal).
_MUST = frozenset({"dois", "doit", "doivent", "devais", "devait", "devrais", "devrait"})


def _modal(words: list[str], position: int) -> bool:
    """Whether the form of "devoir" at ``position`` comes before an infinitive (stop words
    between them: "je dois encore le payer")."""
    after = next((word for word in words[position + 1:] if word not in STOP_WORDS), "")
    return len(after) > 3 and after.isalpha() and after.endswith(("er", "ir", "re", "oir"))


# "plus de logement", "pas d'argent", "plus un rond", "aucune ressource": the thing lacked, which the catalog
# writes "sans logement", "sans aucune ressource" (see lacking).
_LACKING = re.compile(r"\b(?:(?:pas|plus|jamais) (?:de|d|une?)|aucune?) ([a-z]+)")


def lacking(text: str) -> frozenset[str]:
    """The folded words of ``text`` that name a thing lacked: after "pas de", "plus de", "jamais
    de", "plus un", "aucun", "aucune" ("j'ai plus de logement": "logement"; "plus un rond")."""
    folded = fold(text)
    if "pas" not in folded and "plus" not in folded and "aucun" not in folded and "jamais" not in folded:
        return frozenset()
    return frozenset(word for word in _LACKING.findall(folded) if word not in STOP_WORDS)


def _unelided(word: str) -> str:
    """The word of an SMS spelling that glues "je" to it ("jtouche", "jcomprends"): no French
    word starts with "j" and a consonant."""
    if len(word) > 3 and word[0] == "j" and word[1] not in "aeiouyh" and word not in STOP_WORDS:
        return word[1:]
    return word


def is_modifier(word: str) -> bool:
    """Whether a folded query word only qualifies the others: a negation or a number (in digits
    or written out)."""
    return word.isdigit() or word in MODIFIERS or word in QUANTITIES


def _born(words: list[str], position: int) -> bool:
    """Whether the unaccented "ne" at ``position`` is "né" rather than a negation's "ne"."""
    before = words[position - 1] if position else ""
    if before in _ETRE:  # "il est ne"
        return True
    # Last word, not after a subject: "bebe ne" (a negation is never last: "je ne" is typing).
    return position == len(words) - 1 and position > 0 and before not in _SUBJECTS


# Forms of one word that Snowball leaves apart (irregular verbs, -ure and -ment nouns): each
# stem on the left is read as the one on the right.
_SAME_STEM = {
    "pay": "pai",  # payé, payée / payer, paie, paiement
    "dor": "dorm", "dort": "dorm",  # dors, dort / dormir
    "perdr": "perdu", "perd": "perdu", "pert": "perdu",  # perdre, perd, perte / perdu
    "bat": "battu", "battr": "battu",  # bat, battre / battu, battue
    "coupur": "coup",  # coupure / couper, coupé
    "dec": "deced",  # décès / décédé
    "naitr": "naissanc",  # naître / naissance
    "licenc": "licenci",  # licencié / licenciement
    "recois": "recu", "recoit": "recu", "recevoir": "recu", "recev": "recu",  # recevoir / reçu
    "mour": "mort", "meurt": "mort",  # mourir, meurt / mort
    "violent": "violenc",  # violent / violence
    "ret": "retir",  # retirent / retirer, retiré
    "attent": "attend",  # attente / attendre, attends
    "reconnaitr": "reconnaiss", "reconnu": "reconnaiss",  # reconnaître, reconnu / reconnaissance
    # round 5: the verb said, the noun written (« je reprends le travail »: « Reprise d'un emploi »)
    "reprendr": "repris", "reprend": "repris", "repr": "repris", "repren": "repris",
    "reprenn": "repris",  # reprendre, reprends, repris / reprise
    "inscrir": "inscript", "inscris": "inscript", "inscrit": "inscript",  # s'inscrire / inscription
    "ecrir": "ecrit",  # écrire / écrit
    "comprendr": "comprend", "comprehens": "comprend",  # comprendre / comprends, compréhension
    "suspens": "suspendu",  # suspension / suspendu
    "connect": "connexion",  # se connecter / connexion
    "attendr": "attend",  # attendre / attends, attente
    "envoy": "envoi",  # envoyer, envoyé / envoi
    "nourr": "nourritur",  # nourrir / nourriture
    "endet": "det",  # endetté, endettement / dette
    "mettr": "mis", "met": "mis",  # mettre, met / mis, mise ("on se met en couple")
}
# Words whose Snowball stem is another word's: read as given ("café" is not the Caf, "marié"
# is not "mari").
_WORD_STEM = {"cafe": "cafe", "cafes": "cafe", "marie": "mariag", "mariee": "mariag",
              "maries": "mariag", "mariees": "mariag", "marier": "mariag"}

_stemmer: Callable[[str], str] | None = None
_stems: dict[str, str] = {}  # folded word -> stem; catalogs and queries repeat their words


def stem(word: str) -> str:
    """The stem of a folded word: French Snowball, then trailing "e"s off (so that the folded
    "separee" and "separe" meet "separer"). Words of three letters or fewer (APL, ARS, ALS, CAF)
    are codes more often than words: kept whole."""
    stemmed = _stems.get(word)
    if stemmed is None:
        if word in _WORD_STEM:
            stemmed = _WORD_STEM[word]
        elif len(word) <= 3 or not word.isalpha():
            stemmed = word
        else:
            stemmed = _french_stemmer()(word)
            while len(stemmed) > 3 and stemmed.endswith("e"):
                stemmed = stemmed[:-1]
            stemmed = _SAME_STEM.get(stemmed, stemmed)
        if len(_stems) < 200_000:  # bounded: a query is free text
            _stems[word] = stemmed
    return stemmed


def _french_stemmer() -> Callable[[str], str]:
    global _stemmer
    if _stemmer is None:
        try:
            import Stemmer  # PyStemmer: the Snowball stemmers compiled (about 1 µs a word)
        except ImportError:  # a broken install (a DLL missing on Windows): search still works
            _stemmer = _light_stem
        else:
            _stemmer = Stemmer.Stemmer("french", 0).stemWord  # 0: our own cache above
    return _stemmer


def _light_stem(word: str) -> str:
    """The fallback without PyStemmer: plural and feminine endings off ("aidées" → "aid")."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word

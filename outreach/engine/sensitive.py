"""The sensitive-terms guard: a text that would show a condition or treatment on a lock screen is not sent.

SMS bodies and email subjects are visible to anyone who glances at a phone. The list is configurable
(OUTREACH_SENSITIVE_TERMS, comma-separated). The name messages give the clinic (cms.clinic.messaging_name) is exempt,
since a reminder must name the clinic, but only while it reveals nothing itself: an exempt phrase that contains a
sensitive term ("Ketamine Center of ...") is not exempt, so it blocks the message like any other.

Spanish: the built-in list holds the Spanish words too (cáncer, dolor, depresión, ketamina, TEPT...), and terms and
text are compared with accents folded ("depresion" and "DEPRESIÓN" both match "depresión"), so a configured list
needs each word once, with or without its accents.
"""

import functools
import re
import unicodedata

from django.conf import settings

DEFAULT_TERMS = (
    "cancer",
    "oncology",
    "tumor",
    "tumour",
    "chemo",
    "chemotherapy",
    "pain",
    "depression",
    "depressed",
    "ptsd",
    "trauma",
    "suicide",
    "suicidal",
    "anxiety",
    "bipolar",
    "mental health",
    "psychiatric",
    "ketamine",
    "esketamine",
    "spravato",
    "infusion",
    "opioid",
    "benzodiazepine",
    "antidepressant",
    "overdose",
    "addiction",
    "hiv",
    "diagnosis",
    # Spanish (accents optional: text and terms are folded before comparing).
    "cáncer",
    "oncología",
    "tumor",
    "tumores",
    "quimio",
    "quimioterapia",
    "dolor",
    "dolores",
    "depresión",
    "deprimido",
    "deprimida",
    "tept",
    "trauma",
    "traumas",
    "suicidio",
    "suicida",
    "ansiedad",
    "bipolar",
    "salud mental",
    "psiquiátrico",
    "psiquiátrica",
    "psiquiatría",
    "ketamina",
    "esketamina",
    "infusión",
    "infusiones",
    "opioide",
    "opioides",
    "benzodiacepina",
    "antidepresivo",
    "antidepresivos",
    "sobredosis",
    "adicción",
    "vih",
    "diagnóstico",
)


def fold_characters(text):
    """Lower case, compatibility forms and accents folded: "DEPRESIÓN" -> "depresion"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def terms():
    """The configured terms as written (lower case), each once."""
    return list(dict.fromkeys(term.strip().lower() for term in (settings.OUTREACH_SENSITIVE_TERMS or DEFAULT_TERMS)))


@functools.lru_cache(maxsize=8)
def _patterns(configured):
    """(term, its whole-word pattern) for each term whose folded form is new, in the list's order: folded and
    compiled once per list of terms, not for every message (they were 2 ms of a send)."""
    patterns, seen = [], set()
    for term in dict.fromkeys(term.strip().lower() for term in configured):
        folded = fold_characters(term)
        if folded not in seen:
            seen.add(folded)
            patterns.append((term, re.compile(rf"(?<![a-z]){re.escape(folded)}(?![a-z])")))
    return tuple(patterns)


@functools.lru_cache(maxsize=64)
def _exempt_pattern(phrase, configured):
    """The pattern removing an exempt phrase, or None when the phrase itself holds a sensitive term (then it is not
    exempt)."""
    if not phrase or _found(fold_characters(phrase), configured):
        return None
    return re.compile(re.escape(fold_characters(phrase)))


_WORD = re.compile(r"[a-z]+")


@functools.lru_cache(maxsize=8)
def _by_first_word(configured):
    """{a term's first word: [(term, pattern)]}: a whole-word match of a term starts with its first word standing
    as a whole word in the text, so only the terms whose first word the text holds need their pattern searched
    (most texts hold none: one pass over the text instead of a search per term). Terms that start with no letter
    are under ""."""
    index = {}
    for term, pattern in _patterns(configured):
        first = _WORD.match(fold_characters(term))
        index.setdefault(first.group() if first else "", []).append((term, pattern))
    return index


def _found(cleaned, configured):
    index = _by_first_word(configured)
    words = set(_WORD.findall(cleaned))
    words.add("")
    candidates = {term for word in words for term, _pattern in index.get(word, ())}
    if not candidates:
        return []
    return [term for term, pattern in _patterns(configured) if term in candidates and pattern.search(cleaned)]


def find_terms(text, *, exempt=()):
    """Sensitive terms found in `text` (whole words, any case, accents ignored), after removing the exempt phrases.
    Each is named as the list writes it ("depresión" for "DEPRESION")."""
    configured = tuple(settings.OUTREACH_SENSITIVE_TERMS or DEFAULT_TERMS)
    cleaned = fold_characters(text or "")
    for phrase in exempt:
        pattern = _exempt_pattern(phrase, configured)
        if pattern is not None:
            cleaned = pattern.sub(" ", cleaned)
    return _found(cleaned, configured)


def visible_text(channel, body, subject):
    """What a lock screen shows: the SMS body, or the email subject."""
    return body if channel == "sms" else subject

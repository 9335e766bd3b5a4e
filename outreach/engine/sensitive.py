"""The sensitive-terms guard: a text that would show a condition or treatment on a lock screen is not sent.

SMS bodies and email subjects are visible to anyone who glances at a phone. The list is configurable
(OUTREACH_SENSITIVE_TERMS, comma-separated). The name messages give the clinic (cms.clinic.messaging_name) is exempt,
since a reminder must name the clinic, but only while it reveals nothing itself: an exempt phrase that contains a
sensitive term ("Ketamine Center of ...") is not exempt, so it blocks the message like any other.

Spanish: the built-in list holds the Spanish words too (cáncer, dolor, depresión, ketamina, TEPT...), and terms and
text are compared with accents folded ("depresion" and "DEPRESIÓN" both match "depresión"), so a configured list
needs each word once, with or without its accents.
"""

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


def find_terms(text, *, exempt=()):
    """Sensitive terms found in `text` (whole words, any case, accents ignored), after removing the exempt phrases.
    Each is named as the list writes it ("depresión" for "DEPRESION")."""
    cleaned = fold_characters(text or "")
    for phrase in exempt:
        if phrase and not find_terms(phrase):
            cleaned = re.sub(re.escape(fold_characters(phrase)), " ", cleaned)
    found = {}
    for term in terms():
        folded = fold_characters(term)
        if folded not in found.values() and re.search(rf"(?<![a-z]){re.escape(folded)}(?![a-z])", cleaned):
            found[term] = folded
    return list(found)


def visible_text(channel, body, subject):
    """What a lock screen shows: the SMS body, or the email subject."""
    return body if channel == "sms" else subject

"""The sensitive-terms guard: a text that would show a condition or treatment on a lock screen is not sent.

SMS bodies and email subjects are visible to anyone who glances at a phone. The list is configurable
(OUTREACH_SENSITIVE_TERMS, comma-separated). The name messages give the clinic (cms.clinic.messaging_name) is exempt,
since a reminder must name the clinic, but only while it reveals nothing itself: an exempt phrase that contains a
sensitive term ("Ketamine Center of ...") is not exempt, so it blocks the message like any other.
"""

import re

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
)


def terms():
    return [term.lower() for term in (settings.OUTREACH_SENSITIVE_TERMS or DEFAULT_TERMS)]


def find_terms(text, *, exempt=()):
    """Sensitive terms found in `text` (whole words, any case), after removing the exempt phrases."""
    cleaned = text or ""
    for phrase in exempt:
        if phrase and not find_terms(phrase):
            cleaned = re.sub(re.escape(phrase), " ", cleaned, flags=re.IGNORECASE)
    lowered = cleaned.lower()
    return [term for term in terms() if re.search(rf"(?<![a-z]){re.escape(term)}(?![a-z])", lowered)]


def visible_text(channel, body, subject):
    """What a lock screen shows: the SMS body, or the email subject."""
    return body if channel == "sms" else subject

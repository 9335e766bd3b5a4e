"""The language of a patient's messages: which languages the clinic sends in, which one a contact gets, and dates
and times written in it.

- The clinic sends in the languages of `OUTREACH_LANGUAGES` (en, es); its default among them is chosen in
  Settings > Clinic (`ClinicSettings.default_language`).
- A contact's `language` is empty until someone chooses one: the booking system (`language` column or field), the
  patient on the preference page, staff on the contact's page, or the patient texting a Spanish keyword. Until then
  the patient gets the clinic's default, so changing the default moves everyone who never chose.
- Dates and times are written from CLDR through Babel ("martes, 1 de diciembre", "2:30 p. m."), the data every
  platform's calendar uses, rather than patterns of our own.
"""

import unicodedata

from babel.dates import format_datetime
from django.conf import settings
from django.core.exceptions import ValidationError

# Every language with built-in texts (keyword and crisis answers, email footers): OUTREACH_LANGUAGES chooses among
# these. Names are in the language itself, as a patient looks for theirs.
NAMES = {"en": "English", "es": "Español"}
# Other ways a booking system writes a language: its English name, with or without accents, any case.
ALIASES = {"english": "en", "ingles": "en", "spanish": "es", "espanol": "es", "castellano": "es"}
DATE_FORMATS = {"en": "EEEE, MMMM d", "es": "EEEE, d 'de' MMMM"}
TIME_FORMAT = "h:mm a"
# CLDR puts no-break spaces in "p. m.": outside the GSM alphabet, one would make a text UCS-2 (half the length per
# segment), so they become plain spaces.
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})


def codes():
    return list(settings.OUTREACH_LANGUAGES)


def choices():
    return [(code, NAMES[code]) for code in codes()]


def name(code):
    return NAMES.get(code, code)


def normalise(value):
    """A language as a code of OUTREACH_LANGUAGES ("es" from "es", "ES", "es-MX", "Spanish", "Español"), "" for
    blank. Raises ValidationError for anything else, naming the languages accepted."""
    text = unicodedata.normalize("NFKD", str(value or "")).encode("ascii", "ignore").decode().strip().lower()
    if not text:
        return ""
    code = ALIASES.get(text, text.replace("_", "-").split("-")[0])
    if code not in codes():
        # The value is not repeated: in an import, a shifted column may put a phone number here.
        raise ValidationError(f"unknown language: use one of {', '.join(codes())} (or leave it blank)")
    return code


def default_language(clinic=None):
    """The clinic's default language of messages, when it is one the deployment sends in."""
    if clinic is None:
        from cms.clinic import get_clinic_settings

        clinic = get_clinic_settings()
    chosen = getattr(clinic, "default_language", "") or ""
    return chosen if chosen in codes() else codes()[0]


def of(contact, clinic=None):
    """The language a contact's messages are written in."""
    chosen = getattr(contact, "language", "") if contact is not None else ""
    return chosen if chosen in codes() else default_language(clinic)


def format_date(moment, zone, language):
    """ "Tuesday, December 1" / "martes, 1 de diciembre", in the patient's zone."""
    local = moment.astimezone(zone)
    pattern = DATE_FORMATS.get(language, DATE_FORMATS["en"])
    return format_datetime(local, pattern, tzinfo=zone, locale=language).translate(_SPACES)


def format_time(moment, zone, language):
    """ "2:30 PM EST" / "2:30 p. m. EST", in the patient's zone (the zone's abbreviation, as calendars show it)."""
    local = moment.astimezone(zone)
    return f"{format_datetime(local, TIME_FORMAT, tzinfo=zone, locale=language).translate(_SPACES)} {local.tzname()}"

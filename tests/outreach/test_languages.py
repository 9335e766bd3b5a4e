"""Languages of messages: which the clinic sends, which a contact gets, and dates and times written in each."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

from cms.clinic import get_clinic_settings
from outreach import languages
from outreach.engine.sms_segments import encoding
from outreach.models import Contact

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
# Tuesday 1 December 2026, 2:30 PM in New York.
VISIT = datetime.datetime(2026, 12, 1, 19, 30, tzinfo=datetime.UTC)


def test_dates_and_times_are_written_in_the_patients_language():
    assert languages.format_date(VISIT, NEW_YORK, "es") == "martes, 1 de diciembre"
    assert languages.format_time(VISIT, NEW_YORK, "es") == "2:30 p. m. EST"
    assert languages.format_date(VISIT, NEW_YORK, "en") == "Tuesday, December 1"
    assert languages.format_time(VISIT, NEW_YORK, "en") == "2:30 PM EST"
    morning = VISIT.replace(hour=14, minute=5)  # 9:05 in New York
    assert languages.format_time(morning, NEW_YORK, "es") == "9:05 a. m. EST"


@pytest.mark.parametrize("day", range(7))
def test_spanish_dates_keep_texts_in_the_gsm_alphabet_where_spanish_allows(day):
    """CLDR writes "p. m." with no-break spaces, outside GSM-7: they become spaces, so a time never makes a text
    UCS-2. Day names keep their accents ("sábado" is UCS-2: a cost of correct Spanish, counted by the preview)."""
    moment = VISIT + datetime.timedelta(days=day)
    assert encoding(languages.format_time(moment, NEW_YORK, "es")) == "GSM-7"
    date = languages.format_date(moment, NEW_YORK, "es")
    assert "\u00a0" not in date and "\u202f" not in date


@pytest.mark.parametrize(
    ("given", "expected"),
    [("es", "es"), ("ES", "es"), (" es-MX ", "es"), ("es_US", "es"), ("Spanish", "es"), ("Español", "es"),
     ("espanol", "es"), ("en", "en"), ("en-US", "en"), ("English", "en"), ("", ""), (None, "")],
)  # fmt: skip
def test_a_language_is_read_however_a_booking_system_writes_it(given, expected):
    assert languages.normalise(given) == expected


@pytest.mark.parametrize("given", ["fr", "klingon", "e", "español!"])
def test_an_unknown_language_is_refused_naming_the_languages_accepted(given):
    with pytest.raises(ValidationError) as caught:
        languages.normalise(given)
    assert "use one of en, es" in caught.value.messages[0]


@pytest.mark.django_db
def test_a_contact_without_a_language_gets_the_clinics_default():
    clinic = get_clinic_settings()
    contact = Contact(first_name="Ana")
    assert languages.of(contact) == "en"
    clinic.default_language = "es"
    clinic.save()
    assert languages.of(contact) == "es" and contact.language_label == "Default (Español)"
    contact.language = "en"
    assert languages.of(contact) == "en" and contact.language_label == "English"


@pytest.mark.django_db
def test_a_default_the_deployment_no_longer_sends_in_falls_back_to_the_first_language(settings):
    clinic = get_clinic_settings()
    clinic.default_language = "es"
    clinic.save()
    settings.OUTREACH_LANGUAGES = ["en"]
    assert languages.default_language() == "en"
    assert languages.of(Contact(first_name="Ana", language="es")) == "en"


def test_outreach_languages_outside_the_built_in_texts_stop_the_process(monkeypatch):
    import importlib

    import config.settings.base as base

    monkeypatch.setenv("OUTREACH_LANGUAGES", "en,fr")
    with pytest.raises(ImproperlyConfigured, match="OUTREACH_LANGUAGES"):
        importlib.reload(base)
    monkeypatch.delenv("OUTREACH_LANGUAGES")
    importlib.reload(base)

"""One-click unsubscribe (RFC 8058) and the preference page, reached by a signed per-contact link."""

import base64
import datetime
import time
from unittest import mock

import pytest
from django.core import signing
from django.test import Client

from outreach.consent import ledger as consent
from outreach.consent import links
from outreach.engine.composer import build_context, compose
from outreach.models import Channel, MessageStatus, Purpose
from tests.outreach.factories import make_campaign, make_consultation, make_contact, sent_sms_row, set_clinic

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clinic(settings):
    settings.PUBLIC_BASE_URL = "https://clinic.example"
    return set_clinic(postal_address="1 Example Way\nMilford, CT 06460")


@pytest.fixture
def patient():
    contact = make_contact(first_name="Robin", last_name="Quill")
    consent.record_consent(contact, Channel.EMAIL, Purpose.EDUCATION, True, "admin", wording="test")
    return contact


def unsubscribe_path(contact):
    return f"/u/{links.make_token(contact)}/"


def preferences_path(contact):
    return f"/preferences/{links.make_token(contact)}/"


def email_revoked_everywhere(contact, source="unsubscribe_link"):
    return all(
        not consent.has_consent(contact, Channel.EMAIL, purpose)
        and consent.latest(contact, Channel.EMAIL, purpose).source == source
        for purpose in Purpose.values
    )


# -- Email headers and footer ----------------------------------------------------------------------------------


def test_every_email_carries_the_one_click_headers_and_a_footer_with_address_and_link(patient):
    step = make_campaign(steps=[{"send_email": True}]).steps.first()
    visit = make_consultation(patient)
    email = compose(step, patient, Channel.EMAIL, build_context(patient, visit), reference="1")
    assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = email.headers["List-Unsubscribe"].strip("<>")
    assert url.startswith("https://clinic.example/u/")
    assert links.read_token(url.rsplit("/", 2)[1]) == patient
    for part in (email.text, email.html):
        assert "1 Example Way" in part and url in part


# -- Unsubscribe --------------------------------------------------------------------------------------------------


def test_get_shows_a_confirmation_page_and_changes_nothing(client, patient):
    response = client.get(unsubscribe_path(patient))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Robin" in page and "Quill" not in page and str(patient.email) not in page
    assert 'method="post"' in page and "Test Clinic" in page
    assert response["Referrer-Policy"] == "no-referrer" and "no-store" in response["Cache-Control"]
    assert consent.has_consent(patient, Channel.EMAIL, Purpose.CARE)


def test_one_click_post_unsubscribes_without_login_or_csrf_token(patient):
    pending = sent_sms_row(sid="", status=MessageStatus.SCHEDULED, contact=patient, channel=Channel.EMAIL)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        unsubscribe_path(patient),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert email_revoked_everywhere(patient)
    assert "One-click" in consent.latest(patient, Channel.EMAIL, Purpose.CARE).wording
    assert consent.has_consent(patient, Channel.SMS, Purpose.CARE)  # texts are another choice
    pending.refresh_from_db()
    assert pending.status == MessageStatus.CANCELLED


def test_the_page_button_unsubscribes_too_and_twice_is_harmless(patient):
    client = Client(enforce_csrf_checks=True)
    assert client.post(unsubscribe_path(patient)).status_code == 200
    assert client.post(unsubscribe_path(patient)).status_code == 200
    assert email_revoked_everywhere(patient)
    assert patient.consent_records.filter(channel=Channel.EMAIL, granted=False).count() == len(Purpose.values)


# -- Bad tokens ---------------------------------------------------------------------------------------------------


def altered_to_reach(token, other):
    """The token with its payload rewritten to name another contact, keeping the original signature."""
    payload, timestamp, signature = token.rsplit(":", 2)
    forged = base64.urlsafe_b64encode(signing.JSONSerializer().dumps([other.pk, other.link_version])).rstrip(b"=")
    return f"{forged.decode()}:{timestamp}:{signature}"


def bad_tokens(patient, other):
    token = links.make_token(patient)
    return {
        "garbage": "not-a-token",
        "truncated": token[:-3],
        "wrong signature": token[:-1] + ("A" if token[-1] != "A" else "B"),
        "another contact": altered_to_reach(token, other),
        "other key": signing.dumps([patient.pk, patient.link_version], key="x" * 50, salt=links.SALT),
        "other salt": signing.dumps([patient.pk, patient.link_version], salt="something.else"),
    }


@pytest.mark.parametrize(
    "kind", ["garbage", "truncated", "wrong signature", "another contact", "other key", "other salt"]
)
@pytest.mark.parametrize("page", ["u", "preferences"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_forged_or_altered_tokens_get_a_clear_400_page_and_change_nothing(patient, kind, page, method):
    other = make_contact()
    token = bad_tokens(patient, other)[kind]
    client = Client()
    response = getattr(client, method)(f"/{page}/{token}/")
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    assert consent.has_consent(patient, Channel.EMAIL, Purpose.CARE)
    assert consent.has_consent(other, Channel.EMAIL, Purpose.CARE)


def test_a_revoked_link_stops_working(client, patient):
    path = unsubscribe_path(patient)
    patient.link_version += 1
    patient.save()
    assert client.get(path).status_code == 400
    assert client.post(path).status_code == 400
    assert consent.has_consent(patient, Channel.EMAIL, Purpose.CARE)
    assert client.get(unsubscribe_path(patient)).status_code == 200  # a new link works


def token_made_days_ago(contact, days):
    then = time.time() - datetime.timedelta(days=days).total_seconds()
    with mock.patch("django.core.signing.time.time", return_value=then):
        return links.make_token(contact)


def test_a_59_day_old_link_still_works(client, patient):
    token = token_made_days_ago(patient, 59)
    assert client.get(f"/u/{token}/").status_code == 200
    assert client.post(f"/u/{token}/", data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert email_revoked_everywhere(patient)


def test_a_link_past_its_maximum_age_is_refused(client, patient):
    token = token_made_days_ago(patient, links.LINK_MAX_AGE.days + 1)
    assert client.get(f"/u/{token}/").status_code == 400


# -- Preferences ---------------------------------------------------------------------------------------------------


def test_the_preference_page_shows_a_checkbox_per_purpose_and_channel_with_current_choices(client, patient):
    response = client.get(preferences_path(patient))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('type="checkbox"') == 4
    assert 'name="email__education" checked' in page and 'name="sms__care" checked' in page
    assert 'name="sms__education">' in page  # not consented: unticked
    assert "Robin" in page and "Quill" not in page and "csrfmiddlewaretoken" in page


def test_saving_preferences_records_each_change_with_the_wording_shown(patient):
    client = Client(enforce_csrf_checks=True)
    path = preferences_path(patient)
    page = client.get(path)
    csrf = page.cookies["csrftoken"].value
    response = client.post(path, data={"csrfmiddlewaretoken": csrf, "sms__care": "on", "sms__education": "on"})
    assert response.status_code == 302
    assert consent.has_consent(patient, Channel.SMS, Purpose.CARE)
    assert consent.has_consent(patient, Channel.SMS, Purpose.EDUCATION)
    assert not consent.has_consent(patient, Channel.EMAIL, Purpose.CARE)
    assert not consent.has_consent(patient, Channel.EMAIL, Purpose.EDUCATION)
    record = consent.latest(patient, Channel.SMS, Purpose.EDUCATION)
    assert record.source == "preference_link" and "Text messages" in record.wording and "ticked" in record.wording
    revoked = consent.latest(patient, Channel.EMAIL, Purpose.CARE)
    assert revoked.source == "preference_link" and "unticked" in revoked.wording
    assert consent.latest(patient, Channel.SMS, Purpose.CARE).source == "admin"  # unchanged: nothing recorded
    assert "Saved" in client.get(response["Location"]).content.decode()


def test_the_preference_form_needs_its_csrf_token(patient):
    client = Client(enforce_csrf_checks=True)
    response = client.post(preferences_path(patient), data={"sms__care": "on"})
    assert response.status_code == 403
    assert consent.has_consent(patient, Channel.EMAIL, Purpose.CARE)


def test_a_patient_can_opt_back_in_after_unsubscribing(patient):
    client = Client()
    client.post(unsubscribe_path(patient), data={"List-Unsubscribe": "One-Click"})
    client.post(preferences_path(patient), data={"email__care": "on", "sms__care": "on"})
    assert consent.has_consent(patient, Channel.EMAIL, Purpose.CARE)
    assert not consent.has_consent(patient, Channel.EMAIL, Purpose.EDUCATION)


def test_only_channels_with_an_address_are_offered(client):
    contact = make_contact(phone=None)
    page = client.get(preferences_path(contact)).content.decode()
    assert "sms__care" not in page and "email__care" in page

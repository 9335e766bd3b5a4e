"""The public subscribe endpoint and double opt-in."""

import re

import pytest
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient

from outreach.consent.ledger import has_consent
from outreach.followups.subscriptions import confirm, confirmation_url
from outreach.models import Channel, ConsentRecord, Contact, Purpose, Subscription
from tests.cms.factories import make_topic

pytestmark = pytest.mark.django_db
URL = "/api/outreach/v1/subscriptions/"
WORDING = "Yes, send me occasional articles about the topics I chose. I can unsubscribe at any time."


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def subscribe(api, **body):
    payload = {"email": "reader@example.com", "topics": ["ptsd"], "consent_wording": WORDING}
    payload.update(body)
    return api.post(URL, payload, format="json")


def test_subscribing_records_a_pending_request_and_queues_a_confirmation_by_id(
    api, django_capture_on_commit_callbacks, monkeypatch
):
    from outreach import tasks

    queued = []
    monkeypatch.setattr(tasks.send_subscription_confirmation, "delay", lambda *args: queued.append(args))
    make_topic("ptsd")
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(api)
    assert response.status_code == 202
    assert response.json() == {"status": "pending_confirmation", "channels": ["email"]}
    contact = Contact.objects.get(email="reader@example.com")
    record = contact.consent_records.get()
    assert (record.pending, record.source, record.wording) == (True, "subscription", WORDING)
    assert not has_consent(contact, Channel.EMAIL, Purpose.EDUCATION)
    assert Subscription.objects.get().confirmed_at is None
    assert queued == [(contact.pk, "email", "")]  # ids only: no address in the broker


def test_the_confirmation_email_reaches_the_provider_with_its_link(api, postmark_settings):
    from outreach.followups import confirmations

    make_topic("ptsd")
    subscribe(api)
    contact = Contact.objects.get()
    assert confirmations.send(contact.pk, "email")
    [message] = postmark_settings.messages
    assert message.fields["To"] == "reader@example.com"
    assert confirmation_url(contact).split("/confirm/")[0] in message.fields["TextBody"]


def test_the_confirmation_link_asks_on_get_and_confirms_on_post(api, client):
    make_topic("ptsd")
    subscribe(api)
    contact = Contact.objects.get()
    path = re.sub(r"^https?://[^/]+", "", confirmation_url(contact))
    page = client.get(path)
    assert page.status_code == 200 and b"Confirm my subscription" in page.content
    assert not has_consent(contact, Channel.EMAIL, Purpose.EDUCATION)  # a mail scanner's GET confirms nothing
    client.post(path)
    assert has_consent(contact, Channel.EMAIL, Purpose.EDUCATION)
    confirmation = contact.consent_records.get(source="confirmation")
    assert WORDING in confirmation.wording and "email link" in confirmation.wording
    assert Subscription.objects.get().confirmed_at is not None
    assert client.post(path).content.count(b"Nothing to confirm") == 1


def test_a_forged_confirmation_link_is_refused(client):
    assert client.get("/subscriptions/confirm/forged-token/").status_code == 404


def test_confirmation_by_sms_reply(api):
    make_topic("ptsd")
    subscribe(api, email="", phone="+12035550150")
    contact = Contact.objects.get()
    assert confirm(contact, Channel.SMS, "YES reply")
    assert has_consent(contact, Channel.SMS, Purpose.EDUCATION)
    assert confirm(contact, Channel.SMS, "YES reply") is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "", "phone": ""}, "body"),
        ({"email": "not-an-email"}, "email"),
        ({"phone": "12"}, "phone"),
        ({"topics": []}, "topics"),
        ({"topics": ["no-such-topic"]}, "topics"),
        ({"topics": "ptsd"}, "topics"),
        ({"consent_wording": ""}, "consent_wording"),
    ],
)
def test_bad_requests_name_the_field_and_write_nothing(api, body, field):
    make_topic("ptsd")
    response = subscribe(api, **body)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Contact.objects.exists() and not ConsentRecord.objects.exists()


def test_a_non_object_body_is_a_400(api):
    assert api.post(URL, ["x"], format="json").status_code == 400
    assert api.post(URL, "{broken", content_type="application/json").status_code == 400


@override_settings(OUTREACH_SUBSCRIBE_PER_ADDRESS_HOUR=2, OUTREACH_SUBSCRIBE_PER_IP_HOUR=100)
def test_throttled_per_address(api):
    make_topic("ptsd")
    assert [subscribe(api).status_code for _ in range(3)] == [202, 202, 429]
    assert subscribe(api, email="other@example.com").status_code == 202


@override_settings(OUTREACH_SUBSCRIBE_PER_IP_HOUR=3)
def test_throttled_per_ip(api):
    make_topic("ptsd")
    codes = [subscribe(api, email=f"r{n}@example.com").status_code for n in range(4)]
    assert codes == [202, 202, 202, 429]


def test_replying_yes_to_the_confirmation_text_confirms_the_subscription(api, client, settings):
    import uuid

    from tests.fixtures.loaders import PUBLIC_BASE_URL, TWILIO_TOKEN, post_twilio, twilio_form

    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    settings.PUBLIC_BASE_URL = PUBLIC_BASE_URL
    make_topic("ptsd")
    subscribe(api, email="", phone="+12035550151")
    contact = Contact.objects.get()
    form = twilio_form("inbound_sms", Body="yes", From="+12035550151", MessageSid="SM" + uuid.uuid4().hex)
    response = post_twilio(client, "/webhooks/twilio/inbound/", form)
    assert response.status_code == 200 and b"occasional articles" in response.content
    assert has_consent(contact, Channel.SMS, Purpose.EDUCATION)
    assert "YES reply" in contact.consent_records.get(source="confirmation").wording
    assert Subscription.objects.get().confirmed_at is not None


def test_yes_without_a_pending_subscription_keeps_its_opt_in_meaning(client, settings):
    import uuid

    from outreach.consent.ledger import record_consent
    from tests.fixtures.loaders import PUBLIC_BASE_URL, TWILIO_TOKEN, post_twilio, twilio_form
    from tests.outreach.factories import make_contact

    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    settings.PUBLIC_BASE_URL = PUBLIC_BASE_URL
    contact = make_contact()
    record_consent(contact, Channel.SMS, Purpose.CARE, False, ConsentRecord.Source.KEYWORD, wording="STOP")
    form = twilio_form("inbound_sms", Body="YES", From=str(contact.phone), MessageSid="SM" + uuid.uuid4().hex)
    post_twilio(client, "/webhooks/twilio/inbound/", form)
    assert has_consent(contact, Channel.SMS, Purpose.CARE)
    assert not has_consent(contact, Channel.SMS, Purpose.EDUCATION)

"""Webhooks attacked from outside: only the configured email provider's route exists, no route works without its
secret, and no route answers a 500 to anything, authenticated or not."""

import base64
import json

import pytest
from anymail import urls as anymail_urls
from django.test import override_settings
from django.urls import get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outreach.consent.ledger import has_consent
from outreach.models import Channel, DeliveryEvent, Purpose, Suppression
from tests.fixtures.loaders import (
    MAILGUN_SIGNING_KEY,
    PUBLIC_BASE_URL,
    TWILIO_TOKEN,
    WEBHOOK_SECRET,
    esp_json,
    post_email_event,
    twilio_signature,
)
from tests.outreach.factories import make_contact

pytestmark = pytest.mark.django_db
# Every route anymail knows (its own URL module), under the prefix it used to be mounted at.
ANYMAIL_ROUTES = sorted(
    "/webhooks/anymail/" + str(pattern.pattern).lstrip("^").rstrip("$").replace("(_mime)?", "")
    for pattern in anymail_urls.urlpatterns
)
OUR_ROUTES = sorted(
    "/" + str(pattern.pattern)
    for pattern in get_resolver().url_patterns
    if str(getattr(pattern, "pattern", "")).startswith("webhooks/")
)


def basic(secret=WEBHOOK_SECRET):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


@pytest.fixture
def secret(settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": WEBHOOK_SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": "k"}


def test_only_the_configured_providers_route_answers(client, secret):
    assert len(ANYMAIL_ROUTES) > 20  # anymail's whole catalogue: SES, SendGrid, Mandrill, SparkPost...
    for provider in ("postmark", "mailgun", "console"):
        with override_settings(EMAIL_PROVIDER=provider):
            for route in ANYMAIL_ROUTES:
                response = client.post(route, b"{}", content_type="application/json")
                expected = 400 if route == f"/webhooks/anymail/{provider}/tracking/" else 404
                assert response.status_code == expected, (provider, route, response.status_code)


@pytest.mark.parametrize("provider", ["console", "postmark"])
def test_without_a_webhook_secret_a_forged_email_event_changes_nothing(client, settings, provider):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": None}
    settings.EMAIL_PROVIDER = provider
    patient = make_contact(email="patient@example.com")
    from outreach.consent.ledger import record_consent

    record_consent(patient, Channel.EMAIL, Purpose.EDUCATION, True, "admin", wording="test")
    unsubscribe = esp_json("postmark", "subscription_change_unsubscribe", Recipient=patient.email)
    bounce = esp_json("postmark", "bounce_hard", Email=patient.email, Recipient=patient.email)
    for forged in (unsubscribe, bounce):
        response = post_email_event(client, "postmark", forged)  # no credentials: there are none to have
        assert response.status_code == 403
    assert has_consent(patient, Channel.EMAIL, Purpose.CARE)
    assert has_consent(patient, Channel.EMAIL, Purpose.EDUCATION)
    assert not Suppression.is_suppressed(Channel.EMAIL, patient.email)
    assert not DeliveryEvent.objects.exists()


routes = st.sampled_from(ANYMAIL_ROUTES + OUR_ROUTES + ["/webhooks/twilio/status/?m=1", "/webhooks/anymail/"])
bodies = st.one_of(
    st.binary(max_size=200),
    st.dictionaries(st.text(max_size=10), st.text(max_size=20), max_size=4).map(lambda d: json.dumps(d).encode()),
    st.sampled_from([b"", b"[]", b"null", b'{"signature": {}}', b'{"event-data": {}}', b"RecordType=Bounce"]),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    route=routes,
    method=st.sampled_from(["POST", "GET", "PUT", "HEAD", "OPTIONS"]),
    content_type=st.sampled_from(["application/json", "application/x-www-form-urlencoded", "text/plain", ""]),
    body=bodies,
    auth=st.sampled_from(["none", "right", "wrong", "twilio"]),
    provider=st.sampled_from(["console", "postmark", "mailgun"]),
    secret_set=st.booleans(),
)
def test_no_webhook_route_answers_a_server_error_to_anything(
    client, route, method, content_type, body, auth, provider, secret_set
):
    from django.conf import settings as django_settings

    headers = {}
    if auth == "right":
        headers = basic()
    elif auth == "wrong":
        headers = basic("someone:else")
    elif auth == "twilio":
        headers = {"HTTP_X_TWILIO_SIGNATURE": twilio_signature(route, {})}
    anymail = {
        **django_settings.ANYMAIL,
        "WEBHOOK_SECRET": WEBHOOK_SECRET if secret_set else None,
        "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_SIGNING_KEY if secret_set else None,
        "MAILGUN_API_KEY": None,
    }
    with override_settings(
        EMAIL_PROVIDER=provider, ANYMAIL=anymail, TWILIO_AUTH_TOKEN=TWILIO_TOKEN, PUBLIC_BASE_URL=PUBLIC_BASE_URL
    ):
        response = client.generic(method, route, body, content_type=content_type, **headers)
    assert response.status_code < 500, (route, method, response.status_code)

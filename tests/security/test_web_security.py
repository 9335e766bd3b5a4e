"""Web-facing promises: size limits answered 413 early, security headers and a CSP on every response, the admin
login locked out after repeated failures (and per real client IP behind a proxy), the outreach API closed to
anyone without a token, webhooks closed to anyone without the provider's signature, links bound to one contact."""

import base64
import datetime
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from config import throttle
from outreach.consent import links
from outreach.models import ApiToken, ConsentRecord, Consultation, DeliveryEvent, InboundMessage
from tests.fixtures.loaders import (
    MAILGUN_SIGNING_KEY,
    PUBLIC_BASE_URL,
    TWILIO_TOKEN,
    WEBHOOK_SECRET,
    esp_json,
    post_email_event,
    post_twilio,
    twilio_form,
)
from tests.outreach.factories import make_contact

pytestmark = pytest.mark.django_db
CONSULTATIONS = "/api/outreach/v1/consultations/"
SUBSCRIBE = "/api/outreach/v1/subscriptions/"
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def webhook_settings(settings):
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    settings.PUBLIC_BASE_URL = PUBLIC_BASE_URL
    settings.ANYMAIL = {
        **settings.ANYMAIL,
        "WEBHOOK_SECRET": WEBHOOK_SECRET,
        "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_SIGNING_KEY,
    }


@pytest.fixture
def admin_user():
    return get_user_model().objects.create_superuser("editor", "editor@example.com", PASSWORD)


def basic(secret=WEBHOOK_SECRET):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def writes():
    return (InboundMessage.objects.count(), DeliveryEvent.objects.count(), Consultation.objects.count())


# -- 413 before the body is read -------------------------------------------------------------------------------


class ExplodingStream:
    """A request body that fails the test if anyone reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


@pytest.mark.parametrize(
    "path",
    [CONSULTATIONS, SUBSCRIBE, "/webhooks/twilio/inbound/", "/webhooks/anymail/postmark/tracking/", "/admin/login/"],
)
def test_an_oversized_body_is_refused_with_413_without_being_read(client, settings, path):
    size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1
    response = client.generic(
        "POST",
        path,
        b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(size),
        **{"wsgi.input": ExplodingStream()},
    )
    assert response.status_code == 413
    assert b"too large" in response.content
    assert writes() == (0, 0, 0)


def test_a_body_at_the_limit_is_not_refused_by_size(client, settings):
    response = client.post(SUBSCRIBE, data=b"{}", content_type="application/json")
    assert response.status_code != 413


def test_an_oversized_csv_upload_is_refused_with_413(admin_client, settings):
    settings.REQUEST_MAX_UPLOAD_BYTES = 64 * 1024
    upload = SimpleUploadedFile("big.csv", b"x" * (65 * 1024), content_type="text/csv")
    response = admin_client.post("/admin/outreach/consultations/import/", {"file": upload})
    assert response.status_code == 413
    assert Consultation.objects.count() == 0


def test_a_malformed_content_length_is_a_400(client):
    response = client.generic("POST", SUBSCRIBE, b"{}", content_type="application/json", CONTENT_LENGTH="abc")
    assert response.status_code == 400


# -- Headers -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/admin/login/", "/api/v2/pages/", "/healthz"])
def test_security_headers_and_csp_on_server_responses(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "object-src 'none'" in csp
    assert "frame-ancestors 'self'" in csp
    assert "'unsafe-eval'" not in csp
    admin = path.startswith("/admin/")
    assert ("script-src 'self' 'unsafe-inline'" in csp) == admin  # inline scripts for Wagtail's editor only
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    if response["Content-Type"].startswith("text/html"):
        assert response["X-Frame-Options"] in ("DENY", "SAMEORIGIN")
    assert "camera=()" in response["Permissions-Policy"]


def test_a_view_that_sets_its_own_csp_keeps_it(rf):
    from django.http import HttpResponse

    from config.middleware import SecurityHeadersMiddleware

    def view(request):
        response = HttpResponse()
        response["Permissions-Policy"] = "camera=(self)"
        return response

    assert SecurityHeadersMiddleware(view)(rf.get("/"))["Permissions-Policy"] == "camera=(self)"


def test_the_front_end_shell_keeps_its_own_csp(client, settings):
    if not settings.SERVE_FRONTEND:
        pytest.skip("front end not served")
    response = client.get("/some-article/")
    if response.status_code != 200:
        pytest.skip("front end not built")
    from config.frontend import content_security_policy

    assert response["Content-Security-Policy"] == content_security_policy()


# -- Admin login throttle ---------------------------------------------------------------------------------------


def login(client, password, ip="198.51.100.7", **extra):
    return client.post("/admin/login/", {"username": "editor", "password": password}, REMOTE_ADDR=ip, **extra)


def test_five_failed_logins_lock_the_account_from_that_address_until_the_cool_off(client, admin_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "wrong").status_code == 200  # the form again, with an error
    assert login(client, "wrong").status_code == 429  # the fifth failure locks
    locked = login(client, PASSWORD)
    assert locked.status_code == 429  # even the right password is refused while locked
    assert login(client, PASSWORD, ip="198.51.100.8").status_code == 302  # another address is not locked out

    from axes.models import AccessAttempt

    # The cool-off passes: move the attempts into the past rather than waiting 15 minutes.
    AccessAttempt.objects.update(attempt_time=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    client.logout()
    assert login(client, PASSWORD).status_code == 302


def test_the_cool_off_is_fifteen_minutes_by_default(settings):
    assert settings.AXES_COOLOFF_TIME * 60 == pytest.approx(15)
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_behind_a_proxy_the_lockout_follows_the_real_client_not_the_proxy(client, admin_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "wrong", ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert login(client, PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    # Another patient behind the same proxy is not locked out; a forged left-hand entry does not help the attacker.
    assert login(client, PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.10").status_code == 302
    client.logout()
    forged = login(client, PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert forged.status_code == 429


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "1.2.3.4", "192.0.2.1"),  # no proxy trusted: the header is ignored
        (1, "1.2.3.4", "1.2.3.4"),
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # the client's own entry is not believed
        (2, "6.6.6.6, 1.2.3.4, 10.0.0.1", "1.2.3.4"),
        (2, "1.2.3.4", "192.0.2.1"),  # fewer hops than proxies: not through them, use the socket address
    ],
)
def test_client_ip_rule(rf, settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert throttle.client_ip(request) == expected


# -- The outreach API needs a token; the webhooks need the provider's signature --------------------------------------


@pytest.mark.parametrize(("method", "path"), [("get", CONSULTATIONS + "EXT-1/"), ("post", CONSULTATIONS)])
@pytest.mark.parametrize("header", [None, "Bearer ot_forged", "Token abc", "Bearer"])
def test_the_outreach_api_needs_a_valid_token(client, method, path, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    if method == "get":
        response = client.get(path, **extra)
    else:
        response = client.post(path, data=json.dumps({}), content_type="application/json", **extra)
    assert response.status_code in (401, 403)
    assert Consultation.objects.count() == 0


def test_api_tokens_are_stored_hashed():
    token, raw = ApiToken.issue("booking")
    stored = ApiToken.objects.filter(pk=token.pk).values_list("name", "prefix", "key_hash").get()
    assert raw not in "".join(stored)


@pytest.mark.parametrize("path", ["/webhooks/twilio/inbound/", "/webhooks/twilio/status/"])
@pytest.mark.parametrize("signature", ["", "forged", "c2lnbmF0dXJl"])
def test_twilio_webhooks_refuse_forged_and_missing_signatures_without_writes(client, path, signature):
    response = post_twilio(client, path, twilio_form("inbound_sms"), signature=signature)
    assert response.status_code == 403
    assert writes() == (0, 0, 0)


def test_a_replayed_twilio_request_changes_nothing(client):
    params = twilio_form("inbound_sms", Body="HELLO there")
    first = post_twilio(client, "/webhooks/twilio/inbound/", params)
    assert first.status_code == 200
    before = writes()
    again = post_twilio(client, "/webhooks/twilio/inbound/", params)
    assert again.status_code == 200 and writes() == before


@pytest.mark.parametrize("esp", ["postmark", "mailgun"])
@pytest.mark.parametrize("headers", [{}, basic("anymail-user:wrong")])
def test_anymail_webhooks_refuse_missing_and_wrong_credentials_without_writes(client, esp, headers):
    payload = esp_json(esp, "delivery" if esp == "postmark" else "delivered")
    response = post_email_event(client, esp, payload, **headers)
    assert response.status_code in (400, 401, 403)
    assert writes() == (0, 0, 0)


def test_a_mailgun_event_with_a_forged_signature_is_refused(client):
    payload = esp_json("mailgun", "delivered")
    payload["signature"]["signature"] = "0" * 64
    response = post_email_event(client, "mailgun", payload, **basic())
    assert response.status_code in (400, 403)
    assert DeliveryEvent.objects.count() == 0


def test_a_replayed_email_event_changes_nothing(client):
    payload = esp_json("postmark", "delivery")
    for _ in range(2):
        post_email_event(client, "postmark", payload, **basic())
    assert DeliveryEvent.objects.count() <= 1


# -- Unsubscribe and preference links ----------------------------------------------------------------------------------


def test_links_cannot_be_forged_or_pointed_at_another_contact(client, settings):
    alice, bob = make_contact(), make_contact()
    token = links.make_token(alice)
    assert links.read_token(token) == alice
    from django.core import signing

    # Alice's signature over Bob's id; Bob's id signed with another key; truncations; garbage.
    _, timestamp, signature = token.split(":")
    bob_payload = signing.b64_encode(json.dumps([bob.pk, bob.link_version], separators=(",", ":")).encode()).decode()
    pointed = f"{bob_payload}:{timestamp}:{signature}"

    other_key = signing.dumps([bob.pk, bob.link_version], key="not-our-secret-key", salt=links.SALT)
    for forged in [pointed, other_key, token[:-2], token + "x", "", "abc", signing.dumps([bob.pk, 1])]:
        assert links.read_token(forged) is None, forged
        for path in (f"/u/{forged}/", f"/preferences/{forged}/"):
            if forged:
                response = client.post(path, {"channel": "sms"})
                assert response.status_code in (400, 403, 404, 410), (path, response.status_code)
    assert not ConsentRecord.objects.filter(contact=bob, granted=False).exists()


def test_secrets_come_only_from_the_environment():
    from pathlib import Path

    base = (Path(__file__).resolve().parents[2] / "config" / "settings" / "base.py").read_text()
    for name in ("SECRET_KEY", "TWILIO_AUTH_TOKEN", "SUPPRESSION_HASH_KEY", "POSTMARK_SERVER_TOKEN", "MAILGUN_API_KEY"):
        assert f'env_str("{name}")' in base, name


@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/pages/?topic=-%00x",
        "/api/v2/pages/?search=a%00b",
        "/api/v2/pages/find/?html_path=%00",
        "/api/v2/topics/find/?slug=%00",
        "/api/v2/pages/?offset=84923312500319441070850048",
        "/api/v2/redirects/?offset=84923312500319441070850048",
        "/api/v2/topics/?offset=84923312500319441070850048",
        "/api/v2/images/?offset=-84923312500319441070850048",
        "/api/outreach/v1/consultations/%00/",
    ],
)
def test_nul_bytes_and_out_of_range_paging_are_a_400_not_a_server_error(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response.json()["message"]

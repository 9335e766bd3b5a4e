"""Both Twilio webhooks accept only requests signed with TWILIO_AUTH_TOKEN for the exact public URL."""

import pytest

from outreach.models import DeliveryEvent, InboundMessage, MessageStatus, OutboundMessage
from tests.fixtures.loaders import PUBLIC_BASE_URL, TWILIO_TOKEN, post_twilio, twilio_form, twilio_signature
from tests.outreach.factories import sent_sms_row

pytestmark = pytest.mark.django_db
INBOUND = "/webhooks/twilio/inbound/"
STATUS = "/webhooks/twilio/status/"


@pytest.fixture(autouse=True)
def twilio_settings(settings):
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    settings.PUBLIC_BASE_URL = PUBLIC_BASE_URL


def nothing_written():
    return not InboundMessage.objects.exists() and not DeliveryEvent.objects.exists()


@pytest.mark.parametrize("path", [INBOUND, STATUS])
def test_a_missing_signature_is_refused_and_nothing_is_written(client, path):
    response = post_twilio(client, path, twilio_form("inbound_sms"), signature="")
    assert response.status_code == 403
    assert nothing_written()


@pytest.mark.parametrize("path", [INBOUND, STATUS])
def test_a_forged_signature_is_refused(client, path):
    params = twilio_form("inbound_sms")
    forged = twilio_signature(path, params, token="not-the-auth-token")
    assert post_twilio(client, path, params, signature=forged).status_code == 403
    assert nothing_written()


@pytest.mark.parametrize("path", [INBOUND, STATUS])
def test_a_signature_for_other_parameters_is_refused(client, path):
    params = twilio_form("inbound_sms")
    signature = twilio_signature(path, params)
    altered = {**params, "Body": "C"}
    assert post_twilio(client, path, altered, signature=signature).status_code == 403
    assert nothing_written()


def test_a_request_signed_for_one_endpoint_is_refused_on_the_other(client):
    params = twilio_form("status_delivered")
    signature = twilio_signature(STATUS, params)
    assert post_twilio(client, INBOUND, params, signature=signature).status_code == 403
    params = twilio_form("inbound_sms")
    signature = twilio_signature(INBOUND, params)
    assert post_twilio(client, STATUS, params, signature=signature).status_code == 403
    assert nothing_written()


def test_a_signature_for_another_host_is_refused(client):
    params = twilio_form("inbound_sms")
    signature = twilio_signature(INBOUND, params, base="https://attacker.example")
    assert post_twilio(client, INBOUND, params, signature=signature).status_code == 403
    assert nothing_written()


def test_without_an_auth_token_every_request_is_refused(client, settings):
    settings.TWILIO_AUTH_TOKEN = None
    params = twilio_form("inbound_sms")
    signature = twilio_signature(INBOUND, params)
    assert post_twilio(client, INBOUND, params, signature=signature).status_code == 403
    assert nothing_written()


def test_get_is_not_allowed(client):
    assert client.get(INBOUND).status_code == 405
    assert client.get(STATUS).status_code == 405


def test_the_status_callback_signature_covers_the_query_string(client):
    row = sent_sms_row(sid="SM9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b")
    other = sent_sms_row(sid="SMother")
    params = twilio_form("status_delivered")
    signed_for = f"{STATUS}?m={row.pk}"
    # Replaying the signed callback against another outbox id is refused.
    response = post_twilio(client, f"{STATUS}?m={other.pk}", params, signature=twilio_signature(signed_for, params))
    assert response.status_code == 403
    assert nothing_written()
    # The genuine one, with its query string, is accepted.
    assert post_twilio(client, signed_for, params).status_code == 204
    row.refresh_from_db()
    other.refresh_from_db()
    assert row.status == MessageStatus.DELIVERED
    assert other.status == MessageStatus.SENT


def test_a_replayed_inbound_message_is_answered_once_and_stored_once(client):
    params = twilio_form("inbound_sms", Body="HELP")
    first = post_twilio(client, INBOUND, params)
    again = post_twilio(client, INBOUND, params)
    assert first.status_code == again.status_code == 200
    assert b"<Message>" in first.content
    assert b"<Message>" not in again.content  # no second reply
    assert InboundMessage.objects.count() == 1


def test_a_replayed_status_callback_changes_nothing(client):
    row = sent_sms_row(sid="SM9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b")
    path = f"{STATUS}?m={row.pk}"
    params = twilio_form("status_delivered")
    assert post_twilio(client, path, params).status_code == 204
    row.refresh_from_db()
    before = (row.status, row.delivered_at, row.updated_at)
    assert post_twilio(client, path, params).status_code == 204
    row.refresh_from_db()
    assert (row.status, row.delivered_at, row.updated_at) == before
    assert DeliveryEvent.objects.count() == 1
    assert OutboundMessage.objects.get(pk=row.pk).status == MessageStatus.DELIVERED


def test_the_port_variant_twilio_sometimes_signs_is_accepted(client):
    params = twilio_form("inbound_sms", Body="HELP")
    signature = RequestValidatorWithPort.sign(INBOUND, params)
    assert post_twilio(client, INBOUND, params, signature=signature).status_code == 200


class RequestValidatorWithPort:
    @staticmethod
    def sign(path, params):
        return twilio_signature(path, params, base=PUBLIC_BASE_URL.replace("clinic.example", "clinic.example:443"))

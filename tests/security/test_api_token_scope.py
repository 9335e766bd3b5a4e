"""Booking-system API tokens, attacked by another booking system's token: each token reads and changes only the
consultations of its own booking system."""

import json

import pytest

from outreach.models import ApiToken, Consultation
from tests.outreach.factories import fictional_phone

pytestmark = pytest.mark.django_db
URL = "/api/outreach/v1/consultations/"


def token(booking_system):
    return {"HTTP_AUTHORIZATION": "Bearer " + ApiToken.issue(f"{booking_system or 'main'} system", booking_system)[1]}


def body(**fields):
    return {
        "external_id": "BK-1001",
        "first_name": "Avery",
        "last_name": "Example",
        "phone": fictional_phone(3600),
        "email": "avery@example.com",
        "timezone": "America/New_York",
        "starts_at": "2030-12-01T14:30:00-05:00",
        "sms_consent": True,
        "email_consent": True,
        **fields,
    }


def post(client, headers, **fields):
    return client.post(URL, json.dumps(body(**fields)), content_type="application/json", **headers)


@pytest.mark.parametrize(("a", "b"), [("alpha", "beta"), ("", "beta"), ("alpha", "")])
def test_another_booking_systems_token_neither_reads_nor_cancels(client, a, b):
    token_a, token_b = token(a), token(b)
    assert post(client, token_a).status_code == 201
    original = Consultation.objects.get()

    assert client.get(URL + "BK-1001/", **token_b).status_code == 404
    response = post(client, token_b, status="cancelled", starts_at="2030-12-02T09:00:00-05:00")
    original.refresh_from_db()
    assert (original.status, original.starts_at.isoformat()) == ("scheduled", "2030-12-01T19:30:00+00:00")
    assert original.messages.filter(status="cancelled").count() == 0
    # B's post is B's own consultation with that id, in B's namespace.
    assert response.status_code == 201
    assert Consultation.objects.filter(booking_system=b, external_id="BK-1001").get().pk != original.pk

    # A still reads and changes its own.
    assert client.get(URL + "BK-1001/", **token_a).json()["status"] == "scheduled"
    assert post(client, token_a, status="cancelled").json()["status"] == "cancelled"

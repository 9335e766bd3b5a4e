"""The booking-system API: bearer tokens, upserts with field errors, and the consultation status read."""

import datetime
import json

import pytest
from django.utils import timezone

from outreach.consent import ledger as consent
from outreach.engine.planner import plan_due
from outreach.models import (
    ApiToken,
    Channel,
    ConsentRecord,
    Consultation,
    Contact,
    MessageStatus,
    OutboundMessage,
    Purpose,
)
from tests.outreach.csv_helpers import db_counts, local_iso, row
from tests.outreach.factories import make_campaign, make_consultation, make_contact

pytestmark = pytest.mark.django_db

URL = "/api/outreach/v1/consultations/"
NOTHING = {"contacts": 0, "consultations": 0, "consents": 0, "messages": 0}


def body(**overrides):
    """A valid request body: the CSV's fields, consents as JSON booleans."""
    values = row(sms_consent=True, email_consent=False, notes="Internal: prefers mornings")
    values.update(overrides)
    return values


@pytest.fixture
def raw_token():
    return ApiToken.issue("booking-system")[1]


@pytest.fixture
def api(client, raw_token):
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw_token}"
    return client


def post(client, data, **extra):
    payload = data if isinstance(data, str | bytes) else json.dumps(data)
    return client.post(URL, payload, content_type="application/json", **extra)


# --- authentication -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer ot_not-a-real-token", "Token {raw}", "Bearer", "Bearer {raw} extra", "bearer {raw}x"],
    ids=["no header", "wrong token", "wrong scheme", "no token", "extra words", "altered token"],
)
def test_without_a_valid_token_it_is_401_and_nothing_is_written(client, raw_token, authorization):
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization.format(raw=raw_token)}

    response = post(client, body(), **headers)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="outreach"'
    assert db_counts() == NOTHING
    assert client.get(URL + "BK-1/", **headers).status_code == 401


def test_a_revoked_token_is_401_and_writes_nothing(client):
    token, raw = ApiToken.issue("old booking system")
    token.revoke()

    response = post(client, body(), HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert response.status_code == 401
    assert db_counts() == NOTHING


def test_the_scheme_name_is_case_insensitive(client, raw_token):
    assert post(client, body(), HTTP_AUTHORIZATION=f"bearer {raw_token}").status_code == 201


def test_using_a_token_records_when_it_was_last_used(api):
    token = ApiToken.objects.get()
    assert token.last_used_at is None
    before = timezone.now()

    post(api, body())

    token.refresh_from_db()
    assert token.last_used_at is not None and token.last_used_at >= before
    first_use = token.last_used_at
    api.get(URL + "nope/")
    token.refresh_from_db()
    assert token.last_used_at > first_use


# --- upserts ------------------------------------------------------------------------------------------------------


def test_a_new_consultation_is_201_created_with_its_contact_and_consents(api):
    data = body(status="confirmed")

    response = post(api, data)

    assert response.status_code == 201
    assert response.json() == {
        "outcome": "created",
        "external_id": data["external_id"],
        "status": "confirmed",
        "starts_at": datetime.datetime.fromisoformat(data["starts_at"]).astimezone(datetime.UTC).isoformat(),
        "topics": [],
        "messages": [],
    }
    consultation = Consultation.objects.get(external_id=data["external_id"])
    assert consultation.notes == "Internal: prefers mornings"
    assert str(consultation.contact.phone) == data["phone"]
    records = sorted(ConsentRecord.objects.values_list("channel", "purpose", "granted", "source"))
    assert records == [("email", "care", False, "api"), ("sms", "care", True, "api")]


def test_a_changed_consultation_is_200_updated_and_a_repeat_is_unchanged(api):
    data = body()
    post(api, data)
    moved = local_iso(datetime.datetime.fromisoformat(data["starts_at"]) + datetime.timedelta(hours=3))

    updated = post(api, {**data, "starts_at": moved})
    repeated = post(api, {**data, "starts_at": moved})

    assert (updated.status_code, updated.json()["outcome"]) == (200, "updated")
    assert (repeated.status_code, repeated.json()["outcome"]) == (200, "unchanged")
    assert Consultation.objects.get().starts_at == datetime.datetime.fromisoformat(moved)
    assert ConsentRecord.objects.count() == 2


def test_a_reschedule_through_the_api_cancels_the_reminder_for_the_old_time(api):
    make_campaign()
    starts = timezone.now() + datetime.timedelta(hours=24, minutes=5)
    data = body(starts_at=local_iso(starts))
    post(api, data)
    assert plan_due() == 1

    response = post(api, {**data, "starts_at": local_iso(starts + datetime.timedelta(days=1))})

    assert response.json()["messages"] == [
        {
            "channel": "sms",
            "status": "cancelled",
            "scheduled_for": (starts.replace(microsecond=0) - datetime.timedelta(hours=24)).isoformat(),
            "sent_at": None,
            "provider_message_id": None,
            "error": "consultation rescheduled",
        }
    ]


def test_consent_true_does_not_lift_the_patients_own_opt_out(api):
    data = body(sms_consent=True)
    post(api, data)
    contact = Contact.objects.get()
    consent.record_consent(contact, Channel.SMS, Purpose.CARE, False, ConsentRecord.Source.UNSUBSCRIBE_LINK)

    response = post(api, data)

    assert response.json()["outcome"] == "unchanged"
    assert not consent.has_consent(contact, Channel.SMS, Purpose.CARE)
    assert consent.latest(contact, Channel.SMS, Purpose.CARE).source == ConsentRecord.Source.UNSUBSCRIBE_LINK


def test_null_consent_says_nothing_and_records_nothing(api):
    response = post(api, body(sms_consent=None, email_consent=None))

    assert response.status_code == 201
    assert ConsentRecord.objects.count() == 0


def test_a_known_phone_matches_the_existing_contact(api):
    existing = make_contact()

    response = post(api, body(phone=str(existing.phone), email="", first_name="Renamed"))

    assert response.status_code == 201
    assert Contact.objects.count() == 1
    existing.refresh_from_db()
    assert existing.first_name == "Renamed"
    assert existing.consultations.count() == 1


# --- field errors -------------------------------------------------------------------------------------------------

FIELD_ERRORS = {
    "invalid phone": ({"phone": "+1 201 555 01"}, "phone"),
    "invalid email": ({"email": "patient@@example.com"}, "email"),
    "long email": ({"email": "p" * 250 + "@example.com"}, "email"),
    "unknown time zone": ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
    "impossible date": ({"starts_at": "2026-13-01T10:00:00Z"}, "starts_at"),
    "naive time": ({"starts_at": "2026-12-01T10:00:00"}, "starts_at"),
    "time out of range": ({"starts_at": "9999-12-31T23:59:59-12:00"}, "starts_at"),
    "missing id": ({"external_id": None}, "external_id"),
    "unknown status": ({"status": "postponed"}, "status"),
    "consent as a word": ({"sms_consent": "yes"}, "sms_consent"),
    "consent as a number": ({"email_consent": 1}, "email_consent"),
    "consent as a list": ({"sms_consent": [True]}, "sms_consent"),
    "name as a number": ({"first_name": 12345}, "first_name"),
    "name as an object": ({"last_name": {"given": "Pat"}}, "last_name"),
    "id as a list": ({"external_id": ["BK-1"]}, "external_id"),
    "phone as a number": ({"phone": 12015550123}, "phone"),
    "phone as a list": ({"phone": ["+12015550123"]}, "phone"),
    "time as a number": ({"starts_at": 1767225600}, "starts_at"),
    "huge name": ({"first_name": "P" * 1_000_000}, "first_name"),
    "huge notes": ({"notes": "n" * 5001}, "notes"),
    "null character": ({"location": "Milford\x00office"}, "location"),
    "lone surrogate": ({"first_name": "Pat\ud800"}, "first_name"),
    "no way to reach": ({"phone": "", "email": None}, "row"),
}


@pytest.mark.parametrize("overrides, field", FIELD_ERRORS.values(), ids=FIELD_ERRORS.keys())
def test_a_field_error_is_400_naming_the_field_and_writes_nothing(api, overrides, field):
    response = post(api, body(**overrides))

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field]
    assert all(isinstance(reason, str) and reason for reason in errors[field])
    assert db_counts() == NOTHING


def test_a_conflicting_email_is_400_and_the_existing_contacts_are_untouched(api):
    alice, bob = make_contact(first_name="Alice"), make_contact(first_name="Bob")
    before = db_counts()

    response = post(api, body(phone=str(alice.phone), email=bob.email, first_name="Mallory"))

    assert response.status_code == 400
    assert response.json() == {"errors": {"email": ["belongs to another patient record than the phone number"]}}
    assert db_counts() == before
    alice.refresh_from_db()
    assert alice.first_name == "Alice"


def test_an_external_id_of_another_patients_consultation_is_400(api):
    make_consultation(external_id="BK-TAKEN")
    before = db_counts()

    response = post(api, body(external_id="BK-TAKEN"))

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["external_id"]
    assert db_counts() == before


@pytest.mark.parametrize(
    "overrides",
    [{"phone": "+1 201 555 01"}, {"email": "patient@@example.com"}, {"timezone": "+12015550123"}, {"status": "x@y.z"}],
    ids=["phone", "email", "phone as time zone", "email as status"],
)
def test_errors_do_not_echo_the_values_sent(api, overrides):
    response = post(api, body(**overrides))

    assert response.status_code == 400
    text = response.content.decode()
    for value in overrides.values():
        assert value not in text


# --- bodies that are not a JSON object ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload", ['{"external_id": Infinity}', '{"external_id": "BK-1",', "[" * 100_000 + "]" * 100_000]
)
def test_an_unreadable_body_is_a_400_naming_the_body(api, payload):
    response = post(api, payload)

    assert response.status_code == 400
    assert response.json()["errors"]["body"] and db_counts() == NOTHING


@pytest.mark.parametrize(
    "payload",
    [
        '{"external_id": "BK-1",',
        "{'external_id': 'BK-1'}",
        '{"external_id": NaN}',
        b'{"first_name": "Zo\xeb"}',
        "[" * 100_000 + "]" * 100_000,
    ],
    ids=["truncated", "single quotes", "NaN", "not UTF-8", "deeply nested"],
)
def test_malformed_json_is_400_not_500(api, payload):
    response = post(api, payload)

    assert response.status_code == 400
    assert "detail" in response.json() or "errors" in response.json()
    assert db_counts() == NOTHING


@pytest.mark.parametrize(
    "payload",
    [[body()], "just a string", 42, None, True],
    ids=["array", "string", "number", "null", "boolean"],
)
def test_a_json_value_that_is_not_an_object_is_400(api, payload):
    response = post(api, json.dumps(payload))

    assert response.status_code == 400
    assert response.json() == {"errors": {"body": ["must be a JSON object"]}}
    assert db_counts() == NOTHING


def test_an_empty_object_names_each_required_field(api):
    response = post(api, {})

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"external_id", "first_name", "timezone", "starts_at"}


def test_a_body_that_is_not_json_is_415(api):
    response = api.post(URL, "external_id=BK-1", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 415
    assert db_counts() == NOTHING


# --- reading a consultation ---------------------------------------------------------------------------------------


def test_get_returns_status_time_and_each_message(api):
    consultation = make_consultation(external_id="BK-READ", status="confirmed", notes="Internal only: anxious")
    step = make_campaign(steps=[{"send_sms": True, "send_email": True}]).steps.get()
    due = consultation.starts_at - datetime.timedelta(hours=24)
    sent_at = due + datetime.timedelta(seconds=30)

    def message(channel, status, **fields):
        return OutboundMessage.objects.create(
            step=step,
            consultation=consultation,
            consultation_starts_at=consultation.starts_at,
            contact=consultation.contact,
            channel=channel,
            status=status,
            due_at=due,
            scheduled_for=fields.pop("scheduled_for", due),
            not_after=due + datetime.timedelta(hours=2),
            **fields,
        )

    message(Channel.SMS, MessageStatus.DELIVERED, provider_message_id="SM0123456789", sent_at=sent_at)
    message(
        Channel.EMAIL,
        MessageStatus.FAILED,
        error_code="550",
        error_message="mailbox unavailable",
        scheduled_for=due + datetime.timedelta(minutes=5),
    )

    response = api.get(URL + "BK-READ/")

    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "confirmed"
    assert data["starts_at"] == consultation.starts_at.isoformat()
    assert data["messages"] == [
        {
            "channel": "sms",
            "status": "delivered",
            "scheduled_for": due.isoformat(),
            "sent_at": sent_at.isoformat(),
            "provider_message_id": "SM0123456789",
            "error": None,
        },
        {
            "channel": "email",
            "status": "failed",
            "scheduled_for": (due + datetime.timedelta(minutes=5)).isoformat(),
            "sent_at": None,
            "provider_message_id": None,
            "error": "550",
        },
    ]
    assert "notes" not in data
    assert "anxious" not in response.content.decode()


def test_internal_notes_never_appear_in_responses(api):
    data = body(notes="Internal: history of panic attacks")

    created = post(api, data)
    read = api.get(URL + data["external_id"] + "/")

    for response in (created, read):
        assert response.status_code in (200, 201)
        assert "notes" not in response.json()
        assert "panic" not in response.content.decode()


def test_get_of_an_unknown_consultation_is_404(api):
    response = api.get(URL + "BK-NOBODY/")

    assert response.status_code == 404
    assert response.json() == {"detail": "No consultation with this external_id."}


def test_get_with_a_null_character_in_the_id_is_a_client_error_not_500(api):
    assert api.get(URL + "BK%00X/").status_code in (400, 404)


def test_get_needs_a_token(client):
    make_consultation(external_id="BK-PRIVATE")

    response = client.get(URL + "BK-PRIVATE/")

    assert response.status_code == 401
    assert "BK-PRIVATE" not in response.content.decode()

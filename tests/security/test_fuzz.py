"""Hostile and malformed input at every door: the CSV import, the booking API, the subscribe API, and every
webhook. Whatever arrives: never a server error, never a partial write, and a refusal that names the problem.

Each example runs in a savepoint that is rolled back, so examples do not see each other's writes.
FIGURES counts the inputs tried per target (printed at the end of the module; quoted in the README).
"""

import base64
import collections
import io
import json
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from outreach.intake.csv_import import import_rows
from outreach.intake.upsert import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from outreach.models import ApiToken, ConsentRecord, Consultation, Contact, DeliveryEvent, InboundMessage
from tests.fixtures.loaders import (
    MAILGUN_SIGNING_KEY,
    PUBLIC_BASE_URL,
    TWILIO_TOKEN,
    WEBHOOK_SECRET,
    esp_json,
    post_email_event,
    post_twilio,
)
from tests.outreach.intake.test_intake_property import emails, phones, time_zones

pytestmark = pytest.mark.django_db
FIGURES = collections.Counter()
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
moments = st.one_of(
    st.datetimes(timezones=st.timezones()).map(lambda m: m.isoformat()),
    st.sampled_from(["2030-01-01T10:00:00Z", "2030-01-01T10:00:00", "yesterday", "", "9999-12-31T23:59:59-15:00"]),
    st.text(max_size=25),
)
consent_values = st.sampled_from(["yes", "no", "", "maybe", "TRUE", "0"]) | st.text(max_size=5)
intake_rows = st.fixed_dictionaries(
    {
        "external_id": st.text(max_size=110),
        "first_name": st.text(max_size=110),
        "last_name": st.text(max_size=20),
        "phone": phones,
        "email": emails,
        "timezone": time_zones,
        "starts_at": moments,
        "sms_consent": consent_values,
        "email_consent": consent_values,
    },
    optional={"status": st.sampled_from(["cancelled", "completed", "bogus", ""]), "notes": st.text(max_size=50)},
)


def counts():
    return (Consultation.objects.count(), Contact.objects.count(), ConsentRecord.objects.count())


def inbound_counts():
    return (InboundMessage.objects.count(), DeliveryEvent.objects.count(), Contact.objects.count())


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def names_a_field(errors, allowed):
    return isinstance(errors, dict) and errors and all(key in allowed and value for key, value in errors.items())


@pytest.fixture(scope="module", autouse=True)
def report_figures():
    yield
    print("\nfuzz inputs tried: " + ", ".join(f"{k} {v}" for k, v in sorted(FIGURES.items())))  # noqa: T201


@pytest.fixture(autouse=True)
def open_doors(settings):
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    settings.PUBLIC_BASE_URL = PUBLIC_BASE_URL
    settings.ANYMAIL = {
        **settings.ANYMAIL,
        "WEBHOOK_SECRET": WEBHOOK_SECRET,
        "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_SIGNING_KEY,
    }
    settings.OUTREACH_SUBSCRIBE_PER_IP_HOUR = 10**6
    settings.OUTREACH_SUBSCRIBE_PER_ADDRESS_HOUR = 10**6


# -- CSV import ---------------------------------------------------------------------------------------------------


def csv_text(rows, header):
    buffer = io.StringIO()
    import csv

    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header])
    return buffer.getvalue()


@FUZZ
@given(
    rows=st.lists(intake_rows, max_size=4),
    header=st.one_of(
        st.just(REQUIRED_COLUMNS),
        st.just(REQUIRED_COLUMNS + ["status", "notes"]),
        st.permutations(REQUIRED_COLUMNS + OPTIONAL_COLUMNS),
        st.lists(st.sampled_from(REQUIRED_COLUMNS + ["bogus"]), max_size=10),
    ),
)
def test_csv_rows_import_or_are_rejected_naming_line_and_field_and_write_nothing(rows, header):
    FIGURES["csv rows"] += 1
    with rolled_back():
        before = counts()
        text = csv_text(rows, header).replace("\x00", "")
        try:
            report = import_rows(io.StringIO(text, newline=""))
        except Exception as exc:  # noqa: BLE001 - the only allowed refusal is UnreadableFile, naming the header
            from outreach.intake.csv_import import UnreadableFile

            assert isinstance(exc, UnreadableFile), repr(exc)
            assert "header" in str(exc) or "line 1" in str(exc) or "empty" in str(exc)
            assert counts() == before
            return
        assert Consultation.objects.count() - before[0] == report.created
        assert report.created + report.updated + report.unchanged + report.rejected <= len(rows)
        for error in report.errors:
            assert error.startswith("line ") and ": " in error


@FUZZ
@given(data=st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_the_import_command_exits_0_1_or_2_on_any_bytes_and_never_raises(tmp_path_factory, data):
    FIGURES["csv files (bytes)"] += 1
    path = tmp_path_factory.mktemp("csv") / "upload.csv"
    path.write_bytes(data)
    with rolled_back():
        before = counts()
        err = io.StringIO()
        with pytest.raises(SystemExit) as exit_info:
            call_command("import_consultations", str(path), stdout=io.StringIO(), stderr=err)
        assert exit_info.value.code in (0, 1, 2)
        if exit_info.value.code == 2:
            assert counts() == before and err.getvalue().strip()


# -- Booking API -----------------------------------------------------------------------------------------------------


@pytest.fixture
def api_client(client):
    _, raw = ApiToken.issue("fuzz")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


@FUZZ
@given(body=st.one_of(json_values, intake_rows.map(lambda row: {**row, "sms_consent": True})))
def test_the_booking_api_answers_any_json_with_201_200_or_a_400_naming_fields(api_client, body):
    FIGURES["booking API"] += 1
    with rolled_back():
        before = counts()
        response = api_client.post("/api/outreach/v1/consultations/", json.dumps(body), content_type="application/json")
        assert response.status_code in (200, 201, 400), response.status_code
        if response.status_code == 400:
            assert counts() == before
            assert names_a_field(
                response.json().get("errors"),
                set(REQUIRED_COLUMNS + OPTIONAL_COLUMNS) | {"body", "topics", "__all__", "contact"},
            ), response.json()


@FUZZ
@given(raw=st.binary(max_size=200))
def test_the_booking_api_answers_any_bytes_without_a_server_error(api_client, raw):
    FIGURES["booking API (bytes)"] += 1
    with rolled_back():
        before = counts()
        response = api_client.post("/api/outreach/v1/consultations/", raw, content_type="application/json")
        assert response.status_code in (200, 201, 400, 415)
        if response.status_code >= 400:
            assert counts() == before


# -- Subscribe API ------------------------------------------------------------------------------------------------


subscribe_bodies = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {"email": emails, "phone": phones, "consent_wording": st.text(max_size=50), "topics": json_values},
        optional={"first_name": st.text(max_size=120)},
    ),
)


@FUZZ
@given(body=subscribe_bodies, ip=st.ip_addresses().map(str))
def test_the_subscribe_api_answers_any_json_with_202_or_a_400_naming_fields(client, body, ip):
    FIGURES["subscribe API"] += 1
    with rolled_back():
        before = counts()
        response = client.post(
            "/api/outreach/v1/subscriptions/", json.dumps(body), content_type="application/json", REMOTE_ADDR=ip
        )
        assert response.status_code in (202, 400), response.status_code
        if response.status_code == 400:
            assert counts() == before
            errors = response.json().get("errors") or response.json().get("detail")
            assert errors


# -- Webhooks -------------------------------------------------------------------------------------------------------

form_fields = st.dictionaries(
    st.sampled_from(
        [
            "MessageSid",
            "SmsSid",
            "From",
            "To",
            "Body",
            "NumMedia",
            "MessageStatus",
            "ErrorCode",
            "AccountSid",
            "SmsStatus",
        ]
    )
    | st.text(min_size=1, max_size=10),
    st.text(max_size=40).map(lambda s: s.replace("\x00", "")),
    max_size=8,
)


@FUZZ
@given(
    form=form_fields,
    path=st.sampled_from(
        [
            "/webhooks/twilio/inbound/",
            "/webhooks/twilio/status/",
            "/webhooks/twilio/status/?m=1",
            "/webhooks/twilio/status/?m=x",
        ]
    ),
)
def test_signed_twilio_webhooks_with_any_form_never_fail_with_a_server_error(client, form, path):
    FIGURES["twilio webhooks"] += 1
    with rolled_back():
        before = inbound_counts()
        response = post_twilio(client, path, form)
        assert response.status_code in (200, 204, 400), response.status_code
        if response.status_code == 400:
            assert inbound_counts() == before and response.content


def basic():
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(WEBHOOK_SECRET.encode()).decode()}


# django-anymail's tracking views (15.2) parse the body after authenticating it and let a parse error escape as a
# 500: a JSON body that is not an object (Postmark: TypeError), bytes that are not UTF-8 JSON (JSONDecodeError,
# UnicodeDecodeError), a Mailgun body without its signature block (MultiValueDictKeyError). Only a caller holding the
# webhook secret can reach this, and it writes nothing, but the promise is "never a 500". Strict xfail: when the
# views are wrapped (see README "Reliability and security"), these pass and the marker must go.


@FUZZ
@example(esp="postmark", body=None, mutate={})
@given(
    esp=st.sampled_from(["postmark", "mailgun"]),
    body=st.one_of(json_values, st.builds(lambda f: f, st.sampled_from(["x"])).flatmap(lambda _: json_values)),
    mutate=st.dictionaries(
        st.sampled_from(
            [
                "RecordType",
                "MessageID",
                "Recipient",
                "Type",
                "event",
                "recipient",
                "Metadata",
                "DeliveredAt",
                "timestamp",
            ]
        ),
        json_values,
        max_size=3,
    ),
)
def test_authenticated_anymail_webhooks_with_any_json_never_fail_with_a_server_error(client, esp, body, mutate):
    FIGURES["anymail webhooks"] += 1
    if mutate:  # a genuine payload with fields replaced by anything
        body = esp_json(esp, "delivery" if esp == "postmark" else "delivered")
        target = body if esp == "postmark" else body["event-data"]
        target.update(mutate)
    with rolled_back():
        response = post_email_event(client, esp, body, **basic())
        assert response.status_code < 500, (response.status_code, body)


@FUZZ
@given(
    esp=st.sampled_from(["postmark", "mailgun"]),
    mutate=st.dictionaries(
        st.sampled_from(["MessageID", "Recipient", "Type", "recipient", "Tag", "Description", "Details", "id"]),
        # Right types, any content but NUL (wrong types are the xfailed anymail parse errors; NUL is xfailed below).
        st.text(st.characters(exclude_characters="\x00"), max_size=30),
        max_size=3,
    ),
)
def test_authenticated_well_formed_anymail_events_with_odd_fields_never_fail_and_never_half_write(client, esp, mutate):
    FIGURES["anymail webhooks (well-formed)"] += 1
    body = esp_json(esp, "delivery" if esp == "postmark" else "delivered")
    (body if esp == "postmark" else body["event-data"]).update(mutate)
    with rolled_back():
        response = post_email_event(client, esp, body, **basic())
        assert response.status_code < 500, (response.status_code, body)


@FUZZ
@example(raw=b"\x80", esp="postmark")
@given(raw=st.binary(max_size=300), esp=st.sampled_from(["postmark", "mailgun"]))
def test_anymail_webhooks_answer_any_bytes_without_a_server_error(client, raw, esp):
    FIGURES["anymail webhooks (bytes)"] += 1
    with rolled_back():
        response = post_email_event(client, esp, raw, **basic())
        assert response.status_code < 500


def test_twilio_form_bodies_that_are_not_urlencoded_are_refused_cleanly(client):
    body = b"\xff\xfe not a form %%% &&&="
    response = client.post(
        "/webhooks/twilio/inbound/",
        body,
        content_type="application/x-www-form-urlencoded",
        HTTP_X_TWILIO_SIGNATURE="x",
    )
    assert response.status_code == 403


@pytest.mark.parametrize("esp", ["postmark", "mailgun"])
def test_an_authenticated_email_event_holding_a_nul_character_is_not_a_server_error(client, esp):
    body = esp_json(esp, "delivery" if esp == "postmark" else "delivered")
    (body if esp == "postmark" else body["event-data"]).update({"Tag" if esp == "postmark" else "id": "a\x00b"})
    response = post_email_event(client, esp, body, **basic())
    assert response.status_code < 500

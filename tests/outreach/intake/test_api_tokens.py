"""`manage.py create_api_token`: a token shown once, stored only as its SHA-256, and revocable."""

import hashlib
import io
import json
import re

import pytest
from django.core.management import call_command

from outreach.models import ApiToken, Consultation
from tests.outreach.csv_helpers import row

pytestmark = pytest.mark.django_db

URL = "/api/outreach/v1/consultations/"
TOKEN = re.compile(r"\bot_[A-Za-z0-9_-]{40,}\b")


def create_token(name="booking-system"):
    out = io.StringIO()
    call_command("create_api_token", name, stdout=out)
    return out.getvalue()


def only_token_in(output):
    [raw] = TOKEN.findall(output)
    return raw


def upsert(client, raw):
    data = row(sms_consent=True, email_consent=True)
    return client.post(URL, json.dumps(data), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_the_command_prints_a_new_token_once(client):
    output = create_token("booking-system")

    raw = only_token_in(output)
    assert output.count(raw) == 1
    assert "booking-system" in output
    token = ApiToken.objects.get()
    assert token.name == "booking-system"
    assert token.active
    assert upsert(client, raw).status_code == 201


def test_only_the_sha256_is_stored_and_the_raw_token_appears_nowhere_in_the_row():
    raw = only_token_in(create_token())

    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.values().get().values()]
    assert not any(raw in value for value in stored)
    assert len(token.prefix) < len(raw) // 2  # a recognisable prefix, far too short to use


def test_each_run_makes_a_different_token():
    first, second = only_token_in(create_token("a")), only_token_in(create_token("b"))

    assert first != second
    assert ApiToken.objects.count() == 2


def test_a_revoked_token_is_refused_and_writes_nothing(client):
    raw = only_token_in(create_token())
    ApiToken.objects.get().revoke()

    response = upsert(client, raw)

    assert response.status_code == 401
    assert Consultation.objects.count() == 0
    assert ApiToken.objects.get().last_used_at is None


def test_revoking_one_token_leaves_the_others_working(client):
    old, new = only_token_in(create_token("old")), only_token_in(create_token("new"))
    ApiToken.objects.get(name="old").revoke()

    assert upsert(client, old).status_code == 401
    assert upsert(client, new).status_code == 201


def test_a_token_is_not_accepted_by_its_hash():
    raw = only_token_in(create_token())

    assert ApiToken.authenticate(raw) is not None
    assert ApiToken.authenticate(ApiToken.objects.get().key_hash) is None

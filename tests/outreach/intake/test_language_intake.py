"""The booking system sends a patient's language: the `language` CSV column and API field (issue 20)."""

import json

import pytest

from outreach.models import ApiToken, Contact
from tests.outreach.csv_helpers import HEADER, REQUIRED_HEADER, db_counts, row, run_import, write_csv

pytestmark = pytest.mark.django_db

URL = "/api/outreach/v1/consultations/"


def language_of(values):
    return Contact.objects.get(phone=values["phone"]).language


def test_the_language_column_sets_the_patients_language(tmp_path):
    spanish, english, unstated = row(language="es"), row(language="English"), row(language="")
    code, out, err = run_import(write_csv(tmp_path / "in.csv", [spanish, english, unstated]))
    assert (code, err) == (0, "")
    assert out.strip() == "created 3, updated 0, unchanged 0, rejected 0"
    assert (language_of(spanish), language_of(english), language_of(unstated)) == ("es", "en", "")


def test_the_language_column_may_be_left_out(tmp_path):
    values = row()
    code, _, _ = run_import(write_csv(tmp_path / "in.csv", [values], header=REQUIRED_HEADER))
    assert code == 0 and language_of(values) == ""


def test_a_blank_language_keeps_the_one_the_patient_has(tmp_path):
    first = row(language="es-MX")
    run_import(write_csv(tmp_path / "one.csv", [first]))
    code, out, _ = run_import(write_csv(tmp_path / "two.csv", [{**first, "language": ""}]))
    assert code == 0 and "unchanged 1" in out
    assert language_of(first) == "es"
    code, out, _ = run_import(write_csv(tmp_path / "three.csv", [{**first, "language": "en"}]))
    assert "updated 1" in out and language_of(first) == "en"


@pytest.mark.parametrize("language", ["fr", "+12015550123", "spanglish"])
def test_an_unknown_language_names_the_line_and_field_never_the_value_and_writes_nothing(tmp_path, language):
    good, bad = row(), row(language=language)
    code, out, err = run_import(write_csv(tmp_path / "in.csv", [good, bad]))
    assert code == 1
    assert out.strip() == "created 1, updated 0, unchanged 0, rejected 1"
    assert err.splitlines() == ["line 3: language: unknown language: use one of en, es (or leave it blank)"]
    assert language not in err
    assert not Contact.objects.filter(first_name=bad["first_name"]).exists()
    assert "language" in HEADER


@pytest.fixture
def api(client):
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {ApiToken.issue('booking-system')[1]}"
    return client


def post(client, data):
    return client.post(URL, json.dumps(data), content_type="application/json")


def body(**overrides):
    return {**row(sms_consent=True, email_consent=False), **overrides}


def test_the_api_language_field_sets_the_patients_language(api):
    values = body(language="es")
    response = post(api, values)
    assert response.status_code == 201, response.content
    assert language_of(values) == "es"


@pytest.mark.parametrize(("language", "reason"), [("de", "unknown language"), (7, "must be a string")])
def test_a_bad_api_language_is_a_field_error_and_writes_nothing(api, language, reason):
    before = db_counts()
    response = post(api, body(language=language))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["language"] and errors["language"][0].startswith(reason)
    assert db_counts() == before

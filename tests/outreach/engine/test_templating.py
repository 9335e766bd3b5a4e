import pytest
from django.core.exceptions import ValidationError

from outreach.engine.sms_segments import encoding, segment_count
from outreach.engine.templating import render, template_errors, validate_step
from outreach.models import Campaign, CampaignStep, Purpose
from tests.outreach.factories import CARE_SMS

# Validation reads the clinic's default language (Settings > Clinic): the step's own templates are in it.
pytestmark = pytest.mark.django_db


def step(purpose=Purpose.CARE, **fields):
    values = {"name": "s", "send_sms": True, "sms_body": CARE_SMS}
    values.update(fields)
    return CampaignStep(campaign=Campaign(pk=1, name="c", purpose=purpose), **values)


def test_render_substitutes_known_variables_and_escapes_html_only_where_asked():
    context = {"first_name": "<Ann & Bo>"}
    assert render("Hi {{first_name}}!", context) == "Hi <Ann & Bo>!"
    assert render("<p>Hi {{ first_name }}</p>", context, escape_html=True) == "<p>Hi &lt;Ann &amp; Bo&gt;</p>"


def test_unknown_variable_and_broken_braces_are_named():
    assert template_errors("Hi {{ fist_name }}") == ["unknown variable {{ fist_name }}"]
    assert "a '{{' or '}}' that is not a complete {{ variable }}" in template_errors("Hi {{ first_name }")


def test_a_valid_care_step_passes():
    validate_step(step())


def test_unknown_variable_is_a_field_error():
    with pytest.raises(ValidationError) as caught:
        validate_step(step(sms_body=CARE_SMS + " {{ diagnosis }}"))
    assert "Unknown variable {{ diagnosis }}" in caught.value.message_dict["sms_body"][0]


def test_care_sms_must_name_the_clinic_give_its_phone_and_say_how_to_opt_out():
    with pytest.raises(ValidationError) as caught:
        validate_step(step(sms_body="See you {{ appointment_date }}."))
    messages = " ".join(caught.value.message_dict["sms_body"])
    assert "{{ clinic_name }}" in messages and "{{ clinic_phone }}" in messages
    assert "opt out" in messages


def test_education_sms_needs_no_care_footer_but_still_a_length_limit():
    validate_step(step(purpose=Purpose.EDUCATION, sms_body="New reading: {{ article_links }}"))
    with pytest.raises(ValidationError) as caught:
        validate_step(step(purpose=Purpose.EDUCATION, sms_body="x" * 400))
    assert "segments" in caught.value.message_dict["sms_body"][0]


def test_email_step_needs_subject_and_text():
    with pytest.raises(ValidationError) as caught:
        validate_step(step(send_sms=False, send_email=True, email_subject="", email_text=""))
    assert set(caught.value.message_dict) == {"email_subject", "email_text"}


@pytest.mark.parametrize(
    ("text", "expected_encoding", "segments"),
    [
        ("a" * 160, "GSM-7", 1),
        ("a" * 161, "GSM-7", 2),
        ("a" * 306, "GSM-7", 2),
        ("a" * 307, "GSM-7", 3),
        ("€" * 80, "GSM-7", 1),  # extended characters count twice
        ("€" * 81, "GSM-7", 2),
        ("é" * 160, "GSM-7", 1),
        ("ł" * 70, "UCS-2", 1),
        ("ł" * 71, "UCS-2", 2),
        ("🙂" * 35, "UCS-2", 1),  # outside the BMP: two UTF-16 units each
        ("🙂" * 36, "UCS-2", 2),
    ],
)
def test_segment_counts(text, expected_encoding, segments):
    assert encoding(text) == expected_encoding
    assert segment_count(text) == segments

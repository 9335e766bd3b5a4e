"""Issue 14 §1: every path that sends to a person passes the gate. Each path is walked for an address that opted
out, one that is suppressed, one abroad and a number that cannot receive texts, and nothing may reach the fake
provider (or the TwiML answer); a clean address is the control that the path does send. HTTP where the path is
HTTP: the subscribe form, the inbound webhook, the inbox's reply view and "send a test".

A crisis answer is the one exception, on purpose: it always goes to the number that wrote (outreach/engine/gate.py).
"""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from outreach.consent import ledger
from outreach.models import Channel, ConsentRecord, Contact, InboundMessage, Purpose, Subscription, Suppression
from tests.cms.factories import make_article, make_site_tree, make_topic
from tests.outreach.admin.conftest import make_user
from tests.outreach.admin.test_campaign_admin import editor_step_fields
from tests.outreach.factories import make_campaign, make_consultation, make_contact
from tests.support.engine import daytime_zone, plan_and_send
from tests.support.inbound import configure, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]
Source = ConsentRecord.Source
ABROAD = "+442071838750"  # London
BLOCKED = ("opted out", "suppressed", "abroad", "unreachable")
FOLLOW_UP_SMS = "{{ clinic_name }}: reading for you: {{ article_links }} Reply STOP to opt out."


@pytest.fixture(autouse=True)
def clinic_and_webhooks(settings):
    configure(settings)
    settings.AXES_ENABLED = False
    cache.clear()
    from cms.clinic import get_clinic_settings

    clinic = get_clinic_settings()
    clinic.clinic_name = "Test Clinic"
    clinic.phone = "(203) 555-0100"
    clinic.save()


def recipient(state, *, education=False):
    """A patient whose texts (and emails) are in `state`; consent granted first, as the booking system said."""
    contact = make_contact(
        time_zone=daytime_zone(),
        phone=ABROAD if state == "abroad" else True,
        sms_reachable=state != "unreachable",
    )
    if education:
        for channel in Channel.values:
            ledger.record_consent(contact, channel, Purpose.EDUCATION, True, Source.API)
    if state == "opted out":
        ledger.opt_out(contact, Channel.SMS, Source.KEYWORD, wording="STOP")
        ledger.opt_out(contact, Channel.EMAIL, Source.UNSUBSCRIBE_LINK)
    if state == "suppressed":
        Suppression.add(Channel.SMS, str(contact.phone), Suppression.Reason.COMPLAINT)
        Suppression.add(Channel.EMAIL, contact.email, Suppression.Reason.HARD_BOUNCE)
    return contact


def sms_states():
    return ["clean", *BLOCKED]


def expect(state, messages, *, count=1):
    if state == "clean":
        assert len(messages) == count, messages
    else:
        assert messages == [], state


# -- The outbox: reminders, follow-ups and digests -------------------------------------------------------------------


@pytest.mark.parametrize("state", sms_states())
def test_campaign_reminders(state, twilio_settings, postmark_settings):
    make_campaign(steps=[{"send_email": True}])
    make_consultation(recipient(state), in_hours=23.95)
    plan_and_send()
    expect(state, twilio_settings.messages)
    # An email address abroad or a number that cannot take texts does not stop email.
    expect("clean" if state in ("abroad", "unreachable") else state, postmark_settings.messages)


@pytest.mark.parametrize("state", sms_states())
def test_article_follow_ups(state, twilio_settings, postmark_settings):
    _, index = make_site_tree()
    topic = make_topic("pain-management")
    make_article(index, topics=[topic])
    make_campaign(
        name="Article follow-up",
        purpose=Purpose.EDUCATION,
        steps=[
            {
                "trigger": "after_completed",
                "offset": datetime.timedelta(hours=1),
                "send_email": True,
                "sms_body": FOLLOW_UP_SMS,
                "email_subject": "Reading picked for you",
                "email_text": "Hi {{ first_name }},\n{{ article_links }}",
                "email_html": "<p>Hi {{ first_name }}</p>{{ article_links }}",
                "max_lateness": datetime.timedelta(days=1),
            }
        ],
    )
    consultation = make_consultation(recipient(state, education=True), in_hours=-2.05, status="completed")
    consultation.completed_at = timezone.now() - datetime.timedelta(hours=1.05)
    consultation.save()
    consultation.topics.set([topic])
    plan_and_send()
    expect(state, twilio_settings.messages)
    expect("clean" if state in ("abroad", "unreachable") else state, postmark_settings.messages)


@pytest.mark.parametrize("state", sms_states())
def test_topic_digests(state, twilio_settings, django_capture_on_commit_callbacks):
    _, index = make_site_tree()
    topic = make_topic("ptsd")
    make_campaign(
        name="Topic digest",
        purpose=Purpose.EDUCATION,
        steps=[
            {
                "trigger": "new_article",
                "offset": datetime.timedelta(0),
                "sms_body": FOLLOW_UP_SMS,
                "max_lateness": datetime.timedelta(days=2),
            }
        ],
    )
    contact = recipient(state, education=True)
    Subscription.objects.create(contact=contact, topic=topic, confirmed_at=timezone.now() - datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        make_article(index, topics=[topic])
    plan_and_send()
    expect(state, twilio_settings.messages)


# -- The subscribe form's confirmation request ---------------------------------------------------------------------


@pytest.mark.parametrize("state", [*sms_states(), "opted out by address"])
def test_subscription_confirmation_texts(state, twilio_settings, django_capture_on_commit_callbacks):
    make_topic("ptsd")
    if state == "opted out by address":
        number = "+12035550166"  # texted STOP before it was anyone's
        ledger.opt_out_address(Channel.SMS, number)
    else:
        number = str(recipient(state).phone)
    with django_capture_on_commit_callbacks(execute=True):
        response = APIClient().post(
            "/api/outreach/v1/subscriptions/",
            {"phone": number, "topics": ["ptsd"], "consent_wording": "Yes, send me articles."},
            format="json",
        )
    assert response.status_code == (400 if state == "abroad" else 202), response.content
    expect(state, twilio_settings.messages)


@pytest.mark.parametrize("state", ["clean", "opted out", "suppressed"])
def test_subscription_confirmation_emails(state, postmark_settings, django_capture_on_commit_callbacks):
    make_topic("ptsd")
    email = recipient(state).email
    with django_capture_on_commit_callbacks(execute=True):
        response = APIClient().post(
            "/api/outreach/v1/subscriptions/",
            {"email": email, "topics": ["ptsd"], "consent_wording": "Yes, send me articles."},
            format="json",
        )
    assert response.status_code == 202
    expect(state, postmark_settings.messages)


# -- Answers to inbound texts (TwiML, through the signed webhook) ---------------------------------------------------


@pytest.mark.parametrize("state", sms_states())
def test_keyword_answers(state, client):
    contact = recipient(state)
    make_consultation(contact, in_hours=30)
    replies, inbound = text(client, "C", contact.phone)
    expect(state, replies)
    assert inbound.kind == InboundMessage.Kind.CONFIRM  # the patient's request is still acted on
    assert (inbound.handled_at is None) == (state != "clean")  # unanswered: left open for staff to call


@pytest.mark.parametrize("state", ["suppressed", "abroad", "unreachable"])
def test_help_answers(state, client):
    replies, _ = text(client, "HELP", recipient(state).phone)
    assert replies == []


def test_help_and_the_one_opt_out_confirmation_are_answered_past_an_opt_out(client):
    contact = recipient("clean")
    replies, _ = text(client, "STOP", contact.phone)
    assert len(replies) == 1 and "unsubscribed" in replies[0]
    assert text(client, "STOP", contact.phone)[0] == []  # once
    assert len(text(client, "HELP", contact.phone)[0]) == 1  # CTIA: HELP is always answered
    assert text(client, "C", contact.phone)[0] == []


@pytest.mark.parametrize("state", [*sms_states(), "opted out by address"])
def test_a_crisis_text_is_always_answered(state, client):
    number = "+12035550167" if state == "opted out by address" else recipient(state).phone
    if state == "opted out by address":
        ledger.opt_out_address(Channel.SMS, number)
    replies, inbound = text(client, "I want to end my life", number)
    assert len(replies) == 1 and "988" in replies[0]
    assert inbound.urgent


# -- The staff inbox ------------------------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, django_user_model):
    user = make_user(django_user_model, "outreach_admin")
    client.force_login(user)
    return client


@pytest.mark.parametrize("state", [*sms_states(), "opted out by address"])
def test_staff_replies_from_the_inbox(state, staff_client, twilio_settings):
    if state == "opted out by address":
        number, contact = "+12035550168", None
        ledger.opt_out_address(Channel.SMS, number)
    else:
        contact = recipient(state)
        number = str(contact.phone)
    inbound = InboundMessage.objects.create(
        contact=contact, from_number=number, body="Is parking free?", provider_message_id=f"SM-{state}"
    )
    staff_client.post(reverse("outreach_inbox:reply", args=[inbound.pk]), {"body": "Yes, it is."})
    expect(state, twilio_settings.messages)


def test_a_number_that_opted_out_before_it_was_a_contacts_is_refused_after_it_became_one(staff_client, twilio_settings):
    number = "+12035550169"
    inbound = InboundMessage.objects.create(from_number=number, body="STOP", provider_message_id="SM-early")
    ledger.opt_out_address(Channel.SMS, number)
    Contact.objects.create(first_name="Later", phone=number)  # not adopted yet: the suppression still holds
    staff_client.post(reverse("outreach_inbox:reply", args=[inbound.pk]), {"body": "Hello"})
    assert twilio_settings.messages == []


# -- "Send a test" to a number or email that is a contact's --------------------------------------------------------


@pytest.mark.parametrize("state", sms_states())
def test_send_a_test_to_a_contacts_number(state, staff_client, twilio_settings):
    step = make_campaign(name="Visit reminders").steps.get()
    number = str(recipient(state).phone)
    response = staff_client.post(
        reverse("outreach_campaigns:send_test"), editor_step_fields(step, channel="sms", phone=number)
    )
    expect(state, twilio_settings.messages)
    if state == "clean":
        assert response.status_code == 200 and response.json()["ok"]
    else:
        assert response.status_code == 400 and "was not sent" in response.json()["errors"]["phone"][0]

"""Article follow-ups and digests: the CMS feeds outreach, gated by consent, relevance and good taste."""

import datetime
import urllib.parse

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone
from wagtail.models import PageViewRestriction

from outreach.consent.ledger import record_consent
from outreach.engine.templating import sensitive_warnings
from outreach.models import (
    ArticleAnnouncement,
    ArticleDelivery,
    CampaignStep,
    Channel,
    ConsentRecord,
    MessageStatus,
    OutboundMessage,
    Purpose,
    Subscription,
)
from tests.cms.factories import make_article, make_site_tree, make_topic
from tests.outreach.factories import make_campaign, make_consultation, make_contact
from tests.support.engine import daytime_zone, plan_and_send

pytestmark = pytest.mark.django_db
Source = ConsentRecord.Source
FOLLOW_UP_SMS = "{{ clinic_name }}: reading for you: {{ article_links }} Reply STOP to opt out."


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()


@pytest.fixture
def tree():
    from cms.clinic import get_clinic_settings

    clinic = get_clinic_settings()
    clinic.clinic_name = "Ketamine Center of Connecticut"
    clinic.phone = "(203) 555-0100"
    clinic.save()
    return make_site_tree()


def education_contact(channels=("sms", "email"), **extra):
    contact = make_contact(time_zone=daytime_zone(), **extra)
    for channel in channels:
        record_consent(contact, channel, Purpose.EDUCATION, True, Source.ADMIN, wording="test")
    return contact


def follow_up_campaign(**step):
    values = {
        "trigger": CampaignStep.Trigger.AFTER_COMPLETED,
        "offset": datetime.timedelta(hours=1),
        "send_sms": True,
        "send_email": True,
        "sms_body": FOLLOW_UP_SMS,
        "email_subject": "Reading picked for you",
        "email_text": "Hi {{ first_name }},\n{{ article_links }}",
        "email_html": "<p>Hi {{ first_name }}</p>{{ article_links }}",
        "max_lateness": datetime.timedelta(days=1),
    }
    values.update(step)
    return make_campaign(name="Article follow-up", purpose=Purpose.EDUCATION, min_days_between=7, steps=[values])


def completed(contact, topics, hours_ago=1.05):
    consultation = make_consultation(contact, in_hours=-hours_ago - 1, status="completed")
    consultation.completed_at = timezone.now() - datetime.timedelta(hours=hours_ago)
    consultation.save()
    consultation.topics.set(topics)
    return consultation


def test_a_completed_consultation_gets_one_follow_up_per_consented_channel_with_related_live_articles(tree):
    _, index = tree
    pain, other = make_topic("pain-management"), make_topic("ptsd")
    related = [make_article(index, topics=[pain]) for _ in range(4)]
    unrelated = make_article(index, topics=[other])
    draft = make_article(index, topics=[pain], publish=False)
    follow_up_campaign()
    contact = education_contact(channels=("email",))  # no education consent by SMS
    completed(contact, [pain])

    plan_and_send()
    plan_and_send()

    rows = OutboundMessage.objects.filter(step__campaign__name="Article follow-up")
    sent = rows.filter(status=MessageStatus.SENT)
    assert sent.count() == 1 and sent.get().channel == Channel.EMAIL
    assert rows.get(channel=Channel.SMS).skip_reason == "no consent"
    delivered = set(ArticleDelivery.objects.values_list("page_id", flat=True))
    assert len(delivered) == 3 and delivered <= {page.pk for page in related}
    assert unrelated.pk not in delivered and draft.pk not in delivered
    body = sent.get().body
    assert "utm_medium=email" in body and "utm_campaign=article-follow-up" in body


def test_follow_up_sms_carries_a_neutral_link_that_redirects_to_the_article(tree, client):
    _, index = tree
    pain = make_topic("pain-management")
    article = make_article(index, topics=[pain], slug="ketamine-and-cancer-pain")
    follow_up_campaign(send_email=False)
    contact = education_contact(channels=("sms",))
    completed(contact, [pain])
    plan_and_send()
    row = OutboundMessage.objects.get()
    assert row.status == MessageStatus.SENT
    assert "cancer" not in row.body
    link = next(word for word in row.body.split() if "/r/" in word)
    response = client.get(urllib.parse.urlsplit(link).path)
    assert response.status_code == 302
    assert response["Location"].startswith("http") and "/ketamine-and-cancer-pain/" in response["Location"]
    assert "utm_medium=sms" in response["Location"]
    assert ArticleDelivery.objects.get().page_id == article.pk


def test_private_or_expired_articles_are_never_sent(tree):
    _, index = tree
    pain = make_topic("pain-management")
    private = make_article(index, topics=[pain])
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    make_article(index, topics=[pain], expire_at=timezone.now() - datetime.timedelta(minutes=1))
    follow_up_campaign(send_sms=False)
    completed(education_contact(), [pain])
    plan_and_send()
    row = OutboundMessage.objects.get()
    assert (row.status, row.skip_reason) == (MessageStatus.SKIPPED, "no articles")
    assert not ArticleDelivery.objects.exists()


def digest_campaign():
    return make_campaign(
        name="Topic digest",
        purpose=Purpose.EDUCATION,
        min_days_between=7,
        steps=[
            {
                "trigger": CampaignStep.Trigger.NEW_ARTICLE,
                "offset": datetime.timedelta(0),
                "send_sms": False,
                "send_email": True,
                "email_subject": "New reading",
                "email_text": "{{ article_links }}",
                "email_html": "{{ article_links }}",
                "max_lateness": datetime.timedelta(days=2),
            }
        ],
    )


def subscriber(topic, confirmed_days_ago=1):
    contact = education_contact(channels=("email",))
    Subscription.objects.create(
        contact=contact, topic=topic, confirmed_at=timezone.now() - datetime.timedelta(days=confirmed_days_ago)
    )
    return contact


def test_publishing_announces_once_and_subscribers_get_one_digest(tree, django_capture_on_commit_callbacks):
    _, index = tree
    ptsd = make_topic("ptsd")
    digest_campaign()
    contact = subscriber(ptsd)
    with django_capture_on_commit_callbacks(execute=True):
        first = make_article(index, topics=[ptsd])
        second = make_article(index, topics=[ptsd])
        first.save_revision().publish()  # an edit, republished
    assert ArticleAnnouncement.objects.count() == 2

    plan_and_send()
    plan_and_send()
    [row] = OutboundMessage.objects.all()
    assert row.status == MessageStatus.SENT and row.contact == contact
    assert set(row.articles.values_list("page_id", flat=True)) == {first.pk, second.pk}

    with django_capture_on_commit_callbacks(execute=True):
        make_article(index, topics=[ptsd])  # a third article, within the 7-day gap
    plan_and_send()
    assert OutboundMessage.objects.count() == 1


def test_scheduled_private_and_draft_pages_are_not_announced(tree, django_capture_on_commit_callbacks):
    _, index = tree
    ptsd = make_topic("ptsd")
    with django_capture_on_commit_callbacks(execute=True):
        draft = make_article(index, topics=[ptsd], publish=False)
        scheduled = make_article(index, topics=[ptsd], publish=False)
        scheduled.go_live_at = timezone.now() + datetime.timedelta(days=1)
        scheduled.save_revision().publish()
        private = make_article(index, topics=[ptsd], publish=False)
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
        private.save_revision().publish()
    assert not ArticleAnnouncement.objects.filter(page_id__in=[draft.pk, scheduled.pk, private.pk]).exists()


def test_nobody_gets_the_same_article_twice(tree, django_capture_on_commit_callbacks):
    _, index = tree
    ptsd = make_topic("ptsd")
    digest_campaign()
    contact = subscriber(ptsd)
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(index, topics=[ptsd])
    ArticleDelivery.objects.create(contact=contact, channel="email", page=article, message=make_dummy_message(contact))
    plan_and_send()
    assert not OutboundMessage.objects.filter(step__campaign__name="Topic digest").exists()


def make_dummy_message(contact):
    campaign = follow_up_campaign()
    now = timezone.now()
    return OutboundMessage.objects.create(
        step=campaign.steps.get(),
        contact=contact,
        channel="email",
        status="sent",
        due_at=now,
        scheduled_for=now,
        not_after=now,
    )


def test_subscribers_who_have_not_confirmed_get_nothing(tree, django_capture_on_commit_callbacks):
    _, index = tree
    ptsd = make_topic("ptsd")
    digest_campaign()
    contact = make_contact(time_zone=daytime_zone())
    Subscription.objects.create(contact=contact, topic=ptsd)  # not confirmed
    with django_capture_on_commit_callbacks(execute=True):
        make_article(index, topics=[ptsd])
    plan_and_send()
    assert not OutboundMessage.objects.exists()


def test_sensitive_terms_block_the_send_and_spare_the_clinic_name(tree):
    _, index = tree
    pain = make_topic("pain-management")
    make_article(index, topics=[pain])
    follow_up_campaign(send_email=False, sms_body="{{ clinic_name }}: about your cancer care {{ article_links }} STOP")
    completed(education_contact(), [pain])
    plan_and_send()
    row = OutboundMessage.objects.get()
    assert (row.status, row.skip_reason) == (MessageStatus.SKIPPED, "sensitive term")
    assert "'cancer'" in row.error_message and "ketamine" not in row.error_message
    assert not ArticleDelivery.objects.exists()


def test_template_warnings_name_the_term_but_not_the_clinic():
    step = CampaignStep(
        send_sms=True, sms_body="{{ clinic_name }} on depression care", send_email=True, email_subject="Your PTSD visit"
    )
    warnings = dict(sensitive_warnings(step, clinic_name="Ketamine Center of Connecticut"))
    assert "'depression'" in warnings["sms_body"] and "ketamine" not in warnings["sms_body"]
    assert "'ptsd'" in warnings["email_subject"]


@override_settings(OUTREACH_SENSITIVE_TERMS=["migraine"])
def test_the_term_list_is_configurable():
    from outreach.engine.sensitive import find_terms

    assert find_terms("Migraine clinic news") == ["migraine"]
    assert find_terms("cancer") == []


def test_intake_accepts_topic_slugs_and_a_completed_status_starts_the_follow_up(tree):
    from outreach.intake.upsert import IntakeRejected, upsert

    _, index = tree
    pain, ptsd = make_topic("pain-management"), make_topic("ptsd")
    make_article(index, topics=[ptsd])
    row = {
        "external_id": "BK-7",
        "first_name": "Pat",
        "last_name": "",
        "phone": "+12035550170",
        "email": "",
        "timezone": daytime_zone(),
        "starts_at": (timezone.now() - datetime.timedelta(hours=3)).isoformat(),
        "sms_consent": "yes",
        "email_consent": "",
        "topics": "pain-management;ptsd",
        "status": "scheduled",
    }
    consultation = upsert(row, Source.IMPORT).consultation
    assert set(consultation.topics.all()) == {pain, ptsd}
    with pytest.raises(IntakeRejected) as rejected:
        upsert({**row, "topics": "no-such-topic"}, Source.IMPORT)
    assert "topics" in rejected.value.errors

    record_consent(consultation.contact, Channel.SMS, Purpose.EDUCATION, True, Source.ADMIN, wording="test")
    follow_up_campaign(send_email=False, offset=datetime.timedelta(0))
    result = upsert({**row, "status": "completed"}, Source.IMPORT)
    assert result.outcome == "updated" and result.consultation.completed_at is not None
    plan_and_send()
    sent = OutboundMessage.objects.get(step__campaign__name="Article follow-up")
    assert sent.status == MessageStatus.SENT

"""Follow-ups and digests send each article in the patient's language when its translation is live (issue 20):
Wagtail's i18n, one page per translation; the choice among articles is made on the default locale's pages."""

import datetime

import pytest
from django.core.cache import cache

from outreach.followups.articles import read_neutral_link
from outreach.models import ArticleDelivery, MessageStatus, OutboundMessage
from tests.cms.conftest import member
from tests.cms.factories import make_article, make_site_tree, make_topic
from tests.cms.test_translations import spanish_version
from tests.outreach.followups.test_follow_ups import completed, education_contact, follow_up_campaign
from tests.support.engine import plan_and_send

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()


@pytest.fixture
def team(django_user_model):
    return member(django_user_model, "editor", "Marketing editors"), member(
        django_user_model, "drlee", "Clinical reviewers", first_name="Morgan", last_name="Lee"
    )


@pytest.fixture
def tree():
    from cms.clinic import get_clinic_settings

    clinic = get_clinic_settings()
    clinic.clinic_name = "KCC Milford"
    clinic.phone = "(203) 555-0100"
    clinic.save()
    return make_site_tree()


def translate(article, title, team, *, publish=True):
    """Through es_content's editor path: a draft translation, approved in medical review (or left in review)."""
    editor, reviewer = team
    return spanish_version(article, editor, reviewer, approve=publish, title=title)


def test_a_spanish_patient_gets_the_live_spanish_translation_else_the_article_itself(tree, team):
    _, index = tree
    pain = make_topic("pain-management")
    older = make_article(index, topics=[pain], title="Pain article")
    newer = make_article(index, topics=[pain], title="Second article")
    translated = translate(older, "Artículo sobre el dolor", team)
    translate(newer, "Borrador en español", team, publish=False)  # in review: never sent
    follow_up_campaign(send_sms=False)
    spanish, english = education_contact(language="es"), education_contact()
    for contact in (spanish, english):
        completed(contact, [pain])

    plan_and_send()

    rows = {row.contact_id: row for row in OutboundMessage.objects.filter(status=MessageStatus.SENT)}
    assert "Artículo sobre el dolor" in rows[spanish.pk].body and "Second article" in rows[spanish.pk].body
    assert "Borrador" not in rows[spanish.pk].body and "Pain article" not in rows[spanish.pk].body
    assert "Pain article" in rows[english.pk].body and "Artículo" not in rows[english.pk].body
    # Deliveries are recorded on the default locale's pages: never the same article twice in two languages.
    assert set(ArticleDelivery.objects.filter(contact=spanish).values_list("page_id", flat=True)) == {
        older.pk,
        newer.pk,
    }
    assert translated.pk not in set(ArticleDelivery.objects.values_list("page_id", flat=True))


def test_a_translation_is_never_chosen_on_its_own_and_the_sms_link_leads_to_the_spanish_page(tree, team):
    _, index = tree
    pain = make_topic("pain-management")
    article = make_article(index, topics=[pain])
    translation = translate(article, "Artículo en español", team)
    translation.topics.set([pain])  # even sharing the topic, the translation is not a second article
    follow_up_campaign(send_email=False, max_lateness=datetime.timedelta(days=1))
    contact = education_contact(channels=("sms",), language="es")
    completed(contact, [pain])

    plan_and_send()

    row = OutboundMessage.objects.get(contact=contact)
    assert row.status == MessageStatus.SENT
    link = next(word for word in row.body.split() if "/r/" in word)
    token = link.rstrip("/").split("/r/")[1]
    assert read_neutral_link(token)[0] == translation.pk
    assert list(ArticleDelivery.objects.values_list("page_id", flat=True)) == [article.pk]


def test_publishing_a_translation_is_not_announced_as_a_new_article(tree, team):
    from outreach.followups.announcements import announce_if_public
    from outreach.models import ArticleAnnouncement

    _, index = tree
    article = make_article(index, topics=[make_topic("pain-management")], title="Pain article")
    announce_if_public(article)
    translated = translate(article, "Artículo sobre el dolor", team)
    assert announce_if_public(translated) is False
    assert list(ArticleAnnouncement.objects.values_list("page_id", flat=True)) == [article.pk]

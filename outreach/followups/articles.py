"""Articles for follow-ups and digests: which live, public articles a contact should get, and the links to them.

Only `cms.visibility.public_pages()` articles are ever chosen, at send time, so a page unpublished, expired or
made private since planning is never sent. A contact never gets the same article twice on a channel
(ArticleDelivery is unique per contact, channel and page).

Languages: articles are chosen among the pages of the site's default locale (one per translation, so a patient
never gets the same article twice in two languages), and each is sent as its live translation in the patient's
language when there is one (cms.translations.live_translation), else as it is.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from cms.frontend import frontend_url
from cms.images import image_api_representation
from cms.models import ArticlePage
from cms.translations import live_translation
from cms.visibility import public_pages
from outreach import languages
from outreach.engine.step_content import Content
from outreach.models import ArticleAnnouncement, ArticleDelivery, CampaignStep

MAX_ARTICLES = 3
LINK_SALT = "outreach.article-link"


def live_articles():
    return ArticlePage.objects.filter(pk__in=public_pages().type(ArticlePage).values("pk"))


def source_articles():
    """Live articles in the site's default locale: the pages follow-ups and digests choose among."""
    from wagtail.models import Locale

    try:
        default = Locale.get_default()
    except Locale.DoesNotExist:
        return live_articles()
    return live_articles().filter(locale=default)


def in_language(articles, language):
    """Each article as its live translation in `language`, else as it is."""
    return [live_translation(page, language) for page in articles]


def undelivered(queryset, contact, channel):
    return queryset.exclude(pk__in=ArticleDelivery.objects.filter(contact=contact, channel=channel).values("page_id"))


def articles_for(message):
    """The articles a follow-up or digest row carries: those it already holds (a retry), else new ones."""
    held = list(live_articles().filter(pk__in=message.articles.values("page_id")).order_by("-last_published_at"))
    if held:
        return held
    trigger = message.step.trigger
    if trigger == CampaignStep.Trigger.AFTER_COMPLETED and message.consultation_id:
        topics = message.consultation.topics.all()
        chosen = source_articles().filter(topics__in=topics).distinct()
    elif trigger == CampaignStep.Trigger.NEW_ARTICLE:
        chosen = digest_articles(message.contact)
    else:
        return []
    return list(undelivered(chosen, message.contact, message.channel).order_by("-last_published_at")[:MAX_ARTICLES])


def digest_articles(contact):
    """Announced articles in topics the contact confirmed, announced after they confirmed."""
    since = timezone.now() - datetime.timedelta(days=settings.OUTREACH_DIGEST_LOOKBACK_DAYS)
    subscriptions = contact.subscriptions.filter(confirmed_at__isnull=False)
    chosen = source_articles().none()
    for subscription in subscriptions:
        announced = ArticleAnnouncement.objects.filter(announced_at__gte=max(since, subscription.confirmed_at)).values(
            "page_id"
        )
        chosen = chosen | source_articles().filter(pk__in=announced, topics=subscription.topic_id)
    return chosen.distinct()


def record_deliveries(message, articles):
    ArticleDelivery.objects.bulk_create(
        [
            ArticleDelivery(contact=message.contact, channel=message.channel, page=page, message=message)
            for page in articles
        ],
        ignore_conflicts=True,
    )


def tracked_url(page, campaign, channel):
    url = frontend_url(page) or settings.FRONTEND_BASE_URL + "/"
    return f"{url}?utm_source=clinic&utm_medium={channel}&utm_campaign={slugify(campaign.name)}"


def neutral_link(page, campaign, channel):
    """A link that names nothing: SMS must not reveal a condition, and article slugs often do."""
    token = signing.dumps([page.pk, channel, campaign.pk], salt=LINK_SALT, compress=True)
    return f"{settings.PUBLIC_BASE_URL}/r/{token}/"


def read_neutral_link(token):
    """(page id, channel, campaign id) from a neutral link's token, or None."""
    try:
        page_id, channel, campaign_id = signing.loads(token, salt=LINK_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return page_id, channel, campaign_id


def article_context(articles, campaign, channel):
    """`article_links` for a template: one neutral link for SMS, titled links for email (text) and cards (HTML)."""
    if not articles:
        return {"article_links": ""}
    if channel == "sms":
        return {"article_links": neutral_link(articles[0], campaign, channel)}
    cards = [
        {
            "title": page.title,
            "summary": page.summary,
            "url": tracked_url(page, campaign, channel),
            "image": image_api_representation(page.hero_image) if page.hero_image_id else None,
        }
        for page in articles
    ]
    text = "\n\n".join(f"{card['title']}\n{card['url']}" for card in cards)
    html = render_to_string("email/article_cards.html", {"cards": cards})
    return {"article_links": text, "article_links_html": mark_safe(html)}  # noqa: S308 - our own template


def message_content(message):
    """The engine's content provider for follow-up and digest steps (outreach.engine.step_content): the articles the
    row carries, or None when no live article is left to send."""
    articles = articles_for(message)
    if not articles:
        return None
    sent = in_language(articles, languages.of(message.contact))
    return Content(
        context=article_context(sent, message.step.campaign, message.channel),
        record=lambda: record_deliveries(message, articles),
    )

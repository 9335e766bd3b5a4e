"""Announcing newly published articles to their topics' subscribers (the digest planner takes it from there).

Wagtail's `page_published` also fires for a revision that is only scheduled (`go_live_at` in the future), and for
republishing an edited article. Only an article that is actually live and public now is announced, and only once.
"""

import logging

from django.db import transaction
from django.utils import timezone

from cms.models import ArticlePage
from cms.visibility import public_pages
from outreach.models import ArticleAnnouncement

logger = logging.getLogger(__name__)


def is_public_now(page):
    if page.go_live_at and page.go_live_at > timezone.now():
        return False
    return public_pages().filter(pk=page.pk).exists()


def is_source_language(page):
    from wagtail.models import Locale

    try:
        return page.locale_id == Locale.get_default().pk
    except Locale.DoesNotExist:
        return True


def announce_if_public(page):
    page = page.specific
    if not isinstance(page, ArticlePage) or not page.live or not is_public_now(page):
        return False
    if not is_source_language(page):
        return False  # a translation is the same article: announced once, in the default locale
    _, created = ArticleAnnouncement.objects.get_or_create(page_id=page.pk)
    if created:
        logger.info("article %s announced to its topics' subscribers", page.pk)
    return created


def on_page_published(sender, instance, **kwargs):
    page_id = instance.pk
    # After commit: the page's live state and view restrictions are final, and a rollback announces nothing.
    transaction.on_commit(lambda: announce_if_public(ArticlePage.objects.filter(pk=page_id).first() or instance))

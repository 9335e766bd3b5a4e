"""Which pages anonymous readers may see. Every public path (API lists, details, find, filters, search, topics,
rich text links, page choosers, sitemap) starts from `public_pages()`.

Public means: live, not past its expiry time (the scheduled-publishing job may not have unpublished it yet), and
neither the page nor an ancestor carries a view restriction of any kind. Restrictions are applied regardless of the
caller's session, unlike Wagtail's own API: responses are shared through HTTP caches, so a response must never depend
on who asked.
"""

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction


def not_expired(now=None):
    return Q(expire_at__isnull=True) | Q(expire_at__gt=now or timezone.now())


def public_pages(queryset=None, now=None):
    queryset = (queryset if queryset is not None else Page.objects.all()).live().filter(not_expired(now))
    for restricted in PageViewRestriction.objects.select_related("page").only("page__path", "page__depth"):
        queryset = queryset.not_descendant_of(restricted.page, inclusive=True)
    return queryset


def public_pages_in_site(site, queryset=None, now=None):
    if site is None:
        return Page.objects.none()
    return public_pages(queryset, now).descendant_of(site.root_page, inclusive=True)

"""Which pages and documents anonymous readers may see. Every public path (API lists, details, find, filters, search,
topics, rich text links, page choosers, sitemap) starts from `public_pages()`.

Public means: live, not past its expiry time (the scheduled-publishing job may not have unpublished it yet), and
neither the page nor an ancestor carries a view restriction of any kind. Restrictions are applied regardless of the
caller's session, unlike Wagtail's own API: responses are shared through HTTP caches, so a response must never depend
on who asked.

Documents likewise: one in a collection under a view restriction (password, login, groups), or in any descendant of
such a collection, is never listed, detailed or linked, whoever asks (`public_documents`). Its file is served only by
Wagtail's document view, which applies the restriction.
"""

from django.db.models import Q
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction


def not_expired(now=None):
    return Q(expire_at__isnull=True) | Q(expire_at__gt=now or timezone.now())


def public_pages(queryset=None, now=None):
    queryset = (queryset if queryset is not None else Page.objects.all()).live().filter(not_expired(now))
    for restricted in PageViewRestriction.objects.select_related("page").only("page__path", "page__depth"):
        queryset = queryset.not_descendant_of(restricted.page, inclusive=True)
    return queryset


def public_pages_in_site(site, queryset=None, now=None):
    """Public pages under the site's root page or any of its translations (each language's tree)."""
    if site is None:
        return Page.objects.none()
    in_site = Q()
    for path in site.root_page.get_translations(inclusive=True).values_list("path", flat=True):
        in_site |= Q(path__startswith=path)
    return public_pages(queryset, now).filter(in_site)


def restricted_collections():
    """Collections under any view restriction, with their descendants."""
    restricted = Q()
    for path in Collection.objects.filter(pk__in=CollectionViewRestriction.objects.values("collection")).values_list(
        "path", flat=True
    ):
        restricted |= Q(path__startswith=path)
    return Collection.objects.filter(restricted) if restricted else Collection.objects.none()


def public_documents(queryset=None):
    queryset = queryset if queryset is not None else get_document_model().objects.all()
    return queryset.exclude(collection__in=restricted_collections())

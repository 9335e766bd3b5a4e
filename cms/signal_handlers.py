"""Invalidate cached API responses whenever content changes (see cms/caching.py); and, on publish, give articles
their medical-review record (cms/medical_review.py).

Any save or delete of a content model bumps the content version: pages (publish, unpublish, move, drafts), view
restrictions, sites, snippets, clinic settings, images, documents and redirects. Bookkeeping rows written while
serving or logging (renditions, the reference index, log entries) do not.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from cms.caching import bump_content_version

CONTENT_APPS = {"cms", "wagtailcore", "wagtailimages", "wagtaildocs", "wagtailredirects"}
IGNORED_MODELS = {
    "wagtailimages.rendition",
    "wagtailcore.referenceindex",
    "wagtailcore.pagelogentry",
    "wagtailcore.modellogentry",
    "wagtailcore.pagesubscription",
    "wagtailcore.uploadedfile",
}


def is_content_model(model):
    meta = model._meta
    return meta.app_label in CONTENT_APPS and meta.label_lower not in IGNORED_MODELS


def site_roots_changed(instance):
    """A page at the top of the tree may be a site's root page in another language (its translation): Wagtail caches
    site root paths and clears them only when a Site changes, so clear them when such a page is saved or deleted."""
    from wagtail.models import Page, Site

    if isinstance(instance, Page) and instance.depth == 2:
        Site.clear_site_root_paths_cache()


def content_changed(sender, **kwargs):
    if is_content_model(sender):
        site_roots_changed(kwargs.get("instance"))
        # Bump now so this process (and tests) never read a stale entry, and again after commit so no request that
        # read the old version mid-transaction can have cached pre-commit content under the new one.
        bump_content_version()
        transaction.on_commit(bump_content_version)


def register_signal_handlers():
    from wagtail.signals import page_published

    from cms.medical_review import record_review_on_publish

    # Articles carry their latest medical-review approval (cms/medical_review.py).
    page_published.connect(record_review_on_publish, dispatch_uid="cms_medical_review")
    post_save.connect(content_changed, dispatch_uid="cms_content_saved")
    post_delete.connect(content_changed, dispatch_uid="cms_content_deleted")
    m2m_changed.connect(content_changed, dispatch_uid="cms_content_m2m")

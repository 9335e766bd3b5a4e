"""Abstract building blocks of the page models: front-end URLs, headless preview, SEO, medical review, demo flag."""

import math

from django.conf import settings
from django.db import models
from django.http import Http404, HttpResponseRedirect
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail_headless_preview.models import HeadlessPreviewMixin

from cms.frontend import frontend_path, frontend_url

WORDS_PER_MINUTE = 200


class FrontendPageMixin(HeadlessPreviewMixin):
    """Pages live on the headless front end: their URLs point there, and this server renders no HTML for them.

    Preview goes through wagtail-headless-preview: the editor's Preview panel loads
    ``FRONTEND_BASE_URL/preview?content_type=<app.model>&token=<signed token>``; the front end then fetches
    ``/api/v2/page_preview/?content_type=...&token=...`` (see cms/preview.py, which also enforces the token's age).
    """

    def get_url_parts(self, request=None):
        parts = super().get_url_parts(request)
        if not parts or parts[2] is None:
            return parts
        site_id, _root_url, page_path = parts
        return site_id, settings.FRONTEND_BASE_URL.rstrip("/"), page_path

    def serve(self, request, *args, **kwargs):
        # The front end renders pages. Send visitors there, unless it is this very server (a redirect loop).
        url = frontend_url(self)
        if url and not url.startswith(request.build_absolute_uri("/").rstrip("/")):
            return HttpResponseRedirect(url)
        raise Http404("Pages are rendered by the front end; see /api/v2/pages/.")

    @property
    def frontend_path(self):
        return frontend_path(self)


class SEOMixin(models.Model):
    """Wagtail's seo_title and search_description, plus the image social cards use."""

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown when the page is shared. Defaults to the hero image.",
    )

    promote_panels = [
        MultiFieldPanel(
            [FieldPanel("slug"), FieldPanel("seo_title"), FieldPanel("search_description"), FieldPanel("social_image")],
            "Search and sharing",
        )
    ]

    class Meta:
        abstract = True


class MedicalReviewMixin(models.Model):
    author = models.ForeignKey(
        "cms.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="Who wrote it."
    )
    medical_reviewer = models.ForeignKey(
        "cms.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The clinician who approved it in the Medical review workflow (set by the approval).",
    )
    last_reviewed = models.DateField(
        null=True,
        blank=True,
        help_text="When it was last approved in the Medical review workflow (set by the approval).",
    )

    # A copy (a translation, a duplicate) has not been reviewed: it gets its own reviewer and date from its approval.
    exclude_fields_in_copy = ["medical_reviewer", "last_reviewed"]

    # Reviewer and date come from the workflow's approval (cms/medical_review.py), so they are shown, not edited.
    review_panels = [
        MultiFieldPanel(
            [
                FieldPanel("author"),
                FieldPanel("medical_reviewer", read_only=True),
                FieldPanel("last_reviewed", read_only=True),
            ],
            "Review",
        )
    ]

    class Meta:
        abstract = True


class DemoContentMixin(models.Model):
    is_demo = models.BooleanField(
        default=False, help_text="Demo content made by seed_demo; front ends show a notice. Untick for real content."
    )

    class Meta:
        abstract = True


class ReadingTimeMixin:
    """Reading time from the body's raw JSON: no query, and right for previews of unsaved drafts too."""

    @property
    def reading_time_minutes(self):
        from cms.blocks import body_plain_text

        words = len(body_plain_text(self.body.raw_data).split())
        return max(1, math.ceil(words / WORDS_PER_MINUTE))


class BasePage(FrontendPageMixin, DemoContentMixin, SEOMixin, Page):
    """Shared by every page type of the site."""

    promote_panels = SEOMixin.promote_panels + [FieldPanel("is_demo")]

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        from cms.medical_review import guard_translation_going_live

        # Translations go live only with their own medical review (cms/medical_review.py).
        guard_translation_going_live(self, kwargs.get("update_fields"))
        return super().save(*args, **kwargs)

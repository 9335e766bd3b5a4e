"""Page types. Tree: Root > HomePage > {ArticleIndexPage > ArticlePage, ServicePage}."""

from django import forms
from django.db import models
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable
from wagtail.search import index

from cms.blocks import RICH_TEXT_FEATURES, BodyStreamBlock
from cms.models.mixins import BasePage, MedicalReviewMixin, ReadingTimeMixin
from cms.models.snippets import in_default_locale
from cms.serializers import ImageField, PageLinksField, PersonField, SEOField, TopicsField


def hero_image_field():
    return models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Alt text comes from the image's description.",
    )


COMMON_API_FIELDS = [
    APIField("hero_image", serializer=ImageField()),
    APIField("seo", serializer=SEOField()),
    APIField("is_demo"),
]


class HomePage(BasePage):
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.ArticleIndexPage", "cms.ServicePage", "cms.InfoPage"]
    # One home per language: the default one is the Site's root page, the others are its translations (made with
    # Translate, never added: see can_create_at).

    intro = RichTextField(blank=True, features=RICH_TEXT_FEATURES)
    hero_image = hero_image_field()
    body = StreamField(BodyStreamBlock(), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("hero_image"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro"), *COMMON_API_FIELDS, APIField("body")]

    class Meta:
        verbose_name = "home page"

    @classmethod
    def can_create_at(cls, parent):
        return super().can_create_at(parent) and not cls.objects.exists()


class ArticleIndexPage(BasePage):
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ArticlePage"]
    max_count_per_parent = 1

    intro = models.TextField(blank=True)
    hero_image = hero_image_field()

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("hero_image")]
    api_fields = [APIField("intro"), *COMMON_API_FIELDS]

    class Meta:
        verbose_name = "article index"


class ArticlePage(ReadingTimeMixin, MedicalReviewMixin, BasePage):
    parent_page_types = ["cms.ArticleIndexPage"]
    subpage_types = []

    summary = models.TextField(max_length=400, help_text="One or two sentences for listings and search results.")
    hero_image = hero_image_field()
    body = StreamField(BodyStreamBlock())
    topics = ParentalManyToManyField(
        "cms.Topic", blank=True, related_name="articles", limit_choices_to=in_default_locale
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("summary"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        *MedicalReviewMixin.review_panels,
        InlinePanel("related_links", label="Related articles", max_num=6),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.FilterField("last_reviewed"),
    ]
    api_fields = [
        APIField("summary"),
        *COMMON_API_FIELDS,
        APIField("body"),
        APIField("topics", serializer=TopicsField()),
        APIField("author", serializer=PersonField()),
        APIField("medical_reviewer", serializer=PersonField()),
        APIField("last_reviewed"),
        APIField("reading_time_minutes"),
        APIField("related_articles", serializer=PageLinksField()),
    ]
    # Also shown in list responses (?type=cms.ArticlePage) so a listing needs no second request.
    api_listing_fields = ["summary", "hero_image", "topics", "last_reviewed", "reading_time_minutes", "is_demo"]

    class Meta:
        verbose_name = "article"

    @property
    def related_articles(self):
        """Related articles, each in this article's language where a translation is public (a translation keeps
        its source's links, which name the default language's pages)."""
        pages = [link.related_page for link in self.related_links.all() if link.related_page is not None]
        if any(page.locale_id != self.locale_id for page in pages):
            from cms.translations import live_translation

            pages = [live_translation(page, self.locale.language_code) for page in pages]
        return pages


class RelatedArticle(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="related_links")
    related_page = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("related_page")]


class ServicePage(BasePage):
    """A treatment the clinic offers, e.g. ketamine infusion for depression."""

    parent_page_types = ["cms.HomePage"]
    subpage_types = []

    summary = models.TextField(max_length=400)
    conditions = models.CharField(max_length=200, blank=True, help_text='What it treats, e.g. "Chronic pain".')
    hero_image = hero_image_field()
    body = StreamField(BodyStreamBlock(), help_text="Include FAQ items for the questions patients ask.")
    topics = ParentalManyToManyField(
        "cms.Topic", blank=True, related_name="services", limit_choices_to=in_default_locale
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("summary"),
        FieldPanel("conditions"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    api_fields = [
        APIField("summary"),
        APIField("conditions"),
        *COMMON_API_FIELDS,
        APIField("body"),
        APIField("topics", serializer=TopicsField()),
    ]
    api_listing_fields = ["summary", "conditions", "hero_image", "is_demo"]

    class Meta:
        verbose_name = "service"


class InfoPage(BasePage):
    """A page of plain information the clinic keeps up to date: the privacy notice, terms, accessibility statement.

    Clinic settings say which one is the privacy notice (linked from the footer and the subscribe form).
    """

    parent_page_types = ["cms.HomePage"]
    subpage_types = []

    summary = models.TextField(max_length=400, blank=True, help_text="One or two sentences for search results.")
    last_updated = models.DateField(null=True, blank=True, help_text='Shown as "Last updated" on the page.')
    body = StreamField(BodyStreamBlock(), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("summary"), FieldPanel("last_updated"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    api_fields = [
        APIField("summary"),
        APIField("last_updated"),
        APIField("seo", serializer=SEOField()),
        APIField("is_demo"),
        APIField("body"),
    ]

    class Meta:
        verbose_name = "information page"


__all__ = ["ArticleIndexPage", "ArticlePage", "HomePage", "InfoPage", "RelatedArticle", "ServicePage"]

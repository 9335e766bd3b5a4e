"""Snippets shared by many pages: topics (also used by outreach) and people (authors, medical reviewers)."""

from django.conf import settings
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class Topic(index.Indexed, models.Model):
    """A subject patients follow. Outreach links subscriptions and follow-ups here: keep the name and app label."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, help_text="Used in URLs and API filters: ?topic=<slug>")
    description = models.TextField(blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("slug")]
    api_fields = ["name", "slug", "description"]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Person(index.Indexed, models.Model):
    """An author or medical reviewer shown on articles."""

    name = models.CharField(max_length=120)
    credentials = models.CharField(max_length=60, blank=True, help_text='Post-nominals, e.g. "MD" or "RN, BSN".')
    role = models.CharField(max_length=120, blank=True, help_text='e.g. "Medical director".')
    bio = models.TextField(blank=True)
    photo = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name="staff account",
        help_text="The admin account this person approves medical reviews with: their approvals name them as the "
        "reviewer of the page.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("credentials"),
        FieldPanel("role"),
        FieldPanel("bio"),
        FieldPanel("photo"),
        FieldPanel("user"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

"""Snippets shared by many pages: topics (also used by outreach) and people (authors, medical reviewers)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from wagtail.admin.panels import FieldPanel
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import TranslatableMixin
from wagtail.search import index


def default_language_code():
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def in_default_locale():
    """Pages are tagged with topics of the default language (limit_choices_to): one row per subject, so a page, its
    translations and outreach's subscriptions all name the same topic; the API shows its name in the page's language.
    """
    return Q(locale__language_code=default_language_code())


class TopicQuerySet(models.QuerySet):
    def canonical(self):
        """The topics pages are tagged with and outreach subscribes to: those of the default language."""
        return self.filter(in_default_locale())


class Topic(TranslatableMixin, index.Indexed, models.Model):
    """A subject patients follow. Outreach links subscriptions and follow-ups here: keep the name and app label.

    Translatable (name and description); the slug is the topic's identifier in every language (URLs, ``?topic=``,
    subscriptions), so a translation keeps its source's slug.
    """

    name = models.CharField(max_length=100)
    slug = models.SlugField(
        max_length=100, help_text="Used in URLs and API filters: ?topic=<slug>. The same in every language."
    )
    description = models.TextField(blank=True)

    objects = TopicQuerySet.as_manager()

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("slug"),
        index.FilterField("locale_id"),
    ]
    api_fields = ["name", "slug", "description"]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale"), ("name", "locale")]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        other = Topic.objects.filter(translation_key=self.translation_key).exclude(pk=self.pk).first()
        if other is not None and other.slug != self.slug:
            raise ValidationError({"slug": f'Translations share one slug: keep "{other.slug}".'})

    def in_locale(self, locale_id):
        """This topic's translation in a locale (by id), else itself."""
        if self.locale_id == locale_id:
            return self
        return Topic.objects.filter(translation_key=self.translation_key, locale_id=locale_id).first() or self


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

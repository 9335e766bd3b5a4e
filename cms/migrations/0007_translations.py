"""Languages (README "Languages"): topics become translatable, the clinic's texts get per-language versions, and
the editorial groups may make translations.

- Topic: TranslatableMixin's ``translation_key`` and ``locale``. Existing rows are given the default locale and a key
  each the way Wagtail documents (nullable fields, ``BootstrapTranslatableModel``, then required); name and slug are
  unique per language instead of overall (a translation keeps its source's slug).
- Pages are tagged with topics of the default language (``limit_choices_to``).
- ClinicTranslation: the disclaimer and booking URL in another language.
- A Locale for each content language (English exists; Spanish is added).
- "Can submit translations" (wagtail.contrib.simple_translation) for Marketing editors, Clinical reviewers and Clinic
  administrators. A translation is a draft page that goes through the Medical review workflow like any other;
  Clinic administrators also manage the languages (Settings > Locales).
"""

import uuid

import django.db.models.deletion
import modelcluster.fields
from django.db import migrations, models
from wagtail.models import BootstrapTranslatableModel

import cms.models.snippets

TRANSLATORS = ["Marketing editors", "Clinical reviewers", "Clinic administrators"]
LOCALE_MANAGERS = ["Clinic administrators"]


def add_locales(apps, schema_editor):
    """A Locale for each content language (WAGTAIL_CONTENT_LANGUAGES); the default one exists already."""
    from django.conf import settings

    Locale = apps.get_model("wagtailcore.Locale")
    for code, _name in getattr(settings, "WAGTAIL_CONTENT_LANGUAGES", []):
        Locale.objects.get_or_create(language_code=code)


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    submit = Permission.objects.get(content_type__app_label="simple_translation", codename="submit_translation")
    locales = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=["add_locale", "change_locale", "delete_locale"]
    )
    for group in Group.objects.filter(name__in=TRANSLATORS):
        group.permissions.add(submit)
    for group in Group.objects.filter(name__in=LOCALE_MANAGERS):
        group.permissions.add(*locales)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0006_person_user_and_review_record"),
        ("simple_translation", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="topic",
            name="translation_key",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.AddField(
            model_name="topic",
            name="locale",
            field=models.ForeignKey(
                null=True,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        BootstrapTranslatableModel("cms.Topic"),
        migrations.AlterField(
            model_name="topic",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterField(
            model_name="topic",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AlterField(
            model_name="topic",
            name="name",
            field=models.CharField(max_length=100),
        ),
        migrations.AlterField(
            model_name="topic",
            name="slug",
            field=models.SlugField(
                max_length=100,
                help_text="Used in URLs and API filters: ?topic=<slug>. The same in every language.",
            ),
        ),
        migrations.AlterUniqueTogether(
            name="topic",
            unique_together={("translation_key", "locale"), ("slug", "locale"), ("name", "locale")},
        ),
        migrations.AlterField(
            model_name="articlepage",
            name="topics",
            field=modelcluster.fields.ParentalManyToManyField(
                blank=True,
                limit_choices_to=cms.models.snippets.in_default_locale,
                related_name="articles",
                to="cms.topic",
            ),
        ),
        migrations.AlterField(
            model_name="servicepage",
            name="topics",
            field=modelcluster.fields.ParentalManyToManyField(
                blank=True,
                limit_choices_to=cms.models.snippets.in_default_locale,
                related_name="services",
                to="cms.topic",
            ),
        ),
        migrations.CreateModel(
            name="ClinicTranslation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("medical_disclaimer", models.TextField(blank=True, help_text="Empty: the default language's.")),
                (
                    "booking_url",
                    models.URLField(
                        blank=True, help_text="A booking page in this language. Empty: the default one."
                    ),
                ),
                (
                    "locale",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="wagtailcore.locale",
                        verbose_name="language",
                    ),
                ),
                (
                    "settings",
                    modelcluster.fields.ParentalKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="translations",
                        to="cms.clinicsettings",
                    ),
                ),
            ],
            options={
                "verbose_name": "clinic texts in another language",
                "constraints": [
                    models.UniqueConstraint(fields=("settings", "locale"), name="cms_clinic_translation_once")
                ],
            },
        ),
        migrations.RunPython(add_locales, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]

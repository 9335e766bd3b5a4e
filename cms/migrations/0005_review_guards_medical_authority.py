"""Who may change what the public reads as medical authority, and who may publish.

- People (names, credentials, roles) and topics are snippets: an edit is live at once, with no workflow. They are
  read as medical authority ("Dr. ..., MD, Medical director"), so only Clinical reviewers and Clinic administrators
  add or change them (reviewers gain "add"); Marketing editors choose them on pages (which go through medical review) but no longer add or edit
  them.
- Wagtail's own default groups, "Moderators" (publishes anything, bypassing the Medical review workflow) and
  "Editors", are removed: every group that can publish is one of ours (Clinical reviewers, Clinic administrators).
  Anyone who was in them is left without those permissions; give them one of our groups instead.
"""

from django.db import migrations

EDITORS = "Marketing editors"
REVIEWERS = "Clinical reviewers"
AUTHORITY = ["add_topic", "change_topic", "add_person", "change_person"]
WAGTAIL_DEFAULT_GROUPS = ["Moderators", "Editors"]


def tighten(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    editors = Group.objects.filter(name=EDITORS).first()
    if editors is not None:
        editors.permissions.remove(
            *Permission.objects.filter(content_type__app_label="cms", codename__in=AUTHORITY)
        )
    reviewers = Group.objects.filter(name=REVIEWERS).first()
    if reviewers is not None:
        reviewers.permissions.add(*Permission.objects.filter(content_type__app_label="cms", codename__in=AUTHORITY))
    Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0004_clinic_messaging_name"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(tighten, migrations.RunPython.noop)]

"""Outreach admin access: the "Outreach admins" group, the care-campaign permission, and what marketing editors
may do in Outreach.

- Outreach admins: the Wagtail admin and everything in Outreach (see outreach/admin/permissions.py).
- Marketing editors (a group the CMS migration creates): educational campaigns only; the dashboard's counts.
  Nothing with patient details.
- Clinical reviewers: nothing in Outreach.

Every step is get-or-create, so running it again, or on a database that already has some of it, changes nothing.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

OUTREACH_ADMINS = "Outreach admins"
EDITORS = "Marketing editors"
CARE_PERMISSION = ("campaign", "manage_care_campaigns", "Can manage care (visit reminder) campaigns")

OUTREACH_ADMIN_PERMISSIONS = [
    "wagtailadmin.access_admin",
    "outreach.view_campaign",
    "outreach.add_campaign",
    "outreach.change_campaign",
    "outreach.view_campaignstep",
    "outreach.add_campaignstep",
    "outreach.change_campaignstep",
    "outreach.delete_campaignstep",
    "outreach.manage_care_campaigns",
    "outreach.view_contact",
    "outreach.view_consentrecord",
    "outreach.add_consentrecord",
    "outreach.view_consultation",
    "outreach.add_consultation",
    "outreach.change_consultation",
    "outreach.view_outboundmessage",
    "outreach.change_outboundmessage",
    "outreach.view_inboundmessage",
    "outreach.change_inboundmessage",
    "outreach.view_deliveryevent",
    "outreach.view_suppression",
    "outreach.add_suppression",
    "outreach.delete_suppression",
    "outreach.view_apitoken",
    "outreach.add_apitoken",
    "outreach.change_apitoken",
]
EDITOR_PERMISSIONS = [
    "outreach.view_campaign",
    "outreach.add_campaign",
    "outreach.change_campaign",
    "outreach.view_campaignstep",
    "outreach.add_campaignstep",
    "outreach.change_campaignstep",
    "outreach.delete_campaignstep",
]


def ensure_permissions_exist(apps):
    # Permissions are normally created after all migrations (post_migrate); this migration needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def get_permission(apps, dotted):
    Permission = apps.get_model("auth.Permission")
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def create_groups(apps, schema_editor):
    ensure_permissions_exist(apps)
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")

    model, codename, name = CARE_PERMISSION
    content_type, _ = ContentType.objects.get_or_create(app_label="outreach", model=model)
    Permission.objects.get_or_create(content_type=content_type, codename=codename, defaults={"name": name})

    for group_name, permissions in ((OUTREACH_ADMINS, OUTREACH_ADMIN_PERMISSIONS), (EDITORS, EDITOR_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(*(get_permission(apps, dotted) for dotted in permissions))


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0002_two_way"),
        ("cms", "0002_editorial_groups_and_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]

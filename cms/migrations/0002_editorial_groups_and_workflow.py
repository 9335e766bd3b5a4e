"""Editorial groups and the "Medical review" workflow.

- Marketing editors: write pages (add, change) but cannot publish; they submit to Medical review. They manage
  topics, people, images and documents.
- Clinical reviewers: approve the Medical review task (which publishes), and may publish.
- Clinic administrators: everything editorial, including clinic settings, redirects and bypassing the workflow.

Page permissions sit on the tree root so they cover any home page that is created later. Every step is
get-or-create, so running it on a database that already has some of it changes nothing.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Marketing editors"
REVIEWERS = "Clinical reviewers"
ADMINS = "Clinic administrators"
WORKFLOW = "Medical review"
TASK = "Clinical review"

PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page"],
    REVIEWERS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    ADMINS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
MODEL_PERMISSIONS = {
    EDITORS: [
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "cms.add_topic",
        "cms.change_topic",
        "cms.add_person",
        "cms.change_person",
    ],
    REVIEWERS: [
        "wagtailadmin.access_admin",
        "wagtailimages.choose_image",
        "wagtaildocs.choose_document",
        "cms.change_topic",
        "cms.change_person",
    ],
    ADMINS: [
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.delete_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.delete_document",
        "wagtaildocs.choose_document",
        "cms.add_topic",
        "cms.change_topic",
        "cms.delete_topic",
        "cms.add_person",
        "cms.change_person",
        "cms.delete_person",
        "cms.change_clinicsettings",
        "wagtailredirects.add_redirect",
        "wagtailredirects.change_redirect",
        "wagtailredirects.delete_redirect",
    ],
}
# Collection permissions (images, documents) on the root collection.
COLLECTION_PERMISSIONS = {
    EDITORS: ["wagtailimages.add_image", "wagtailimages.change_image", "wagtailimages.choose_image",
              "wagtaildocs.add_document", "wagtaildocs.change_document", "wagtaildocs.choose_document"],
    REVIEWERS: ["wagtailimages.choose_image", "wagtaildocs.choose_document"],
    ADMINS: ["wagtailimages.add_image", "wagtailimages.change_image", "wagtailimages.delete_image",
             "wagtailimages.choose_image", "wagtaildocs.add_document", "wagtaildocs.change_document",
             "wagtaildocs.delete_document", "wagtaildocs.choose_document"],
}


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


def create_groups_and_workflow(apps, schema_editor):
    ensure_permissions_exist(apps)
    Group = apps.get_model("auth.Group")
    Page = apps.get_model("wagtailcore.Page")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    ContentType = apps.get_model("contenttypes.ContentType")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")

    root_page = Page.objects.filter(depth=1).order_by("path").first()
    root_collection = Collection.objects.filter(depth=1).order_by("path").first()
    groups = {}
    for name in (EDITORS, REVIEWERS, ADMINS):
        group, _ = Group.objects.get_or_create(name=name)
        groups[name] = group
        for dotted in MODEL_PERMISSIONS[name]:
            group.permissions.add(get_permission(apps, dotted))
        if root_page is not None:
            for codename in PAGE_PERMISSIONS[name]:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root_page, permission=get_permission(apps, f"wagtailcore.{codename}")
                )
        if root_collection is not None:
            for dotted in COLLECTION_PERMISSIONS[name]:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=get_permission(apps, dotted)
                )

    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task = GroupApprovalTask.objects.filter(name=TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK, content_type=task_type, active=True)
    task.groups.add(groups[REVIEWERS])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    if root_page is not None:
        # Replaces Wagtail's default "Moderators approval" on the root: one review path for every page.
        WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
    ]

    operations = [migrations.RunPython(create_groups_and_workflow, migrations.RunPython.noop)]

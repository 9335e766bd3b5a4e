"""Send path (issue 19): the dispatcher's claim walks its due index (channel, scheduled_for, id) in ORDER BY order
and stops at its LIMIT; expiry reads only scheduled rows past their lateness; rows in flight are indexed by their
lease, not by status="sending" (which the worker's per-row compare-and-sets could pick over the primary key, reading
every row in flight). And the reference index rows Wagtail wrote for outreach records before they opted out
(outreach/apps.py) are removed: nothing reads them."""

from django.db import migrations, models

FORGET_OUTREACH_REFERENCES = """
DELETE FROM wagtailcore_referenceindex
WHERE base_content_type_id IN (SELECT id FROM django_content_type WHERE app_label = 'outreach')
"""


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0012_contact_language_and_step_translations"),
        ("wagtailcore", "0078_referenceindex"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="outboundmessage", name="outbox_due_idx"),
        migrations.AddIndex(
            model_name="outboundmessage",
            index=models.Index(
                condition=models.Q(("status", "scheduled")), fields=["channel", "scheduled_for", "id"], name="outbox_due_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="outboundmessage",
            index=models.Index(
                condition=models.Q(("status", "scheduled")), fields=["not_after"], name="outbox_expiry_idx"
            ),
        ),
        migrations.RemoveIndex(model_name="outboundmessage", name="outbox_lease_idx"),
        migrations.AddIndex(
            model_name="outboundmessage",
            index=models.Index(
                condition=models.Q(("lease_expires_at__isnull", False)),
                fields=["lease_expires_at"],
                name="outbox_lease_idx",
            ),
        ),
        migrations.RunSQL(FORGET_OUTREACH_REFERENCES, migrations.RunSQL.noop, elidable=True),
    ]

from django.core.management.base import BaseCommand, CommandError

from outreach.consent.retention import purge_message_bodies


class Command(BaseCommand):
    help = (
        "Blank the subject and body of messages (outbound and inbound) older than DAYS, keeping ids, statuses, "
        "times and provider codes for audit. Safe to run daily; running it twice changes nothing more."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, required=True, metavar="DAYS", help="Retention in days.")

    def handle(self, *args, older_than, **options):
        if older_than < 1:
            raise CommandError("--older-than must be at least 1 day")
        report = purge_message_bodies(older_than)
        self.stdout.write(report.summary())

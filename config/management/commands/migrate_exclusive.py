from django.core.management import call_command
from django.core.management.base import BaseCommand

from config.periodic import advisory_lock


class Command(BaseCommand):
    help = (
        "`migrate`, one process at a time: several web hosts starting together (scripts/start.sh web) queue on a "
        "PostgreSQL advisory lock; the first applies the migrations, the others find nothing left to do."
    )

    def handle(self, *args, **options):
        with advisory_lock("migrate", wait=True):
            call_command("migrate", interactive=False, verbosity=options["verbosity"])

from django.core.management.base import BaseCommand

from outreach.models import ApiToken


class Command(BaseCommand):
    help = "Create a bearer token for the booking-system API. The token is printed once and stored only hashed."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Who will use it, e.g. 'booking-system'.")
        parser.add_argument(
            "--booking-system",
            default="",
            help="Scope it to one booking system's consultations (a slug, e.g. 'shelton-ehr'); default: the main one.",
        )

    def handle(self, *args, **options):
        token, raw = ApiToken.issue(options["name"], options["booking_system"])
        self.stdout.write(f"Token for {token.name!r} (shown once; store it in the booking system):\n{raw}")

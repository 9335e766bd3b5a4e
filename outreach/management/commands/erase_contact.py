from django.core.management.base import BaseCommand, CommandError

from outreach.consent.erasure import NotFound, erase


class Command(BaseCommand):
    help = (
        "Erase a patient's personal data on request (by contact id, E.164 phone or email), keeping a hashed "
        "suppression so they are never messaged again. Logged; safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("identifier", help="Contact id, phone number (E.164) or email address.")

    def handle(self, *args, identifier, **options):
        try:
            report = erase(identifier)
        except NotFound as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(report.summary())

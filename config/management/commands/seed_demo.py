from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the demo content (marked as demo). Idempotent: running it again changes nothing."

    def handle(self, *args, **options):
        from cms.demo import seed_cms
        from outreach.demo import seed_outreach

        seed_cms(self.stdout)
        seed_outreach(self.stdout)
        self.stdout.write("Demo content is in place.")

import io
import os
import sys

from django.core.management.base import BaseCommand

from outreach.intake.csv_import import MAX_FILE_BYTES, UnreadableFile, decode, import_rows


def read_text(path):
    """The whole file as text, or UnreadableFile: a file that is not UTF-8 fails before any row is imported."""
    try:
        if os.path.getsize(path) > MAX_FILE_BYTES:
            raise UnreadableFile(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; split it")
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise UnreadableFile(f"cannot read the file: {exc.strerror or exc.__class__.__name__}") from None
    return decode(data)


class Command(BaseCommand):
    help = (
        "Import consultations from a CSV file (header: external_id,first_name,last_name,phone,email,timezone,"
        "starts_at,sms_consent,email_consent[,location,notes,status]). Exit 0: all rows accepted; 1: some rejected; "
        "2: the file could not be read or its header is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the CSV file (UTF-8).")
        parser.add_argument("--dry-run", action="store_true", help="Validate and report; write nothing.")

    def handle(self, *args, **options):
        path = options["file"]
        try:
            report = import_rows(io.StringIO(read_text(path), newline=""), dry_run=options["dry_run"])
        except UnreadableFile as exc:
            self.stderr.write(f"{path}: {exc}")
            sys.exit(2)
        for line in report.errors:
            self.stderr.write(line)
        prefix = "dry run, nothing written: " if options["dry_run"] else ""
        self.stdout.write(prefix + report.summary())
        sys.exit(1 if report.rejected else 0)

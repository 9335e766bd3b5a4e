"""Build consultation CSV files and run the import command, for the intake tests. Fictional data only."""

import csv
import datetime
import io
import itertools
import zoneinfo

from django.core.management import call_command
from django.utils import timezone

from outreach.intake.upsert import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from outreach.models import ConsentRecord, Consultation, Contact, OutboundMessage
from tests.outreach.factories import fictional_phone

HEADER = REQUIRED_COLUMNS + [column for column in OPTIONAL_COLUMNS if column != "topics"]
REQUIRED_HEADER = HEADER[:9]
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")

# Numbers far from the factories' sequence so rows never collide with contacts made by make_contact().
_numbers = itertools.count(3000)


def local_iso(moment, zone=NEW_YORK):
    """ISO 8601 with the offset, as the booking system writes it."""
    return moment.astimezone(zone).replace(microsecond=0).isoformat()


def in_days(days, hour=14):
    return (
        (timezone.now() + datetime.timedelta(days=days))
        .astimezone(NEW_YORK)
        .replace(hour=hour, minute=30, second=0, microsecond=0)
    )


def row(**overrides):
    """One valid row (a dict by column name); every call a new patient and consultation unless overridden."""
    n = next(_numbers)
    values = {
        "external_id": f"BK-{n}",
        "first_name": f"Pat{n}",
        "last_name": "Example",
        "phone": fictional_phone(n),
        "email": f"patient{n}@example.com",
        "timezone": "America/New_York",
        "starts_at": local_iso(in_days(7)),
        "sms_consent": "yes",
        "email_consent": "no",
        "location": "Milford office",
        "notes": "",
        "status": "",
        "language": "",
    }
    values.update(overrides)
    return values


def csv_text(rows, header=HEADER, *, lineterminator="\n"):
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=lineterminator)
    writer.writerow(header)
    for values in rows:
        writer.writerow([values.get(name, "") for name in header])
    return out.getvalue()


def write_csv(path, rows=(), *, header=HEADER, text=None, encoding="utf-8"):
    path.write_bytes((csv_text(rows, header) if text is None else text).encode(encoding))
    return path


def run_import(path, *args):
    """Run the real command; return (exit code, stdout, stderr)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import_consultations", str(path), *args, stdout=stdout, stderr=stderr)
    except SystemExit as exit_:
        code = exit_.code
    return code, stdout.getvalue(), stderr.getvalue()


def db_counts():
    return {
        "contacts": Contact.objects.count(),
        "consultations": Consultation.objects.count(),
        "consents": ConsentRecord.objects.count(),
        "messages": OutboundMessage.objects.count(),
    }

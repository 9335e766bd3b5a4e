"""Import consultations from the booking system's CSV export (see README for the format)."""

import csv
from dataclasses import dataclass, field

from django.db import transaction

from outreach.intake.upsert import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, IntakeRejected, upsert
from outreach.models import ConsentRecord

MAX_FILE_BYTES = 20 * 1024 * 1024


class UnreadableFile(Exception):
    pass


def decode(data):
    """The whole file as text, or UnreadableFile. Decoded before any row is imported, so a file that turns out not
    to be UTF-8 half-way through writes nothing (a stream decoded row by row would have imported the rows above)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UnreadableFile(
            f"not UTF-8 text (line {line}, byte {exc.start}): nothing was imported; export it from the booking "
            "system as CSV (UTF-8)"
        ) from None


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list = field(default_factory=list)  # "line N: field: reason"

    def summary(self):
        return f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, rejected {self.rejected}"


def check_header(header):
    if not header:
        raise UnreadableFile("the file is empty: expected a header line")
    names = [name.strip() for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    unknown = [name for name in names if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    problems = []
    if missing:
        problems.append("missing column(s): " + ", ".join(missing))
    if unknown:
        problems.append("unknown column(s): " + ", ".join(unknown))
    if duplicated:
        problems.append("repeated column(s): " + ", ".join(duplicated))
    if problems:
        raise UnreadableFile("header line: " + "; ".join(problems))
    return names


def import_rows(lines, *, dry_run=False):
    """Import from an iterable of text lines. Each row is its own transaction: a bad row writes nothing and the
    others still import. With dry_run the whole file is imported in one transaction that is then rolled back, so a
    later row sees what an earlier one would have written and the counts are those of a real run."""
    if not dry_run:
        return _import_rows(lines)
    with transaction.atomic():
        report = _import_rows(lines)
        transaction.set_rollback(True)
    return report


def _import_rows(lines):
    reader = csv.reader(lines)
    try:
        names = check_header(next(reader, None))
    except csv.Error as exc:
        raise UnreadableFile(f"line 1: not valid CSV ({exc})") from None
    report = ImportReport()
    while True:
        # Report the line a record starts on, where a person looks for it: csv counts the line it ends on, which
        # differs for a quoted field holding line breaks.
        line = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            report.rejected += 1
            report.errors.append(f"line {line}: row: not valid CSV ({exc})")
            continue
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(names):
            report.rejected += 1
            report.errors.append(f"line {line}: row: expected {len(names)} fields, found {len(values)}")
            continue
        row = {name: value.strip() for name, value in zip(names, values, strict=True)}
        try:
            outcome = import_row(row)
        except IntakeRejected as exc:
            report.rejected += 1
            for field_name, reasons in exc.errors.items():
                report.errors.extend(f"line {line}: {field_name}: {reason}" for reason in reasons)
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def import_row(row):
    with transaction.atomic():
        return upsert(row, ConsentRecord.Source.IMPORT).outcome

"""`manage.py import_consultations`: counts, exit codes, per-row rejection, upserts, consent and contact matching."""

import datetime
import subprocess
import sys

import pytest
from django.utils import timezone

from outreach.consent import ledger as consent
from outreach.engine.planner import plan_due
from outreach.models import (
    Channel,
    ConsentRecord,
    Consultation,
    Contact,
    MessageStatus,
    OutboundMessage,
    Purpose,
)
from tests.outreach.csv_helpers import (
    HEADER,
    REQUIRED_HEADER,
    csv_text,
    db_counts,
    local_iso,
    row,
    run_import,
    write_csv,
)
from tests.outreach.factories import fictional_phone, make_campaign, make_consultation, make_contact
from tests.support.processes import ROOT, process_env

pytestmark = pytest.mark.django_db

NOTHING = {"contacts": 0, "consultations": 0, "consents": 0, "messages": 0}


# --- the happy path and upserts -----------------------------------------------------------------------------------


def test_imports_every_row_and_reports_the_counts(tmp_path):
    rows = [row(), row(), row(notes="Bring the referral letter", status="confirmed")]
    code, out, err = run_import(write_csv(tmp_path / "in.csv", rows))

    assert (code, err) == (0, "")
    assert out.strip() == "created 3, updated 0, unchanged 0, rejected 0"
    assert Consultation.objects.count() == 3
    assert Contact.objects.count() == 3
    third = Consultation.objects.get(external_id=rows[2]["external_id"])
    assert third.notes == "Bring the referral letter"
    assert third.status == Consultation.Status.CONFIRMED
    assert third.location == "Milford office"
    assert third.starts_at == datetime.datetime.fromisoformat(rows[2]["starts_at"])
    contact = third.contact
    assert (contact.first_name, contact.last_name, contact.email) == (
        rows[2]["first_name"],
        "Example",
        rows[2]["email"],
    )
    assert str(contact.phone) == rows[2]["phone"]
    assert contact.time_zone == "America/New_York"


def test_the_optional_columns_may_be_left_out(tmp_path):
    values = row()
    code, out, _ = run_import(write_csv(tmp_path / "in.csv", [values], header=REQUIRED_HEADER))

    assert code == 0
    assert out.strip() == "created 1, updated 0, unchanged 0, rejected 0"
    consultation = Consultation.objects.get(external_id=values["external_id"])
    assert (consultation.location, consultation.notes, consultation.status) == ("", "", "scheduled")


def test_reimporting_the_same_file_changes_nothing(tmp_path):
    path = write_csv(tmp_path / "in.csv", [row(), row()])
    assert run_import(path)[0] == 0
    before = db_counts()
    updated_at = sorted(Consultation.objects.values_list("updated_at", flat=True))

    code, out, err = run_import(path)

    assert (code, err) == (0, "")
    assert out.strip() == "created 0, updated 0, unchanged 2, rejected 0"
    assert db_counts() == before
    assert sorted(Consultation.objects.values_list("updated_at", flat=True)) == updated_at


def test_a_changed_time_updates_the_consultation_and_cancels_the_reminders_for_the_old_time(tmp_path):
    make_campaign()  # a 24 h SMS reminder
    original = timezone.now() + datetime.timedelta(hours=24, minutes=5)  # its reminder is due inside the window
    values = row(starts_at=local_iso(original))
    assert run_import(write_csv(tmp_path / "a.csv", [values]))[0] == 0
    assert plan_due() == 1
    reminder = OutboundMessage.objects.get()
    assert reminder.status == MessageStatus.SCHEDULED

    moved = original + datetime.timedelta(days=2)
    code, out, _ = run_import(write_csv(tmp_path / "b.csv", [{**values, "starts_at": local_iso(moved)}]))

    assert code == 0
    assert out.strip() == "created 0, updated 1, unchanged 0, rejected 0"
    assert Consultation.objects.get().starts_at == moved.replace(microsecond=0)
    reminder.refresh_from_db()
    assert (reminder.status, reminder.error_message) == (MessageStatus.CANCELLED, "consultation rescheduled")

    # Moved back: the reminder planned for that time comes back rather than a second one being planned.
    assert run_import(write_csv(tmp_path / "c.csv", [values]))[1].strip() == (
        "created 0, updated 1, unchanged 0, rejected 0"
    )
    reminder.refresh_from_db()
    assert reminder.status == MessageStatus.SCHEDULED
    assert plan_due() == 0

    # Cancelled in the booking system: every unsent reminder goes.
    assert run_import(write_csv(tmp_path / "d.csv", [{**values, "status": "cancelled"}]))[0] == 0
    reminder.refresh_from_db()
    assert reminder.status == MessageStatus.CANCELLED
    assert OutboundMessage.objects.count() == 1


def test_a_reimport_does_not_cancel_reminders_when_the_time_is_the_same_instant_in_another_offset(tmp_path):
    make_campaign()
    starts = timezone.now() + datetime.timedelta(hours=24, minutes=5)
    values = row(starts_at=local_iso(starts))
    run_import(write_csv(tmp_path / "a.csv", [values]))
    assert plan_due() == 1

    code, out, _ = run_import(write_csv(tmp_path / "b.csv", [{**values, "starts_at": local_iso(starts, datetime.UTC)}]))

    assert code == 0
    assert out.strip() == "created 0, updated 0, unchanged 1, rejected 0"
    assert OutboundMessage.objects.get().status == MessageStatus.SCHEDULED


# --- bad rows: one precise line each, nothing written, the others still import ------------------------------------

NOT_ISO = "not an ISO 8601 date and time (e.g. 2026-12-01T14:30:00-05:00)"
BAD_ROWS = {
    "invalid phone": (
        {"phone": "+1 201 555 01"},
        "phone: Enter a valid phone number (e.g. (201) 555-0123) or a number with an international call prefix",
    ),
    "invalid email": ({"email": "patient.example.com"}, "email: Enter a valid email address"),
    "unknown time zone": (
        {"timezone": "America/Springfield"},
        "timezone: not an IANA time zone name (e.g. America/New_York)",
    ),
    "impossible date": ({"starts_at": "2026-02-30T10:00:00-05:00"}, f"starts_at: {NOT_ISO}"),
    "not a date": ({"starts_at": "next Tuesday"}, f"starts_at: {NOT_ISO}"),
    "naive time": ({"starts_at": "2026-12-01T14:30:00"}, "starts_at: needs a UTC offset (e.g. -05:00 or Z)"),
    "missing id": ({"external_id": ""}, "external_id: This field is required"),
    "missing first name": ({"first_name": " "}, "first_name: This field is required"),
    "no way to reach": (
        {"phone": "", "email": ""},
        "row: no way to reach the contact: give a phone number or an email",
    ),
    "consent word": ({"sms_consent": "maybe"}, "sms_consent: must be yes or no"),
    "unknown status": (
        {"status": "postponed"},
        "status: Select a valid choice: scheduled, confirmed, reschedule_requested, cancelled, completed, no_show",
    ),
    "id too long": (
        {"external_id": "X" * 101},
        "external_id: Ensure this value has at most 100 characters (it has 101)",
    ),
    "notes too long": ({"notes": "n" * 6000}, "notes: Ensure this value has at most 5000 characters (it has 6000)"),
}


@pytest.mark.parametrize("overrides, reason", BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_a_bad_row_is_reported_with_its_line_and_field_and_writes_nothing(tmp_path, overrides, reason):
    good_before, good_after = row(), row()
    bad = row(**overrides)
    code, out, err = run_import(write_csv(tmp_path / "in.csv", [good_before, bad, good_after]))

    assert code == 1
    assert out.strip() == "created 2, updated 0, unchanged 0, rejected 1"
    assert err.splitlines() == [f"line 3: {reason}"]
    assert set(Consultation.objects.values_list("external_id", flat=True)) == {
        good_before["external_id"],
        good_after["external_id"],
    }
    assert Contact.objects.count() == 2
    assert not Contact.objects.filter(first_name=bad["first_name"]).exists()
    assert ConsentRecord.objects.count() == 4  # sms + email for each good row only


@pytest.mark.parametrize(
    "overrides",
    [
        {"phone": "+1 201 555 01"},
        {"email": "patient@example"},
        {"timezone": "+12015550123"},
        {"status": "+12015550123"},
    ],
    ids=["phone", "email", "phone in the timezone column", "phone in the status column"],
)
def test_error_messages_never_echo_patient_data(tmp_path, overrides):
    code, _, err = run_import(write_csv(tmp_path / "in.csv", [row(**overrides)]))

    assert code == 1
    for value in overrides.values():
        assert value not in err
        assert value.replace(" ", "") not in err


def test_an_email_longer_than_the_column_is_rejected_not_a_crash(tmp_path):
    long_email = "p" * 250 + "@example.com"  # valid by RFC length (<= 320) but the column holds 254
    good = row()
    code, out, err = run_import(write_csv(tmp_path / "in.csv", [row(email=long_email), good]))

    assert code == 1
    assert out.strip() == "created 1, updated 0, unchanged 0, rejected 1"
    assert err.startswith("line 2: email: ")
    assert Consultation.objects.get().external_id == good["external_id"]


@pytest.mark.parametrize("starts_at", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00"])
def test_a_time_that_cannot_be_stored_in_utc_is_rejected(tmp_path, starts_at):
    code, _, err = run_import(write_csv(tmp_path / "in.csv", [row(starts_at=starts_at)]))

    assert code == 1
    assert err.startswith("line 2: starts_at: ")
    assert db_counts() == NOTHING


def test_one_row_with_several_problems_reports_each_and_counts_once(tmp_path):
    code, out, err = run_import(write_csv(tmp_path / "in.csv", [row(email="nope", timezone="Nowhere/Else")]))

    assert code == 1
    assert out.strip() == "created 0, updated 0, unchanged 0, rejected 1"
    assert sorted(err.splitlines()) == [
        "line 2: email: Enter a valid email address",
        "line 2: timezone: not an IANA time zone name (e.g. America/New_York)",
    ]


def test_a_row_with_the_wrong_number_of_fields_is_rejected(tmp_path):
    good = row()
    text = csv_text([good]) + "BK-X,Short,Row\n"
    code, out, err = run_import(write_csv(tmp_path / "in.csv", text=text))

    assert code == 1
    assert out.strip() == "created 1, updated 0, unchanged 0, rejected 1"
    assert err.strip() == f"line 3: row: expected {len(HEADER)} fields, found 3"


def test_a_field_too_large_for_csv_is_rejected_and_the_next_rows_still_import(tmp_path):
    after = row()
    code, out, err = run_import(write_csv(tmp_path / "in.csv", [row(notes="n" * 200_000), after]))

    assert code == 1
    assert out.strip() == "created 1, updated 0, unchanged 0, rejected 1"
    assert err.strip() == "line 2: row: not valid CSV (field larger than field limit (131072))"
    assert Consultation.objects.get().external_id == after["external_id"]


def test_an_external_id_of_another_patients_consultation_is_rejected(tmp_path):
    theirs = make_consultation(external_id="BK-SHARED")
    other = make_contact(first_name="Robin")
    values = row(external_id="BK-SHARED", phone=str(other.phone), email=other.email, first_name="Changed")
    before = db_counts()

    code, _, err = run_import(write_csv(tmp_path / "in.csv", [values, row(external_id="BK-SHARED")]))

    assert code == 1
    assert err.splitlines() == [
        "line 2: external_id: already belongs to another patient's consultation",
        "line 3: external_id: already belongs to another patient's consultation",
    ]
    assert db_counts() == before  # not even the new patient of line 3 was created
    other.refresh_from_db()
    assert other.first_name == "Robin"
    theirs.refresh_from_db()
    assert theirs.contact_id != other.pk


# --- exit code 2: the file itself is unusable -----------------------------------------------------------------------


def test_a_missing_file_exits_2(tmp_path):
    code, out, err = run_import(tmp_path / "nope.csv")

    assert code == 2
    assert out == ""
    assert "nope.csv: cannot read the file" in err


def test_a_file_that_is_not_utf8_exits_2_and_imports_nothing(tmp_path):
    path = write_csv(tmp_path / "in.csv", [row(), row(first_name="Zoë")], encoding="latin-1")

    code, _, err = run_import(path)

    assert code == 2
    assert "not UTF-8 text" in err
    assert db_counts() == NOTHING


@pytest.mark.parametrize(
    "header, problem",
    [
        ([name for name in HEADER if name != "email"], "missing column(s): email"),
        ([*HEADER, "favourite_colour"], "unknown column(s): favourite_colour"),
        ([*REQUIRED_HEADER, "phone"], "repeated column(s): phone"),
    ],
    ids=["missing column", "unknown column", "repeated column"],
)
def test_a_wrong_header_exits_2_and_imports_nothing(tmp_path, header, problem):
    code, out, err = run_import(write_csv(tmp_path / "in.csv", [row(), row()], header=header))

    assert code == 2
    assert out == ""
    assert err.strip() == f"{tmp_path / 'in.csv'}: header line: {problem}"
    assert db_counts() == NOTHING


def test_an_empty_file_exits_2(tmp_path):
    code, _, err = run_import(write_csv(tmp_path / "in.csv", text=""))

    assert code == 2
    assert "the file is empty" in err


def test_a_header_without_rows_is_a_successful_empty_import(tmp_path):
    code, out, _ = run_import(write_csv(tmp_path / "in.csv", []))

    assert code == 0
    assert out.strip() == "created 0, updated 0, unchanged 0, rejected 0"


# --- dry run ------------------------------------------------------------------------------------------------------


def test_dry_run_reports_the_counts_and_writes_nothing(tmp_path):
    existing = row()
    run_import(write_csv(tmp_path / "first.csv", [existing]))
    before = db_counts()
    rows = [existing, row(), row(phone="not a phone")]

    code, out, err = run_import(write_csv(tmp_path / "in.csv", rows), "--dry-run")

    assert code == 1
    assert out.strip() == "dry run, nothing written: created 1, updated 0, unchanged 1, rejected 1"
    assert err.startswith("line 4: phone: ")
    assert db_counts() == before


def test_dry_run_counts_what_a_real_run_would(tmp_path):
    # The second row changes the consultation the first row creates: a real run counts it as an update.
    first = row()
    rows = [first, {**first, "location": "Shelton office"}, {**first, "location": "Shelton office"}]
    path = write_csv(tmp_path / "in.csv", rows)

    dry = run_import(path, "--dry-run")
    assert db_counts() == NOTHING
    real = run_import(path)

    assert real[1].strip() == "created 1, updated 1, unchanged 1, rejected 0"
    assert dry[1].strip() == "dry run, nothing written: " + real[1].strip()
    assert dry[0] == real[0] == 0


# --- CSV text details ---------------------------------------------------------------------------------------------


def test_quoted_fields_keep_commas_and_newlines_and_later_line_numbers_stay_right(tmp_path):
    notes = "Bring the forms, and the referral letter\nParking: level 2,\n  use the side door"
    multi = row(notes=notes, location="Milford office, 2nd floor")
    text = csv_text([multi, row(phone="12")])
    assert text.count("\n") == 5  # header, a record over three lines, then the bad record on line 5

    code, out, err = run_import(write_csv(tmp_path / "in.csv", text=text))

    assert code == 1
    assert out.strip() == "created 1, updated 0, unchanged 0, rejected 1"
    assert err.startswith("line 5: phone: ")
    consultation = Consultation.objects.get()
    assert consultation.notes == notes
    assert consultation.location == "Milford office, 2nd floor"


def test_a_bad_record_spanning_lines_is_reported_at_the_line_where_it_starts(tmp_path):
    # The line an editor or spreadsheet user looks for is where the record begins, not where its quotes close.
    text = csv_text([row(), row(notes="first line\nsecond line\nthird line", email="nope")])

    code, _, err = run_import(write_csv(tmp_path / "in.csv", text=text))

    assert code == 1
    assert err.strip() == "line 3: email: Enter a valid email address"


def test_blank_lines_are_skipped_and_do_not_shift_line_numbers(tmp_path):
    header_and_first = csv_text([row()])
    rest = csv_text([row(email="nope")]).split("\n", 1)[1]
    text = header_and_first + "\n" + " , , ,,,,,,,,,\n" + "\n" + rest  # lines 3-5 blank, the bad row on line 6

    code, out, err = run_import(write_csv(tmp_path / "in.csv", text=text))

    assert code == 1
    assert out.strip() == "created 1, updated 0, unchanged 0, rejected 1"
    assert err.strip() == "line 6: email: Enter a valid email address"


def test_a_byte_order_mark_and_crlf_line_ends_from_excel_are_accepted(tmp_path):
    values = row(notes="two\r\nlines")
    text = "\ufeff" + csv_text([values], lineterminator="\r\n")

    code, out, err = run_import(write_csv(tmp_path / "in.csv", text=text))

    assert (code, err) == (0, "")
    assert out.strip() == "created 1, updated 0, unchanged 0, rejected 0"
    assert Consultation.objects.get().external_id == values["external_id"]


def test_spaces_around_values_and_header_names_are_ignored(tmp_path):
    values = row()
    text = ", ".join(HEADER) + "\n" + ",".join(f"  {values[name]} " for name in HEADER) + "\n"

    code, _, err = run_import(write_csv(tmp_path / "in.csv", text=text))

    assert (code, err) == (0, "")
    assert Consultation.objects.get().external_id == values["external_id"]


# --- consent ------------------------------------------------------------------------------------------------------


def test_consent_is_recorded_once_for_care_with_source_import(tmp_path):
    values = row(sms_consent="yes", email_consent="no")
    path = write_csv(tmp_path / "in.csv", [values])
    run_import(path)
    run_import(path)

    contact = Contact.objects.get()
    records = sorted(ConsentRecord.objects.values_list("channel", "purpose", "granted", "source"))
    assert records == [("email", "care", False, "import"), ("sms", "care", True, "import")]
    assert consent.has_consent(contact, Channel.SMS, Purpose.CARE)
    assert not consent.has_consent(contact, Channel.EMAIL, Purpose.CARE)


def test_an_empty_consent_column_records_nothing(tmp_path):
    run_import(write_csv(tmp_path / "in.csv", [row(sms_consent="", email_consent="")]))

    assert Consultation.objects.count() == 1
    assert ConsentRecord.objects.count() == 0


def test_a_changed_consent_is_a_new_ledger_record_and_an_update(tmp_path):
    values = row(sms_consent="yes")
    run_import(write_csv(tmp_path / "a.csv", [values]))

    code, out, _ = run_import(write_csv(tmp_path / "b.csv", [{**values, "sms_consent": "no"}]))

    assert code == 0
    assert out.strip() == "created 0, updated 1, unchanged 0, rejected 0"
    assert not consent.has_consent(Contact.objects.get(), Channel.SMS, Purpose.CARE)
    assert ConsentRecord.objects.filter(channel="sms").count() == 2


def test_an_import_saying_yes_does_not_lift_the_patients_own_opt_out(tmp_path):
    values = row(sms_consent="yes", email_consent="yes")
    run_import(write_csv(tmp_path / "a.csv", [values]))
    contact = Contact.objects.get()
    consent.record_consent(contact, Channel.SMS, Purpose.CARE, False, ConsentRecord.Source.KEYWORD, wording="STOP")
    records = ConsentRecord.objects.count()

    code, out, _ = run_import(write_csv(tmp_path / "b.csv", [values]))

    assert code == 0
    assert out.strip() == "created 0, updated 0, unchanged 1, rejected 0"
    assert ConsentRecord.objects.count() == records
    assert consent.latest(contact, Channel.SMS, Purpose.CARE).source == ConsentRecord.Source.KEYWORD
    assert not consent.has_consent(contact, Channel.SMS, Purpose.CARE)
    assert consent.has_consent(contact, Channel.EMAIL, Purpose.CARE)


# --- one patient, one contact -------------------------------------------------------------------------------------


def test_a_row_with_a_known_phone_and_a_new_email_updates_that_contact(tmp_path):
    first = row()
    second = row(phone=first["phone"], email="new.address@example.com", first_name="Patricia")

    code, out, _ = run_import(write_csv(tmp_path / "in.csv", [first, second]))

    assert code == 0
    assert out.strip() == "created 2, updated 0, unchanged 0, rejected 0"
    contact = Contact.objects.get()
    assert (contact.email, contact.first_name) == ("new.address@example.com", "Patricia")
    assert contact.consultations.count() == 2


def test_a_row_with_a_new_phone_and_a_known_email_updates_that_contact(tmp_path):
    first = row()
    new_phone = fictional_phone(3999)
    second = row(phone=new_phone, email=first["email"].upper())

    run_import(write_csv(tmp_path / "in.csv", [first, second]))

    contact = Contact.objects.get()
    assert str(contact.phone) == new_phone
    assert contact.email == first["email"]
    assert contact.consultations.count() == 2


def test_an_email_typed_with_capitals_in_the_admin_still_matches(tmp_path):
    existing = make_contact(phone=False, email="Pat.Mixed@Example.com")

    code, _, err = run_import(write_csv(tmp_path / "in.csv", [row(email="pat.mixed@example.com")]))

    assert (code, err) == (0, "")
    assert Contact.objects.get().pk == existing.pk
    assert existing.consultations.count() == 1


def test_phone_numbers_match_whatever_their_formatting(tmp_path):
    first = row(phone="+12015550199")
    second = row(phone="(201) 555-0199", email="")

    run_import(write_csv(tmp_path / "in.csv", [first, second]))

    assert Contact.objects.count() == 1
    assert Consultation.objects.filter(contact=Contact.objects.get()).count() == 2


def test_phone_is_matched_before_email_and_a_conflict_is_rejected_naming_email(tmp_path):
    alice = make_contact(first_name="Alice")
    bob = make_contact(first_name="Bob")
    before = db_counts()
    values = row(phone=str(alice.phone), email=bob.email, first_name="Mallory")

    code, out, err = run_import(write_csv(tmp_path / "in.csv", [values]))

    assert code == 1
    assert out.strip() == "created 0, updated 0, unchanged 0, rejected 1"
    assert err.strip() == "line 2: email: belongs to another patient record than the phone number"
    assert bob.email not in err and str(alice.phone) not in err
    assert db_counts() == before
    alice.refresh_from_db()
    assert alice.first_name == "Alice"
    assert alice.email != bob.email


# --- a real process -----------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_command_as_a_process_against_the_test_database(tmp_path):
    good = row(notes="Wheelchair access, please")
    path = write_csv(tmp_path / "in.csv", [good, row(starts_at="2026-12-01 14:30")])

    result = subprocess.run(
        [sys.executable, "manage.py", "import_consultations", str(path)],
        cwd=ROOT,
        env=process_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1, result.stderr
    assert result.stdout.strip() == "created 1, updated 0, unchanged 0, rejected 1"
    assert result.stderr.strip() == "line 3: starts_at: needs a UTC offset (e.g. -05:00 or Z)"
    consultation = Consultation.objects.get()
    assert (consultation.external_id, consultation.notes) == (good["external_id"], "Wheelchair access, please")

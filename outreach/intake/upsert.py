"""Intake: one consultation and its patient, from a CSV row or an API call, validated and upserted atomically.

Both doors share this module, so a row and a request are held to the same rules and give the same errors.
Error messages name the field and the reason, never the value (values are patient data).
"""

import datetime
import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from phonenumber_field.formfields import PhoneNumberField

from cms.models import Topic
from cms.models.settings import validate_time_zone
from outreach.consent import identity, ledger
from outreach.engine.planner import consultation_changed
from outreach.models import Channel, Consultation, Contact, Purpose

REQUIRED_COLUMNS = [
    "external_id",
    "first_name",
    "last_name",
    "phone",
    "email",
    "timezone",
    "starts_at",
    "sms_consent",
    "email_consent",
]
OPTIONAL_COLUMNS = ["location", "notes", "status", "topics", "language"]

_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")
_NON_STRING_FIELDS = ("sms_consent", "email_consent", "topics")
EMAIL_MAX_LENGTH = Contact._meta.get_field("email").max_length


class TopicsField(forms.Field):
    """CMS topic slugs: a JSON list of strings, or in CSV one cell with slugs separated by ';'. Empty: not stated."""

    def to_python(self, value):
        if value is None or value == "":
            return None
        if isinstance(value, str):
            slugs = [slug.strip() for slug in value.split(";") if slug.strip()]
        elif isinstance(value, list) and all(isinstance(slug, str) for slug in value):
            slugs = value
        else:
            raise forms.ValidationError("must be a list of topic slugs")
        if not all(SLUG.fullmatch(slug) for slug in slugs):
            raise forms.ValidationError("topic slugs are letters, digits, '-' and '_' (see /api/v2/topics/)")
        topics = list(Topic.objects.canonical().filter(slug__in=slugs))
        unknown = sorted(set(slugs) - {topic.slug for topic in topics})
        if unknown:
            raise forms.ValidationError(f"{len(unknown)} unknown topic slug(s); see /api/v2/topics/")
        return topics


class LanguageField(forms.Field):
    """The patient's language of messages: a code of OUTREACH_LANGUAGES ("es"; "es-MX", "Spanish" and "Español" are
    read as "es"). Empty: not stated (a new patient gets the clinic's default; a known one keeps theirs)."""

    def to_python(self, value):
        from outreach.languages import normalise

        if value is None:
            return ""
        try:
            return normalise(value)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages[0]) from None


class ConsentField(forms.Field):
    """yes/no in CSV, true/false in JSON; empty means the row says nothing about consent."""

    def __init__(self, *, strict_boolean=False, **kwargs):
        self.strict_boolean = strict_boolean
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return value
        if self.strict_boolean:
            raise forms.ValidationError("must be true or false")
        lowered = str(value).strip().lower()
        if lowered in _YES:
            return True
        if lowered in _NO:
            return False
        raise forms.ValidationError("must be yes or no")


class AwareDateTimeField(forms.Field):
    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            moment = datetime.datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise forms.ValidationError("not an ISO 8601 date and time (e.g. 2026-12-01T14:30:00-05:00)") from None
        if moment.tzinfo is None:
            raise forms.ValidationError("needs a UTC offset (e.g. -05:00 or Z)")
        # In UTC: PostgreSQL refuses offsets beyond ±15:59 that Python accepts, and a moment that only exists in
        # its own offset (year 1 at +05:00, year 9999 at -05:00) would be stored but could never be read back.
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError("out of range") from None


class IntakeForm(forms.Form):
    external_id = forms.CharField(max_length=100)
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100, required=False)
    phone = PhoneNumberField(required=False, region="US")
    email = forms.EmailField(required=False, max_length=EMAIL_MAX_LENGTH)
    timezone = forms.CharField(max_length=64, validators=[validate_time_zone])
    starts_at = AwareDateTimeField()
    sms_consent = ConsentField()
    email_consent = ConsentField()
    location = forms.CharField(max_length=200, required=False)
    notes = forms.CharField(required=False, max_length=5000)
    status = forms.ChoiceField(
        choices=Consultation.Status.choices,
        required=False,
        error_messages={"invalid_choice": "Select a valid choice: " + ", ".join(Consultation.Status.values)},
    )
    topics = TopicsField(required=False)
    language = LanguageField(required=False)

    def __init__(self, data, *, json_booleans=False):
        super().__init__(data)
        if json_booleans:
            self.fields["sms_consent"] = ConsentField(strict_boolean=True)
            self.fields["email_consent"] = ConsentField(strict_boolean=True)

    def clean_email(self):
        email = (self.cleaned_data.get("email") or "").strip().lower()
        if len(email) > EMAIL_MAX_LENGTH:  # lowercasing can lengthen a string ("İ")
            raise forms.ValidationError(f"Ensure this value has at most {EMAIL_MAX_LENGTH} characters")
        return email

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("phone") and not cleaned.get("email"):
            raise forms.ValidationError("no way to reach the contact: give a phone number or an email", code="reach")
        return cleaned


class IntakeRejected(Exception):
    def __init__(self, errors):
        self.errors = errors  # {field: [reason, ...]}
        super().__init__("; ".join(f"{field}: {', '.join(reasons)}" for field, reasons in errors.items()))


@dataclass
class IntakeResult:
    outcome: str  # created | updated | unchanged
    consultation: Consultation


def form_errors(form):
    errors = {}
    for field, messages in form.errors.items():
        errors["row" if field == "__all__" else field] = [str(message).rstrip(".") for message in messages]
    return errors


def unusable_values(data, *, json_types):
    """Values a form field would quietly turn into text (a JSON number or list for a name) or that cannot be stored
    (a lone surrogate, which JSON can carry and UTF-8 cannot), by field."""
    errors = {}
    for name in IntakeForm.base_fields:
        value = data.get(name)
        if json_types and name not in _NON_STRING_FIELDS and value is not None and not isinstance(value, str):
            errors[name] = ["must be a string"]
        elif isinstance(value, str) and not _encodable(value):
            errors[name] = ["not valid text"]
    return errors


def _encodable(text):
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def validate(data, *, json_booleans=False):
    """json_booleans: the data came from JSON, so consents must be booleans and every other field a string."""
    form = IntakeForm(data, json_booleans=json_booleans)
    form.is_valid()
    errors = {**form_errors(form), **unusable_values(data, json_types=json_booleans)}
    if errors:
        raise IntakeRejected(errors)
    return form.cleaned_data


def upsert(data, source, *, json_booleans=False, booking_system=""):
    """Validate and upsert; raise IntakeRejected (writing nothing) on any problem. Consultations are those of one
    booking system (an API token's; the CSV import's is the main one, ""): another system's are never touched."""
    cleaned = validate(data, json_booleans=json_booleans)
    try:
        return _upsert(cleaned, source, booking_system)
    except IntegrityError:
        # A concurrent request created the same contact or consultation between our read and write: once more,
        # now finding it.
        return _upsert(cleaned, source, booking_system)


@transaction.atomic
def _upsert(cleaned, source, booking_system):
    contact, contact_changed = match_contact(cleaned)
    consultation = (
        Consultation.objects.select_for_update()
        .filter(booking_system=booking_system, external_id=cleaned["external_id"])
        .first()
    )
    if consultation is not None and consultation.contact_id != contact.pk:
        raise IntakeRejected({"external_id": ["already belongs to another patient's consultation"]})

    created = consultation is None
    previous_starts_at = None if created else consultation.starts_at
    previous_status = None if created else consultation.status
    consultation = consultation or Consultation(
        booking_system=booking_system, external_id=cleaned["external_id"], contact=contact
    )
    moved = not created and previous_starts_at != cleaned["starts_at"]
    changed = assign(
        consultation,
        starts_at=cleaned["starts_at"],
        location=cleaned["location"],
        notes=cleaned["notes"],
        **status_from_booking(consultation, cleaned["status"], created=created, moved=moved),
    )
    if consultation.status == Consultation.Status.COMPLETED and consultation.completed_at is None:
        consultation.completed_at = timezone.now()
    if created or changed:
        consultation.save()
    if cleaned["topics"] is not None and set(consultation.topics.all()) != set(cleaned["topics"]):
        consultation.topics.set(cleaned["topics"])
        changed = True
    if not created and changed:
        consultation_changed(consultation, previous_starts_at=previous_starts_at, previous_status=previous_status)

    consent_changed = False
    for channel, key in ((Channel.SMS, "sms_consent"), (Channel.EMAIL, "email_consent")):
        if cleaned[key] is not None:
            record = ledger.record_consent(contact, channel, Purpose.CARE, cleaned[key], source)
            consent_changed |= record is not None
    outcome = "created" if created else ("updated" if changed or contact_changed or consent_changed else "unchanged")
    return IntakeResult(outcome, consultation)


def status_from_booking(consultation, stated, *, created, moved):
    """The status fields a booking-system row sets, by precedence (README, "Precedence"):
    - a stated status different from the one the booking system last sent is a real change, and applies;
    - one equal to it merely repeats the old state: what the patient (confirmed, reschedule requested) or staff
      (completed, cancelled, no-show) recorded since stands;
    - a new time makes the patient's answer about the old time moot: the booking system's status applies again
      (staff outcomes stand until the booking system states a different status).
    No stated status says nothing about the status.
    """
    Status = Consultation.Status
    if created:
        status = stated or Status.SCHEDULED
        return {"status": status, "booking_status": status}
    values = {}
    if stated:
        values["booking_status"] = stated
        if stated != consultation.booking_status:
            values["status"] = stated
    if moved and "status" not in values and consultation.status in Consultation.PATIENT_ANSWERS:
        values["status"] = stated or consultation.booking_status
    return values


def match_contact(cleaned):
    """The existing patient by phone, then by email, updated with this row; or a new one.

    A subscriber from the public form that holds one of these addresses is linked here, under the identity rule
    (outreach/consent/identity.py): it becomes the patient record, or is absorbed into the patient record the other
    address matched. Addresses are the booking system's: a subscriber keeps no address this row did not send."""
    phone, email = cleaned["phone"] or None, cleaned["email"] or None
    by_phone = Contact.objects.select_for_update().filter(phone=phone).first() if phone else None
    # Intake stores emails lowercased, but staff may have typed one in the admin with capitals.
    by_email = Contact.objects.select_for_update().filter(email__iexact=email).first() if email else None
    if by_phone and by_email and by_phone.pk != by_email.pk and by_phone.is_patient and by_email.is_patient:
        raise IntakeRejected({"email": ["belongs to another patient record than the phone number"]})
    found = [candidate for candidate in (by_phone, by_email) if candidate is not None]
    patients = [candidate for candidate in found if candidate.is_patient]
    contact = patients[0] if patients else (found[0] if found else None)
    for subscriber in {candidate.pk: candidate for candidate in found if candidate.pk != contact.pk}.values():
        identity.absorb(contact, subscriber)
    values = {"first_name": cleaned["first_name"], "last_name": cleaned["last_name"], "time_zone": cleaned["timezone"]}
    if phone:
        values["phone"] = phone
    if email:
        values["email"] = email
    if cleaned.get("language"):
        values["language"] = cleaned["language"]
    if contact is None:
        contact = Contact.objects.create(**values)
        ledger.adopt_address_opt_out(contact)
        return contact, True
    linked = identity.link_to_patient(contact)
    if linked:
        values["phone"], values["email"] = phone, email
    new_number = phone is not None and contact.phone != phone
    changed = assign(contact, **values) or linked
    if changed:
        contact.save()
    if new_number:
        # A number that texted STOP before it was anyone's: its opt-out now belongs to this patient.
        ledger.adopt_address_opt_out(contact)
    return contact, changed


def assign(instance, **values):
    """Set attributes; return True if any value changed."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed

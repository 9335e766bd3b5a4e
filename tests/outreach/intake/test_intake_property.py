"""Property: whatever a row or request holds, intake upserts it or raises IntakeRejected having written nothing."""

import datetime
import string
from contextlib import contextmanager

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from outreach.consent import ledger as consent
from outreach.intake.upsert import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, IntakeRejected, upsert
from outreach.models import Channel, ConsentRecord, Consultation, Contact, OutboundMessage, Purpose
from tests.outreach.factories import fictional_phone

pytestmark = pytest.mark.django_db

PROPERTY = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ALICE_PHONE, BOB_PHONE = fictional_phone(11), fictional_phone(12)
ALICE_EMAIL, BOB_EMAIL = "alice@example.com", "bob@example.com"
PHONE_EXAMPLE = "(201) 555-0123"  # the phone field's own help text: not an echo of the value

# Arbitrary unicode, including control characters (hypothesis leaves out only surrogates unless asked).
any_text = st.text(max_size=40)
fictional_phones = st.integers(0, 99).map(lambda n: fictional_phone(n))
phones = st.one_of(
    st.just(""),
    st.sampled_from([ALICE_PHONE, BOB_PHONE]),
    fictional_phones,
    fictional_phones.map(lambda p: f"({p[2:5]}) {p[5:8]}-{p[8:]}"),
    fictional_phones.map(lambda p: f"{p[2:5]}.{p[5:8]}.{p[8:]} ext {p[-2:]}"),
    st.text(alphabet="0123456789+-() .#*xt", max_size=8),  # too short to be anyone's real number
    any_text,
)
emails = st.one_of(
    st.just(""),
    st.sampled_from([ALICE_EMAIL, BOB_EMAIL, ALICE_EMAIL.upper()]),
    st.from_regex(r"[a-zA-Z0-9._%+-]{1,24}@example\.com", fullmatch=True),
    st.text(alphabet=string.ascii_letters + "@.-_", max_size=30).map(lambda s: s + "@example.com"),
    any_text,
)
time_zones = st.one_of(st.sampled_from(["America/New_York", "Europe/Berlin", "UTC", "Asia/Kolkata", ""]), any_text)


def _format_moment(args):
    moment, minutes, style = args
    if style == "naive":
        return moment.isoformat()
    if style == "Z":
        return moment.isoformat() + "Z"
    offset = datetime.timezone(datetime.timedelta(minutes=minutes))
    return moment.replace(tzinfo=offset).isoformat(sep=" " if style == "space" else "T")


def _moments(styles):
    return st.tuples(
        st.datetimes(min_value=datetime.datetime(1, 1, 1), max_value=datetime.datetime(9999, 12, 31, 23, 59)),
        st.integers(-(24 * 60 - 1), 24 * 60 - 1),
        st.sampled_from(styles),
    ).map(_format_moment)


aware_moments = _moments(["offset", "space", "Z"])
moments = st.one_of(
    _moments(["offset", "naive"]),
    st.from_regex(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)?", fullmatch=True),
    any_text,
)
consent_word_list = ["yes", "no", "YES", " No ", "y", "n", "true", "false", "1", "0", ""]
consent_words = st.one_of(st.sampled_from([*consent_word_list, "maybe", "oui"]), any_text)
statuses = st.one_of(st.sampled_from([*Consultation.Status.values, "", "postponed"]), any_text)
external_ids = st.one_of(st.sampled_from(["BK-ALICE", "BK-NEW"]), st.text(max_size=110))

FIELDS = REQUIRED_COLUMNS + [column for column in OPTIONAL_COLUMNS if column != "topics"]
# Rows that would mostly be accepted: text fields from arbitrary unicode, times anywhere in years 1 to 9999 with any
# offset, the two existing patients' phones and emails mixed in.
new_ids = st.from_regex(r"[A-Z0-9-]{1,20}", fullmatch=True)
names = st.text(min_size=1, max_size=100).filter(lambda name: name.strip() and "\x00" not in name)
plausible_rows = st.fixed_dictionaries(
    {
        "external_id": st.one_of(new_ids, new_ids, new_ids, st.just("BK-ALICE")),
        "first_name": st.one_of(st.just("Pat"), names),
        "last_name": any_text,
        "phone": st.one_of(fictional_phones, fictional_phones, st.sampled_from([ALICE_PHONE, BOB_PHONE, ""])),
        "email": st.one_of(
            st.from_regex(r"[a-z0-9._%+-]{1,24}@example\.com", fullmatch=True),
            st.sampled_from([ALICE_EMAIL, BOB_EMAIL, ""]),
        ),
        "timezone": st.sampled_from(["America/New_York", "Europe/Berlin", "UTC", "Asia/Kolkata"]),
        "starts_at": aware_moments,
        "sms_consent": st.sampled_from(consent_word_list),
        "email_consent": st.sampled_from(consent_word_list),
        "location": st.text(max_size=200),
        "notes": st.text(max_size=300),
        "status": st.sampled_from([*Consultation.Status.values, ""]),
    }
)
wild_text = st.one_of(
    any_text, phones, emails, time_zones, moments, consent_words, statuses, external_ids, st.just(" \t\r\n")
)


def _mutate(args):
    base, changes, removed = args
    return {key: value for key, value in {**base, **changes}.items() if key not in removed}


# A plausible row with up to three fields replaced by anything at all.
csv_rows = st.tuples(
    plausible_rows, st.dictionaries(st.sampled_from(FIELDS), wild_text, max_size=3), st.just(frozenset())
).map(_mutate)

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30))
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
# A lone surrogate is valid in JSON ("\\ud83d") but cannot be stored as UTF-8.
surrogates = st.sampled_from(["Pat\udcff", "\ud83d", "Milford \ud800office"])
plausible_bodies = plausible_rows.map(
    lambda values: {**values, "sms_consent": values["sms_consent"] == "yes", "email_consent": None}
)
# A plausible request with fields of any JSON type (or unstorable text) and some fields left out.
json_bodies = st.tuples(
    plausible_bodies,
    st.dictionaries(st.sampled_from([*FIELDS, "topics"]), st.one_of(json_values, wild_text, surrogates), max_size=3),
    st.frozensets(st.sampled_from(FIELDS), max_size=1),
).map(_mutate)


@contextmanager
def rolled_back():
    """Each example in its own transaction, rolled back: examples never see each other's rows."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def alice():
    """Two existing patients (Alice with a consultation and a keyword opt-out from texts) for rows to collide with."""
    alice = Contact.objects.create(first_name="Alice", phone=ALICE_PHONE, email=ALICE_EMAIL)
    Contact.objects.create(first_name="Bob", phone=BOB_PHONE, email=BOB_EMAIL)
    Consultation.objects.create(
        external_id="BK-ALICE", contact=alice, starts_at=datetime.datetime(2030, 1, 2, 15, tzinfo=datetime.UTC)
    )
    consent.record_consent(alice, Channel.SMS, Purpose.CARE, False, ConsentRecord.Source.KEYWORD, wording="STOP")
    return alice


def snapshot():
    return (
        Contact.objects.count(),
        Consultation.objects.count(),
        ConsentRecord.objects.count(),
        OutboundMessage.objects.count(),
        sorted(Contact.objects.values_list("pk", "first_name", "last_name", "phone", "email", "time_zone")),
        sorted(Consultation.objects.values_list("pk", "external_id", "contact_id", "starts_at", "status", "notes")),
    )


def assert_no_echo(exc, data):
    message = str(exc).replace(PHONE_EXAMPLE, "")
    for field in ("phone", "email"):
        value = data.get(field)
        if isinstance(value, str) and ("@" in value or sum(c.isdigit() for c in value) >= 7):
            assert value.strip() not in message, f"{field} value echoed in {message!r}"


def check(alice, data, source, *, json_booleans):
    # The fixture's rows are made once per test; each example runs in a savepoint rolled back after it.
    with rolled_back():
        before = snapshot()
        try:
            result = upsert(data, source, json_booleans=json_booleans)
        except IntakeRejected as exc:
            assert exc.errors and all(isinstance(reasons, list) and reasons for reasons in exc.errors.values())
            assert snapshot() == before
            assert_no_echo(exc, data)
            event("rejected: " + ", ".join(sorted(exc.errors)))
            return
        event("accepted")
        assert result.outcome in ("created", "updated")
        # What was accepted can be read back and re-imported: the second time nothing changes.
        again = upsert(data, source, json_booleans=json_booleans)
        assert again.outcome == "unchanged"
        assert again.consultation.pk == result.consultation.pk
        Consultation.objects.get(pk=result.consultation.pk).starts_at.astimezone(datetime.UTC)
        # Nothing a booking system says lifts Alice's own opt-out.
        assert consent.latest(alice, Channel.SMS, Purpose.CARE).source == ConsentRecord.Source.KEYWORD


@PROPERTY
@given(data=csv_rows)
def test_a_csv_row_is_upserted_or_rejected_having_written_nothing(alice, data):
    check(alice, data, ConsentRecord.Source.IMPORT, json_booleans=False)


@PROPERTY
@given(data=json_bodies)
def test_an_api_body_is_upserted_or_rejected_having_written_nothing(alice, data):
    check(alice, data, ConsentRecord.Source.API, json_booleans=True)

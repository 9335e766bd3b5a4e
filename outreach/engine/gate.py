"""The gate: the one decision whether a message may go to a person, now or at a future moment.

Every path that sends to a person asks it (issue 14 §1): the worker for each outbox row (`check_outbox_row`, again
right before the provider call, after the pacing wait), and one-off messages (`check`): subscription confirmations,
keyword answers, staff replies from the inbox, tests sent from a campaign, crisis answers. The admin's forecasts
(`forecast`, `forecast_window`: the consultation page, the agenda) apply the same decision at the moment a message
will fall due.

One implementation: `decide(facts, at)` is a pure function over `Facts` (what was read from the database about the
address, the contact, the campaign and the consultation). Loaders read the facts for one row, or for many rows in
a fixed number of queries (`Prefetch`), so a batch of rows or days of an agenda cost the same few queries.

Rules, in order (a message stops at the first that holds):

- Outbox messages (reminders, follow-ups, digests): the campaign is active (else it waits), the consultation still
  wants it (else cancelled), it is not past its maximum lateness (else it expires).
- An address; the patient's channel preference (only for messages not yet planned: the planner's rule).
- SMS: the number can receive texts (a carrier said it cannot: a landline) and is in a country the clinic texts
  (OUTREACH_SMS_ALLOWED_COUNTRIES; the subscribe form uses `sms_country_allowed` to refuse such a number up front).
- Consent for the message's purpose (outbox messages; a test to a number or email that is a contact's). One-off
  messages respect the patient's own "no" on the channel, whatever its purpose; a subscription confirmation needs a
  pending request. Two answers are allowed after an opt-out: the opt-out's own confirmation (once: the keyword
  handler answers only when the opt-out is new) and the HELP answer (CTIA: HELP is answered whatever the opt-in
  status).
- Suppression by address (bounce, complaint, erasure, staff, an opt-out texted from a number that was not yet a
  contact's): nothing goes, except those two answers past an opt-out remembered by address.
- Quiet hours (the campaign's sending window in the patient's zone) for outbox messages; they wait for the window,
  or expire when it opens after their lateness. One-off messages are answers a person is waiting for (they just
  texted, asked on the form, or staff are answering them) and go at once; a test goes to staff.
- Frequency caps (per local day, per rolling 7 days, per purpose and channel) for outbox messages.

A crisis answer always goes to the number that just texted us: not held by quiet hours, consent, suppression,
reachability or country. The person may be in danger now; the answer (the 988 Lifeline and 911) is the one text
the product must never withhold, and it goes only to the sender, as the reply to their own text.
"""

import dataclasses
import datetime
import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import phonenumbers
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from outreach.consent import ledger
from outreach.engine import local_time, policy, timing
from outreach.models import (
    CampaignStep,
    Channel,
    ConsentRecord,
    Consultation,
    Contact,
    MessageStatus,
    OutboundMessage,
    Purpose,
    Suppression,
)
from outreach.models.suppressions import address_digests

Skip = OutboundMessage.SkipReason
Trigger = CampaignStep.Trigger


class Kind(StrEnum):
    """Why the message exists; decides which rules apply."""

    REMINDER = "reminder"
    FOLLOW_UP = "follow_up"
    DIGEST = "digest"
    CONFIRMATION = "confirmation"  # the double opt-in request of a topic subscription
    KEYWORD_ANSWER = "keyword_answer"  # the answer to C, R, START, YES...
    OPT_OUT_ANSWER = "opt_out_answer"  # the one confirmation of an opt-out
    HELP_ANSWER = "help_answer"
    STAFF_REPLY = "staff_reply"
    TEST = "test"
    CRISIS_ANSWER = "crisis_answer"


OUTBOX_KINDS = frozenset({Kind.REMINDER, Kind.FOLLOW_UP, Kind.DIGEST})
# Answers allowed past an opt-out: its own confirmation, and HELP.
PAST_OPT_OUT = frozenset({Kind.OPT_OUT_ANSWER, Kind.HELP_ANSWER})
# A keyword answer is about the patient's care (their visit, their texts): a patient who took back only education
# texts still gets it, and START's answer goes once care is restored. Other one-off messages respect a "no" for any
# purpose.
ANSWER_PURPOSES = {Kind.KEYWORD_ANSWER: (Purpose.CARE,)}
KIND_FOR_TRIGGER = {Trigger.BEFORE_START: Kind.REMINDER, Trigger.AFTER_COMPLETED: Kind.FOLLOW_UP}

SEND, DEFER, SKIP, EXPIRE, CANCEL = "send", "defer", "skip", "expire", "cancel"
FAIL = "fail"  # forecasts only: a row the provider refused

# Reason codes beside OutboundMessage.SkipReason's values.
PAUSED = "campaign paused"
NOT_WANTED = "consultation"
BEFORE_ACTIVATION = "before activation"
LATE = "past its maximum lateness"
QUIET = "quiet hours"
QUIET_PAST_LATENESS = "quiet hours last past its maximum lateness"
NO_REQUEST = "no pending request"
NOT_PREFERRED = "not preferred"
AWAITING_COMPLETION = "awaiting completion"
CRISIS = "crisis"
SENT = "sent"
SENDING = "sending"

CHANNEL_WORDS = {
    Channel.SMS: ("SMS", "texts", "phone number", "text"),
    Channel.EMAIL: ("email", "emails", "email address", "email"),
}


@dataclass(frozen=True)
class Decision:
    verdict: str  # send | defer | skip | expire | cancel (forecasts of settled rows: also fail)
    at: datetime.datetime | None  # when it goes (send, defer), aware UTC
    reason: str  # machine code: an OutboundMessage.SkipReason value or one of the codes above
    words: str  # plain words for staff

    @property
    def sends(self):
        return self.verdict == SEND


@dataclass(frozen=True)
class Facts:
    """What the decision reads, loaded once. Defaults are the permissive value: a loader states every fact that
    applies to its kind of message."""

    kind: Kind
    channel: str
    address: str | None
    zone: datetime.tzinfo = datetime.UTC
    reachable: bool = True
    country_allowed: bool = True
    suppression: str = ""  # the Suppression.Reason holding the address, "" when none
    opted_out: bool = False  # the patient's own "no" on this channel (for care: keyword answers; else any purpose)
    consent: bool | None = None  # current consent for the purpose; None when no consent is asked for
    pending_request: bool = False  # confirmations: a subscription request awaits confirmation
    prefers: bool = True  # the planner's rule, for messages not planned yet
    # Outbox messages only.
    campaign_active: bool = True
    still_wanted: bool = True
    unwanted_words: str = "the consultation was cancelled, moved or reopened"
    not_after: datetime.datetime | None = None
    window: tuple[datetime.time, datetime.time] | None = None
    lateness: datetime.timedelta | None = None
    caps: tuple[int, int] | None = None
    counted: tuple[datetime.datetime, ...] = ()  # provider calls of this contact's messages, same purpose and channel


def _future(at, now):
    return at > now + datetime.timedelta(seconds=1)


def _skip(reason, words):
    return Decision(SKIP, None, reason, f"skipped: {words}")


def decide(facts, at, now=None):
    """What happens to a message with these facts at the moment `at` (`now` only chooses the tense of the words)."""
    now = now or at
    sms = facts.channel == Channel.SMS
    label, plural, address_words, singular = CHANNEL_WORDS[Channel(facts.channel)]
    if facts.kind == Kind.CRISIS_ANSWER:
        return Decision(SEND, at, CRISIS, "crisis answer: always sent to the number that wrote")
    outbox = facts.kind in OUTBOX_KINDS
    if outbox:
        if not facts.campaign_active:
            retry = at + datetime.timedelta(seconds=settings.OUTREACH_TICK_SECONDS)
            return Decision(DEFER, retry, PAUSED, "waits: the campaign is paused")
        if not facts.still_wanted:
            return Decision(CANCEL, None, NOT_WANTED, f"cancelled: {facts.unwanted_words}")
        if at > facts.not_after:
            verb = "will expire" if _future(at, now) else "expired"
            return Decision(EXPIRE, None, LATE, f"{verb}: past its latest sending time")
    if not facts.address:
        return _skip(Skip.NO_ADDRESS, f"no {address_words}")
    if not facts.prefers:
        return _skip(NOT_PREFERRED, f"the patient prefers not to get {plural}")
    if sms and not facts.reachable:
        return _skip(Skip.UNREACHABLE, "the number cannot receive texts")
    if sms and not facts.country_allowed:
        return _skip(Skip.COUNTRY, "we do not text numbers in this country")
    if facts.consent is not None and not facts.consent:
        return _skip(Skip.NO_CONSENT, f"no {label} consent")
    if facts.opted_out and facts.kind not in PAST_OPT_OUT:
        return _skip(Skip.NO_CONSENT, f"the patient opted out of {plural}")
    if facts.kind == Kind.CONFIRMATION and not facts.pending_request:
        return _skip(NO_REQUEST, "no subscription request awaits confirmation")
    if facts.suppression and not (facts.kind in PAST_OPT_OUT and facts.suppression == Suppression.Reason.OPTED_OUT):
        return _skip(Skip.SUPPRESSED, f"the address is suppressed ({Suppression.Reason(facts.suppression).label})")
    if outbox:
        start, end = facts.window
        allowed = policy.next_allowed_moment(at, facts.zone, start, end)
        if allowed > at:
            opens = local_time.window_clock(start)
            if allowed > facts.not_after:
                verb = "will expire" if _future(at, now) else "expired"
                allows = local_time.format_duration(facts.lateness) if facts.lateness else "no later time"
                return Decision(
                    EXPIRE,
                    None,
                    QUIET_PAST_LATENESS,
                    f"{verb}: quiet hours last until {opens} and the step allows {allows}",
                )
            return Decision(
                DEFER,
                allowed,
                QUIET,
                f"waits for quiet hours to end: will send at {local_time.patient_time(allowed, facts.zone, now)}",
            )
        if facts.caps is not None:
            capped = over_cap(at, facts.zone, facts.caps, facts.counted)
            if capped:
                count, per = capped
                return _skip(
                    Skip.FREQUENCY_CAP, f"frequency cap reached ({count} {singular if count == 1 else plural} {per})"
                )
    if _future(at, now):
        return Decision(SEND, at, "", f"will send at {local_time.patient_time(at, facts.zone, now)}")
    return Decision(SEND, at, "", "sends now")


def over_cap(at, zone, caps, counted):
    """None when the caps allow one more at `at`, else the full cap: (1, "per day") or (3, "per 7 days")."""
    per_day, per_week = caps
    day_start, day_end = policy.local_day_bounds(at, zone)
    week_start = at - datetime.timedelta(days=7)
    if sum(day_start <= moment < day_end for moment in counted) >= per_day:
        return per_day, "per day"
    if sum(moment >= week_start for moment in counted) >= per_week:
        return per_week, "per 7 days"
    return None


# -- Facts ---------------------------------------------------------------------------------------------------------


def sms_country_allowed(address):
    """Whether a number is in a country the clinic texts (OUTREACH_SMS_ALLOWED_COUNTRIES). Unreadable: no."""
    if isinstance(address, phonenumbers.PhoneNumber):
        region = phonenumbers.region_code_for_number(address)
    else:
        region = _region_of(str(address))
    return region is not None and region in settings.OUTREACH_SMS_ALLOWED_COUNTRIES


@functools.lru_cache(maxsize=4096)
def _region_of(text):
    """The region of a number written in E.164 (parsing is a few tenths of a millisecond: once per number), None
    when it cannot be read."""
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(text, None))
    except phonenumbers.NumberParseException:
        return None


def still_wanted(step, consultation, planned_starts_at):
    """Whether the consultation still wants this step's message (OutboxQuerySet.still_wanted is the SQL twin)."""
    if consultation is None:
        return True
    if step.trigger == Trigger.AFTER_COMPLETED:
        return consultation.status == Consultation.Status.COMPLETED
    return consultation.is_remindable and consultation.starts_at == planned_starts_at


def kind_for(step):
    return KIND_FOR_TRIGGER.get(step.trigger, Kind.DIGEST)


def purpose_of(step):
    return step.campaign.purpose


class Prefetch:
    """Consent, suppressions and frequency-cap history for many contacts, in three queries.

    `since`: the earliest moment a frequency cap will be evaluated at, so provider calls from 7 days before it are
    read. Rows' own provider calls are left out of their own caps (`exclude`)."""

    def __init__(self, contacts, *, since, channels=tuple(Channel.values)):
        contacts = {contact.pk: contact for contact in contacts}
        ids = list(contacts)
        self.granted = set()
        current = {}
        for contact_id, channel, purpose, granted in (
            ConsentRecord.objects.filter(contact_id__in=ids, pending=False)
            .order_by("recorded_at", "pk")
            .values_list("contact_id", "channel", "purpose", "granted")
        ):
            current[(contact_id, channel, purpose)] = granted  # later records overwrite earlier ones
        self.granted = {key for key, granted in current.items() if granted}
        digests = {}
        for contact in contacts.values():
            for channel in channels:
                address = contact.address_for(channel)
                if address:
                    for digest in address_digests(channel, address):
                        digests[(channel, digest)] = (channel, address)
        self.suppressed = {}
        if digests:
            # By channel and hash, the unique index's order (a hash list alone would read the whole table).
            by_channel = Q()
            for channel in {channel for channel, _ in digests}:
                by_channel |= Q(channel=channel, address_hash__in=[d for c, d in digests if c == channel])
            for channel, digest, reason in Suppression.objects.filter(by_channel).values_list(
                "channel", "address_hash", "reason"
            ):
                if (channel, digest) in digests:
                    self.suppressed[digests[(channel, digest)]] = reason
        self.counted = defaultdict(list)
        self.counted_ids = defaultdict(list)
        for pk, contact_id, channel, purpose, called in OutboundMessage.objects.filter(
            contact_id__in=ids,
            status__in=policy.COUNTED_STATUSES,
            provider_call_started_at__gte=since - datetime.timedelta(days=7),
        ).values_list("pk", "contact_id", "channel", "step__campaign__purpose", "provider_call_started_at"):
            self.counted[(contact_id, channel, purpose)].append(called)
            self.counted_ids[(contact_id, channel, purpose)].append(pk)

    def consent(self, contact, channel, purpose):
        return (contact.pk, channel, purpose) in self.granted

    def suppression(self, channel, address):
        return self.suppressed.get((channel, address), "") if address else ""

    def history(self, contact, channel, purpose, exclude=None):
        key = (contact.pk, channel, purpose)
        pairs = zip(self.counted_ids[key], self.counted[key], strict=True)
        return tuple(moment for pk, moment in pairs if exclude is None or pk != exclude)

    def add_send(self, contact, channel, purpose, moment):
        """A forecast send: later forecasts count it against the caps."""
        self.counted[(contact.pk, channel, purpose)].append(moment)
        self.counted_ids[(contact.pk, channel, purpose)].append(None)


def _suppression_reason(channel, address):
    if not address:
        return ""
    return (
        Suppression.objects.filter(channel=channel, address_hash__in=address_digests(channel, address))
        .values_list("reason", flat=True)
        .first()
        or ""
    )


def _step_facts(step, channel, contact, *, consultation, planned_starts_at, not_after, known, exclude=None):
    """Facts for an outbox message of `step` (planned or not) from prefetched `known` facts."""
    purpose = purpose_of(step)
    address = contact.address_for(channel)
    campaign = step.campaign
    return Facts(
        kind=kind_for(step),
        channel=channel,
        address=address,
        zone=contact.zone,
        reachable=contact.sms_reachable,
        country_allowed=sms_country_allowed(address) if channel == Channel.SMS and address else True,
        suppression=known.suppression(channel, address),
        consent=known.consent(contact, channel, purpose),
        campaign_active=campaign.active,
        still_wanted=still_wanted(step, consultation, planned_starts_at),
        unwanted_words=_unwanted_words(step, consultation),
        not_after=not_after,
        window=(campaign.quiet_hours_start, campaign.quiet_hours_end),
        lateness=step.max_lateness,
        caps=campaign.caps_for(channel),
        counted=known.history(contact, channel, purpose, exclude=exclude),
    )


def _unwanted_words(step, consultation):
    if consultation is None:
        return ""
    if step.trigger == Trigger.AFTER_COMPLETED:
        return f"the visit is {consultation.get_status_display().lower()}, not completed"
    if consultation.is_remindable:
        return "the visit moved to another time"
    return f"the visit is {consultation.get_status_display().lower()}"


class _OneRow:
    """The `Prefetch` interface for a single row, read on demand (the worker's case)."""

    def __init__(self, message, now):
        self.message = message
        self.now = now

    def consent(self, contact, channel, purpose):
        return ledger.has_consent(contact, channel, purpose)

    def suppression(self, channel, address):
        return _suppression_reason(channel, address)

    def history(self, contact, channel, purpose, exclude=None):
        return tuple(
            OutboundMessage.objects.filter(
                contact_id=contact.pk,
                channel=channel,
                step__campaign__purpose=purpose,
                status__in=policy.COUNTED_STATUSES,
                provider_call_started_at__gte=self.now - datetime.timedelta(days=7),
            )
            .exclude(pk=exclude)
            .values_list("provider_call_started_at", flat=True)
        )


def outbox_facts(message, now, known=None):
    """Facts for an outbox row (step, campaign, consultation and contact loaded). `known`: a `Prefetch` holding this
    row's contact, else each fact is read now."""
    return _step_facts(
        message.step,
        message.channel,
        message.contact,
        consultation=message.consultation,
        planned_starts_at=message.consultation_starts_at,
        not_after=message.not_after,
        known=known or _OneRow(message, now),
        exclude=message.pk,
    )


def check_outbox_row(message, now=None, known=None):
    """The worker's send-time decision for an outbox row."""
    now = now or timezone.now()
    return decide(outbox_facts(message, now, known), now)


def _contact_for(channel, address):
    if channel == Channel.SMS:
        return Contact.objects.filter(phone=address).first()
    return Contact.objects.filter(email__iexact=address).first()


def check(*, kind, channel, address, contact=None, purpose=None, now=None):
    """The decision for a one-off message (not in the outbox) to `address`: a confirmation, a keyword answer, a
    staff reply, a test, a crisis answer. The contact holding the address is found when not given, so a number
    that became a contact's since it texted us is judged as that contact's. `purpose`: the consent it needs (a
    test of a campaign step); None for answers, which respect only the patient's own "no"."""
    now = now or timezone.now()
    kind = Kind(kind)
    address = str(address) if address else None
    if address and channel == Channel.SMS and not address.startswith("+"):
        address = _e164(address) or address
    if contact is None and address and kind != Kind.CRISIS_ANSWER:
        contact = _contact_for(channel, address)
    if contact is not None and address and contact.address_for(channel) not in (None, address):
        contact = _contact_for(channel, address)  # the number now belongs to someone else (or no one)
    facts = Facts(
        kind=kind,
        channel=channel,
        address=address,
        zone=contact.zone if contact is not None else datetime.UTC,
        reachable=contact.sms_reachable if contact is not None else True,
        country_allowed=sms_country_allowed(address) if channel == Channel.SMS and address else True,
        suppression=_suppression_reason(channel, address) if kind != Kind.CRISIS_ANSWER else "",
        opted_out=contact is not None and ledger.opted_out_of(contact, channel, ANSWER_PURPOSES.get(kind)),
        consent=ledger.has_consent(contact, channel, purpose) if contact is not None and purpose else None,
        pending_request=kind == Kind.CONFIRMATION
        and contact is not None
        and ledger.pending_request(contact, channel) is not None,
    )
    return decide(facts, now, now)


def _e164(text):
    try:
        return phonenumbers.format_number(phonenumbers.parse(text, "US"), phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        return None


# -- Forecasts -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Forecast:
    step: CampaignStep
    channel: str
    due_at: datetime.datetime  # when the step falls due
    decision: Decision  # what the worker would decide then, given today's facts
    message: OutboundMessage | None  # the outbox row, when the planner already wrote it
    consultation: Consultation | None = None
    contact: Contact | None = None


def _settled(message, now):
    """The decision a row already went through (sent, skipped, failed...), in the same vocabulary."""
    zone = message.contact.zone
    status = message.status
    if status in (MessageStatus.SENT, MessageStatus.DELIVERED):
        moment = message.sent_at or message.provider_call_started_at or message.updated_at
        verb = "delivered" if status == MessageStatus.DELIVERED else "sent"
        return Decision(SEND, moment, SENT, f"{verb} at {local_time.patient_time(moment, zone, now)}")
    if status == MessageStatus.SENDING and message.provider_call_started_at:
        return Decision(SEND, message.provider_call_started_at, SENDING, "sending now")
    if status == MessageStatus.SKIPPED:
        return Decision(SKIP, None, message.skip_reason, f"skipped: {message.error_message or message.skip_reason}")
    if status == MessageStatus.EXPIRED:
        return Decision(EXPIRE, None, LATE, f"expired: {message.error_message or LATE}")
    if status == MessageStatus.CANCELLED:
        return Decision(CANCEL, None, message.error_message, f"cancelled: {message.error_message}")
    if status in (MessageStatus.FAILED, MessageStatus.BOUNCED):
        return Decision(FAIL, None, message.error_code, f"{status}: {message.error_message or message.error_code}")
    return None


def simulate(facts, start, now):
    """What the worker decides for a message first tried at `start`: a wait for quiet hours is followed to the
    window's opening, where every rule is applied again (the caps of that moment included)."""
    at = max(start, now)
    decision = decide(facts, at, now)
    for _ in range(3):
        if decision.verdict != DEFER or decision.reason != QUIET:
            break
        at = decision.at
        decision = decide(facts, at, now)
    return decision


def _not_after(step, consultation, due_at):
    not_after = due_at + step.max_lateness
    if step.trigger == Trigger.BEFORE_START:
        not_after = min(not_after, consultation.starts_at)
    return not_after


def _due_at(step, consultation):
    if step.trigger == Trigger.BEFORE_START:
        return timing.due_at(step, consultation)  # the planner's own due moment (a step may move out of the night)
    if consultation.status == Consultation.Status.COMPLETED and consultation.completed_at:
        return consultation.completed_at + step.offset
    return None


def _virtual(step, channel, consultation, now, known):
    """The forecast of a step's message the planner has not written yet."""
    contact = consultation.contact
    due_at = _due_at(step, consultation)
    if due_at is None:  # a follow-up of a visit not completed yet
        due_at = consultation.starts_at + step.offset
        if consultation.status in (*Consultation.REMINDABLE, Consultation.Status.RESCHEDULE_REQUESTED):
            words = f"waits: sent {local_time.format_duration(step.offset)} after the visit is marked completed"
            decision = Decision(DEFER, None, AWAITING_COMPLETION, words)
        else:
            decision = Decision(CANCEL, None, NOT_WANTED, f"will not send: {_unwanted_words(step, consultation)}")
        return Forecast(step, channel, due_at, decision, None, consultation, contact)
    plan_from = step.campaign.plan_from
    if plan_from is not None and due_at <= plan_from:
        # The planner never writes it (no backfill: planner.plan_window).
        words = "will not send: fell due before the campaign was activated"
        decision = Decision(CANCEL, None, BEFORE_ACTIVATION, words)
        return Forecast(step, channel, due_at, decision, None, consultation, contact)
    facts = _step_facts(
        step,
        channel,
        contact,
        consultation=consultation,
        planned_starts_at=consultation.starts_at,
        not_after=_not_after(step, consultation, due_at),
        known=known,
    )
    facts = dataclasses.replace(facts, prefers=contact.prefers(channel))
    if step.trigger == Trigger.BEFORE_START and consultation.starts_at <= now and facts.still_wanted:
        facts = dataclasses.replace(facts, still_wanted=False, unwanted_words="the visit has started")
    return Forecast(step, channel, due_at, simulate(facts, due_at, now), None, consultation, contact)


def _from_row(message, now, known):
    decision = _settled(message, now)
    if decision is None:
        facts = outbox_facts(message, now, known)
        decision = simulate(facts, message.scheduled_for, now)
    return Forecast(
        message.step, message.channel, message.due_at, decision, message, message.consultation, message.contact
    )


def _counting(forecasts, known):
    """Forecasts in the order they would go, each send counted against the caps of those after it."""
    ordered = []
    for item in sorted(forecasts, key=lambda f: (f[0], f[1])):
        build = item[2]
        forecast = build()
        if forecast.decision.sends and forecast.decision.reason not in (SENT, SENDING):
            known.add_send(forecast.contact, forecast.channel, purpose_of(forecast.step), forecast.decision.at)
        ordered.append(forecast)
    return ordered


def _rows_query():
    return OutboundMessage.objects.select_related("step__campaign", "consultation", "contact")


def forecast(consultation, now=None):
    """Every step x channel of the active campaigns (and of rows already written for the visit's current time) for
    one consultation, with what the worker will decide. Caps count messages already sent and those forecast before."""
    now = now or timezone.now()
    contact = consultation.contact
    steps = list(
        CampaignStep.objects.filter(
            campaign__active=True, trigger__in=(Trigger.BEFORE_START, Trigger.AFTER_COMPLETED)
        ).select_related("campaign")
    )
    rows = list(
        _rows_query()
        .filter(consultation=consultation)
        .filter(Q(consultation_starts_at=consultation.starts_at) | Q(step__trigger=Trigger.AFTER_COMPLETED))
    )
    by_pair = {}
    for row in rows:
        by_pair.setdefault((row.step_id, row.channel), row)
    for step in {row.step_id: row.step for row in rows}.values():
        if step.pk not in {s.pk for s in steps}:
            steps.append(step)
    earliest = min([now, *(r.scheduled_for for r in rows)])
    known = Prefetch([contact], since=earliest)
    items = []
    for step in steps:
        for channel in _step_channels(step, by_pair):
            row = by_pair.get((step.pk, channel))
            if row is not None:
                row.contact = contact
                items.append((max(row.scheduled_for, now), row.pk, _bind(_from_row, row, now, known)))
            else:
                due = _due_at(step, consultation) or consultation.starts_at + step.offset
                items.append((max(due, now), 0, _bind(_virtual, step, channel, consultation, now, known)))
    return sorted(_counting(items, known), key=lambda f: (f.due_at, f.step.sort_order, f.step.pk, f.channel))


def _step_channels(step, by_pair):
    channels = list(step.channels)
    for channel in Channel.values:
        if channel not in channels and (step.pk, channel) in by_pair:
            channels.append(channel)
    return channels


def _bind(function, *args):
    return lambda: function(*args)


def forecast_window(start, end, now=None) -> Iterable[Forecast]:
    """Every message due in [start, end) (the agenda): rows already written (due or scheduled in the window) and
    the steps of active campaigns the planner will write, in the order they would go. A fixed number of queries,
    whatever the number of messages. Digests are forecast once written (their articles are chosen at send time)."""
    now = now or timezone.now()
    steps = list(
        CampaignStep.objects.filter(
            campaign__active=True, trigger__in=(Trigger.BEFORE_START, Trigger.AFTER_COMPLETED)
        ).select_related("campaign")
    )
    before = [step for step in steps if step.trigger == Trigger.BEFORE_START]
    after = [step for step in steps if step.trigger == Trigger.AFTER_COMPLETED]
    consultations = {}
    if before:
        ranges = Q()
        for step in before:
            shift = timing.max_shift(step)  # a reminder moved out of the night: found, then filtered on its due
            ranges |= Q(starts_at__gte=start + step.offset - shift, starts_at__lt=end + step.offset + shift)
        for consultation in Consultation.objects.filter(ranges, status__in=Consultation.REMINDABLE).select_related(
            "contact"
        ):
            consultations[consultation.pk] = consultation
    if after:
        ranges = Q()
        for step in after:
            ranges |= Q(completed_at__gte=start - step.offset, completed_at__lt=end - step.offset)
        for consultation in Consultation.objects.filter(ranges, status=Consultation.Status.COMPLETED).select_related(
            "contact"
        ):
            consultations[consultation.pk] = consultation
    rows = {
        row.pk: row
        for row in _rows_query().filter(
            Q(due_at__gte=start, due_at__lt=end)
            | Q(status=MessageStatus.SCHEDULED, scheduled_for__gte=start, scheduled_for__lt=end)
            | Q(consultation_id__in=list(consultations), step__in=steps)
        )
    }
    # Rows that speak for a step's message: a reminder's for the visit's current time, a follow-up's for any time.
    written = {(row.step_id, row.consultation_id, row.consultation_starts_at, row.channel) for row in rows.values()}
    written_any_time = {(row.step_id, row.consultation_id, row.channel) for row in rows.values()}
    contacts = {c.contact_id: c.contact for c in consultations.values()}
    contacts.update({row.contact_id: row.contact for row in rows.values()})
    # One object per contact, so the forecast sees every row's contact alike.
    for consultation in consultations.values():
        consultation.contact = contacts[consultation.contact_id]
    for row in rows.values():
        row.contact = contacts[row.contact_id]
        if row.consultation_id in consultations:
            row.consultation = consultations[row.consultation_id]
    earliest = min([start, now, *(row.scheduled_for for row in rows.values())])
    known = Prefetch(contacts.values(), since=earliest)
    items = []
    shown = set()
    for consultation in consultations.values():
        for step in before if consultation.status in Consultation.REMINDABLE else after:
            due = _due_at(step, consultation)
            if due is None or not (start <= due < end):
                continue
            for channel in step.channels:
                if (step.pk, consultation.pk, consultation.starts_at, channel) in written or (
                    step.trigger == Trigger.AFTER_COMPLETED and (step.pk, consultation.pk, channel) in written_any_time
                ):
                    continue  # the row speaks for it (below)
                items.append((max(due, now), 0, _bind(_virtual, step, channel, consultation, now, known)))
    for row in rows.values():
        in_window = start <= row.due_at < end or (
            row.status == MessageStatus.SCHEDULED and start <= row.scheduled_for < end
        )
        if in_window and row.pk not in shown:
            shown.add(row.pk)
            items.append((max(row.scheduled_for, now), row.pk, _bind(_from_row, row, now, known)))
    return _counting(items, known)

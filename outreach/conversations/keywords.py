"""SMS keywords: recognising them in a reply, and what each one does.

A reply is a keyword when, after normalisation, it is exactly one of the registered words or phrases:
- case, surrounding whitespace and punctuation anywhere are ignored ("Stop." "STOP!" " stop " "opt-out" all count;
  a carrier or phone adds punctuation more often than a patient means something by it);
- a polite word before or after is ignored ("Stop please", "please STOP", "C thanks");
- anything longer is not a keyword ("Can I stop taking my meds?"): it goes to the staff inbox.
A few unambiguous opt-out sentences ("stop texting me", "unsubscribe me") count as STOP too: an opt-out must be
honoured when it is plainly meant, not only when it is spelled the carrier's way.

Keywords live in a registry (`register`), so a later feature can add one, or take over a word such as YES for a
double opt-in, without editing this module: `register("YES", kind=..., replace=True)(handler)`. A handler gets a
`KeywordContext` and returns an `Outcome`; it runs inside the inbound message's transaction.
"""

import datetime
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from outreach.consent import ledger
from outreach.consent.preferences import opt_out_everywhere
from outreach.engine import planner
from outreach.engine.composer import format_local
from outreach.models import Channel, ConsentRecord, Consultation, InboundMessage, Purpose

Kind = InboundMessage.Kind
Source = ConsentRecord.Source

FILLER_WORDS = {"PLEASE", "PLS", "PLZ", "THANKS", "THANK YOU", "THX", "TY", "NOW"}
# Statuses in which a visit can still be confirmed or moved by text.
UPCOMING = (
    Consultation.Status.SCHEDULED,
    Consultation.Status.CONFIRMED,
    Consultation.Status.RESCHEDULE_REQUESTED,
)


@dataclass
class KeywordContext:
    inbound: InboundMessage
    contact: object  # Contact or None (unknown number)
    clinic: object  # ClinicSettings
    now: datetime.datetime

    @property
    def clinic_name(self):
        return self.clinic.clinic_name or "Your clinic"

    def call_us(self):
        return f"call {self.clinic.phone}" if self.clinic.phone else "call the clinic"


@dataclass
class Outcome:
    kind: str
    reply: str = ""
    handled: bool = True  # settled by the engine; False leaves it open in the staff inbox
    urgent: bool = False
    consultation: Consultation | None = None
    alert: str = ""  # "staff" or "oncall": an email after commit (see outreach.conversations.inbound)
    keyword: str = ""


@dataclass(frozen=True)
class Keyword:
    words: tuple
    kind: str
    handler: Callable = field(compare=False)
    answers_unknown_numbers: bool = False


_REGISTRY: dict[str, Keyword] = {}


def normalise(body):
    text = unicodedata.normalize("NFKC", body or "").upper()
    text = re.sub(r"[^A-Z0-9]+", " ", text).strip()
    previous = None
    while previous != text:
        previous = text
        for filler in FILLER_WORDS:
            text = re.sub(rf"^{filler} (?=\S)|(?<=\S) {filler}$", "", text)
    return text


def register(*words, kind, answers_unknown_numbers=False, replace=False):
    """Register a handler for keywords (given in any case; they are normalised like replies)."""

    def decorate(handler):
        keyword = Keyword(tuple(words), kind, handler, answers_unknown_numbers)
        for word in words:
            key = normalise(word)
            if key in _REGISTRY and not replace:
                raise ValueError(f"keyword {key!r} is already registered")
            _REGISTRY[key] = keyword
        return handler

    return decorate


def lookup(body):
    """(the keyword as normalised, its Keyword) for a reply, or (normalised text, None)."""
    text = normalise(body)
    return text, _REGISTRY.get(text)


def registered():
    return dict(_REGISTRY)


# -- Opt-out and opt-in --------------------------------------------------------------------------------------------

OPT_OUT_WORDS = ("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "OPT OUT")
OPT_OUT_SENTENCES = (
    "STOP TEXTING ME",
    "STOP TEXTING",
    "STOP MESSAGING ME",
    "STOP SENDING ME TEXTS",
    "STOP SENDING TEXTS",
    "STOP SENDING MESSAGES",
    "UNSUBSCRIBE ME",
    "DO NOT TEXT ME",
    "DONT TEXT ME",
    "NO MORE TEXTS",
    "REMOVE ME",
)


@register(*OPT_OUT_WORDS, *OPT_OUT_SENTENCES, kind=Kind.OPT_OUT, answers_unknown_numbers=True)
def opt_out(ctx):
    # One confirmation per opt-out: a repeated STOP changes nothing and is not answered again. (With Twilio's
    # Advanced Opt-Out on, Twilio answers STOP itself and blocks further texts to the number, so our reply is
    # dropped by Twilio rather than sent twice.)
    changed = True
    if ctx.contact is not None:
        changed = opt_out_everywhere(ctx.contact, Channel.SMS, Source.KEYWORD, wording=ctx.inbound.body[:500])
    reply = ""
    if changed:
        reply = (
            f"{ctx.clinic_name}: You're unsubscribed and will get no more texts from us. Reply START to resubscribe. "
            f"To change or cancel a visit: {ctx.call_us()}."
        )
    return Outcome(kind=Kind.OPT_OUT, reply=reply)


@register("START", "UNSTOP", "YES", kind=Kind.OPT_IN)
def opt_in(ctx):
    ledger.record_consent(ctx.contact, Channel.SMS, Purpose.CARE, True, Source.KEYWORD, wording=ctx.inbound.body[:500])
    return Outcome(
        kind=Kind.OPT_IN,
        reply=(
            f"{ctx.clinic_name}: You're subscribed again to visit reminders by text. Msg & data rates may apply. "
            "Reply HELP for help, STOP to opt out."
        ),
    )


@register("HELP", "INFO", kind=Kind.HELP, answers_unknown_numbers=True)
def help_(ctx):
    return Outcome(
        kind=Kind.HELP,
        reply=(
            f"{ctx.clinic_name}: visit reminders and care messages. For help, {ctx.call_us()}. "
            "Reply STOP to opt out. Msg & data rates may apply."
        ),
    )


# -- Visits ------------------------------------------------------------------------------------------------------


def next_upcoming(contact, now):
    return (
        Consultation.objects.select_for_update()
        .filter(contact=contact, starts_at__gt=now, status__in=UPCOMING)
        .order_by("starts_at", "pk")
        .first()
    )


def _set_status(consultation, status):
    previous = consultation.status
    if previous != status:
        consultation.status = status
        consultation.save(update_fields=["status", "updated_at"])
        planner.consultation_changed(consultation, previous_starts_at=consultation.starts_at, previous_status=previous)
    return previous


def _no_visit(ctx, kind):
    return Outcome(
        kind=kind,
        reply=f"{ctx.clinic_name}: We couldn't find an upcoming visit for this number. Please {ctx.call_us()}.",
        handled=False,  # staff should see what the patient was trying to do
    )


@register("C", "CONFIRM", kind=Kind.CONFIRM)
def confirm(ctx):
    with transaction.atomic():
        consultation = next_upcoming(ctx.contact, ctx.now)
        if consultation is None:
            return _no_visit(ctx, Kind.CONFIRM)
        _set_status(consultation, Consultation.Status.CONFIRMED)
    date_text, time_text = format_local(consultation.starts_at, ctx.contact.zone)
    return Outcome(
        kind=Kind.CONFIRM,
        consultation=consultation,
        reply=(
            f"{ctx.clinic_name}: Thank you, your visit on {date_text} at {time_text} is confirmed. "
            f"To reschedule reply R or {ctx.call_us()}."
        ),
    )


@register("R", "RESCHEDULE", kind=Kind.RESCHEDULE)
def reschedule(ctx):
    with transaction.atomic():
        consultation = next_upcoming(ctx.contact, ctx.now)
        if consultation is None:
            return _no_visit(ctx, Kind.RESCHEDULE)
        previous = _set_status(consultation, Consultation.Status.RESCHEDULE_REQUESTED)
    date_text, time_text = format_local(consultation.starts_at, ctx.contact.zone)
    return Outcome(
        kind=Kind.RESCHEDULE,
        consultation=consultation,
        handled=False,  # staff have to call the patient back
        # A second R for the same visit does not page the front desk again; it is in the inbox either way.
        alert="" if previous == Consultation.Status.RESCHEDULE_REQUESTED else "staff",
        reply=(
            f"{ctx.clinic_name}: Thanks, we've told our team you'd like to move your visit on {date_text} at "
            f"{time_text}. We'll contact you to find a new time, or {ctx.call_us()}."
        ),
    )


def handle(ctx, keyword_text, keyword):
    outcome = keyword.handler(ctx)
    outcome.keyword = keyword_text
    return outcome


__all__ = ["KeywordContext", "Outcome", "handle", "lookup", "normalise", "register", "registered"]

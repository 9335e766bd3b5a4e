"""SMS keywords: recognising them in a reply, and what each one does.

A reply is a keyword when, after normalisation, it is exactly one of the registered words or phrases:
- case, accents, apostrophes, surrounding whitespace and punctuation anywhere are ignored ("Stop." "STOP!" " stop "
  "opt-out" all count; a carrier or phone adds punctuation more often than a patient means something by it);
- a polite word before or after is ignored ("Stop please", "please STOP", "C thanks");
- anything longer is not a keyword ("Can I stop taking my meds?"): it goes to the staff inbox.
An opt-out is also recognised however it is written ("stop sending me messages", "take me off your list", "no me
manden más mensajes"): outreach.conversations.opt_out reads it, and it is handled as STOP.

With Twilio's Advanced Opt-Out, Twilio answers its opt-out, opt-in and help keywords itself (the clinic's custom
ones too) and tells us which it saw (`OptOutType`: STOP, START or HELP). We then do what Twilio did, whatever our own
reading of the words, record it as a provider report, and send no second answer (`KeywordContext.opt_out_type`).

Languages: Spanish keywords (PARAR, CANCELAR, AYUDA, CONFIRMAR, CAMBIAR, COMENZAR, SI...) are registered beside
the English ones, marked as Spanish. What the patient wrote in Spanish (a Spanish keyword, a Spanish opt-out however
written) is answered in Spanish; anything else (STOP, C, R...) in the patient's language, else the clinic's
default. A patient who never chose a language and texts a Spanish keyword gets Spanish from then on: their language
is set to Spanish (staff, the booking system or the patient can change it back).
The answers' words: outreach.conversations.answers.

Keywords live in a registry (`register`), so a later feature can add one, or take over a word such as YES for a
double opt-in, without editing this module: `register("YES", kind=..., replace=True)(handler)`. A handler gets a
`KeywordContext` and returns an `Outcome`; it runs inside the inbound message's transaction.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from cms.clinic import messaging_name
from outreach import languages
from outreach.consent import identity, ledger
from outreach.consent.preferences import opt_out_everywhere
from outreach.conversations import answers
from outreach.conversations import opt_out as opt_out_reading
from outreach.conversations.reading import fold
from outreach.engine import gate, planner
from outreach.engine.composer import format_local
from outreach.models import Channel, ConsentRecord, Consultation, InboundMessage, Purpose

logger = logging.getLogger(__name__)
Kind = InboundMessage.Kind
Source = ConsentRecord.Source

FILLER_WORDS = {"PLEASE", "PLS", "PLZ", "THANKS", "THANK YOU", "THX", "TY", "NOW", "POR FAVOR", "PORFA", "GRACIAS"}
# Statuses in which a visit can still be confirmed or moved by text.
UPCOMING = (
    Consultation.Status.SCHEDULED,
    Consultation.Status.CONFIRMED,
    Consultation.Status.RESCHEDULE_REQUESTED,
)
# Twilio Advanced Opt-Out's OptOutType -> what Twilio did.
PROVIDER_KINDS = {"STOP": Kind.OPT_OUT, "START": Kind.OPT_IN, "HELP": Kind.HELP}


@dataclass
class KeywordContext:
    inbound: InboundMessage
    contact: object  # Contact or None (unknown number)
    clinic: object  # ClinicSettings
    now: datetime.datetime
    address: str | None = None  # the sender as E.164, None for a short code or alphanumeric sender
    opt_out_type: str = ""  # Twilio Advanced Opt-Out's OptOutType when Twilio acted (and answered) already
    language: str = ""  # of the answer: the patient's (or the clinic's default); Spanish for what was written in it

    def __post_init__(self):
        if not self.language:
            self.language = languages.of(self.contact, self.clinic)

    @property
    def clinic_name(self):
        return messaging_name(self.clinic)  # every reply starts with it, on the lock screen

    def call_us(self):
        return answers.call_us(self.clinic.phone, self.language)

    def say(self, key, **values):
        """The answer `key` in this text's language, with the clinic's name and how to call it filled in."""
        return answers.answer(key, self.language, name=self.clinic_name, call_us=self.call_us(), **values)

    def visit_when(self, consultation):
        date_text, time_text = format_local(consultation.starts_at, self.contact.zone, self.language)
        return {"date": date_text, "time": time_text}

    @property
    def source(self):
        """Who recorded a consent change from this text: Twilio's report when Twilio acted, else our keyword."""
        return Source.PROVIDER_EVENT if self.opt_out_type else Source.KEYWORD

    @property
    def reason(self):
        if self.opt_out_type:
            return f"Twilio Advanced Opt-Out: OptOutType {self.opt_out_type} (Twilio answered the patient)"
        return ""


@dataclass
class Outcome:
    kind: str
    reply: str = ""
    handled: bool = True  # settled by the engine; False leaves it open in the staff inbox
    urgent: bool = False
    consultation: Consultation | None = None
    alert: str = ""  # "staff", "cancellation" or "oncall": an email after commit (see conversations.inbound)
    keyword: str = ""


@dataclass(frozen=True)
class Keyword:
    words: tuple
    kind: str
    handler: Callable = field(compare=False)
    answers_unknown_numbers: bool = False
    language: str = ""  # "es" for a Spanish word; "" for words of any language (STOP, C, R, INFO)


_REGISTRY: dict[str, Keyword] = {}


def normalise(body):
    text = fold(body).upper()
    previous = None
    while previous != text:
        previous = text
        for filler in FILLER_WORDS:
            if text.startswith(filler + " "):
                text = text[len(filler) + 1 :]
            if text.endswith(" " + filler):
                text = text[: -len(filler) - 1]
    return text


def register(*words, kind, answers_unknown_numbers=False, replace=False, language=""):
    """Register a handler for keywords (given in any case; they are normalised like replies). `language`: the
    language the words belong to, when they belong to one (the answer is then in it)."""

    def decorate(handler):
        keyword = Keyword(tuple(words), kind, handler, answers_unknown_numbers, language)
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


def action_for(ctx):
    """(keyword text, Keyword, language written in) to run for this text, or None: what Twilio did when it acted,
    else an exact keyword, else an opt-out however written. Keywords unknown numbers may not use give None. The
    language is "es" for Spanish words, else "" (the patient's own language applies)."""
    body = ctx.inbound.body
    if ctx.opt_out_type in PROVIDER_KINDS:
        kind = PROVIDER_KINDS[ctx.opt_out_type]
        text, keyword = lookup(body)
        if keyword is None or keyword.kind != kind:
            # A custom keyword of the clinic's that only Twilio knows: do what Twilio did.
            keyword = _REGISTRY[{Kind.OPT_OUT: "STOP", Kind.OPT_IN: "START", Kind.HELP: "HELP"}[kind]]
            return text[:20], keyword, ""
        return text[:20], keyword, keyword.language
    text, keyword = lookup(body)
    language = keyword.language if keyword is not None else ""
    if keyword is None:
        intent = opt_out_reading.detect(body)
        if intent is not None:
            text, keyword = intent.keyword, _REGISTRY["STOP"]
            language = intent.language if intent.language != "en" else ""
    if keyword is None or (ctx.contact is None and not keyword.answers_unknown_numbers):
        return None
    return text, keyword, language


# -- Opt-out and opt-in --------------------------------------------------------------------------------------------

OPT_OUT_WORDS = ("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "OPT OUT")
# Spanish: the opt-out reader's Spanish keywords (PARAR, PARA, CANCELAR, BAJA, ALTO, BASTA, FIN, NO MAS...).
SPANISH_OPT_OUT_WORDS = tuple(word.upper() for word in opt_out_reading.KEYWORDS["es"])


@register(*OPT_OUT_WORDS, kind=Kind.OPT_OUT, answers_unknown_numbers=True)
def opt_out(ctx):
    """Opt out of the channel(s) the reply names (texts, unless it names only email) for every purpose. A number no
    contact holds is remembered by address (ledger.opt_out_address) and the opt-out follows it into the contact
    the booking system later makes. One confirmation per opt-out: a repeat changes nothing and is not answered."""
    intent = opt_out_reading.detect(ctx.inbound.body)
    channels = intent.channels if intent is not None else (Channel.SMS,)
    if ctx.opt_out_type:
        channels = (Channel.SMS,)  # Twilio blocks texts to the number, nothing else
    changed = False
    if ctx.contact is not None:
        for channel in channels:
            if ctx.contact.address_for(channel):
                changed |= opt_out_everywhere(
                    ctx.contact, channel, ctx.source, wording=ctx.inbound.body[:500], reason=ctx.reason
                )
    elif ctx.address:
        changed = ledger.opt_out_address(Channel.SMS, ctx.address)
    else:
        changed = True  # a short code cannot be remembered; still confirm what was asked
    reply = ""
    if changed:
        what = answers.answer("emails" if channels == (Channel.EMAIL,) else "texts", ctx.language)
        reply = ctx.say("opted_out", what=what)
    possible_cancellation = intent is not None and intent.possible_cancellation
    # A reply that is more than a keyword ("stop texting me, nobody would care if I was gone") stays open for staff:
    # a person wrote it, and it may say more than the readers understood.
    said_more = not ctx.opt_out_type and lookup(ctx.inbound.body)[1] is None
    return Outcome(
        kind=Kind.OPT_OUT,
        reply=reply,
        # "CANCEL" may have meant the visit: the text stays open for staff and the front desk is told.
        handled=not (possible_cancellation or said_more),
        alert="cancellation" if possible_cancellation and ctx.contact is not None else "",
    )


register(*SPANISH_OPT_OUT_WORDS, kind=Kind.OPT_OUT, answers_unknown_numbers=True, language="es")(opt_out)


def not_for_subscribers(ctx, kind):
    """C, R and START from a number that is only a subscriber from the public form act on nothing and are not
    answered: the identity rule (outreach/consent/identity.py). Staff see the text in the inbox."""
    return Outcome(kind=kind, handled=False)


def opt_in(ctx):
    """Opt back in to care texts. From a number no contact holds, only an opt-out it made is lifted; with nothing
    to lift the text is left for staff, unanswered."""
    if ctx.contact is None:
        lifted = bool(ctx.address) and ledger.lift_address_opt_out(Channel.SMS, ctx.address)
        if not lifted and not ctx.opt_out_type:
            return Outcome(kind=Kind.UNKNOWN, handled=False)
        return Outcome(kind=Kind.OPT_IN, reply=ctx.say("address_opted_in"))
    if not identity.acts_for_patient(ctx.contact):
        return not_for_subscribers(ctx, Kind.OPT_IN)
    ledger.record_consent(
        ctx.contact, Channel.SMS, Purpose.CARE, True, ctx.source, wording=ctx.inbound.body[:500], reason=ctx.reason
    )
    return Outcome(kind=Kind.OPT_IN, reply=ctx.say("opted_in"))


register("START", "UNSTOP", kind=Kind.OPT_IN, answers_unknown_numbers=True)(opt_in)
register("COMENZAR", "INICIAR", "REANUDAR", kind=Kind.OPT_IN, answers_unknown_numbers=True, language="es")(opt_in)
register("YES", kind=Kind.OPT_IN)(opt_in)
register("SI", kind=Kind.OPT_IN, language="es")(opt_in)


@register("HELP", "INFO", kind=Kind.HELP, answers_unknown_numbers=True)
def help_(ctx):
    return Outcome(kind=Kind.HELP, reply=ctx.say("help"))


register("AYUDA", kind=Kind.HELP, answers_unknown_numbers=True, language="es")(help_)


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
        reply=ctx.say("no_visit"),
        handled=False,  # staff should see what the patient was trying to do
    )


@register("C", "CONFIRM", kind=Kind.CONFIRM)
def confirm(ctx):
    if not identity.acts_for_patient(ctx.contact):
        return not_for_subscribers(ctx, Kind.CONFIRM)
    with transaction.atomic():
        consultation = next_upcoming(ctx.contact, ctx.now)
        if consultation is None:
            return _no_visit(ctx, Kind.CONFIRM)
        _set_status(consultation, Consultation.Status.CONFIRMED)
    return Outcome(
        kind=Kind.CONFIRM, consultation=consultation, reply=ctx.say("confirmed", **ctx.visit_when(consultation))
    )


register("CONFIRMAR", "CONFIRMO", kind=Kind.CONFIRM, language="es")(confirm)


@register("R", "RESCHEDULE", kind=Kind.RESCHEDULE)
def reschedule(ctx):
    if not identity.acts_for_patient(ctx.contact):
        return not_for_subscribers(ctx, Kind.RESCHEDULE)
    with transaction.atomic():
        consultation = next_upcoming(ctx.contact, ctx.now)
        if consultation is None:
            return _no_visit(ctx, Kind.RESCHEDULE)
        previous = _set_status(consultation, Consultation.Status.RESCHEDULE_REQUESTED)
    return Outcome(
        kind=Kind.RESCHEDULE,
        consultation=consultation,
        handled=False,  # staff have to call the patient back
        # A second R for the same visit does not page the front desk again; it is in the inbox either way.
        alert="" if previous == Consultation.Status.RESCHEDULE_REQUESTED else "staff",
        reply=ctx.say("reschedule_requested", **ctx.visit_when(consultation)),
    )


register("CAMBIAR", "CAMBIO", "REPROGRAMAR", kind=Kind.RESCHEDULE, language="es")(reschedule)


def written_in(ctx, language):
    """The patient wrote in `language`: answer in it, and remember it for a contact who never chose one."""
    if not language or language not in languages.codes():
        return
    ctx.language = language
    contact = ctx.contact
    if contact is not None and contact.pk and not contact.language:
        contact.language = language
        type(contact).objects.filter(pk=contact.pk, language="").update(language=language)


# What each keyword's answer is to the gate: an opt-out's confirmation and HELP may go past an opt-out.
ANSWER_KINDS = {Kind.OPT_OUT: gate.Kind.OPT_OUT_ANSWER, Kind.HELP: gate.Kind.HELP_ANSWER}


def handle(ctx, keyword_text, keyword, language=""):
    if language:
        written_in(ctx, language)
    outcome = keyword.handler(ctx)
    outcome.keyword = keyword_text
    if ctx.opt_out_type in PROVIDER_KINDS:
        outcome.reply = ""  # Twilio answered this keyword itself: never a second answer
    answer = gated_answer(ctx, outcome.reply, ANSWER_KINDS.get(keyword.kind, gate.Kind.KEYWORD_ANSWER))
    if outcome.reply and not answer:
        outcome.handled = False  # the patient waits for an answer the gate would not text: staff follow up
    outcome.reply = answer
    return outcome


def gated_answer(ctx, reply, kind):
    """The answer if the gate lets it go to the sender (after the handler acted: a START has lifted the opt-out,
    a STOP has recorded it), else "" (the text still stands in the inbox for staff)."""
    if not reply:
        return ""
    decision = gate.check(kind=kind, channel=Channel.SMS, address=ctx.address, contact=ctx.contact, now=ctx.now)
    if decision.sends:
        return reply
    logger.info("inbound %s: %s not sent: %s", ctx.inbound.pk, kind, decision.reason)
    return ""


__all__ = [
    "KeywordContext",
    "Outcome",
    "action_for",
    "handle",
    "lookup",
    "normalise",
    "register",
    "registered",
    "written_in",
]

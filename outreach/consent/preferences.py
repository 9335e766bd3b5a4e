"""What a patient chooses to receive, per channel and purpose: opt-outs from any source, and the preference page.

Every change is a consent-ledger record (outreach.consent.ledger) carrying the source and the words the patient used or
was shown; an opt-out also cancels the channel's unsent messages for those purposes.
"""

from dataclasses import dataclass

from outreach.consent import ledger
from outreach.models import Channel, ConsentRecord, Purpose

Source = ConsentRecord.Source

CHANNEL_LABELS = {Channel.SMS: "Text messages", Channel.EMAIL: "Email"}
PURPOSE_LABELS = {
    Purpose.CARE: "Reminders about your visits",
    Purpose.EDUCATION: "Articles and follow-ups after your visit",
}
# The same labels in the other languages of outreach.languages (the page is in the patient's language).
LABELS_IN = {
    "es": (
        {Channel.SMS: "Mensajes de texto", Channel.EMAIL: "Correo electrónico"},
        {
            Purpose.CARE: "Recordatorios de sus visitas",
            Purpose.EDUCATION: "Artículos y seguimiento después de su visita",
        },
    ),
}


@dataclass(frozen=True)
class Choice:
    channel: str
    purpose: str

    @property
    def field_name(self):
        return f"{self.channel}__{self.purpose}"

    @property
    def label(self):
        return self.label_in("en")

    def label_in(self, language):
        channels, purposes = LABELS_IN.get(language, (CHANNEL_LABELS, PURPOSE_LABELS))
        return f"{channels[self.channel]}: {purposes[self.purpose]}"


def revoked(contact, channel, purpose):
    record = ledger.latest(contact, channel, purpose)
    return record is not None and not record.granted


def opt_out_everywhere(contact, channel, source, *, wording="", reason=""):
    """Opt a contact out of a channel for every purpose. Returns True if this changed anything (a repeated opt-out
    records nothing new, so the caller can confirm only once). A "no" the booking system sent is not the patient's:
    the patient's own is recorded over it, so the booking system's later "yes" cannot lift it."""
    purposes = [
        purpose for purpose in Purpose.values if not ledger.patient_opted_out(ledger.latest(contact, channel, purpose))
    ]
    if purposes:
        ledger.opt_out(contact, channel, source, wording=wording, reason=reason, purposes=purposes)
    else:
        ledger.cancel_pending(contact, channel, reason=ledger.OPT_OUT_CANCEL_REASON)
    return bool(purposes)


def choices_for(contact):
    """The choices a contact can make: every purpose, on each channel we have an address for."""
    channels = [channel for channel in (Channel.SMS, Channel.EMAIL) if contact.address_for(channel)]
    return [Choice(channel, purpose) for channel in channels for purpose in Purpose.values]


def current(contact):
    return {choice: ledger.has_consent(contact, choice.channel, choice.purpose) for choice in choices_for(contact)}


def set_language(contact, language):
    """The language of the contact's messages, as the patient chose it ("" keeps the current one). Returns True if
    it changed. Not consent, so not in the ledger; the contact's history (updated_at) shows it changed."""
    if not language or language == contact.language:
        return False
    contact.language = language
    contact.save(update_fields=["language", "updated_at"])
    return True


def apply_choices(contact, wanted, language="en"):
    """Record what changed between the contact's current consent and `wanted` (a set of Choices). Returns the
    changed choices. The wording records the exact label the patient saw (in the page's `language`) and what they
    did with it."""
    changed = []
    for choice, granted in current(contact).items():
        want = choice in wanted
        if want == granted:
            continue
        wording = f'Preference page: "{choice.label_in(language)}" {"ticked" if want else "unticked"}'
        if want:
            ledger.record_consent(
                contact, choice.channel, choice.purpose, True, Source.PREFERENCE_LINK, wording=wording
            )
        else:
            ledger.opt_out(contact, choice.channel, Source.PREFERENCE_LINK, wording=wording, purposes=[choice.purpose])
        changed.append(choice)
    return changed

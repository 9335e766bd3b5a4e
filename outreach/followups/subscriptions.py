"""Topic subscriptions from the public site, with double opt-in.

1. The subscribe form posts email and/or phone, topic slugs and the exact consent wording it showed. We record a
   *pending* education consent per channel (source "subscription", with that wording) and ask the contact to
   confirm: an email with a confirmation link, or a text asking them to reply YES.
2. Only the confirmation (source "confirmation") grants the education consent and confirms the subscriptions.
Nothing educational is sent before step 2. Both steps stay in the ledger with their wording and time.
"""

import datetime

from django import forms
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from phonenumber_field.formfields import PhoneNumberField

from cms.clinic import get_clinic_settings
from cms.models import Topic
from outreach.consent.ledger import latest
from outreach.models import Channel, ConsentRecord, Contact, Purpose, Subscription

CONFIRM_SALT = "outreach.subscription-confirm"
CONFIRM_MAX_AGE = datetime.timedelta(days=7)
Source = ConsentRecord.Source


class SubscribeForm(forms.Form):
    email = forms.EmailField(required=False)
    phone = PhoneNumberField(required=False, region="US")
    first_name = forms.CharField(max_length=100, required=False)
    consent_wording = forms.CharField(max_length=2000)
    topics = forms.JSONField()

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip().lower()

    def clean_topics(self):
        slugs = self.cleaned_data["topics"]
        if not isinstance(slugs, list) or not slugs or not all(isinstance(slug, str) for slug in slugs):
            raise forms.ValidationError("must be a non-empty list of topic slugs")
        topics = list(Topic.objects.filter(slug__in=slugs))
        unknown = sorted(set(slugs) - {topic.slug for topic in topics})
        if unknown:
            raise forms.ValidationError("unknown topic(s): " + ", ".join(unknown[:10]))
        return topics

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("email") and not cleaned.get("phone"):
            raise forms.ValidationError("give an email address or a mobile number")
        return cleaned


def request_subscription(cleaned):
    """Record the request; return [(contact id, channel)] confirmations to send (after commit)."""
    with transaction.atomic():
        contact = find_or_create_contact(cleaned)
        for topic in cleaned["topics"]:
            Subscription.objects.get_or_create(contact=contact, topic=topic)
        channels = [channel for channel, key in ((Channel.EMAIL, "email"), (Channel.SMS, "phone")) if cleaned[key]]
        for channel in channels:
            ConsentRecord.objects.create(
                contact=contact,
                channel=channel,
                purpose=Purpose.EDUCATION,
                granted=True,
                pending=True,
                source=Source.SUBSCRIPTION,
                wording=cleaned["consent_wording"],
            )
    return [(contact.pk, channel) for channel in channels]


def find_or_create_contact(cleaned):
    phone, email = cleaned["phone"] or None, cleaned["email"] or None
    contact = (Contact.objects.select_for_update().filter(phone=phone).first() if phone else None) or (
        Contact.objects.select_for_update().filter(email=email).first() if email else None
    )
    if contact is None:
        return Contact.objects.create(
            first_name=cleaned["first_name"] or "",
            phone=phone,
            email=email,
            time_zone=get_clinic_settings().time_zone,
        )
    changed = False
    if phone and not contact.phone and not Contact.objects.filter(phone=phone).exists():
        contact.phone, changed = phone, True
    if email and not contact.email and not Contact.objects.filter(email=email).exists():
        contact.email, changed = email, True
    if changed:
        contact.save()
    return contact


def pending_request(contact, channel):
    """The subscription request awaiting confirmation on a channel, if any (newer than the current consent)."""
    request = (
        ConsentRecord.objects.filter(contact=contact, channel=channel, purpose=Purpose.EDUCATION, pending=True)
        .order_by("-recorded_at", "-pk")
        .first()
    )
    current = latest(contact, channel, Purpose.EDUCATION)
    if request is None or (current is not None and current.recorded_at >= request.recorded_at):
        return None
    return request


@transaction.atomic
def confirm(contact, channel, how):
    """Grant the education consent the pending request asked for; returns the new record, or None."""
    request = pending_request(contact, channel)
    if request is None:
        return None
    record = ConsentRecord.objects.create(
        contact=contact,
        channel=channel,
        purpose=Purpose.EDUCATION,
        granted=True,
        source=Source.CONFIRMATION,
        wording=f"{request.wording}\n[confirmed by {how}]",
    )
    contact.subscriptions.filter(confirmed_at__isnull=True).update(confirmed_at=timezone.now())
    return record


def confirmation_token(contact):
    return signing.dumps([contact.pk, contact.link_version], salt=CONFIRM_SALT)


def contact_for_token(token):
    try:
        contact_id, version = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    contact = Contact.objects.filter(pk=contact_id).first()
    return contact if contact and contact.link_version == version else None


def confirmation_url(contact):
    return f"{settings.PUBLIC_BASE_URL}/subscriptions/confirm/{confirmation_token(contact)}/"

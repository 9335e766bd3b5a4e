"""Topic subscriptions from the public site, with double opt-in.

1. The subscribe form posts email and/or phone, topic slugs and the exact consent wording it showed. Each address
   goes, under the identity rule (outreach/consent/identity.py), to the contact that holds it or to a new subscriber
   holding only it; we record a *pending* education consent for it (source "subscription", with that wording) and
   ask that address to confirm: an email with a confirmation link, or a text asking them to reply YES.
2. Only the confirmation (source "confirmation") grants the education consent and confirms the subscriptions.
Nothing educational is sent before step 2. Both steps stay in the ledger with their wording and time.
"""

import datetime

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from phonenumber_field.formfields import PhoneNumberField

from cms.clinic import get_clinic_settings
from cms.models import Topic
from outreach.consent import identity
from outreach.consent.ledger import pending_request
from outreach.engine import gate
from outreach.models import Channel, ConsentRecord, Contact, Purpose, Subscription

CONFIRM_SALT = "outreach.subscription-confirm"
CONFIRM_MAX_AGE = datetime.timedelta(days=7)
Source = ConsentRecord.Source


class SubscribeForm(forms.Form):
    email = forms.EmailField(required=False)
    phone = PhoneNumberField(required=False, region="US")
    consent_wording = forms.CharField(max_length=2000)
    topics = forms.JSONField()
    # The language of the page the form is on: the confirmation is written in it, and a new subscriber's
    # messages too. A contact that already exists keeps its own (the form never changes a contact).
    language = forms.CharField(required=False, max_length=20)

    def clean_language(self):
        from outreach.languages import normalise

        try:
            return normalise(self.cleaned_data.get("language"))
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages[0]) from None

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip().lower()

    def clean_phone(self):
        # Refused up front, with the same words whoever holds the number: the form never texts a country the clinic
        # does not serve (premium-rate numbers abroad are what SMS pumping fraud is after).
        phone = self.cleaned_data.get("phone")
        if phone and not gate.sms_country_allowed(phone):
            raise forms.ValidationError(
                "we can only text numbers in " + ", ".join(settings.OUTREACH_SMS_ALLOWED_COUNTRIES)
            )
        return phone

    def clean_topics(self):
        slugs = self.cleaned_data["topics"]
        if not isinstance(slugs, list) or not slugs or not all(isinstance(slug, str) for slug in slugs):
            raise forms.ValidationError("must be a non-empty list of topic slugs")
        topics = list(Topic.objects.canonical().filter(slug__in=slugs))
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
    """Record the request; return [(contact id, channel)] confirmations to send (after commit).

    Each address is its own request, under the identity rule (outreach/consent/identity.py): the contact that holds
    it, or a new subscriber holding only it. Nothing typed into the form is stored on a contact but the address."""
    time_zone = get_clinic_settings().time_zone
    requests = []
    with transaction.atomic():
        for channel, key in ((Channel.EMAIL, "email"), (Channel.SMS, "phone")):
            if not cleaned[key]:
                continue
            contact = identity.holder_or_subscriber(
                channel, str(cleaned[key]), time_zone=time_zone, language=cleaned.get("language", "")
            )
            # ON CONFLICT DO NOTHING: a double-submitted form follows the same topics once, and never fails.
            Subscription.objects.bulk_create(
                [Subscription(contact=contact, topic=topic) for topic in cleaned["topics"]], ignore_conflicts=True
            )
            ConsentRecord.objects.create(
                contact=contact,
                channel=channel,
                purpose=Purpose.EDUCATION,
                granted=True,
                pending=True,
                source=Source.SUBSCRIPTION,
                wording=cleaned["consent_wording"],
            )
            requests.append((contact.pk, channel))
    return requests


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

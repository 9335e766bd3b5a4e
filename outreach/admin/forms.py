"""Forms of the Outreach admin."""

from django import forms
from django.core.exceptions import ValidationError
from phonenumber_field.formfields import PhoneNumberField
from wagtail.admin.forms import WagtailAdminModelForm

from outreach.admin.permissions import allowed_purposes
from outreach.models import Channel, Purpose, Suppression
from outreach.models.suppressions import address_digests
from outreach.models.tokens import BOOKING_SYSTEM_HELP


class CampaignForm(WagtailAdminModelForm):
    """The campaign editor. Marketing editors may only choose the educational purpose; the live preview script
    renders each step as the patient will get it (see outreach/static/outreach/campaign_preview.js)."""

    class Media:
        js = ["outreach/campaign_preview.js"]
        css = {"all": ["outreach/campaign_preview.css"]}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "purpose" in self.fields:
            allowed = allowed_purposes(self.for_user)
            self.fields["purpose"].choices = [(value, label) for value, label in Purpose.choices if value in allowed]
            if len(allowed) == 1:
                self.fields["purpose"].initial = allowed[0]

    def clean_purpose(self):
        purpose = self.cleaned_data["purpose"]
        if self.for_user is not None and purpose not in allowed_purposes(self.for_user):
            raise ValidationError("You may only manage educational campaigns.")
        return purpose


class ContactForm(WagtailAdminModelForm):
    pass


class ContactLanguageForm(forms.Form):
    """The language of a patient's messages, as the patient told staff (the booking system may send it too)."""

    language = forms.ChoiceField(
        required=False,
        help_text="Reminders, emails and the answers to the patient's texts are written in it; a step without a "
        "translation in it is sent in the clinic's default language.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from outreach import languages

        default = languages.name(languages.default_language())
        self.fields["language"].choices = [("", f"The clinic's default ({default})"), *languages.choices()]


class ConsentChangeForm(forms.Form):
    channel = forms.ChoiceField(choices=Channel.choices)
    purpose = forms.ChoiceField(choices=Purpose.choices)
    granted = forms.TypedChoiceField(
        label="Change",
        choices=[("true", "Grant consent"), ("false", "Withdraw consent")],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why you are recording this, e.g. 'Patient asked at the front desk on 3 March'.",
    )
    wording = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The patient's own words, or the wording they agreed to. Required to lift an opt-out (by text, "
        "link, provider report, or recorded by staff): only the patient can lift it.",
    )


class SendTestForm(forms.Form):
    channel = forms.ChoiceField(choices=Channel.choices, widget=forms.RadioSelect, initial=Channel.SMS)
    phone = PhoneNumberField(
        required=False, region="US", help_text="Your own mobile number (for a test text). Never a patient's."
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        channel = cleaned.get("channel")
        if channel == Channel.SMS and not cleaned.get("phone"):
            self.add_error("phone", "Type the mobile number the test text should go to.")
        if channel == Channel.EMAIL and not self.user.email:
            self.add_error("channel", "Your account has no email address: add one in your account settings.")
        return cleaned

    @property
    def address(self):
        if self.cleaned_data["channel"] == Channel.SMS:
            return str(self.cleaned_data["phone"])
        return self.user.email


class ImportForm(forms.Form):
    file = forms.FileField(help_text="The booking system's CSV export (UTF-8), with the header line.")
    dry_run = forms.BooleanField(
        required=False, label="Check only", help_text="Validate every line and report, without saving anything."
    )


def normalise_address(channel, address):
    """An address as suppressions store it (before outreach.models.suppressions.address_digest): a phone number in
    E.164 however it was typed ("(203) 555-0123", "203.555.0123", "+1 203 555 0123"), an email trimmed and in lower
    case. Raises ValidationError when it is not one. Used by the add form and by the list's search alike."""
    address = (address or "").strip()
    if channel == Channel.SMS:
        return str(PhoneNumberField(region="US").clean(address))
    return forms.EmailField().clean(address).lower()


def suppression_digests(query):
    """The keyed hashes a typed search could match, on each channel it can be read as, under every hash key (rows
    recorded before a key rotation are found too)."""
    digests = set()
    for channel in Channel.values:
        try:
            digests.update(address_digests(channel, normalise_address(channel, query)))
        except ValidationError:
            continue
    return digests


class SuppressionForm(WagtailAdminModelForm):
    """Staff type an address; only its keyed hash and a masked hint are stored (Suppression.add)."""

    address = forms.CharField(
        max_length=254, help_text="The phone number (any format, e.g. (203) 555-0123) or the email address."
    )

    class Meta:
        model = Suppression
        fields = ["channel", "reason"]

    def clean(self):
        cleaned = super().clean()
        address = (cleaned.get("address") or "").strip()
        channel = cleaned.get("channel")
        if channel and address:
            try:
                address = normalise_address(channel, address)
            except ValidationError:
                example = "a phone number, e.g. (203) 555-0123" if channel == Channel.SMS else "an email address"
                self.add_error("address", f"Enter {example}.")
        cleaned["address"] = address
        return cleaned

    def save(self, commit=True):
        return Suppression.add(self.cleaned_data["channel"], self.cleaned_data["address"], self.cleaned_data["reason"])


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="Who uses it, e.g. 'Booking system (production)'.")
    booking_system = forms.SlugField(max_length=50, required=False, help_text=BOOKING_SYSTEM_HELP)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Answer by SMS",
        max_length=640,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Sent from the clinic's number to the patient. Never include diagnosis or treatment details.",
    )


class SimulateReplyForm(forms.Form):
    body = forms.CharField(
        label="Or type the patient's text",
        max_length=320,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Handled exactly as a real text from this patient's phone would be (demo only).",
    )

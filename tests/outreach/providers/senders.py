"""One way to drive each provider adapter against its fake, so a test can walk all three (Twilio, Postmark, Mailgun)
through the real `twilio` / `anymail` code over HTTP."""

import datetime
import itertools
from dataclasses import dataclass

from django.test import override_settings

from outreach.providers.base import OutgoingEmail, OutgoingSMS
from outreach.providers.email import AnymailEmailProvider
from outreach.providers.twilio import TwilioSMSProvider
from tests.fakes.pytest_plugin import mailgun_settings_for, postmark_settings_for, twilio_settings_for

_numbers = itertools.count(1)


def sms(reference=None, to=None, body="Hi Ana, a reminder of your visit on Friday at 10:00 AM. Reply STOP to opt out."):
    n = next(_numbers)
    return OutgoingSMS(to=to or f"+1203555{(n % 100):04d}", body=body, reference=str(reference or n))


def email(reference=None, to=None, **overrides):
    n = next(_numbers)
    reference = str(reference or n)
    fields = {
        "to": to or f"patient{n}@example.com",
        "subject": f"Your visit on Friday ({reference})",
        "text": f"Hi patient {reference},\n\nSee you on Friday at 10:00 AM.",
        "html": f"<p>Hi patient {reference},</p><p>See you on Friday at 10:00 AM.</p>",
        "headers": {
            "List-Unsubscribe": f"<https://clinic.example/u/{reference}/>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        "reference": reference,
        "tags": ("care",),
    }
    fields.update(overrides)
    return OutgoingEmail(**fields)


@dataclass
class Sender:
    name: str
    fake: object
    settings: dict

    def provider(self, **overrides):
        with override_settings(**{**self.settings, **overrides}):
            if self.name == "twilio":
                from django.conf import settings

                return TwilioSMSProvider(
                    settings.TWILIO_ACCOUNT_SID,
                    settings.TWILIO_AUTH_TOKEN,
                    settings.TWILIO_FROM_NUMBER,
                    None,
                    settings.TWILIO_API_BASE_URL,
                    settings.TWILIO_HTTP_TIMEOUT,
                )
            return AnymailEmailProvider(self.name)

    def message(self, **kwargs):
        return sms(**kwargs) if self.name == "twilio" else email(**kwargs)

    def send(self, message, **overrides):
        provider = self.provider(**overrides)
        with override_settings(**{**self.settings, **overrides}):
            if self.name == "twilio":
                return provider.send_sms(message)
            return provider.send_email(message)

    def find(self, message, since, **overrides):
        provider = self.provider(**overrides)
        with override_settings(**{**self.settings, **overrides}):
            return provider.find_accepted(message, since)

    def at(self, url):
        """Settings for the same provider at another URL (a refused or unanswering port)."""
        if self.name == "twilio":
            return {"TWILIO_API_BASE_URL": url}
        anymail = dict(self.settings["ANYMAIL"])
        key = "POSTMARK_API_URL" if self.name == "postmark" else "MAILGUN_API_URL"
        anymail[key] = url + ("/" if self.name == "postmark" else "/v3")
        return {"ANYMAIL": anymail}

    def with_timeout(self, seconds):
        if self.name == "twilio":
            return {"TWILIO_HTTP_TIMEOUT": seconds}
        return {"ANYMAIL": {**self.settings["ANYMAIL"], "REQUESTS_TIMEOUT": seconds}}

    def accepted_for(self, message):
        """The fake's messages for this outgoing message's recipient."""
        return [m for m in self.fake.messages if message.to.lower() in [r.lower() for r in m.recipients]]


def make_sender(name, fake):
    settings_for = {"twilio": twilio_settings_for, "postmark": postmark_settings_for, "mailgun": mailgun_settings_for}
    return Sender(name, fake, settings_for[name](fake))


def ago(**kwargs):
    return datetime.datetime.now(datetime.UTC) - datetime.timedelta(**kwargs)

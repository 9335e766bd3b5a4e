"""Provider adapters, chosen by SMS_PROVIDER and EMAIL_PROVIDER."""

from django.conf import settings


def get_sms_provider():
    if settings.SMS_PROVIDER == "twilio":
        from .twilio import TwilioSMSProvider

        return TwilioSMSProvider.from_settings()
    from .console import ConsoleSMSProvider

    return ConsoleSMSProvider()


def get_email_provider():
    if settings.EMAIL_PROVIDER == "console":
        from .console import ConsoleEmailProvider

        return ConsoleEmailProvider()
    from .email import AnymailEmailProvider

    return AnymailEmailProvider(settings.EMAIL_PROVIDER)


def get_provider(channel):
    return get_sms_provider() if channel == "sms" else get_email_provider()

"""Who emails come from, as inbox lists show it."""

from email.utils import formataddr, parseaddr

from django.conf import settings

from cms.clinic import messaging_name


def from_address():
    """DEFAULT_FROM_EMAIL's address under the clinic's messaging name: inbox lists show the sender's name next to the
    subject, so it is the neutral one (cms.clinic.messaging_name), whatever display name the variable carries. Every
    email path (single, Postmark and Mailgun batches) sets it."""
    return formataddr((messaging_name(), parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))

"""Who emails come from, as inbox lists show it."""

from email.utils import formataddr, parseaddr

from django.conf import settings


def from_address(message):
    """DEFAULT_FROM_EMAIL's address under the message's `from_name` (the clinic's neutral messaging name, set where
    the message is composed), never under whatever display name the variable carries: inbox lists show the sender's
    name next to the subject. Without a name, the bare address. Every email path (single, Postmark and Mailgun
    batches) sets it."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return formataddr((message.from_name, address)) if message.from_name else address

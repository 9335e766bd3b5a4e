"""Signed, per-contact links for unsubscribing and managing preferences, usable without logging in.

A token carries the contact id and the contact's link version, signed with SECRET_KEY (HMAC, Django's signing).
It cannot be forged or changed to reach another contact; raising the contact's link version revokes every link
sent before; a link keeps working for LINK_MAX_AGE (90 days: longer than the 60 days patients may wait).
"""

import datetime

from django.conf import settings
from django.core import signing

SALT = "outreach.links"
LINK_MAX_AGE = datetime.timedelta(days=90)


def make_token(contact):
    return signing.dumps([contact.pk, contact.link_version], salt=SALT, compress=False)


def read_token(token):
    """Return the contact a token was made for, or None if it is forged, altered, expired or revoked."""
    from outreach.models import Contact

    try:
        contact_id, version = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    contact = Contact.objects.filter(pk=contact_id).first()
    if contact is None or contact.link_version != version:
        return None
    return contact


def unsubscribe_url(contact):
    return f"{settings.PUBLIC_BASE_URL}/u/{make_token(contact)}/"


def preferences_url(contact):
    return f"{settings.PUBLIC_BASE_URL}/preferences/{make_token(contact)}/"

"""The suppression list's key: independent of SECRET_KEY, and rotated without forgetting anyone."""

import pytest
from django.test import override_settings

from outreach.models import Channel, MessageStatus, OutboundMessage, Suppression
from tests.outreach.factories import make_campaign, make_consultation, make_contact
from tests.support.engine import daytime_zone, plan_and_send

pytestmark = pytest.mark.django_db
OLD, NEW = "o" * 40, "n" * 40


def test_a_suppression_survives_a_key_rotation_and_a_secret_key_change():
    contact = make_contact(time_zone=daytime_zone())
    with override_settings(SUPPRESSION_HASH_KEY=OLD, SUPPRESSION_HASH_PREVIOUS_KEYS=[]):
        Suppression.add(Channel.SMS, str(contact.phone), Suppression.Reason.COMPLAINT)

    rotated = override_settings(
        SUPPRESSION_HASH_KEY=NEW, SUPPRESSION_HASH_PREVIOUS_KEYS=[OLD], SECRET_KEY="another-secret-key-" + "x" * 40
    )
    with rotated:
        assert Suppression.is_suppressed(Channel.SMS, str(contact.phone))
        assert Suppression.add(Channel.SMS, str(contact.phone), Suppression.Reason.MANUAL).reason == "complaint"
        make_campaign()
        make_consultation(contact, in_hours=23.95)
        plan_and_send()
        row = OutboundMessage.objects.get()
        assert (row.status, row.skip_reason) == (MessageStatus.SKIPPED, "suppressed")
        # New suppressions are hashed with the new key.
        Suppression.add(Channel.EMAIL, "new@example.com", Suppression.Reason.MANUAL)
    with override_settings(SUPPRESSION_HASH_KEY=NEW, SUPPRESSION_HASH_PREVIOUS_KEYS=[]):
        assert Suppression.is_suppressed(Channel.EMAIL, "new@example.com")
    assert Suppression.objects.count() == 2

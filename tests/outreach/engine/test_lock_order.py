"""One lock order for contact and message rows: the contact first, then its messages by ascending id.

Each test holds the contact's lock the way erasure does (contact, then its messages) while a worker or a delivery
report reaches for the same rows; with any other order the two would wait on each other and PostgreSQL would kill one
with a deadlock."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from outreach.consent import erasure
from outreach.engine import delivery
from outreach.engine.dispatch import claim_due
from outreach.engine.planner import plan_due
from outreach.engine.sending import send_message
from outreach.models import Contact, MessageStatus, OutboundMessage
from tests.outreach.factories import make_campaign, make_consultation, make_contact
from tests.support.engine import daytime_zone

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for_a_lock_wait(timeout=10):
    """Until some other session of this database waits on a row lock."""
    deadline = time.monotonic() + timeout
    with connections["default"].cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # inside a transaction the view is a snapshot
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the other session never waited for a lock")


def in_thread(target, results, name):
    def run():
        try:
            results[name] = target()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results[name] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def erase_while(contact, other):
    """Lock the contact as erasure does, let `other` start and block, then erase (touching the messages)."""
    results = {}
    with transaction.atomic():
        locked = Contact.objects.select_for_update().get(pk=contact.pk)
        thread = in_thread(other, results, "other")
        try:
            wait_for_a_lock_wait()
        except AssertionError:
            raise AssertionError(f"the other session never waited: {results}") from None
        erasure._erase_contact(locked)
    thread.join(30)
    assert not thread.is_alive()
    return results["other"]


def test_a_worker_and_erasure_on_the_same_contact_do_not_deadlock(twilio_settings):
    make_campaign()
    contact = make_contact(time_zone=daytime_zone())
    make_consultation(contact, in_hours=23.95)
    plan_due()
    [message_id] = claim_due()
    outcome = erase_while(contact, lambda: send_message(message_id))
    assert not isinstance(outcome, Exception), outcome
    assert OutboundMessage.objects.get(pk=message_id).status != MessageStatus.SENT
    assert twilio_settings.messages == []


def test_a_delivery_report_and_erasure_on_the_same_contact_do_not_deadlock():
    make_campaign()
    contact = make_contact(time_zone=daytime_zone())
    make_consultation(contact, in_hours=23.95)
    plan_due()
    row = OutboundMessage.objects.first()
    OutboundMessage.objects.filter(pk=row.pk).update(
        status=MessageStatus.SENT, provider="twilio", provider_message_id="SM" + "0" * 32
    )
    report = delivery.DeliveryReport(
        provider="twilio",
        channel=row.channel,
        event="failed",
        dedupe_key="lock-order",
        outbox_id=row.pk,
        error_code="21610",
    )
    outcome = erase_while(contact, lambda: delivery.apply_report(report))
    assert not isinstance(outcome, Exception), outcome

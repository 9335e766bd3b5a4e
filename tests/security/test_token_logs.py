"""Signed link tokens (unsubscribe, preferences, confirmation, /r/ links, preview) never appear in a log line,
whatever the request does with them: answered, refused as forged or expired, or failing."""

import logging

import pytest
from django.core import signing
from django.test import override_settings

from outreach.consent import links
from outreach.followups.articles import neutral_link
from outreach.followups.subscriptions import confirmation_token
from tests.outreach.factories import make_contact

pytestmark = pytest.mark.django_db


def test_no_signed_link_token_reaches_the_logs(client, caplog):
    caplog.set_level(logging.DEBUG)
    contact = make_contact()
    valid = links.make_token(contact)
    forged = valid[:-6] + "AAAAAA"
    confirm = confirmation_token(contact)
    stale = signing.dumps([contact.pk, 0], salt="outreach.subscription-confirm")
    article = neutral_link(type("P", (), {"pk": 1})(), type("C", (), {"pk": 1})(), "sms").rsplit("/", 2)[-2]
    paths = [
        f"/u/{valid}/",
        f"/u/{forged}/",
        f"/preferences/{valid}/",
        f"/preferences/{forged}/",
        f"/subscriptions/confirm/{confirm}/",
        f"/subscriptions/confirm/{stale}/",
        f"/r/{article}/",
        f"/r/{forged}/",
        f"/api/v2/page_preview/?content_type=cms.articlepage&token={forged}",
    ]
    codes = set()
    for path in paths:
        codes.add(client.get(path).status_code)
        codes.add(client.post(path).status_code)
    assert {400, 404} <= codes  # refusals happened, and Django logged them ("Bad Request: /u/...")
    assert "Bad Request" in caplog.text or "Not Found" in caplog.text
    logged = caplog.text + "".join(record.exc_text or "" for record in caplog.records)
    for token in (valid, forged, confirm, stale, article):
        assert token not in logged
        assert token.split(":")[0] not in logged  # not even the payload part


@override_settings(DEBUG_PROPAGATE_EXCEPTIONS=False)
def test_a_traceback_quoting_a_token_is_redacted(caplog):
    token = links.make_token(make_contact())
    try:
        raise signing.BadSignature(f'Signature "{token}" does not match at /u/{token}/')
    except signing.BadSignature:
        logging.getLogger("django.request").exception("Internal Server Error: /preferences/%s/", token)
    record = caplog.records[-1]
    assert token not in record.getMessage() and token not in (record.exc_text or "")
    assert "/preferences/…/" in record.getMessage()

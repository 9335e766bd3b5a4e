"""The fakes' look-up endpoints and their ambiguous-outcome mode, as the providers document them, read with plain HTTP
(the adapters' own tests go through twilio / anymail: tests/outreach/providers/)."""

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import requests
from anymail.message import AnymailMessage

from tests.fakes.base import fake_process
from tests.fakes.mailgun import TEST_API_KEY, TEST_DOMAIN
from tests.fakes.postmark import TEST_SERVER_TOKEN
from tests.fakes.twilio import TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_FROM_NUMBER
from tests.fakes.twilio_client import make_twilio_client

TWILIO_AUTH = (TEST_ACCOUNT_SID, TEST_AUTH_TOKEN)
MESSAGES = f"/2010-04-01/Accounts/{TEST_ACCOUNT_SID}/Messages.json"


def twilio_send(client, to, body="Reminder"):
    return client.messages.create(to=to, from_=TEST_FROM_NUMBER, body=body)


# -- Twilio: the Messages list ---------------------------------------------------------------------------------


def test_twilio_lists_a_recipients_messages_newest_first_in_pages(fake_twilio, twilio_client):
    sent = [twilio_send(twilio_client, "+12035550101", f"n{n}").sid for n in range(5)]
    twilio_send(twilio_client, "+12035550102")
    for sid in sent[:2]:
        fake_twilio.deliver(sid)  # these two now have a date_sent
    page = requests.get(fake_twilio.url + MESSAGES, params={"To": "+12035550101", "PageSize": 2}, auth=TWILIO_AUTH)
    assert page.status_code == 200
    body = page.json()
    assert body["page_size"] == 2 and body["page"] == 0 and body["previous_page_uri"] is None
    assert [m["sid"] for m in body["messages"]] == sent[4:2:-1]  # not yet sent (no date_sent) come first, newest first
    listed = list(twilio_client.messages.stream(to="+12035550101", page_size=2))
    assert sorted(m.sid for m in listed) == sorted(sent) and len(listed) == 5  # the library followed next_page_uri


def test_twilio_date_sent_filters_leave_out_messages_not_sent_yet(fake_twilio, twilio_client):
    queued = twilio_send(twilio_client, "+12035550103")
    sent = twilio_send(twilio_client, "+12035550103")
    fake_twilio.deliver(sent.sid)
    today = datetime.now(UTC).date()
    listed = twilio_client.messages.list(to="+12035550103", date_sent_after=datetime.now(UTC) - timedelta(hours=1))
    assert [m.sid for m in listed] == [sent.sid]
    by_day = requests.get(
        fake_twilio.url + MESSAGES, params={"To": "+12035550103", "DateSent": today.isoformat()}, auth=TWILIO_AUTH
    ).json()
    assert [m["sid"] for m in by_day["messages"]] == [sent.sid] and queued.sid not in json.dumps(by_day)


def test_twilio_list_needs_credentials_and_sane_paging(fake_twilio):
    assert requests.get(fake_twilio.url + MESSAGES, auth=(TEST_ACCOUNT_SID, "wrong")).status_code == 401
    assert requests.get(fake_twilio.url + MESSAGES, params={"PageSize": 1001}, auth=TWILIO_AUTH).status_code == 400


# -- Postmark: the outbound message search ---------------------------------------------------------------------


def postmark_search(fake, **params):
    return requests.get(
        fake.url + "/messages/outbound",
        params=params,
        headers={"Accept": "application/json", "X-Postmark-Server-Token": TEST_SERVER_TOKEN},
    )


def test_postmark_search_filters_by_recipient_metadata_and_eastern_dates(postmark_settings):
    fake = postmark_settings
    for outbox_id, to in (("1", "ana@example.com"), ("2", "ana@example.com"), ("3", "bo@example.com")):
        message = AnymailMessage(subject="Visit", body="See you", to=[to])
        message.metadata = {"outbox_id": outbox_id}
        message.send()
    found = postmark_search(fake, count=50, offset=0, recipient="ana@example.com", metadata_outbox_id="2").json()
    assert found["TotalCount"] == 1
    [item] = found["Messages"]
    assert item["Metadata"] == {"outbox_id": "2"} and item["Recipients"] == ["ana@example.com"]
    assert item["Status"] == "Sent" and item["To"] == [{"Email": "ana@example.com", "Name": ""}]
    received = datetime.fromisoformat(item["ReceivedAt"])
    assert received.utcoffset() == ZoneInfo("America/New_York").utcoffset(received.replace(tzinfo=None))
    eastern_now = datetime.now(ZoneInfo("America/New_York")).replace(tzinfo=None, microsecond=0)
    later = (eastern_now + timedelta(minutes=5)).isoformat()
    assert postmark_search(fake, count=50, offset=0, fromdate=later).json()["TotalCount"] == 0
    earlier = (eastern_now - timedelta(minutes=5)).isoformat()
    assert postmark_search(fake, count=50, offset=0, fromdate=earlier).json()["TotalCount"] == 3
    page = postmark_search(fake, count=2, offset=2).json()
    assert page["TotalCount"] == 3 and len(page["Messages"]) == 1


def test_postmark_search_requires_count_and_offset_within_limits(fake_postmark):
    assert postmark_search(fake_postmark, offset=0).status_code == 422
    assert postmark_search(fake_postmark, count=501, offset=0).status_code == 422
    assert postmark_search(fake_postmark, count=500, offset=9600).status_code == 422
    no_token = requests.get(fake_postmark.url + "/messages/outbound", params={"count": 1, "offset": 0})
    assert no_token.status_code == 401


# -- Mailgun: batch copies and the events API ------------------------------------------------------------------


def test_mailgun_batch_gives_each_recipient_its_own_copy_and_accepted_event(mailgun_settings):
    fake = mailgun_settings
    message = AnymailMessage(
        subject="%recipient.subject%", body="Hi %recipient.name%", to=["a@example.com", "b@example.com"]
    )
    message.merge_data = {
        "a@example.com": {"name": "Ana", "subject": "A"},
        "b@example.com": {"name": "Bo", "subject": "B"},
    }
    message.merge_metadata = {"a@example.com": {"outbox_id": "11"}, "b@example.com": {"outbox_id": "12"}}
    message.send()
    copies = {m.to: m for m in fake.messages}
    assert copies["a@example.com"].fields["text"] == "Hi Ana" and copies["b@example.com"].fields["subject"] == "B"
    assert copies["a@example.com"].id == copies["b@example.com"].id == message.anymail_status.message_id
    events = fake.events
    assert [(e["event"], e["recipient"], e["user-variables"]) for e in events] == [
        ("accepted", "a@example.com", {"outbox_id": "11"}),
        ("accepted", "b@example.com", {"outbox_id": "12"}),
    ]


def mailgun_events(fake, url=None, **params):
    return requests.get(
        url or f"{fake.api_url}/{TEST_DOMAIN}/events", params=params or None, auth=("api", TEST_API_KEY)
    )


def test_mailgun_events_filter_page_and_end_with_an_empty_page(mailgun_settings):
    fake = mailgun_settings
    for n in range(3):
        message = AnymailMessage(subject="Visit", body="See you", to=["ana@example.com"])
        message.metadata = {"outbox_id": str(n)}
        message.send()
    begin = (datetime.now(UTC) - timedelta(minutes=1)).timestamp()
    first = mailgun_events(fake, event="accepted", recipient="ana@example.com", begin=begin, ascending="yes", limit=2)
    body = first.json()
    assert [e["user-variables"]["outbox_id"] for e in body["items"]] == ["0", "1"]
    second = mailgun_events(fake, url=body["paging"]["next"]).json()
    assert [e["user-variables"]["outbox_id"] for e in second["items"]] == ["2"]
    assert mailgun_events(fake, url=second["paging"]["next"]).json()["items"] == []
    chosen = mailgun_events(fake, begin=begin, ascending="yes", **{"user-variables": json.dumps({"outbox_id": "1"})})
    assert [e["user-variables"]["outbox_id"] for e in chosen.json()["items"]] == ["1"]
    assert mailgun_events(fake, begin=begin + 3600, ascending="yes").json()["items"] == []
    assert mailgun_events(fake, limit=301).status_code == 400


# -- The ambiguous mode and the counts route, over the control API -----------------------------------------------


def test_ambiguous_mode_and_counts_through_the_control_api():
    with fake_process("twilio") as (_process, url):
        config = requests.post(url + "/_fake/config", json={"ambiguous": {"every": 2, "outcomes": [504]}}).json()
        assert config["ambiguous"] == {"every": 2, "outcomes": [504], "seen": 0, "injected": 0}
        client = make_twilio_client(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, url, timeout=5)
        statuses = []
        for n in range(4):
            try:
                twilio_send(client, f"+1203555011{n}")
                statuses.append(201)
            except Exception as exc:  # noqa: BLE001 - the 504 from the fake's "gateway"
                statuses.append(getattr(exc, "status", None))
        assert statuses == [201, 504, 201, 504]
        assert requests.get(url + "/_fake/counts").json() == {
            "requests": 4,
            "messages": 4,
            "recipients": 4,
            "in_flight": 0,
        }
        requests.post(url + "/_fake/config", json={"ambiguous": None})
        assert requests.get(url + "/_fake/config").json()["ambiguous"] is None

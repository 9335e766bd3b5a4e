"""send_email_batch through anymail's real Postmark and Mailgun backends over HTTP to the fakes: one request per batch
within each provider's limits, every message with its own subject, bodies, outbox_id and List-Unsubscribe headers,
per-message results mapped back in order."""

import json

import pytest

from outreach.providers import mailgun, postmark
from outreach.providers.base import PermanentSendError, SendResult, TransientSendError
from outreach.providers.console import ConsoleEmailProvider
from tests.fakes.base import FakeResponse
from tests.outreach.providers.senders import email, make_sender

ESPS = ["postmark", "mailgun"]


@pytest.fixture(params=ESPS)
def sender(request):
    return make_sender(request.param, request.getfixturevalue(f"fake_{request.param}"))


def send_batch(sender, messages, **overrides):
    from django.test import override_settings

    provider = sender.provider(**overrides)
    with override_settings(**{**sender.settings, **overrides}):
        return provider.send_email_batch(messages)


def sending_requests(fake):
    return [r for r in fake.requests if r.method == "POST"]


def copy_for(fake, message):
    [copy] = [m for m in fake.messages if m.recipients == [message.to.lower()]]
    return copy


def seen_by_patient(name, copy):
    """(subject, text, html, outbox_id, List-Unsubscribe, tag) of one recorded copy, in either provider's fields."""
    f = copy.fields
    if name == "postmark":
        headers = {h["Name"]: h["Value"] for h in f.get("Headers", [])}
        return (
            f["Subject"],
            f["TextBody"],
            f.get("HtmlBody", ""),
            f["Metadata"]["outbox_id"],
            headers.get("List-Unsubscribe"),
            f.get("Tag"),
        )
    return (f["subject"], f["text"], f.get("html", ""), f["v:outbox_id"], f.get("h:List-Unsubscribe"), f.get("o:tag"))


def test_one_request_carries_each_message_as_its_own(sender):
    messages = [email() for _ in range(3)]
    results = send_batch(sender, messages)
    [request] = sending_requests(sender.fake)
    assert request.path == ("/email/batch" if sender.name == "postmark" else "/v3/mg.clinic.example/messages")
    assert len(sender.fake.messages) == 3
    for message, result in zip(messages, results, strict=True):
        copy = copy_for(sender.fake, message)
        assert isinstance(result, SendResult) and result.provider == sender.name
        assert result.message_id == copy.id
        assert seen_by_patient(sender.name, copy) == (
            message.subject,
            message.text,
            message.html,
            message.reference,
            message.headers["List-Unsubscribe"],
            "care",
        )


def test_mailgun_sends_one_message_to_many_with_recipient_variables(fake_mailgun):
    sender = make_sender("mailgun", fake_mailgun)
    messages = [email() for _ in range(2)]
    send_batch(sender, messages)
    [request] = sending_requests(fake_mailgun)
    variables = json.loads(request.value("recipient-variables"))
    assert set(variables) == {m.to for m in messages}
    assert (
        request.value("subject") == "%recipient.subject%" and request.value("v:outbox_id") == "%recipient.v:outbox_id%"
    )
    assert request.value("h:List-Unsubscribe") == "%recipient.h:List-Unsubscribe%"
    assert variables[messages[0].to]["v:outbox_id"] == messages[0].reference


def test_a_refused_recipient_fails_alone(sender):
    messages = [email() for _ in range(4)]
    sender.fake.set_rule(messages[1].to, "invalid")
    if sender.name == "postmark":
        sender.fake.set_rule(messages[2].to, "inactive")
    results = send_batch(sender, messages)
    refused = [1, 2] if sender.name == "postmark" else [1]
    for index, result in enumerate(results):
        if index in refused:
            assert isinstance(result, PermanentSendError) and result.suppress and result.code == "recipient_refused"
        else:
            assert isinstance(result, SendResult) and result.message_id == copy_for(sender.fake, messages[index]).id
    accepted = {m.recipients[0] for m in sender.fake.messages if not m.extra.get("inactive")}
    assert accepted == {m.to for i, m in enumerate(messages) if i not in refused}
    if sender.name == "mailgun":
        # Mailgun refused the whole request; each was then sent on its own, so only the bad one failed.
        assert len(sending_requests(sender.fake)) == 1 + len(messages)


@pytest.mark.parametrize(("name", "limit"), [("postmark", 500), ("mailgun", 1000)])
def test_batches_stay_within_the_providers_limits(request, name, limit):
    sender = make_sender(name, request.getfixturevalue(f"fake_{name}"))
    messages = [email(to=f"p{n}@example.com", reference=str(n)) for n in range(limit + 1)]
    results = send_batch(sender, messages)
    assert [
        len(r.json or []) if name == "postmark" else len(r.values("to")) for r in sending_requests(sender.fake)
    ] == [
        limit,
        1,
    ]
    assert all(isinstance(result, SendResult) for result in results)
    assert len(sender.fake.messages) == limit + 1


def test_two_messages_to_one_address_go_in_separate_requests(sender):
    first, second = email(to="same@example.com"), email(to="same@example.com")
    other = email()
    results = send_batch(sender, [first, other, second])
    assert len(sending_requests(sender.fake)) == 2
    assert all(isinstance(result, SendResult) for result in results)
    outbox_ids = sorted(seen_by_patient(sender.name, m)[3] for m in sender.fake.messages)
    assert outbox_ids == sorted([first.reference, second.reference, other.reference])


def test_a_batch_accepted_then_answered_500_is_unknown_for_every_message_and_each_is_found(sender, monkeypatch):
    monkeypatch.setattr(postmark, "SETTLE_SECONDS", 0)
    monkeypatch.setattr(mailgun, "SETTLE_SECONDS", 0)
    import datetime

    started = datetime.datetime.now(datetime.UTC)
    messages = [email() for _ in range(3)]
    sender.fake.set_ambiguous(1, [500])
    results = send_batch(sender, messages)
    assert all(isinstance(r, TransientSendError) and r.outcome_unknown for r in results)
    sender.fake.set_ambiguous(None)
    for message in messages:
        assert sender.find(message, started).message_id == copy_for(sender.fake, message).id


def test_a_batch_turned_away_is_not_sent(sender):
    sender.fake.fail_next(1, status=503)
    results = send_batch(sender, [email(), email()])
    assert all(isinstance(r, TransientSendError) and not r.outcome_unknown for r in results)


def test_mailgun_groups_messages_of_one_shape_per_request(fake_mailgun):
    sender = make_sender("mailgun", fake_mailgun)
    plain = email(html="")
    rich = email()
    tagged = email(tags=("marketing",))
    results = send_batch(sender, [plain, rich, tagged])
    assert len(sending_requests(fake_mailgun)) == 3
    assert all(isinstance(r, SendResult) for r in results)
    assert "html" not in copy_for(fake_mailgun, plain).fields


def test_postmark_per_message_errors_are_read_by_their_code(fake_postmark):
    sender = make_sender("postmark", fake_postmark)

    def answer(request):
        return FakeResponse.from_json(
            200,
            [
                {"To": request.json[0]["To"], "ErrorCode": 0, "Message": "OK", "MessageID": "id-0"},
                {"ErrorCode": 405, "Message": "You have no more credits."},
                {"ErrorCode": 300, "Message": "Invalid metadata content."},
                {
                    "To": request.json[3]["To"],
                    "ErrorCode": 0,
                    "Message": "Message accepted, but delivery may be delayed.",
                    "MessageID": "id-3",
                },
            ],
        )

    fake_postmark.add_hook(answer)
    results = send_batch(sender, [email() for _ in range(4)])
    assert results[0] == SendResult("postmark", "id-0", "sent")
    assert isinstance(results[1], TransientSendError) and results[1].code == "postmark_405"
    assert not results[1].outcome_unknown
    assert isinstance(results[2], PermanentSendError) and not results[2].suppress
    assert results[3] == SendResult("postmark", "id-3", "queued")


def test_postmark_answers_out_of_step_with_the_request_are_unknown(fake_postmark):
    sender = make_sender("postmark", fake_postmark)
    fake_postmark.add_hook(
        lambda request: FakeResponse.from_json(200, [{"ErrorCode": 0, "Message": "OK", "MessageID": "x"}])
    )
    results = send_batch(sender, [email(), email()])
    assert all(isinstance(r, TransientSendError) and r.outcome_unknown for r in results)


def test_the_console_provider_sends_a_batch_one_by_one():
    results = ConsoleEmailProvider().send_email_batch([email(), email()])
    assert len(results) == 2 and all(isinstance(r, SendResult) for r in results)


def test_consecutive_sends_and_batches_reuse_one_kept_alive_connection(sender):
    for _ in range(3):
        sender.send(email())
    send_batch(sender, [email(), email()])
    send_batch(sender, [email(), email()])
    clients = [request.client for request in sending_requests(sender.fake)]
    assert len(clients) == 5
    single, batch = set(clients[:3]), set(clients[3:])
    assert len(single) == 1 and len(batch) == 1
    # Mailgun batches go through the configured backend itself; Postmark's through its batch subclass.
    assert (single == batch) == (sender.name == "mailgun")

"""What each kind of failure means, for every provider, through the real twilio / anymail code over HTTP to the fakes:
an outcome is "unknown" exactly when the request left and the provider may have accepted the message."""

import pytest

from outreach.providers.base import TransientSendError
from tests.fakes.base import free_port, unaccepting_port
from tests.outreach.providers.senders import make_sender

PROVIDERS = ["twilio", "postmark", "mailgun"]


@pytest.fixture(params=PROVIDERS)
def sender(request):
    return make_sender(request.param, request.getfixturevalue(f"fake_{request.param}"))


@pytest.mark.parametrize("outcome", [500, 502, 504, "drop"])
def test_an_error_after_the_provider_accepted_is_an_unknown_outcome(sender, outcome):
    sender.fake.set_ambiguous(1, [outcome])
    message = sender.message()
    with pytest.raises(TransientSendError) as caught:
        sender.send(message)
    assert caught.value.outcome_unknown is True
    assert len(sender.accepted_for(message)) == 1  # it did go: resending blindly would be a duplicate
    assert message.to not in str(caught.value)


@pytest.mark.parametrize("status", [500, 502, 504])
def test_a_server_error_is_unknown_even_when_nothing_was_accepted(sender, status):
    # From the client's side a 5xx before and after acceptance look the same.
    sender.fake.fail_next(1, status=status)
    with pytest.raises(TransientSendError) as caught:
        sender.send(sender.message())
    assert caught.value.outcome_unknown is True and not sender.fake.messages


@pytest.mark.parametrize("status", [429, 503])
def test_throttled_or_unavailable_means_not_sent(sender, status):
    sender.fake.fail_next(1, status=status, retry_after=7 if sender.name != "twilio" else None)
    with pytest.raises(TransientSendError) as caught:
        sender.send(sender.message())
    assert caught.value.outcome_unknown is False and not sender.fake.messages
    if sender.name != "twilio":  # twilio-python does not expose the answer's headers
        assert caught.value.retry_after == 7


def test_a_read_timeout_is_an_unknown_outcome(sender):
    sender.fake.hang_next(1, seconds=3, accept=True)
    message = sender.message()
    with pytest.raises(TransientSendError) as caught:
        sender.send(message, **sender.with_timeout(1))
    assert (caught.value.code, caught.value.outcome_unknown) == ("timeout", True)
    assert len(sender.accepted_for(message)) == 1


def test_a_refused_connection_means_not_sent(sender):
    with pytest.raises(TransientSendError) as caught:
        sender.send(sender.message(), **sender.at(f"http://127.0.0.1:{free_port()}"))
    assert (caught.value.code, caught.value.outcome_unknown) == ("connection_error", False)


def test_a_connect_timeout_means_not_sent(sender):
    with unaccepting_port() as port:
        overrides = sender.at(f"http://127.0.0.1:{port}")
        if sender.name == "twilio":
            overrides.update(sender.with_timeout(1))
        else:
            overrides["ANYMAIL"]["REQUESTS_TIMEOUT"] = 1
        with pytest.raises(TransientSendError) as caught:
            sender.send(sender.message(), **overrides)
    assert (caught.value.code, caught.value.outcome_unknown) == ("connect_timeout", False)


def test_the_ambiguous_mode_faults_one_request_in_n_and_only_message_creation(fake_twilio):
    sender = make_sender("twilio", fake_twilio)
    fake_twilio.set_ambiguous(3, [502, "drop"])
    outcomes = []
    for _ in range(6):
        try:
            sender.send(sender.message())
            outcomes.append("ok")
        except TransientSendError as exc:
            outcomes.append(exc.code)
    assert outcomes[0:2] == ["ok", "ok"] and outcomes[3:5] == ["ok", "ok"]
    assert outcomes[2] == "502" and outcomes[5] == "connection_dropped"
    assert len(fake_twilio.messages) == 6  # every one of them was accepted
    assert fake_twilio.ambiguous == {"every": 3, "outcomes": [502, "drop"], "seen": 6, "injected": 2}

"""Opt-out by any reasonable means (FCC 2024), read as people write: the labelled replies in opt_out_replies.txt are
the specification; the decisions behind them are documented in outreach/conversations/opt_out.py."""

from pathlib import Path

import pytest

from outreach.conversations import reading
from outreach.conversations.opt_out import detect

REPLIES = Path(__file__).with_name("opt_out_replies.txt")


def labelled(label):
    rows = []
    for line in REPLIES.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        kind, text = line.split("\t", 1)
        assert kind in ("opt_out", "keep"), line
        if kind == label:
            rows.append(text)
    return rows


@pytest.mark.parametrize("text", labelled("opt_out"))
def test_replies_that_mean_stop_opt_out(text):
    assert detect(text) is not None, reading.clauses(text)


@pytest.mark.parametrize("text", labelled("keep"))
def test_replies_that_do_not_mean_stop_do_not_opt_out(text):
    assert detect(text) is None, (reading.clauses(text), detect(text))


def test_the_labelled_list_is_large_and_bilingual():
    assert len(labelled("opt_out")) >= 100 and len(labelled("keep")) >= 50
    assert {detect(text).language for text in labelled("opt_out")} == {"en", "es"}


@pytest.mark.parametrize(
    ("straight", "curly"),
    [("Don't text me", "Don’t text me"), ("I don't want these texts", "I don‘t want these texts"),
     ('"stop"', "“stop”"), ("stop texting me", "STOP   TEXTING\tME!!"), ("no me manden mas", "No me manden más")],
)  # fmt: skip
def test_apostrophes_quotes_case_spacing_and_accents_read_the_same(straight, curly):
    assert reading.fold(straight) == reading.fold(curly)
    assert detect(straight) == detect(curly)


def test_cancel_is_an_opt_out_flagged_as_a_possible_cancellation_and_nothing_else_is():
    for text in ("cancel", "CANCEL!", "please cancel", "Cancelar", "cancela"):
        assert detect(text).possible_cancellation, text
    for text in ("STOP", "stop texting me", "cancel my subscription", "para"):
        assert not detect(text).possible_cancellation, text


def test_an_opt_out_that_names_only_email_is_an_email_opt_out():
    assert detect("stop the emails").channels == ("email",)
    assert detect("stop all texts and emails").channels == ("sms", "email")
    assert detect("stop texting me").channels == ("sms",)
    assert detect("STOP").channels == ("sms",)


def test_a_clause_is_read_on_its_own():
    assert reading.clauses("Stop. I want to die") == ["stop", "i want to die"]
    assert detect("Running late. STOP") is not None
    assert detect("see you at the end") is None

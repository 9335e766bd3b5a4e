"""Crisis triage measured on its labelled replies.

The tuning corpus (outreach/conversations/corpora/crisis.tsv) holds realistic replies across intent, plans and means,
overdoses, passive death wishes, self-harm, a third party at risk and Spanish, and ordinary replies that trip naive
patterns (scheduling, idioms, medication questions): every crisis caught, at most 2% of ordinary replies flagged.
The held-out file (crisis_holdout.tsv) was written blind and never tuned on: its figures are pinned as measured, so
a change that loses ground on new wording fails here. `python manage.py crisis_corpus` prints both.
"""

import io

import pytest
from django.core.management import CommandError, call_command

from outreach.conversations.corpora import CRISIS_HOLDOUT, measure, read_corpus
from outreach.conversations.crisis import is_crisis

# Measured once, after the rules were frozen (issue 14 §5, second round): 63 of 120 crises, 0 of 100 false alarms.
HELD_OUT_CAUGHT = 63
CATEGORIES = {"intent", "plan_means", "overdose", "passive", "self_harm", "third_party", "despair", "spanish"}
TRAPS = {"scheduling", "idiom", "medication"}


def test_the_corpus_is_large_and_covers_every_family_the_issue_names():
    replies = read_corpus()
    assert len(replies) >= 200
    assert len({reply.text for reply in replies}) == len(replies)  # no duplicate inflating the figures
    positives = {reply.category for reply in replies if reply.label == "crisis"}
    negatives = {reply.category for reply in replies if reply.label == "ordinary"}
    assert positives >= CATEGORIES and negatives >= TRAPS
    texts = {reply.text: reply.label for reply in replies}
    for text, label in {
        "I took all my pills": "crisis",
        "I want to go to sleep and never wake up": "crisis",
        "my brother says he's going to kill himself": "crisis",
        "me quiero morir": "crisis",
        "Ya no quiero vivir": "crisis",
        "me tomé todas las pastillas": "crisis",
        "sorry, I can't go on Tuesday": "ordinary",
        "this pain is killing me": "ordinary",
    }.items():
        assert texts[text] == label


def test_recall_is_one_and_false_positives_at_most_two_percent():
    result = measure(read_corpus(), is_crisis)
    assert [reply.text for reply in result.missed] == []
    assert result.false_positive_rate <= 0.02, [reply.text for reply in result.false_alarms]


def test_the_held_out_file_is_large_separate_and_never_copied_into_the_tuning_corpus():
    held_out = read_corpus(CRISIS_HOLDOUT)
    assert len(held_out) >= 200
    assert {reply.category for reply in held_out if reply.label == "crisis"} >= CATEGORIES
    assert {reply.category for reply in held_out if reply.label == "ordinary"} >= TRAPS
    # Both authors wrote a few of the same short replies on their own (three bare keywords, two common Spanish
    # phrases); any more would mean held-out replies were copied into the corpus the rules are tuned on.
    assert len({reply.text for reply in held_out} & {reply.text for reply in read_corpus()}) <= 5


def test_held_out_figures_do_not_fall_below_what_was_measured():
    result = measure(read_corpus(CRISIS_HOLDOUT), is_crisis)
    assert result.positives - len(result.missed) >= HELD_OUT_CAUGHT, [reply.text for reply in result.missed]
    assert result.false_positive_rate <= 0.02, [reply.text for reply in result.false_alarms]


def test_the_command_prints_recall_and_false_positive_rate():
    out = io.StringIO()
    call_command("crisis_corpus", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[1].startswith("recall: 1.000 (")
    assert lines[2].startswith("false positives: ") and "%" in lines[2]
    assert any(line.strip().startswith("crisis/overdose: ") for line in lines)
    held_out = lines.index(next(line for line in lines if line.startswith("held out, never tuned on: ")))
    assert lines[held_out + 1].startswith("held-out recall: ")
    assert lines[held_out + 2].startswith("held-out false positives: ")


def test_the_command_fails_and_names_the_miss_below_target(tmp_path):
    corpus = tmp_path / "corpus.tsv"
    corpus.write_text(
        "crisis\tindirect\tMake sure my cat gets a good home\nordinary\tscheduling\tsorry, I can't go on Tuesday\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="below target"):
        call_command("crisis_corpus", corpus=str(corpus), stdout=out)
    assert "MISSED (line 1, indirect): Make sure my cat gets a good home" in out.getvalue()
    assert "recall: 0.000 (0/1)" in out.getvalue()

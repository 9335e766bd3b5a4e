"""Labelled replies the readers are measured on (written for this product; nothing in them is real).

crisis.tsv: `label<TAB>category<TAB>text` per line, label `crisis` (must trigger) or `ordinary` (must not);
`#` starts a comment line. The crisis rules were tuned on it, so its figures are fitted.
crisis_holdout.tsv: the same format, written blind and never tuned on: its figures are the honest estimate of how the
rules fare on new wording. A reply that motivates a change to the rules goes to crisis.tsv, never to the held-out
file (a held-out reply tuned on stops measuring anything). Both are read by `python manage.py crisis_corpus`.
"""

from dataclasses import dataclass, field
from pathlib import Path

CRISIS_CORPUS = Path(__file__).with_name("crisis.tsv")
CRISIS_HOLDOUT = Path(__file__).with_name("crisis_holdout.tsv")
LABELS = ("crisis", "ordinary")


@dataclass(frozen=True)
class Reply:
    label: str
    category: str
    text: str
    line: int


def read_corpus(path=CRISIS_CORPUS):
    replies = []
    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        label, category, text = raw.split("\t", 2)
        if label not in LABELS:
            raise ValueError(f"line {number}: label must be one of {', '.join(LABELS)}")
        replies.append(Reply(label, category, text, number))
    return replies


@dataclass
class Measure:
    """Recall on the positives and false-positive rate on the negatives, with what was missed or wrongly caught."""

    positives: int = 0
    negatives: int = 0
    missed: list = field(default_factory=list)
    false_alarms: list = field(default_factory=list)
    by_category: dict = field(default_factory=dict)  # category -> [caught or correctly left, total]

    @property
    def recall(self):
        return (self.positives - len(self.missed)) / self.positives if self.positives else 1.0

    @property
    def false_positive_rate(self):
        return len(self.false_alarms) / self.negatives if self.negatives else 0.0


def measure(replies, detector):
    result = Measure()
    for reply in replies:
        flagged = detector(reply.text)
        correct = flagged == (reply.label == "crisis")
        tally = result.by_category.setdefault(f"{reply.label}/{reply.category}", [0, 0])
        tally[0] += correct
        tally[1] += 1
        if reply.label == "crisis":
            result.positives += 1
            if not flagged:
                result.missed.append(reply)
        else:
            result.negatives += 1
            if flagged:
                result.false_alarms.append(reply)
    return result

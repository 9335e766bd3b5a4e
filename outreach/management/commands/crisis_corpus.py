from django.core.management.base import BaseCommand, CommandError

from outreach.conversations.corpora import CRISIS_CORPUS, measure, read_corpus
from outreach.conversations.crisis import is_crisis

# The targets issue 14 set: every crisis in the corpus caught, at most 2% of ordinary replies flagged.
TARGET_RECALL = 1.0
TARGET_FALSE_POSITIVE_RATE = 0.02


class Command(BaseCommand):
    help = (
        "Measure crisis triage on its labelled corpus (outreach/conversations/corpora/crisis.tsv): recall and "
        "false-positive rate, per category, and every miss. Exits 1 below the targets (recall 1.0, false "
        "positives at most 2%)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--corpus", default=str(CRISIS_CORPUS), help="Another corpus file in the same format.")

    def handle(self, *args, corpus, **options):
        try:
            replies = read_corpus(corpus)
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read the corpus: {exc}") from None
        result = measure(replies, is_crisis)
        caught = result.positives - len(result.missed)
        self.stdout.write(
            f"corpus: {len(replies)} replies ({result.positives} crisis, {result.negatives} ordinary)\n"
            f"recall: {result.recall:.3f} ({caught}/{result.positives})\n"
            f"false positives: {result.false_positive_rate:.1%} ({len(result.false_alarms)}/{result.negatives})"
        )
        for category, (correct, total) in sorted(result.by_category.items()):
            self.stdout.write(f"  {category}: {correct}/{total}")
        for reply in result.missed:
            self.stdout.write(f"MISSED (line {reply.line}, {reply.category}): {reply.text}")
        for reply in result.false_alarms:
            self.stdout.write(f"FALSE ALARM (line {reply.line}, {reply.category}): {reply.text}")
        if result.recall < TARGET_RECALL or result.false_positive_rate > TARGET_FALSE_POSITIVE_RATE:
            raise CommandError(
                f"below target: recall {result.recall:.3f} (want {TARGET_RECALL}), false positives "
                f"{result.false_positive_rate:.1%} (want at most {TARGET_FALSE_POSITIVE_RATE:.0%})"
            )

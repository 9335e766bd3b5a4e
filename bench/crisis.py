"""Benchmark 7, crisis triage: how long `crisis.is_crisis` takes per message, since it runs inside the Twilio webhook
before the reply is chosen. Every reply of both labelled files (the tuning corpus and the held-out one) is read
`rounds` times; each message's time is the best of its rounds (the machine is shared: the best is the detector's own
cost, the rest is other processes). Pure Python, no database: the figure is the rules' cost on this CPU. The cost
grows with length, so a 1,600-character reply (the longest a concatenated text can be) is timed too.
"""

import statistics
import time

from bench.harness import percentile

NAME = "crisis"
TITLE = "7. Crisis triage"
TARGET_P99_MS = 1.0  # "well under a millisecond per message" (issue 14 §5, second round)


def params(quick):
    return {"rounds": 3 if quick else 20}


def run(ctx):
    from outreach.conversations.corpora import CRISIS_CORPUS, CRISIS_HOLDOUT, read_corpus
    from outreach.conversations.crisis import is_crisis

    p = params(ctx.quick)
    texts = [reply.text for path in (CRISIS_CORPUS, CRISIS_HOLDOUT) for reply in read_corpus(path)]
    best = [float("inf")] * len(texts)
    for _ in range(p["rounds"]):
        for index, text in enumerate(texts):
            started = time.perf_counter()
            is_crisis(text)
            best[index] = min(best[index], time.perf_counter() - started)
    ms = [seconds * 1000 for seconds in best]
    longest_sms = ". ".join(texts)[:1600]
    long_best = float("inf")
    for _ in range(p["rounds"]):
        started = time.perf_counter()
        is_crisis(longest_sms)
        long_best = min(long_best, time.perf_counter() - started)
    longest = max(range(len(texts)), key=lambda index: len(texts[index]))
    figures = {
        "messages": len(texts),
        "mean_ms": round(statistics.fmean(ms), 3),
        "p50_ms": round(percentile(ms, 0.50), 3),
        "p99_ms": round(percentile(ms, 0.99), 3),
        "max_ms": round(max(ms), 3),
        "longest_message_chars": len(texts[longest]),
        "longest_message_ms": round(ms[longest], 3),
        "reply_of_1600_chars_ms": round(long_best * 1000, 3),
    }
    ctx.log(f"crisis: {len(texts)} messages, mean {figures['mean_ms']} ms, p99 {figures['p99_ms']} ms")
    targets = [
        {
            "name": "p99 per message (ms)",
            "figure": figures["p99_ms"],
            "target": f"< {TARGET_P99_MS}",
            "met": figures["p99_ms"] < TARGET_P99_MS,
        }
    ]
    return {"params": p, "figures": figures, "targets": targets}

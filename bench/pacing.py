"""Benchmark 4, pacing: with OUTREACH_SMS_RATE_PER_SECOND set (10/s here: a handful of long codes), the send rate
the provider sees stays within 5% of the limit and no one-second window holds more than the limit.

Computed from the fake Twilio's per-message receive timestamps: the mean rate (messages - 1 over first to last)
and the most messages in any sliding one-second window.
"""

from bench import data
from bench.harness import FakeProvider, max_in_window
from bench.sms_throughput import DEFAULT, LATENCY, Load, engine_env, measure

NAME = "pacing"
TITLE = "4. Pacing"


def params(quick):
    if quick:
        return {"rate_per_second": 10, "messages": 40, "warmup": 10, "latency_s": LATENCY}
    return {"rate_per_second": 10, "messages": 600, "warmup": 20, "latency_s": LATENCY}


def run(ctx):
    p = params(ctx.quick)
    rate = p["rate_per_second"]
    load = Load(p["messages"] + p["warmup"], "sms")
    workers = ctx.shared.get("workers") or ctx.workers or DEFAULT
    with FakeProvider("twilio", p["latency_s"]) as fake:
        env = engine_env(fake.url, OUTREACH_SMS_RATE_PER_SECOND=rate)
        ctx.log(f"pacing: {p['messages']} SMS at a limit of {rate}/s, {workers.label}")
        result = measure(load, workers, p["messages"], p["warmup"], fake, env, ctx.log, timeout_rate=rate / 2)
        received = fake.stats()["message_received_at"]
    data.reset_outreach()
    mean = (len(received) - 1) / (max(received) - min(received))
    busiest = max_in_window(received, 1.0)
    deviation = (mean - rate) / rate
    figures = {
        "limit_per_second": rate,
        "mean_per_second": round(mean, 3),
        "deviation_percent": round(deviation * 100, 2),
        "max_in_any_1s_window": busiest,
        "messages": len(received),
        "duplicates": result["duplicates"],
    }
    targets = [
        {
            "name": "paced mean rate within 5% of limit (%)",
            "figure": round(deviation * 100, 2),
            "target": "|x| <= 5",
            "met": abs(deviation) <= 0.05,
        },
        {
            "name": "max SMS in any 1 s window",
            "figure": busiest,
            "target": f"<= {rate}",
            "met": busiest <= rate,
        },
    ]
    return {"params": p, "figures": figures, "targets": targets, "run": result}

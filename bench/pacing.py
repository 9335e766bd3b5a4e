"""Benchmark 4, pacing: with OUTREACH_SMS_RATE_PER_SECOND set (10/s here: a handful of long codes), the send rate
the provider sees stays within 5% of the limit and no one-second window holds more than the limit.

Computed from the fake Twilio's per-message receive timestamps: the mean rate (messages - 1 over first to last)
and the most messages in any sliding one-second window.
"""

from bench import data
from bench.harness import FakeProvider, max_in_window, percentile
from bench.sms_throughput import DEFAULT, LATENCY, Load, engine_env, measure

NAME = "pacing"
TITLE = "4. Pacing"


def params(quick):
    if quick:
        return {"rate_per_second": 10, "messages": 40, "warmup": 10, "latency_s": LATENCY}
    return {"rate_per_second": 10, "messages": 600, "warmup": 20, "latency_s": LATENCY}


def paced(load, workers, p, fake, log, **env_extra):
    rate = p["rate_per_second"]
    env = engine_env(fake.url, OUTREACH_SMS_RATE_PER_SECOND=rate, **env_extra)
    result = measure(load, workers, p["messages"], p["warmup"], fake, env, log, timeout_rate=rate / 2)
    received = sorted(fake.stats()["message_received_at"])
    gaps = [b - a for a, b in zip(received, received[1:], strict=False)]
    mean = (len(received) - 1) / (received[-1] - received[0])
    return {
        "mean_per_second": round(mean, 3),
        "deviation_percent": round((mean - rate) / rate * 100, 2),
        "max_in_any_1s_window": max_in_window(received, 1.0),
        "messages": len(received),
        "duplicates": result["duplicates"],
        # Slots are 1/rate * 1.02 apart (outreach/pacing.py); shorter gaps at the provider are jitter between a
        # slot and the request arriving, longer ones are the pacer waiting for work.
        "slot_gap_ms": round(1000 / rate * 1.02, 1),
        "min_gap_ms": round(min(gaps) * 1000, 1),
        "p5_gap_ms": round(percentile(gaps, 0.05) * 1000, 1),
        "p95_gap_ms": round(percentile(gaps, 0.95) * 1000, 1),
        "max_gap_ms": round(max(gaps) * 1000, 1),
        "run": result,
    }


def run(ctx):
    p = params(ctx.quick)
    rate = p["rate_per_second"]
    load = Load(p["messages"] + p["warmup"], "sms")
    workers = ctx.shared.get("workers") or ctx.workers or DEFAULT
    what_if = None
    with FakeProvider("twilio", p["latency_s"]) as fake:
        ctx.log(f"pacing: {p['messages']} SMS at a limit of {rate}/s, {workers.label}")
        shipped = paced(load, workers, p, fake, ctx.log)
        if not ctx.quick:
            # tick_allowance hands out rate x OUTREACH_TICK_SECONDS per tick; with ticks still every second, a
            # setting of 2 lets two seconds of work wait in the queue instead of one.
            ctx.log("pacing: what-if, two ticks of work handed out (OUTREACH_TICK_SECONDS=2, ticks every 1 s)")
            what_if = paced(load, workers, p, fake, ctx.log, OUTREACH_TICK_SECONDS="2")
    data.reset_outreach()
    figures = {key: value for key, value in shipped.items() if key != "run"}
    figures["limit_per_second"] = rate
    if what_if:
        figures["what_if_two_ticks_mean_per_second"] = what_if["mean_per_second"]
        figures["what_if_two_ticks_max_in_any_1s_window"] = what_if["max_in_any_1s_window"]
    deviation = shipped["deviation_percent"]
    targets = [
        {
            "name": "paced mean rate, deviation from limit (%)",
            "figure": deviation,
            "target": "|x| <= 5",
            "met": abs(deviation) <= 5,
        },
        {
            "name": "max SMS in any 1 s window",
            "figure": shipped["max_in_any_1s_window"],
            "target": f"<= {rate}",
            "met": shipped["max_in_any_1s_window"] <= rate,
        },
    ]
    return {"params": p, "figures": figures, "targets": targets, "shipped": shipped, "what_if_two_ticks": what_if}

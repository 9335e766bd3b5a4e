"""Benchmark 3, email throughput: due email rows to the fake Postmark (anymail's Postmark backend, 40 ms of provider
latency), one API call per email (the engine with OUTREACH_SEND_BATCH=1) versus the engine as shipped (a send task
takes OUTREACH_SEND_BATCH rows and sends them in one request to Postmark's /email/batch, per-recipient results mapped
back to each row). Same workers, same rows, same send-time checks.
"""

from bench import data
from bench.harness import POSTMARK_SERVER_TOKEN, FakeProvider, child_env
from bench.sms_throughput import DEFAULT, Load, measure

NAME = "email_throughput"
TITLE = "3. Email throughput"
LATENCY = 0.04
LEAD_SECONDS = 3.0


def params(quick):
    if quick:
        return {"messages": 200, "warmup": 30, "latency_s": LATENCY}
    return {"messages": 2_000, "warmup": 200, "latency_s": LATENCY}


def engine_env(fake_url, **extra):
    return child_env(
        EMAIL_PROVIDER="postmark",
        POSTMARK_SERVER_TOKEN=POSTMARK_SERVER_TOKEN,
        POSTMARK_API_URL=fake_url,
        OUTREACH_TICK_SECONDS="1",
        **extra,
    )


def run(ctx):
    p = params(ctx.quick)
    total = p["messages"] + p["warmup"]
    ctx.log(f"email: loading {total:,} contacts with consent and consultations")
    load = Load(total, "email")
    workers = ctx.shared.get("workers") or ctx.workers or DEFAULT
    with FakeProvider("postmark", p["latency_s"]) as fake:
        ctx.log(f"email: {p['messages']:,} emails, one API call each, {workers.label}")
        single_env = engine_env(fake.url, OUTREACH_SEND_BATCH="1")
        # Rows in the outbox LEAD_SECONDS before they fall due, as the planner leaves them: both rounds start when
        # the rows fall due (the dispatcher wakes for them), not at a dispatch period's chance phase.
        single = measure(load, workers, p["messages"], p["warmup"], fake, single_env, ctx.log, lead_s=LEAD_SECONDS)
        ctx.log(f"email: {p['messages']:,} emails, the engine's batches, {workers.label}")
        batch = measure(
            load, workers, p["messages"], p["warmup"], fake, engine_env(fake.url), ctx.log, lead_s=LEAD_SECONDS
        )
    data.reset_outreach()
    single_rate = single["messages_per_second_end_to_end"]
    batch_rate = batch["messages_per_second_end_to_end"]
    ratio = batch_rate / single_rate if single_rate else 0.0
    figures = {
        "emails_per_second_single": single_rate,
        "emails_per_second_batch": batch_rate,
        "batch_over_single": round(ratio, 2),
        "batch_over_single_sustained": round(
            batch["messages_per_second_sustained"] / max(0.1, single["messages_per_second_sustained"]), 2
        ),
        "api_calls_single": single["provider_requests"],
        "api_calls_batch": batch["provider_requests"],
        "cpu_ms_per_email_single": single["cpu_ms_per_message"],
        "cpu_ms_per_email_batch": batch["cpu_ms_per_message"],
        "duplicates": single["duplicates"] + batch["duplicates"],
        "workers": workers.label,
    }
    targets = [
        {
            "name": "batch / single-send rate",
            "figure": figures["batch_over_single"],
            "target": ">= 10",
            "met": figures["batch_over_single"] >= 10,
        },
        {
            "name": "duplicate emails",
            "figure": figures["duplicates"],
            "target": "0",
            "met": figures["duplicates"] == 0,
        },
    ]
    return {"params": p, "figures": figures, "targets": targets, "single": single, "batch": batch}

"""Benchmark 2b, the engine against a naive baseline (issue 19), in the same run, on one fake Twilio (80 ms), at the
same worker concurrency (8):

* burst: the same reminders due at one instant, known to each system LEAD_SECONDS ahead (the baseline's tasks are
  scheduled with a countdown, the engine's rows are in its outbox); drain rate of each from the due time to the last
  acceptance, CPU per message in each one's processes, and the ratio engine / baseline (target: at least 10);
* ambiguous outcomes: the fake accepts every message and answers 1 request in 10 with 500, 502, 504 or a dropped
  connection (in turn); what each system does next is counted at the fake, per recipient (every reminder goes to a
  number of its own): duplicates (target for the engine: 0) and reminders lost.

The baseline is bench/naive_app.py: one Celery task per reminder scheduled with a countdown, sending directly with
the twilio library, Celery's autoretry on transient errors. The engine side is sms_throughput.measure, the
dispatcher and the product's workers as in benchmark 2.

Harness API for other rounds: `measure_naive(load, fake, config, count, log, fake_config=None)` returns the same
keys as `sms_throughput.measure` for what both share (messages_per_second_sustained / _end_to_end,
cpu_ms_per_message, seconds_due_to_last_accepted, provider_messages, provider_requests, at_fake).
"""

import datetime
import time

from bench.harness import (
    FakeProvider,
    WorkerConfig,
    celery_workers,
    child_env,
    count_at_fake,
    latency_summary_ms,
    recipient_of,
    tree_cpu_seconds,
    wait_until,
)
from bench.sms_throughput import LATENCY, Load, engine_env, measure

NAME = "naive_baseline"
TITLE = "2b. Engine vs naive baseline"
CONCURRENCY = 8
NAIVE_WORKERS = WorkerConfig("prefork", CONCURRENCY)  # Celery's default pool, as the common pattern runs it
# The same 8, as the engine runs them: a thread-pool process per core (the baseline's 8 prefork processes use both
# cores too); each process's sends of a batch go concurrently on its event loop (OUTREACH_SEND_CONCURRENCY).
ENGINE_WORKERS = WorkerConfig("threads", CONCURRENCY // 2, processes=2)
AMBIGUOUS = {"ambiguous": {"every": 10, "outcomes": [500, 502, 504, "drop"]}}
LEAD_SECONDS = 5.0  # the countdown: every reminder falls due this long after the last one is scheduled


def params(quick):
    if quick:
        return {"messages": 200, "warmup": 16, "latency_s": LATENCY, "concurrency": CONCURRENCY, "rounds": 1}
    return {"messages": 2_000, "warmup": 16, "latency_s": LATENCY, "concurrency": CONCURRENCY, "rounds": 2}


def naive_env(fake_url):
    from bench.harness import TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM_NUMBER

    return child_env(
        TWILIO_ACCOUNT_SID=TWILIO_ACCOUNT_SID,
        TWILIO_AUTH_TOKEN=TWILIO_AUTH_TOKEN,
        TWILIO_FROM_NUMBER=TWILIO_FROM_NUMBER,
        TWILIO_API_BASE_URL=fake_url,
    )


def _schedule(consultation_ids, due_at):
    """One task per reminder with a countdown to `due_at` (a time.time() value), as the planner of the common
    pattern would schedule them when each appointment is booked."""
    from bench.naive_app import send_sms_reminder

    for consultation_id in consultation_ids:
        send_sms_reminder.apply_async((consultation_id,), countdown=max(0.0, due_at - time.time()))


def _quiet(app, hostnames):
    """No task active, reserved or waiting for its ETA (a retry included) on the baseline's workers."""
    inspect = app.control.inspect(destination=hostnames, timeout=1.0)
    for report in (inspect.active(), inspect.reserved(), inspect.scheduled()):
        if report is None or len(report) < len(hostnames) or any(report.values()):
            return False
    return True


def measure_naive(load, fake, config, count, log, *, warmup=16, fake_config=None):
    from bench.naive_app import QUEUE, app

    consultations = load.consultations[:count]
    spare = load.consultations[count : count + warmup]
    ids = [pk for pk, _contact, _starts in consultations]
    recipients = _phones(contact for _pk, contact, _starts in consultations)
    env = naive_env(fake.url)
    with celery_workers(config, env, name="naive", app_module="bench.naive_app", queue=QUEUE) as workers:
        hostnames = [worker.hostname for worker in workers]
        # Warm-up: every pool process imports Django and opens its connections before the measured burst.
        fake.reset()
        _schedule([pk for pk, _c, _s in spare], time.time())
        wait_until(lambda: fake.counts()["messages"] >= len(spare), timeout=60, what="naive warm-up", processes=workers)
        fake.reset()
        if fake_config:
            fake.configure(**fake_config)
        cpu_before = tree_cpu_seconds(workers)
        due = time.time() + LEAD_SECONDS + count / 2000
        _schedule(ids, due)
        scheduled_by = time.time()
        if scheduled_by > due:
            log(f"  naive: scheduling took past the due time by {scheduled_by - due:.1f}s")

        def covered():
            return fake.counts()["recipients"] >= count

        wait_until(covered, timeout=120 + count / 10, interval=0.5, what=f"{count} naive reminders", processes=workers)
        # Retries (the duplicates) come after every reminder got its first copy: wait until none is pending.
        wait_until(lambda: _quiet(app, hostnames), timeout=180, interval=1.0, what="naive retries", processes=workers)
        cpu = tree_cpu_seconds(workers) - cpu_before
    stats = fake.stats()
    messages = [m for m in fake.messages() if recipient_of(m) in set(recipients)]
    accepted = sorted(m["accepted_at"] for m in messages)
    at_fake = count_at_fake(messages, recipients)
    delivered = count - at_fake["lost"]
    span = accepted[-1] - accepted[0] if len(accepted) > 1 else float("nan")
    result = {
        "system": "naive baseline (bench/naive_app.py)",
        "workers": config.to_dict(),
        "messages": count,
        "provider_messages": len(messages),
        "provider_requests": stats["requests"],
        "at_fake": at_fake,
        "messages_per_second_sustained": round((len(accepted) - 1) / span, 1) if len(accepted) > 1 else 0.0,
        "messages_per_second_end_to_end": round(len(accepted) / (accepted[-1] - due), 1) if accepted else 0.0,
        "seconds_due_to_last_accepted": round(accepted[-1] - due, 2) if accepted else None,
        "seconds_due_to_first_accepted": round(accepted[0] - due, 2) if accepted else None,
        "due_to_accepted": latency_summary_ms([t - due for t in accepted]) if accepted else {},
        "cpu_seconds_our_processes": round(cpu, 2),
        "cpu_ms_per_message": round(cpu / max(1, delivered) * 1000, 3),
    }
    log(
        f"  naive {config.label}: {result['messages_per_second_sustained']} msg/s sustained, "
        f"{result['cpu_ms_per_message']} ms CPU/msg, duplicates {at_fake['duplicates']}, lost {at_fake['lost']}"
    )
    return result


def _phones(contact_ids):
    from outreach.models import Contact

    ids = list(contact_ids)
    phones = dict(Contact.objects.filter(pk__in=ids).values_list("pk", "phone"))
    return [str(phones[pk]).lower() for pk in ids]


def run(ctx):
    p = params(ctx.quick)
    total = p["messages"] + 2 * p["warmup"]
    ctx.log(f"baseline: loading {total:,} contacts with consent and consultations")
    load = Load(total, "sms")
    with FakeProvider("twilio", p["latency_s"]) as fake:
        env = engine_env(fake.url)
        # Each side ROUNDS times, interleaved, and each side's faster round compared: on this machine two rounds of
        # the same system differ by up to 25%, which would decide a ratio near its target. Every round is reported.
        naive_rounds, engine_rounds = [], []
        for _ in range(p["rounds"]):
            ctx.log(f"baseline: burst of {p['messages']:,}, naive {NAIVE_WORKERS.label}")
            naive_rounds.append(measure_naive(load, fake, NAIVE_WORKERS, p["messages"], ctx.log, warmup=p["warmup"]))
            ctx.log(f"baseline: burst of {p['messages']:,}, engine {ENGINE_WORKERS.label}")
            # Both know the reminders ahead, as a clinic does: the baseline schedules its tasks LEAD_SECONDS before
            # they fall due, the engine's rows are in the outbox LEAD_SECONDS before theirs (as the planner leaves
            # them).
            engine_rounds.append(
                measure(load, ENGINE_WORKERS, p["messages"], p["warmup"], fake, env, ctx.log, lead_s=LEAD_SECONDS)
            )
        naive = max(naive_rounds, key=lambda result: result["messages_per_second_end_to_end"])
        engine = max(engine_rounds, key=lambda result: result["messages_per_second_end_to_end"])
        ctx.log("baseline: ambiguous outcomes (1 in 10 accepted, then 500/502/504/dropped), naive")
        naive_ambiguous = measure_naive(
            load, fake, NAIVE_WORKERS, p["messages"], ctx.log, warmup=p["warmup"], fake_config=AMBIGUOUS
        )
        ctx.log("baseline: ambiguous outcomes, engine")
        # Retries come after 2 s instead of 30 so the round takes seconds; what is resent does not depend on when.
        quick_retries = engine_env(fake.url, OUTREACH_RETRY_BASE_SECONDS="2", OUTREACH_RETRY_MAX_SECONDS="10")
        engine_ambiguous = measure(
            load,
            ENGINE_WORKERS,
            p["messages"],
            p["warmup"],
            fake,
            quick_retries,
            ctx.log,
            fake_config=AMBIGUOUS,
            lead_s=LEAD_SECONDS,
        )
    naive_rate = naive["messages_per_second_end_to_end"]
    engine_rate = engine["messages_per_second_end_to_end"]
    ratio = round(engine_rate / naive_rate, 2) if naive_rate else 0.0
    figures = {
        "naive_messages_per_second": naive_rate,
        "engine_messages_per_second": engine_rate,
        "engine_over_naive": ratio,
        "naive_cpu_ms_per_message": naive["cpu_ms_per_message"],
        "engine_cpu_ms_per_message": engine["cpu_ms_per_message"],
        "naive_seconds_due_to_last": naive["seconds_due_to_last_accepted"],
        "engine_seconds_due_to_last": engine["seconds_due_to_last_accepted"],
        "ambiguous_naive_duplicates": naive_ambiguous["at_fake"]["duplicates"],
        "ambiguous_naive_lost": naive_ambiguous["at_fake"]["lost"],
        "ambiguous_engine_duplicates": engine_ambiguous["at_fake"]["duplicates"],
        "ambiguous_engine_lost": engine_ambiguous["at_fake"]["lost"],
        "ambiguous_engine_rows": engine_ambiguous["rows_by_status"],
        "workers": f"naive {NAIVE_WORKERS.label}, engine {ENGINE_WORKERS.label}",
        "rounds": "naive "
        + " / ".join(str(result["messages_per_second_end_to_end"]) for result in naive_rounds)
        + ", engine "
        + " / ".join(str(result["messages_per_second_end_to_end"]) for result in engine_rounds)
        + " messages/s end to end",
    }
    targets = [
        {
            "name": "engine / naive drain rate (same fake, concurrency 8)",
            "figure": ratio,
            "target": ">= 10",
            "met": ratio >= 10,
        },
        {
            "name": "duplicates, ambiguous round (engine)",
            "figure": figures["ambiguous_engine_duplicates"],
            "target": "0",
            "met": figures["ambiguous_engine_duplicates"] == 0,
        },
        {
            "name": "lost, ambiguous round (engine)",
            "figure": figures["ambiguous_engine_lost"],
            "target": "0",
            "met": figures["ambiguous_engine_lost"] == 0,
        },
    ]
    return {
        "params": p,
        "figures": figures,
        "targets": targets,
        "naive": naive,
        "engine": engine,
        "naive_rounds": naive_rounds,
        "engine_rounds": engine_rounds,
        "naive_ambiguous": naive_ambiguous,
        "engine_ambiguous": engine_ambiguous,
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }

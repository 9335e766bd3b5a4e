"""Benchmark 2, SMS throughput: due outbox rows through the dispatcher, Redis and Celery workers to the fake Twilio
(real twilio client, 80 ms of provider latency per request).

Reported: messages/s sustained (first to last provider acceptance) and end to end (from the moment the rows fell
due); CPU seconds per message in our processes (workers with their pool children, and the dispatcher); latency from
due to provider-accepted (the fake's accept time; with every row due at once this is mostly queueing) and from the
provider call starting to acceptance; duplicates (messages per outbox id at the fake; must be 0).

A full run first tries several worker pools and concurrencies on a smaller batch and keeps the fastest for the
10,000-message run (and for the email benchmark).
"""

import datetime
import time
from urllib.parse import parse_qs, urlsplit

import psutil

from bench import data
from bench.harness import (
    TWILIO_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN,
    TWILIO_FROM_NUMBER,
    FakeProvider,
    WorkerConfig,
    analyze,
    beat_process,
    celery_workers,
    child_env,
    count_at_fake,
    dispatcher_process,
    latency_summary_ms,
    tree_cpu_seconds,
    truncate,
    wait_until,
)

NAME = "sms_throughput"
TITLE = "2. SMS throughput"
FAR_FUTURE = datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)
LATENCY = 0.08
# Tried in full runs (500 messages each). Measured 2026-11-28 with 1,000 each: 2x threads/32 52.7/s, threads/64 38.3,
# threads/16 28.5, prefork/4 22.9, prefork/16 22.0; threads/16 and prefork/4 are no longer tried.
CANDIDATES = [
    WorkerConfig("threads", 64),
    WorkerConfig("threads", 32, processes=2),
    WorkerConfig("threads", 8, processes=2),  # batches carry their own concurrency (OUTREACH_SEND_CONCURRENCY)
    WorkerConfig("prefork", 16),
]
DEFAULT = WorkerConfig("threads", 32, processes=2)


def params(quick):
    if quick:
        return {
            "messages": 200,
            "warmup": 30,
            "explore_messages": 0,
            "latency_s": LATENCY,
            "history": [2_000, 20_000],
            "on_time_lead_s": 5.0,
        }
    return {
        "messages": 2_000,
        "warmup": 200,
        "explore_messages": 500,
        "latency_s": LATENCY,
        "history": [10_000, 200_000],
        "on_time_lead_s": 5.0,
    }


def engine_env(fake_url, **extra):
    settings = {
        "SMS_PROVIDER": "twilio",
        "TWILIO_ACCOUNT_SID": TWILIO_ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": TWILIO_AUTH_TOKEN,
        "TWILIO_FROM_NUMBER": TWILIO_FROM_NUMBER,
        "TWILIO_API_BASE_URL": fake_url,
        "OUTREACH_TICK_SECONDS": "1",
    }
    return child_env(**{**settings, **extra})


class Load:
    """Contacts, consent and one consultation each, loaded once; outbox rows made fresh for every measurement."""

    def __init__(self, count, channel):
        from outreach.models import Consultation

        data.reset_outreach()
        data.setup_clinic()
        self.channel = channel
        _campaign, self.step = data.make_campaign(sms=channel == "sms", email=channel == "email")
        contact_ids = data.load_contacts(count, channels=(channel,))
        starts_at = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=24)
        data.load_consultations((contact_id, starts_at, "scheduled") for contact_id in contact_ids)
        self.consultations = list(
            Consultation.objects.order_by("pk").values_list("pk", "contact_id", "starts_at")[:count]
        )

    def fresh_outbox(self, count, history=0):
        """`count` rows (ids 1..count), due in the far future until make_due() brings a range forward; then
        `history` rows already sent (ids after them: the outbox of a clinic that has been sending for a while, spread
        over the same contacts, between 8 and 400 days old), and the statistics PostgreSQL plans with."""
        truncate("outreach_outboundmessage", "outreach_deliveryevent")
        data.load_outbox(self.step, self.consultations[:count], due_at=FAR_FUTURE, channel=self.channel)
        if history:
            load_history(self.step, self.consultations, history, self.channel)
        analyze("outreach_outboundmessage", "outreach_contact", "outreach_consentrecord", "outreach_consultation")


def load_history(step, consultations, count, channel):
    """`count` sent rows in one INSERT ... SELECT (seconds for 200,000): row i belongs to consultation i mod n, an
    earlier visit of the same patient, sent 8 days + 3i minutes ago."""
    from django.db import connection

    ids = [pk for pk, _contact, _starts in consultations]
    contacts = [contact for _pk, contact, _starts in consultations]
    provider = "twilio" if channel == "sms" else "postmark"
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO outreach_outboundmessage (
                step_id, consultation_id, consultation_starts_at, contact_id, channel, status, skip_reason, due_at,
                scheduled_for, not_after, attempts, outcome_unknown_count, provider, provider_message_id,
                error_code, error_message, subject, body, provider_call_started_at, sent_at, created_at, updated_at
            )
            SELECT %(step)s, (%(ids)s::bigint[])[1 + i %% %(n)s], moment + %(offset)s,
                (%(contacts)s::bigint[])[1 + i %% %(n)s], %(channel)s, 'sent', '', moment, moment,
                moment + %(lateness)s, 1, 0, %(provider)s, 'HIST' || lpad(i::text, 10, '0'), '', '', '',
                '(history)', moment, moment, moment, moment
            FROM (
                SELECT i, now() - interval '8 days' - make_interval(mins => i * 3) AS moment
                FROM generate_series(0, %(count)s - 1) AS i
            ) AS history
            """,
            {
                "step": step.pk,
                "ids": ids,
                "contacts": contacts,
                "n": len(ids),
                "offset": step.offset,
                "lateness": step.max_lateness,
                "channel": channel,
                "provider": provider,
                "count": count,
            },
        )


def make_due(first_id, last_id, lead_s=0.0):
    """Rows first_id..last_id fall due now (or `lead_s` seconds from now); returns that moment."""
    from django.db import connection
    from django.utils import timezone

    now = timezone.now() + datetime.timedelta(seconds=lead_s)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE outreach_outboundmessage SET due_at = %s, scheduled_for = %s, not_after = %s "
            "WHERE id BETWEEN %s AND %s",
            [now, now, now + datetime.timedelta(hours=2), first_id, last_id],
        )
    return now


def unsettled(first_id, last_id):
    """Whether any of these rows is still to settle. EXISTS over the partial indexes of scheduled and sending rows:
    polling must not read the outbox, or it would count in the tuples read per message."""
    from outreach.models import OutboundMessage

    return OutboundMessage.objects.filter(
        pk__gte=first_id, pk__lte=last_id, status__in=("scheduled", "sending")
    ).exists()


def tuples_read():
    """{table: rows read by its scans so far (sequential and index)}, from PostgreSQL's statistics. Backends report
    theirs when idle or exiting, so read it after the processes measured stopped."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT relname, seq_tup_read + coalesce(idx_tup_fetch, 0) FROM pg_stat_user_tables")
        return {table: int(rows) for table, rows in cursor.fetchall()}


def tuples_between(before, after):
    """Rows read in between: the total, and the tables that read the most."""
    delta = {table: rows - before.get(table, 0) for table, rows in after.items()}
    top = sorted(((rows, table) for table, rows in delta.items() if rows), reverse=True)[:6]
    return sum(delta.values()), {table: rows for rows, table in top}


def outbox_id_of(message):
    if message.get("fields", {}).get("Metadata"):  # Postmark: our metadata
        return int(message["fields"]["Metadata"].get("outbox_id", 0) or 0)
    callback = message.get("fields", {}).get("StatusCallback", "")
    values = parse_qs(urlsplit(callback).query).get("m")
    return int(values[0]) if values else 0


def measure(
    load,
    config,
    count,
    warmup,
    fake,
    env,
    log,
    *,
    mode="dispatch",
    include=(),
    timeout_rate=20,
    fake_config=None,
    history=0,
    beat=False,
    lead_s=0.0,
):
    """One measurement: `warmup` rows to warm every worker up, then `count` rows due at once. `fake_config` (e.g.
    {"ambiguous": {"every": 10}}) is applied to the fake for the measured rows only; `history` sent rows sit in the
    outbox beside them. With `beat`, Celery beat hands rows out at the shipped settings (not bench/dispatcher.py),
    and the rows fall due `lead_s` seconds after they are set, so the time from due to the first send counts."""
    from outreach.models import OutboundMessage

    load.fresh_outbox(warmup + count, history=history)
    dispatching = beat_process(env) if beat else dispatcher_process(env, mode=mode)
    with celery_workers(config, env, include=include) as workers, dispatching as dispatcher:
        processes = [*workers, dispatcher]
        make_due(1, warmup)
        wait_until(lambda: not unsettled(1, warmup), timeout=120, interval=0.3, what="warm-up", processes=processes)
        fake.reset()
        if fake_config:
            fake.configure(**fake_config)
        time.sleep(1.5)  # backends report their statistics within a second of going idle
        cpu_before = tree_cpu_seconds(processes)
        sessions_before = database_sessions()
        tuples_before = tuples_read()
        machine_before = psutil.cpu_times()
        due = make_due(warmup + 1, warmup + count, lead_s=lead_s)
        wait_until(
            lambda: not unsettled(warmup + 1, warmup + count),
            timeout=60 + lead_s + count / timeout_rate,
            interval=0.25,
            what=f"{count} messages",
            processes=processes,
        )
        done = time.time()
        cpu = tree_cpu_seconds(processes) - cpu_before
        machine_after = psutil.cpu_times()
    sessions = database_sessions() - sessions_before  # counted as sessions end: after the workers stopped
    tuples, tuples_by_table = tuples_between(tuples_before, tuples_read())  # reported by the backends as they ended
    stats = fake.stats()
    messages = fake.messages()
    measured = OutboundMessage.objects.filter(pk__gt=warmup, pk__lte=warmup + count)
    rows = {
        pk: (status, started)
        for pk, status, started in measured.values_list("pk", "status", "provider_call_started_at")
    }
    address = "contact__phone" if load.channel == "sms" else "contact__email"
    recipients = [str(value).lower() for value in measured.values_list(address, flat=True)]
    # Evidence for duplicates: rows the lease recovery handed out again after their provider call had started.
    resent_after_lease = measured.filter(outcome_unknown_count__gt=0).count()
    attempted_twice = measured.filter(attempts__gt=1).count()
    due_ts = due.timestamp()
    accepted = sorted(message["accepted_at"] for message in messages)
    per_outbox = {}
    for message in messages:
        per_outbox.setdefault(outbox_id_of(message), []).append(message)
    duplicates = sum(len(group) - 1 for group in per_outbox.values())
    statuses = {}
    for status, _started in rows.values():
        statuses[status] = statuses.get(status, 0) + 1
    sent = statuses.get("sent", 0)
    due_to_accepted = [message["accepted_at"] - due_ts for message in messages]
    call_to_accepted = [
        message["accepted_at"] - rows[pk][1].timestamp()
        for pk, group in per_outbox.items()
        for message in group
        if pk in rows and rows[pk][1] is not None
    ]
    span = accepted[-1] - accepted[0] if len(accepted) > 1 else float("nan")
    at_fake = count_at_fake(messages, recipients)
    busy = _busy_fraction(machine_before, machine_after)
    result = {
        "workers": config.to_dict(),
        "messages": count,
        "provider_messages": len(messages),
        "provider_requests": stats["requests"],
        "rows_by_status": statuses,
        "duplicates": duplicates,
        "at_fake": at_fake,
        "lost": at_fake["lost"],
        "rows_resent_after_lease_expired": resent_after_lease,
        "rows_attempted_twice": attempted_twice,
        "messages_per_second_sustained": round((len(accepted) - 1) / span, 1) if len(accepted) > 1 else 0.0,
        "messages_per_second_end_to_end": round(len(accepted) / (accepted[-1] - due_ts), 1) if accepted else 0.0,
        "seconds_due_to_last_accepted": round(accepted[-1] - due_ts, 2) if accepted else None,
        "seconds_due_to_all_recorded": round(done - due_ts, 2),
        "seconds_due_to_first_accepted": round(accepted[0] - due_ts, 2) if accepted else None,
        "tuples_read_per_message": round(tuples / max(1, sent), 1),
        "tuples_read_by_table": tuples_by_table,
        "history_rows": history,
        "cpu_seconds_our_processes": round(cpu, 2),
        "cpu_ms_per_message": round(cpu / max(1, sent) * 1000, 3),
        "due_to_accepted": latency_summary_ms(due_to_accepted) if due_to_accepted else {},
        "call_to_accepted": latency_summary_ms(call_to_accepted) if call_to_accepted else {},
        "machine_cpu_busy_fraction": busy,
        "postgresql_sessions_per_message": round(sessions / max(1, sent), 2),
        "in_flight_ceiling_per_second": round(config.concurrency * config.processes / LATENCY, 1),
    }
    log(
        f"  {config.label}: {result['messages_per_second_sustained']} msg/s sustained, "
        f"{result['cpu_ms_per_message']} ms CPU/msg, {result['tuples_read_per_message']} tuples/msg, "
        f"due->first {result['seconds_due_to_first_accepted']} s, ->last {result['seconds_due_to_last_accepted']} s, "
        f"duplicates {duplicates}, statuses {statuses}, machine busy {busy:.0%}; most read: {tuples_by_table}"
    )
    return result


def database_sessions():
    """Sessions ever opened on this database (PostgreSQL 14+ counts them as they end)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


def _busy_fraction(before, after):
    idle = (after.idle + getattr(after, "iowait", 0)) - (before.idle + getattr(before, "iowait", 0))
    total = sum(after) - sum(before)
    return round(1 - idle / total, 3) if total else 0.0


def run(ctx):
    p = params(ctx.quick)
    total = p["messages"] + p["warmup"]
    ctx.log(f"sms: loading {total:,} contacts with consent and consultations")
    load = Load(total, "sms")
    explored = []
    with FakeProvider("twilio", p["latency_s"]) as fake:
        env = engine_env(fake.url)
        if ctx.explore and p["explore_messages"]:
            ctx.log(f"sms: trying {len(CANDIDATES)} worker setups with {p['explore_messages']:,} messages each")
            for config in CANDIDATES:
                explored.append(measure(load, config, p["explore_messages"], p["warmup"], fake, env, ctx.log))
            best = max(explored, key=lambda r: (r["messages_per_second_sustained"], -r["cpu_ms_per_message"]))
            winner = WorkerConfig(**{k: best["workers"][k] for k in ("pool", "concurrency", "processes")})
        else:
            winner = ctx.workers or DEFAULT
        ctx.shared["workers"] = winner
        ctx.log(f"sms: burst of {p['messages']:,} due at once, {winner.label}")
        final = measure(load, winner, p["messages"], p["warmup"], fake, env, ctx.log)
        # Each size twice, interleaved, and the quieter round of each kept (the fewer CPU ms per message): on this
        # machine two rounds of the same size differ by up to 25%, which would drown a 10% comparison. The other
        # rounds are reported beside them.
        backlog, rounds = {}, {history: [] for history in p["history"]}
        for _ in range(2):
            for history in p["history"]:
                ctx.log(f"sms: burst of {p['messages']:,} beside {history:,} sent rows in the outbox")
                rounds[history].append(
                    measure(load, winner, p["messages"], p["warmup"], fake, env, ctx.log, history=history)
                )
        for history, results in rounds.items():
            backlog[history] = min(results, key=lambda result: result["cpu_ms_per_message"])
        ctx.log(f"sms: on time at the shipped settings (beat, {winner.label}): {p['messages']:,} due together")
        shipped = engine_env(fake.url, OUTREACH_TICK_SECONDS="30")
        on_time = measure(
            load, winner, p["messages"], p["warmup"], fake, shipped, ctx.log, beat=True, lead_s=p["on_time_lead_s"]
        )
        what_if = None
        if not ctx.quick:
            ctx.log("sms: what-if, a new database connection per task (DATABASE_CONN_MAX_AGE=0, as before)")
            per_task = engine_env(fake.url, DATABASE_CONN_MAX_AGE="0")
            what_if = measure(load, winner, p["explore_messages"], p["warmup"], fake, per_task, ctx.log)
    data.reset_outreach()
    small, large = (backlog[history] for history in p["history"])
    cpu_ratio = round(large["cpu_ms_per_message"] / max(0.001, small["cpu_ms_per_message"]), 2)
    tuples_ratio = round(large["tuples_read_per_message"] / max(0.1, small["tuples_read_per_message"]), 2)
    figures = {
        "messages_per_second": final["messages_per_second_sustained"],
        "messages_per_second_end_to_end": final["messages_per_second_end_to_end"],
        "cpu_ms_per_message": final["cpu_ms_per_message"],
        "tuples_read_per_message": final["tuples_read_per_message"],
        "postgresql_sessions_per_message": final["postgresql_sessions_per_message"],
        "p50_due_to_accepted_ms": final["due_to_accepted"].get("p50_ms"),
        "p95_due_to_accepted_ms": final["due_to_accepted"].get("p95_ms"),
        "p50_call_to_accepted_ms": final["call_to_accepted"].get("p50_ms"),
        "p95_call_to_accepted_ms": final["call_to_accepted"].get("p95_ms"),
        "duplicates": final["at_fake"]["duplicates"],
        "lost": final["at_fake"]["lost"],
        "workers": winner.label,
        "backlog_small": f"{p['history'][0]:,} rows: {small['cpu_ms_per_message']} ms CPU, "
        f"{small['tuples_read_per_message']} tuples, {small['messages_per_second_sustained']}/s",
        "backlog_large": f"{p['history'][1]:,} rows: {large['cpu_ms_per_message']} ms CPU, "
        f"{large['tuples_read_per_message']} tuples, {large['messages_per_second_sustained']}/s",
        "on_time_first_s": on_time["seconds_due_to_first_accepted"],
        "on_time_last_s": on_time["seconds_due_to_last_accepted"],
    }
    n = p["messages"]
    targets = [
        target(
            "SMS messages/s sustained (80 ms fake)",
            final["messages_per_second_sustained"],
            ">= 500",
            lambda v: v >= 500,
        ),
        target("our CPU ms per SMS", final["cpu_ms_per_message"], "<= 2", lambda v: v <= 2),
        target("duplicate SMS (burst)", final["at_fake"]["duplicates"], "0", lambda v: v == 0),
        target("lost SMS (burst)", final["at_fake"]["lost"], "0", lambda v: v == 0),
        target(
            f"CPU per SMS, {p['history'][1]:,} / {p['history'][0]:,} rows in the outbox",
            cpu_ratio,
            "within 10% (0.9-1.1)",
            lambda v: 0.9 <= v <= 1.1,
        ),
        target(
            f"tuples read per SMS, {p['history'][1]:,} / {p['history'][0]:,} rows",
            tuples_ratio,
            "within 10% (0.9-1.1)",
            lambda v: 0.9 <= v <= 1.1,
        ),
        target(
            "shipped settings: due to first SMS accepted (s)",
            on_time["seconds_due_to_first_accepted"],
            "<= 2",
            lambda v: v is not None and v <= 2,
        ),
        target(
            f"shipped settings: due to last of {n:,} accepted (s)",
            on_time["seconds_due_to_last_accepted"],
            "<= 10",
            lambda v: v is not None and v <= 10,
        ),
        target(
            "duplicates / lost, every round",
            sum(
                r["at_fake"]["duplicates"] + r["at_fake"]["lost"]
                for r in (final, on_time, *(result for results in rounds.values() for result in results))
            ),
            "0",
            lambda v: v == 0,
        ),
    ]
    if what_if:
        figures["what_if_per_task_connections_messages_per_second"] = what_if["messages_per_second_sustained"]
        figures["what_if_per_task_connections_cpu_ms_per_message"] = what_if["cpu_ms_per_message"]
    if explored:
        ranking = sorted(explored, key=lambda r: -r["messages_per_second_sustained"])
        figures["explored"] = "; ".join(
            f"{r['workers']['label']} {r['messages_per_second_sustained']}/s {r['cpu_ms_per_message']}ms"
            for r in ranking
        )
    return {
        "params": p,
        "figures": figures,
        "targets": targets,
        "final": final,
        "backlog": {str(history): result for history, result in backlog.items()},
        "backlog_rounds_cpu_ms": {
            str(history): [result["cpu_ms_per_message"] for result in results] for history, results in rounds.items()
        },
        "on_time": on_time,
        "explored": explored,
        "what_if_per_task_connections": what_if,
    }


def target(name, figure, wanted, met):
    return {"name": name, "figure": figure, "target": wanted, "met": bool(figure is not None and met(figure))}

"""Benchmark 5, webhook ingestion: signed Twilio status callbacks (`/webhooks/twilio/status/?m=<outbox id>`) against
the app under gunicorn, shuffled (so `sent` often arrives after `delivered`), 10% sent twice. Each message gets
`sent` then `delivered`, or `sent` then `undelivered` (30003) for one in ten. Afterwards every row must be in its
right final state (delivered, or failed with 30003) and every distinct report recorded exactly once.
"""

import datetime
import random
import secrets
from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

from bench import data
from bench.harness import (
    TWILIO_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN,
    TWILIO_FROM_NUMBER,
    GunicornConfig,
    HttpLoad,
    gunicorn,
    latency_summary_ms,
    shipped_gunicorn,
    tree_cpu_seconds,
)

NAME = "webhooks"
TITLE = "5. Webhook ingestion"


SERVER = shipped_gunicorn()  # the figures and the target are this setup's
# Tried beside it in full runs, on the same callbacks: processes x threads on the 2 cores. The view is Python and
# SQL: each round trip to PostgreSQL gives up the GIL and must win it back, so threads of one process that are busy
# at once delay each other's every query; processes do not.
CANDIDATES = [GunicornConfig(workers, threads) for workers, threads in ((2, 8), (4, 2), (4, 4))]
CLIENTS = 16
# The first half of the callbacks comes from LIGHT concurrent clients (the latency target: a request's own cost),
# the second half from CLIENTS (saturating the server's 16 threads: its throughput).
LOADS = {"light_clients": 4, "clients": CLIENTS}
PACED_RATE = 100  # requests/s, open loop: the latency target (issue 19: p95 < 20 ms at 100 requests/s)


def params(quick):
    if quick:
        return {"callbacks": 300, "duplicate_fraction": 0.10, "undelivered_fraction": 0.10, "paced": 300, **LOADS}
    return {"callbacks": 3_000, "duplicate_fraction": 0.10, "undelivered_fraction": 0.10, "paced": 1_500, **LOADS}


def seed(messages):
    from outreach.models import Consultation, OutboundMessage

    data.reset_outreach()
    data.setup_clinic()
    _campaign, step = data.make_campaign(sms=True)
    contact_ids = data.load_contacts(messages, channels=("sms",))
    now = datetime.datetime.now(datetime.UTC)
    starts_at = now + datetime.timedelta(hours=20)
    data.load_consultations((contact_id, starts_at, "scheduled") for contact_id in contact_ids)
    consultations = list(Consultation.objects.order_by("pk").values_list("pk", "contact_id"))
    rows = [
        OutboundMessage(
            step_id=step.pk,
            consultation_id=pk,
            consultation_starts_at=starts_at,
            contact_id=contact_id,
            channel="sms",
            status="sent",
            due_at=now,
            scheduled_for=now,
            not_after=now + step.max_lateness,
            attempts=1,
            provider="twilio",
            provider_message_id="SM" + secrets.token_hex(16),
            provider_call_started_at=now,
            sent_at=now,
        )
        for pk, contact_id in consultations
    ]
    data.copy_instances(OutboundMessage, rows)
    return list(OutboundMessage.objects.order_by("pk").values_list("pk", "provider_message_id", "contact__phone"))


def callbacks_for(rows, base_url, p, rng):
    """The signed requests, shuffled, with duplicates; and each row's expected final state."""
    validator = RequestValidator(TWILIO_AUTH_TOKEN)
    requests, expected = [], {}
    for pk, sid, phone in rows:
        undelivered = rng.random() < p["undelivered_fraction"]
        final = ("undelivered", "30003") if undelivered else ("delivered", "")
        expected[pk] = ("failed", "30003") if undelivered else ("delivered", "")
        for status, error_code in (("sent", ""), final):
            params = {
                "SmsSid": sid,
                "SmsStatus": status,
                "MessageStatus": status,
                "To": str(phone),
                "MessageSid": sid,
                "AccountSid": TWILIO_ACCOUNT_SID,
                "From": TWILIO_FROM_NUMBER,
                "ApiVersion": "2010-04-01",
            }
            if error_code:
                params["ErrorCode"] = error_code
            path = f"/webhooks/twilio/status/?m={pk}"
            signature = validator.compute_signature(base_url + path, params)
            headers = {"X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"}
            requests.append(("POST", path, urlencode(params).encode(), headers))
    unique = len(requests)
    requests += rng.sample(requests, int(unique * p["duplicate_fraction"]))
    rng.shuffle(requests)
    return requests, expected, unique


def ingest(p, rng, env_extra, log, server_config=SERVER):
    """Seed fresh rows, send their callbacks (first half from LIGHT clients, second half from HEAVY), check states."""
    from outreach.models import DeliveryEvent, OutboundMessage

    rows = seed(p["callbacks"] // 2)
    env = {
        "SMS_PROVIDER": "twilio",
        "TWILIO_ACCOUNT_SID": TWILIO_ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": TWILIO_AUTH_TOKEN,
        **env_extra,
    }
    phases = {}
    with gunicorn(server_config, env) as (server, base_url):
        requests, expected, unique = callbacks_for(rows, base_url, p, rng)
        # Warm every gunicorn thread (imports, first connections) on requests that change nothing.
        HttpLoad(base_url, CLIENTS).run([("GET", "/healthz", None, {})] * 64)
        # And the webhook view itself in every thread (imports, the first query plans), with reports it will get
        # again anyway (repeats are part of the load): 2 s at the paced rate, not measured.
        HttpLoad(base_url, CLIENTS).run(requests[: 2 * PACED_RATE], rate=PACED_RATE)
        # Paced first (the latency target, at PACED_RATE requests/s), then the rest half from LIGHT clients as
        # fast as they go and half from CLIENTS (saturating the server's threads: its throughput).
        paced = min(p["paced"], len(requests) // 3)
        half = paced + (len(requests) - paced) // 2
        phases_spec = (
            ("paced", CLIENTS, requests[:paced], PACED_RATE),
            (p["light_clients"], p["light_clients"], requests[paced:half], None),
            (p["clients"], p["clients"], requests[half:], None),
        )
        for key, clients, part, rate in phases_spec:
            cpu_before = tree_cpu_seconds([server])
            wall, results = HttpLoad(base_url, clients).run(part, rate=rate)
            cpu = tree_cpu_seconds([server]) - cpu_before
            statuses = {}
            for status, *_rest in results:
                statuses[str(status)] = statuses.get(str(status), 0) + 1
            phases[key] = {
                "clients": clients,
                "rate": rate,
                "requests": len(part),
                "requests_per_second": round(len(part) / wall, 1),
                **latency_summary_ms([latency for _s, latency, _h, _b in results]),
                "server_cpu_ms_per_request": round(cpu / len(part) * 1000, 2),
                "responses_by_status": statuses,
            }
            phase = phases[key]
            log(
                f"  {key} ({clients} clients): {phase['requests_per_second']} req/s, p50 {phase['p50_ms']} "
                f"p95 {phase['p95_ms']} p99 {phase['p99_ms']} ms, "
                f"server CPU {phase['server_cpu_ms_per_request']} ms/request, {statuses}"
            )
    states = OutboundMessage.objects.values_list("pk", "status", "error_code")
    final = {pk: (status, code) for pk, status, code in states}
    wrong = sum(1 for pk, want in expected.items() if final.get(pk) != want)
    events = DeliveryEvent.objects.count()
    non_2xx = sum(
        count for phase in phases.values() for status, count in phase["responses_by_status"].items() if status[0] != "2"
    )
    data.reset_outreach()
    return {
        "server": server_config.label,
        "requests": len(requests),
        "distinct_reports": unique,
        "delivery_events_recorded": events,
        "rows_in_wrong_final_state": wrong,
        "non_2xx": non_2xx,
        "paced": phases["paced"],
        "light": phases[p["light_clients"]],
        "heavy": phases[p["clients"]],
    }


def run(ctx):
    p = params(ctx.quick)
    rng = random.Random(5000)
    variants = [(f"as shipped ({SERVER.label}, DATABASE_CONN_MAX_AGE=60)", {}, SERVER)]
    if not ctx.quick:
        variants.append(
            ("what-if: a connection per request (DATABASE_CONN_MAX_AGE=0)", {"DATABASE_CONN_MAX_AGE": "0"}, SERVER)
        )
        variants += [(f"what-if: {config.label}", {}, config) for config in CANDIDATES if config.label != SERVER.label]
    outcomes = {}
    for label, env_extra, config in variants:
        repeats = f"{p['duplicate_fraction']:.0%}"
        ctx.log(f"webhooks: {p['callbacks']:,} callbacks + {repeats} repeats, {config.label}, {label}")
        outcomes[label] = ingest(p, rng, env_extra, ctx.log, server_config=config)
    shipped = outcomes[variants[0][0]]
    paced, light, heavy = shipped["paced"], shipped["light"], shipped["heavy"]
    figures = {
        "requests": shipped["requests"],
        "requests_per_second": heavy["requests_per_second"],
        f"p50_ms_at_{PACED_RATE}_per_second": paced["p50_ms"],
        f"p99_ms_at_{PACED_RATE}_per_second": paced["p99_ms"],
        f"p95_ms_{p['light_clients']}_clients_closed_loop": light["p95_ms"],
        f"p95_ms_at_{p['clients']}_clients": heavy["p95_ms"],
        "server_cpu_ms_per_request": heavy["server_cpu_ms_per_request"],
        "rows_in_wrong_final_state": shipped["rows_in_wrong_final_state"],
        "server": SERVER.label,
    }
    if len(variants) > 1:
        what_if = outcomes[variants[1][0]]
        figures["what_if_per_request_connections_requests_per_second"] = what_if["heavy"]["requests_per_second"]
        figures["what_if_per_request_connections_p95_ms_paced"] = what_if["paced"]["p95_ms"]
        figures["explored"] = "; ".join(
            f"{outcome['server']} p95/p99 {outcome['paced']['p95_ms']}/{outcome['paced']['p99_ms']} ms at "
            f"{PACED_RATE}/s, {outcome['heavy']['requests_per_second']}/s at {p['clients']} clients"
            for label, outcome in outcomes.items()
            if "connection per request" not in label
        )
    targets = [
        {
            "name": f"webhook p95 latency at {PACED_RATE} requests/s (ms)",
            "figure": paced["p95_ms"],
            "target": "< 20",
            "met": paced["p95_ms"] < 20,
        },
        {
            "name": "rows in wrong final state",
            "figure": shipped["rows_in_wrong_final_state"],
            "target": "0",
            "met": all(o["rows_in_wrong_final_state"] == 0 for o in outcomes.values()),
        },
        {
            "name": "distinct reports recorded (once each)",
            "figure": shipped["delivery_events_recorded"],
            "target": f"= {shipped['distinct_reports']}",
            "met": all(
                o["delivery_events_recorded"] == o["distinct_reports"] and o["non_2xx"] == 0 for o in outcomes.values()
            ),
        },
    ]
    return {"params": {**p, "server": SERVER.label}, "figures": figures, "targets": targets, "variants": outcomes}

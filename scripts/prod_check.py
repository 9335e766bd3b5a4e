"""`make prod-check`: the production configuration, started on this machine and checked from outside.

It starts the Procfile with honcho (gunicorn, a Celery worker and beat through scripts/start.sh, production
settings) against PostgreSQL and Redis on 127.0.0.1 and the fake Twilio of tests/fakes/ as its own process, then
checks what a clinic's IT person would: the admin's CSS is served (hashed, compressed), /healthz is green, a
consultation imported through the booking API gets its reminder through the provider, /metrics counts it, the
access log holds no link token or query string, and the web process refuses to start with a required variable
missing. HTTPS is relaxed only through a documented variable (SECURE_SSL_REDIRECT=false: this is plain HTTP on
loopback).

Its own database (PROD_CHECK_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/clinic_prodcheck) is dropped and
created afresh; its own Redis database (PROD_CHECK_REDIS_URL, default redis://127.0.0.1:6379/12) is emptied first.
Everything it starts is stopped when it ends. Prints one line per check and "prod-check: N passed, N failed".
"""

import datetime
import gzip
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zoneinfo
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DATABASE_URL = os.environ.get("PROD_CHECK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/clinic_prodcheck")
REDIS_URL = os.environ.get("PROD_CHECK_REDIS_URL", "redis://127.0.0.1:6379/12")
PATIENT_PHONE = "+12035550147"
LINK_TOKEN = "prodcheck-secret-link-token"
QUERY_SECRET = "prodcheck-secret-query"
results = []


def check(name, passed, detail=""):
    results.append(passed)
    print(f"{'ok  ' if passed else 'FAIL'} {name}{'' if passed else ': ' + detail}", flush=True)
    return passed


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(url, *, data=None, headers=None, method=None):
    """(status, headers, body bytes); never raises for an HTTP status."""
    body = json.dumps(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, headers=headers or {}, method=method)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=15) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()
    except OSError as exc:
        return None, {}, str(exc).encode()


def wait_for(predicate, timeout, interval=1.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


def psql(database_url, sql):
    parts = urlsplit(database_url)
    admin = parts._replace(path="/postgres").geturl()
    subprocess.run(["psql", admin, "-v", "ON_ERROR_STOP=1", "-qc", sql], check=True, capture_output=True)


def fresh_database():
    name = urlsplit(DATABASE_URL).path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]+", name):
        sys.exit(f"PROD_CHECK_DATABASE_URL: unexpected database name {name!r}")
    psql(DATABASE_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(DATABASE_URL, f"CREATE DATABASE {name}")
    return name


def empty_redis():
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def daytime_zone():
    now = datetime.datetime.now(datetime.UTC)
    for offset in range(-12, 15):
        name = f"Etc/GMT{'+' if offset <= 0 else '-'}{abs(offset)}" if offset else "Etc/GMT"
        if 10 <= now.astimezone(zoneinfo.ZoneInfo(name)).hour < 18:
            return name
    raise RuntimeError("no daytime zone")


def start_fake_twilio(workdir):
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.twilio", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=open(workdir / "fake-twilio.log", "wb"),  # noqa: SIM115
        text=True,
        start_new_session=True,
    )
    url = process.stdout.readline().strip()
    if not url.startswith("http"):
        sys.exit("the fake Twilio did not start")
    return process, url


def production_env(port, twilio_url, workdir):
    from tests.fakes.twilio import TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_FROM_NUMBER

    (workdir / "metrics").mkdir()

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TEST_", "BENCH_"))}
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        PYTHONUNBUFFERED="1",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        PUBLIC_BASE_URL="https://clinic-api.example",
        ANYMAIL_WEBHOOK_SECRET="prod-check:" + secrets.token_urlsafe(24),
        SUPPRESSION_HASH_KEY=secrets.token_urlsafe(48),
        SECURE_SSL_REDIRECT="false",
        SMS_PROVIDER="twilio",
        TWILIO_ACCOUNT_SID=TEST_ACCOUNT_SID,
        TWILIO_AUTH_TOKEN=TEST_AUTH_TOKEN,
        TWILIO_FROM_NUMBER=TEST_FROM_NUMBER,
        TWILIO_API_BASE_URL=twilio_url,
        OUTREACH_TICK_SECONDS="2",
        PORT=str(port),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        WEB_THREADS="4",
        WORKER_CONCURRENCY="4",
        PROMETHEUS_MULTIPROC_DIR=str(workdir / "metrics"),
        METRICS_TOKEN=secrets.token_urlsafe(24),
        LOG_FORMAT="json",
        CELERY_BEAT_SCHEDULE_FILE=str(workdir / "beat-schedule"),
    )
    return env


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.production"},
        capture_output=True,
        text=True,
        timeout=300,
    )


SETUP = """
import datetime
from cms.clinic import get_clinic_settings
from outreach.models import ApiToken, Campaign, CampaignStep
clinic = get_clinic_settings(); clinic.clinic_name = "Prod Check Clinic"; clinic.phone = "(203) 555-0100"; clinic.save()
campaign = Campaign.objects.create(name="Reminders", active=True)
CampaignStep.objects.create(
    campaign=campaign, name="an hour before", offset=datetime.timedelta(hours=1), send_sms=True, send_email=False,
    max_lateness=datetime.timedelta(hours=1),
    sms_body="Hi {{ first_name }}, your visit at {{ clinic_name }} is at {{ appointment_time }}. "
    "Reply STOP to opt out.",
)
print(ApiToken.issue("prod-check")[1])
"""


def main():
    workdir = Path(tempfile.mkdtemp(prefix="prod-check-"))
    port = free_port()
    fresh_database()
    empty_redis()
    twilio, twilio_url = start_fake_twilio(workdir)
    env = production_env(port, twilio_url, workdir)
    base = f"http://127.0.0.1:{port}"
    log_path = workdir / "honcho.log"
    honcho = None
    try:
        migrated = manage(env, "migrate_exclusive", "--verbosity", "0")
        check("migrations apply to a fresh database", migrated.returncode == 0, migrated.stderr[-1500:])
        setup = manage(env, "shell", "-c", SETUP)
        check("a campaign and an API token are created", setup.returncode == 0, setup.stderr[-1500:])
        api_token = setup.stdout.strip().splitlines()[-1] if setup.returncode == 0 else ""

        honcho = subprocess.Popen(
            [str(BIN / "honcho"), "--no-colour", "start", "-f", "Procfile"],
            cwd=ROOT,
            env=env,
            stdout=open(log_path, "wb"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        live = wait_for(lambda: request(base + "/livez")[0] == 200, timeout=180)
        check("gunicorn answers /livez", live, log_tail(log_path))

        def green():
            status, _, body = request(base + "/healthz")
            return status == 200 and json.loads(body)

        health = wait_for(green, timeout=120, interval=2)
        check("/healthz is green (database, redis, beat, workers)", bool(health), request(base + "/healthz")[2][:300])

        status, _, page = request(base + "/admin/login/")
        css = re.findall(r'href="(/static/wagtailadmin/css/core\.[0-9a-f]{12}\.css)"', page.decode(errors="replace"))
        check("the admin login page links its CSS under a hashed name", status == 200 and bool(css), f"{status}")
        if css:
            status, headers, body = request(base + css[0], headers={"Accept-Encoding": "gzip"})
            compressed = headers.get("Content-Encoding") == "gzip"
            text = gzip.decompress(body) if compressed else body
            check(
                "the admin CSS is served compressed, cacheable for ever",
                status == 200
                and headers.get("Content-Type", "").startswith("text/css")
                and compressed
                and "immutable" in headers.get("Cache-Control", "")
                and len(text) > 10000,
                f"{status} {dict(headers)}",
            )

        starts = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1, seconds=5)
        consultation = {
            "external_id": "PC-1",
            "first_name": "Robin",
            "last_name": "Sample",
            "phone": PATIENT_PHONE,
            "email": "",
            "timezone": daytime_zone(),
            "starts_at": starts.isoformat(),
            "sms_consent": True,
            "email_consent": False,
        }
        status, _, body = request(
            base + "/api/outreach/v1/consultations/",
            data=consultation,
            headers={"Authorization": f"Bearer {api_token}"},
        )
        check("a consultation is imported through the booking API", status == 201, f"{status} {body[:300]!r}")

        def reminder():
            status, _, body = request(twilio_url + "/_fake/messages")
            messages = json.loads(body)["messages"] if status == 200 else []
            return [m for m in messages if (m.get("fields") or {}).get("To") == PATIENT_PHONE]

        arrived = wait_for(reminder, timeout=90, interval=1)
        check(
            "its reminder reaches the provider once",
            len(arrived) == 1 and "Prod Check Clinic" in arrived[0]["fields"].get("Body", ""),
            f"{arrived!r}"[:300],
        )

        status, _, _ = request(base + "/metrics")
        check("/metrics refuses a scrape without the token", status == 401, f"{status}")

        def metrics_counted():
            status, _, body = request(base + "/metrics", headers={"Authorization": f"Bearer {env['METRICS_TOKEN']}"})
            text = body.decode(errors="replace")
            sent = 'clinic_messages_sent_total{channel="sms",provider="twilio"} 1.0' in text
            outbox = 'clinic_outbox_messages{channel="sms",status="sent"} 1.0' in text
            return status == 200 and sent and outbox and text

        metrics_text = wait_for(metrics_counted, timeout=30)
        check(
            "/metrics counts the send (worker process) and the outbox (database)",
            bool(metrics_text),
            "counters missing",
        )

        request(f"{base}/u/{LINK_TOKEN}/?q={QUERY_SECRET}")
        request(f"{base}/preferences/{LINK_TOKEN}/")
        time.sleep(2)
        log = log_path.read_text(errors="replace")
        access_lines = [line for line in log.splitlines() if "/u/" in line or "/preferences/" in line]
        check(
            "the logs hold no link token or query string (JSON lines with request ids)",
            access_lines
            and LINK_TOKEN not in log
            and QUERY_SECRET not in log
            and PATIENT_PHONE.lstrip("+") not in log
            and '"request_id"' in log,
            "\n".join(access_lines[:5]),
        )
    finally:
        if honcho is not None:
            stop(honcho)
        stop(twilio)

    refused = refuse_without(env, "SECRET_KEY", port)
    check("the web process refuses to start without SECRET_KEY, naming it", refused, "")
    if all(results):
        drop_database()
    failed = results.count(False)
    print(f"logs: {workdir}")
    print(f"prod-check: {len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


def refuse_without(env, variable, port):
    """gunicorn with no DJANGO_SETTINGS_MODULE and `variable` unset must exit, naming the variable."""
    environment = {k: v for k, v in env.items() if k not in (variable, "DJANGO_SETTINGS_MODULE")}
    try:
        result = subprocess.run(
            [str(BIN / "gunicorn"), "--config", "config/gunicorn.py", "config.wsgi"],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
        )
    except subprocess.TimeoutExpired:
        return False
    output = result.stdout + result.stderr
    return (
        result.returncode != 0 and f"  {variable}: " in output and request(f"http://127.0.0.1:{port}/livez")[0] is None
    )


def stop(process):
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    except ProcessLookupError:
        pass


def drop_database():
    name = urlsplit(DATABASE_URL).path.lstrip("/")
    psql(DATABASE_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def log_tail(path, lines=30):
    try:
        return "\n" + "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())

"""What every benchmark needs: a dedicated database and Redis db, the processes under test, CPU accounting, machine
facts and a few statistics.

Processes are started in their own session (so a Ctrl-C at the terminal reaches only the driver, which then stops
them in order) and with a parent-death signal (so they go away even if the driver is killed outright).
"""

import contextlib
import ctypes
import fcntl
import hashlib
import http.client
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import psutil

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/clinic_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/10"
LOG_DIR = ROOT / "var" / "bench-logs"

# Credentials of the fake providers (their defaults); nothing here is a real secret.
TWILIO_ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
TWILIO_AUTH_TOKEN = "9f86d081884c7d659a2feaa0c55ad015"
TWILIO_FROM_NUMBER = "+15005550006"
POSTMARK_SERVER_TOKEN = "fake-postmark-server-token-0001"


# -- environment -------------------------------------------------------------------------------------------------


def configure_environment(run_id):
    """Point this process (and, through os.environ, every process it starts) at the bench database and Redis."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.bench"
    os.environ.setdefault("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    os.environ["BENCH_KEY_PREFIX"] = f"clinic-bench-{run_id}"
    os.environ["BENCH_CELERY_QUEUE"] = f"bench-{run_id}"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["PYTHONUNBUFFERED"] = "1"
    for name in ("DATABASE_URL", "REDIS_URL"):  # the bench settings read BENCH_* only; keep the rest out of children
        os.environ.pop(name, None)


def setup_django():
    import django

    django.setup()


def child_env(**extra):
    env = dict(os.environ)
    env.update({key: str(value) for key, value in extra.items()})
    return env


# -- database ----------------------------------------------------------------------------------------------------


def _maintenance_connection(url):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname="postgres",
        autocommit=True,
    )


def migration_fingerprint():
    """Changes whenever a migration or an installed package does, so a stale template is never used."""
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    import django
    import wagtail

    digest.update(f"{django.__version__} {wagtail.__version__}".encode())
    return digest.hexdigest()[:16]


class Database:
    """The benchmark database: dropped and recreated for every run, from a migrated template kept between runs
    (migrating Wagtail from scratch takes about a minute on this machine; copying the template, a second)."""

    def __init__(self, url):
        self.url = url
        self.name = urlsplit(url).path.lstrip("/")
        if not self.name or not self.name.replace("_", "").isalnum():
            raise SystemExit(f"BENCH_DATABASE_URL must name a plain database, got {url!r}")
        self.template = f"{self.name}_template"
        self._lock_file = None

    def lock(self):
        """One run per database at a time: a second run would drop the first one's database under it."""
        path = Path(f"/tmp/clinic-bench-{self.name}.lock")
        self._lock_file = open(path, "w")  # noqa: SIM115 - held for the whole run
        try:
            fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SystemExit(f"another benchmark run is using database {self.name} ({path} is locked)") from None

    def recreate(self, log):
        fingerprint = migration_fingerprint()
        with _maintenance_connection(self.url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            row = conn.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [self.template]
            ).fetchone()
            if row is not None and row[0] == fingerprint:
                conn.execute(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.template}"')
                log(f"database {self.name} created from template {self.template}")
                return
            conn.execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.template}"')
        log(f"migrating a fresh template database {self.template} (once per migration change)...")
        template_url = self.url.rsplit("/", 1)[0] + "/" + self.template
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
            cwd=ROOT,
            env=child_env(BENCH_DATABASE_URL=template_url),
            check=True,
        )
        with _maintenance_connection(self.url) as conn:
            conn.execute(f"COMMENT ON DATABASE \"{self.template}\" IS '{fingerprint}'")
            conn.execute(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.template}"')
        log(f"database {self.name} created")

    def drop(self):
        from django.db import connections

        connections.close_all()
        with _maintenance_connection(self.url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def truncate(*tables):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


def analyze(*tables):
    from django.db import connection

    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {table}")


def clear_redis():
    """Delete this run's keys (cache prefix, queue) without touching anything else in the Redis db."""
    import redis

    client = redis.Redis.from_url(os.environ["BENCH_REDIS_URL"])
    queue = os.environ["BENCH_CELERY_QUEUE"]
    patterns = [
        f"{os.environ['BENCH_KEY_PREFIX']}*",
        f"{queue}*",
        f"_kombu.binding.{queue}",
        f"_kombu.binding_permanent.{queue}",
    ]
    for pattern in patterns:
        keys = list(client.scan_iter(pattern, count=1000))
        if keys:
            client.delete(*keys)


def queue_length():
    import redis

    client = redis.Redis.from_url(os.environ["BENCH_REDIS_URL"])
    return client.llen(os.environ["BENCH_CELERY_QUEUE"])


# -- processes ---------------------------------------------------------------------------------------------------

_libc = ctypes.CDLL(None, use_errno=True)
PR_SET_PDEATHSIG = 1


def _die_with_parent():
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Process:
    def __init__(self, name, argv, env, log_path=None):
        self.name = name
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        self.log_path = log_path or LOG_DIR / f"{name}.log"
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.popen = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        _RUNNING.add(self)

    @property
    def pid(self):
        return self.popen.pid

    def alive(self):
        return self.popen.poll() is None

    def stop(self, timeout=20):
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=5)
        # Anything of its session still around (e.g. prefork children) goes too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self._log.close()
        _RUNNING.discard(self)

    def tail(self, lines=30):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


_RUNNING = set()


def stop_everything():
    for process in list(_RUNNING):
        process.stop(timeout=10)


def tree_cpu_seconds(processes):
    """User + system CPU of these processes and all their descendants (live ones, and reaped ones through
    children_user/children_system)."""
    total = 0.0
    for process in processes:
        try:
            root = psutil.Process(process.pid)
            members = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
        for member in members:
            try:
                times = member.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system + times.children_user + times.children_system
    return total


def self_cpu_seconds():
    times = os.times()
    return times.user + times.system


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, timeout, interval=0.2, what="condition", processes=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        for process in processes:
            if not process.alive():
                raise RuntimeError(f"{process.name} exited while waiting for {what}:\n{process.tail()}")
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")


# -- Celery ------------------------------------------------------------------------------------------------------


class WorkerConfig:
    """`processes` worker processes, each `celery worker --pool pool --concurrency concurrency`."""

    def __init__(self, pool, concurrency, processes=1):
        self.pool, self.concurrency, self.processes = pool, concurrency, processes

    @property
    def label(self):
        prefix = f"{self.processes}x " if self.processes > 1 else ""
        return f"{prefix}{self.pool}/{self.concurrency}"

    def to_dict(self):
        return {"pool": self.pool, "concurrency": self.concurrency, "processes": self.processes, "label": self.label}


@contextlib.contextmanager
def celery_workers(config, env, include=(), name="worker", app_module="celery_app", queue=None):
    """`config.processes` workers of the Celery app in `app_module` (the product's by default; bench.naive_app for
    the baseline) consuming `queue` (the run's queue by default); yields their Process objects once all answer."""
    import importlib

    app = importlib.import_module(app_module).app
    processes = []
    hostnames = []
    try:
        for index in range(config.processes):
            hostname = f"{name}{index}-{os.getpid()}@bench"
            hostnames.append(hostname)
            argv = [
                sys.executable,
                "-m",
                "celery",
                "-A",
                app_module,
                "worker",
                "--pool",
                config.pool,
                "--concurrency",
                str(config.concurrency),
                "--loglevel",
                "WARNING",
                "--hostname",
                hostname,
                "--queues",
                queue or f"{os.environ['BENCH_CELERY_QUEUE']},{os.environ['BENCH_CELERY_QUEUE']}-control",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ]
            if include:
                argv += ["--include", ",".join(include)]
            process = Process(f"{name}{index}", argv, env)
            process.hostname = hostname
            processes.append(process)

        def all_ready():
            replies = app.control.ping(destination=hostnames, timeout=0.5)
            return {name for reply in replies for name in reply} >= set(hostnames)

        wait_until(all_ready, timeout=90, interval=0.5, what="Celery workers", processes=processes)
        yield processes
    finally:
        for process in processes:
            process.stop()


@contextlib.contextmanager
def dispatcher_process(env, mode="dispatch", tick_seconds=1.0, name="dispatcher"):
    """bench/dispatcher.py: the engine's dispatcher in a loop (what beat's tick does, minus planning)."""
    process = Process(
        name, [sys.executable, "-m", "bench.dispatcher", "--mode", mode, "--tick", str(tick_seconds)], env
    )
    try:
        yield process
    finally:
        process.stop()


@contextlib.contextmanager
def beat_process(env, name="beat"):
    """Celery beat with the settings as shipped (config/settings/bench.py keeps the outreach tick and dispatch)."""
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    schedule = LOG_DIR / f"{name}-{os.getpid()}-schedule"
    for stale in LOG_DIR.glob(f"{schedule.name}*"):
        stale.unlink()
    argv = [sys.executable, "-m", "celery", "-A", "celery_app", "beat", "--loglevel", "WARNING", "-s", str(schedule)]
    process = Process(name, argv, env)
    try:
        yield process
    finally:
        process.stop()


# -- gunicorn ----------------------------------------------------------------------------------------------------


class GunicornConfig:
    def __init__(self, workers=2, threads=8, worker_class="gthread"):
        self.workers, self.threads, self.worker_class = workers, threads, worker_class

    @property
    def label(self):
        if self.worker_class == "gthread":
            return f"{self.workers} workers x {self.threads} threads (gthread)"
        return f"{self.workers} workers ({self.worker_class})"

    def to_dict(self):
        return {
            "workers": self.workers,
            "threads": self.threads,
            "worker_class": self.worker_class,
            "label": self.label,
        }


def shipped_gunicorn():
    """gunicorn as config/gunicorn.py sizes it when WEB_CONCURRENCY and WEB_THREADS are not set: what production runs
    by default."""
    import importlib

    saved = {name: os.environ.pop(name, None) for name in ("WEB_CONCURRENCY", "WEB_THREADS")}
    try:
        module = importlib.reload(importlib.import_module("config.gunicorn"))
    finally:
        os.environ.update({name: value for name, value in saved.items() if value is not None})
    return GunicornConfig(workers=module.workers, threads=module.threads)


@contextlib.contextmanager
def gunicorn(config, env_extra=None, port=None):
    """The web app under gunicorn on 127.0.0.1; yields (process, base_url)."""
    port = port or free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = child_env(PUBLIC_BASE_URL=base_url, **(env_extra or {}))
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(config.workers),
        "--worker-class",
        config.worker_class,
        "--threads",
        str(config.threads),
        "--log-level",
        "warning",
        "--keep-alive",
        "30",
    ]
    process = Process("gunicorn", argv, env)
    try:

        def healthy():
            try:
                # /livez: gunicorn answers (/healthz also wants beat and workers, which a web benchmark has not).
                with urllib.request.urlopen(base_url + "/livez", timeout=2) as response:
                    return response.status == 200
            except OSError:
                return False

        wait_until(healthy, timeout=60, interval=0.3, what="gunicorn", processes=[process])
        yield process, base_url
    finally:
        process.stop()


# -- fake providers ----------------------------------------------------------------------------------------------


class FakeProvider:
    """A fake provider running as its own process (`python -m tests.fakes.<provider>`), with its control API."""

    def __init__(self, provider, latency, *args):
        self.provider = provider
        self.process = Process(
            f"fake-{provider}",
            [sys.executable, "-m", f"tests.fakes.{provider}", "--port", "0", "--latency", str(latency), *args],
            child_env(),
        )
        self.url = None

        def printed_url():
            try:
                first = self.process.log_path.read_text().splitlines()
            except OSError:
                return False
            if first and first[0].startswith("http://"):
                self.url = first[0].strip()
                return True
            return False

        wait_until(printed_url, timeout=20, interval=0.1, what=f"fake {provider}", processes=[self.process])

    def _call(self, method, route, body=None, timeout=60):
        parts = urlsplit(self.url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        try:
            payload = json.dumps(body).encode() if body is not None else None
            headers = {"Content-Type": "application/json"} if payload else {}
            conn.request(method, f"/_fake/{route}", body=payload, headers=headers)
            response = conn.getresponse()
            data = response.read()
            if response.status != 200:
                raise RuntimeError(f"fake {self.provider} {route}: HTTP {response.status} {data[:200]!r}")
            return json.loads(data)
        finally:
            conn.close()

    def stats(self):
        return self._call("GET", "stats")

    def messages(self):
        return self._call("GET", "messages")["messages"]

    def counts(self):
        """{"requests", "messages", "recipients" (distinct), "in_flight"}: cheap enough to poll during a run."""
        return self._call("GET", "counts")

    def reset(self, latency=None):
        self._call("POST", "reset")
        if latency is not None:
            self.configure(latency=latency)

    def configure(self, **config):
        return self._call("POST", "config", config)

    def stop(self):
        self.process.stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()


def recipient_of(message):
    """Who a message recorded by a fake went to (Twilio's To, an email's first recipient)."""
    return str((message.get("recipients") or [message.get("to", "")])[0]).lower()


def count_at_fake(messages, recipients):
    """What the patients got, counted at the fake: {"duplicates": extra copies beyond one per recipient, "lost":
    recipients with no copy, "copies": {copies per recipient: number of recipients}}. Each bench reminder goes to a
    number of its own, so per recipient is per reminder, for the engine and the naive baseline alike."""
    wanted = set(recipients)
    per_recipient = dict.fromkeys(wanted, 0)
    for message in messages:
        recipient = recipient_of(message)
        if recipient in per_recipient:
            per_recipient[recipient] += 1
    histogram = {}
    for copies in per_recipient.values():
        histogram[copies] = histogram.get(copies, 0) + 1
    return {
        "duplicates": sum(copies - 1 for copies in per_recipient.values() if copies > 1),
        "lost": histogram.get(0, 0),
        "copies": dict(sorted(histogram.items())),
    }


# -- HTTP load ---------------------------------------------------------------------------------------------------


class HttpLoad:
    """Send requests from `concurrency` threads, each with its own kept-alive connection; latencies client-side."""

    def __init__(self, base_url, concurrency):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.concurrency = concurrency

    def run(self, requests, rate=None):
        """requests: list of (method, path, body bytes or None, headers dict). Returns (wall seconds, results) where
        results[i] = (status, latency seconds, response headers dict, body bytes).

        With `rate` (requests/s), request i is due at start + i/rate (an open-loop arrival schedule) and its latency
        counts from that moment, so time spent waiting for a free client thread counts too (no coordinated
        omission); the threads are only the most requests in flight at once."""
        results = [None] * len(requests)
        cursor = iter(range(len(requests)))
        lock = threading.Lock()
        errors = []
        begin = [0.0]

        def worker():
            conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                while True:
                    with lock:
                        index = next(cursor, None)
                    if index is None:
                        return
                    method, path, body, headers = requests[index]
                    scheduled = None
                    if rate:
                        scheduled = begin[0] + index / rate
                        pause = scheduled - time.perf_counter()
                        if pause > 0:
                            time.sleep(pause)
                    for attempt in range(2):
                        started = scheduled if scheduled is not None else time.perf_counter()
                        try:
                            conn.request(method, path, body=body, headers=headers)
                            response = conn.getresponse()
                            data = response.read()
                        except (http.client.HTTPException, OSError):
                            conn.close()  # a kept-alive connection the server closed: reconnect once
                            conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                            if attempt:
                                raise
                            continue
                        results[index] = (
                            response.status,
                            time.perf_counter() - started,
                            dict(response.getheaders()),
                            data,
                        )
                        break
            except Exception as exc:  # noqa: BLE001 - reported after the run
                errors.append(exc)
            finally:
                conn.close()

        threads = [threading.Thread(target=worker, daemon=True) for _ in range(self.concurrency)]
        started = begin[0] = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        if errors:
            raise RuntimeError(f"{len(errors)} client threads failed; first: {errors[0]!r}")
        return wall, results


# -- statistics and facts ----------------------------------------------------------------------------------------


def percentile(values, fraction):
    """Nearest-rank percentile (fraction in 0..1) of a non-empty sequence."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = max(0, min(len(ordered) - 1, int(round(fraction * len(ordered) + 0.5)) - 1))
    return ordered[rank]


def latency_summary_ms(seconds):
    return {
        "p50_ms": round(percentile(seconds, 0.50) * 1000, 2),
        "p95_ms": round(percentile(seconds, 0.95) * 1000, 2),
        "p99_ms": round(percentile(seconds, 0.99) * 1000, 2),
        "max_ms": round(max(seconds) * 1000, 2),
    }


def max_in_window(timestamps, window=1.0):
    """The most events in any sliding window of `window` seconds (two pointers over the sorted timestamps)."""
    ordered = sorted(timestamps)
    best = 0
    start = 0
    for end, moment in enumerate(ordered):
        while moment - ordered[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def load_average():
    return [round(value, 2) for value in os.getloadavg()]


def wait_for_quiet(log, busy_below=0.2, timeout=90):
    """Wait until the machine's CPUs are less than `busy_below` busy over a second (what the benchmark before left
    running has settled: PostgreSQL's autovacuum after a big load, exiting processes), at most `timeout` seconds.
    Returns the busy fraction of the last second: each benchmark records it, so a figure measured beside something
    else says so."""
    started = time.monotonic()
    while True:
        busy = psutil.cpu_percent(interval=1.0) / 100
        if busy < busy_below or time.monotonic() - started > timeout:
            if busy >= busy_below:
                log(f"machine still {busy:.0%} busy after {timeout}s: measuring anyway (recorded beside the figures)")
            return round(busy, 3)


def machine_info():
    import celery
    import django
    import gunicorn as gunicorn_package
    import psycopg
    import redis
    import requests
    import twilio
    import wagtail
    from anymail import VERSION as anymail_version

    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres_version = cursor.fetchone()[0]
    redis_version = redis.Redis.from_url(os.environ["BENCH_REDIS_URL"]).info("server").get("redis_version")
    return {
        "cores": os.cpu_count(),
        "cpu_model": model,
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": {
            "django": django.__version__,
            "wagtail": wagtail.__version__,
            "celery": celery.__version__,
            "redis-py": redis.__version__,
            "psycopg": psycopg.__version__,
            "gunicorn": gunicorn_package.__version__,
            "twilio": twilio.__version__,
            "django-anymail": ".".join(str(part) for part in anymail_version),
            "requests": requests.__version__,
            "postgresql": postgres_version,
            "redis": redis_version,
        },
    }

"""Real processes for tests: Celery workers and beat started against the test database and Redis."""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def test_database_url():
    """The URL of the database pytest-django created, for processes started outside the test process."""
    settings = connection.settings_dict
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return (
        f"postgres://{user}{password}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    )


def process_env(**extra):
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    env["TEST_DATABASE_URL"] = test_database_url()
    env["PYTHONUNBUFFERED"] = "1"
    env.update({key: str(value) for key, value in extra.items()})
    return env


@contextmanager
def celery_process(*args, log_path=None, **env):
    """Start `celery -A celery_app ARGS...` and stop it (TERM, then KILL) when the block ends."""
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "celery_app", *args],
        cwd=ROOT,
        env=process_env(**env),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        stop_process(process)
        if log_path:
            log.close()


def stop_process(process, timeout=15):
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def wait_until(predicate, timeout=30, interval=0.2, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")


def engine_env(fake_twilio, **overrides):
    """Environment for a worker and beat that send SMS through the fake Twilio, ticking every second with short
    retries. Keyword arguments override or add variables."""
    env = {
        "SMS_PROVIDER": "twilio",
        "TWILIO_ACCOUNT_SID": fake_twilio.account_sid,
        "TWILIO_AUTH_TOKEN": fake_twilio.auth_token,
        "TWILIO_FROM_NUMBER": "+15005550006",
        "TWILIO_API_BASE_URL": fake_twilio.url,
        "OUTREACH_TICK_SECONDS": "1",
        "OUTREACH_RETRY_BASE_SECONDS": "1",
        "OUTREACH_RETRY_MAX_SECONDS": "2",
    }
    env.update(overrides)
    return env


@contextmanager
def engine_processes(tmp_path, env, *, workers=1, beats=1, concurrency=4):
    """Start `workers` thread-pool workers and `beats` beats (logs in tmp_path/worker<i>.log, beat<i>.log); stop them
    when the block ends. Yields the processes."""
    managers = [
        celery_process(
            "worker",
            *("--pool", "threads", "--concurrency", str(concurrency), "--loglevel", "INFO", "--hostname", f"w{i}@%h"),
            log_path=tmp_path / f"worker{i}.log",
            **env,
        )
        for i in range(workers)
    ] + [
        celery_process(
            "beat",
            *("--loglevel", "INFO", "--schedule", str(tmp_path / f"beat{i}")),
            log_path=tmp_path / f"beat{i}.log",
            **env,
        )
        for i in range(beats)
    ]
    started = []
    try:
        for manager in managers:
            started.append((manager, manager.__enter__()))
        yield [process for _, process in started]
    finally:
        for manager, _ in reversed(started):
            manager.__exit__(None, None, None)

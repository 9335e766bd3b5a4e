"""The benchmark suite at its small size (`python -m bench --quick`), so it never rots. No thresholds: figures
depend on the machine; this only checks that every benchmark ran and produced numbers."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from bench.run import BENCHMARKS

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.bench


def bench_env():
    """The bench's own database next to the test database (never the one a developer's `make bench` uses) and the
    test Redis (the bench touches only keys and a queue named for its run)."""
    database = urlsplit(os.environ.get("TEST_DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/clinic")
    name = (database.path.lstrip("/") or "clinic") + "_bench_ci"
    env = dict(os.environ)
    env["BENCH_DATABASE_URL"] = urlunsplit(database._replace(path="/" + name))
    env["BENCH_REDIS_URL"] = os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/1"
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def numbers_in(value):
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [value]
    if isinstance(value, dict):
        return [number for item in value.values() for number in numbers_in(item)]
    return []


def test_quick_benchmarks_run_and_report_figures(tmp_path):
    out = tmp_path / "results.json"
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(out)],
        cwd=ROOT,
        env=bench_env(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-4000:]
    results = json.loads(out.read_text())
    assert results["mode"] == "quick"
    assert results["machine"]["cores"] >= 1
    assert list(results["benchmarks"]) == BENCHMARKS
    for name, outcome in results["benchmarks"].items():
        assert outcome["ok"], (name, outcome.get("error"))
        assert numbers_in(outcome["figures"]), name
        for target in outcome["targets"]:
            assert isinstance(target["figure"], int | float), (name, target)

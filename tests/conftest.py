import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

ROOT = Path(__file__).resolve().parent.parent
pytest_plugins = ["tests.fakes.pytest_plugin", "tests.support.browser"]

# Property tests draw the same examples on every run by default, so `make test` and CI cannot pass or fail by luck;
# HYPOTHESIS_PROFILE=explore draws new ones each run (and keeps failures in .hypothesis/ to replay).
hypothesis_settings.register_profile("repeatable", derandomize=True, database=None)
hypothesis_settings.register_profile("explore")
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


def pytest_sessionstart(session):
    # One clear line naming the service and its variable, instead of a wall of connection tracebacks.
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_services.py")], capture_output=True, text=True
    )
    if result.returncode:
        pytest.exit(result.stderr.strip(), returncode=3)


@pytest.fixture
def artifacts_dir():
    path = ROOT / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture
def celery_eager():
    """Run tasks inline in the test process (unit tests of code that enqueues; real workers are tested elsewhere)."""
    from celery_app import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False
    app.conf.task_eager_propagates = False

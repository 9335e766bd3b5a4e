"""The configuration contract: malformed values fail at start naming the variable; production is deploy-clean."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "k" * 20 + "-production-test-key-with-enough-entropy-0123456789",
    "ALLOWED_HOSTS": "clinic.example",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/clinic",
    "REDIS_URL": "redis://127.0.0.1:6379/1",
    "PUBLIC_BASE_URL": "https://clinic.example",
    "ANYMAIL_WEBHOOK_SECRET": "webhook-user:webhook-password-0123456789",
    "SUPPRESSION_HASH_KEY": "s" * 20 + "-suppression-hash-key-0123456789",
}


def run_manage(*args, **env_overrides):
    # Nothing from the test process's own environment that changes Django's behaviour (e.g. the browser tests'
    # DJANGO_ALLOW_ASYNC_UNSAFE) leaks into the command under test.
    environment = {
        k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and not k.startswith("DJANGO_ALLOW_ASYNC")
    }
    environment.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("reader", "value", "fragment"),
    [
        (
            lambda: env.env_int("OUTREACH_TICK_SECONDS", 30, minimum=1),
            "soon",
            "OUTREACH_TICK_SECONDS must be an integer",
        ),
        (lambda: env.env_int("OUTREACH_TICK_SECONDS", 30, minimum=1), "0", "OUTREACH_TICK_SECONDS must be at least 1"),
        (lambda: env.env_bool("DEBUG"), "maybe", "DEBUG must be a boolean"),
        (lambda: env.env_url("PUBLIC_BASE_URL"), "clinic.example", "PUBLIC_BASE_URL must be an absolute URL"),
        (
            lambda: env.env_choice("SMS_PROVIDER", ("console", "twilio"), "console"),
            "pigeon",
            "SMS_PROVIDER must be one of",
        ),
        (lambda: env.env_database("DATABASE_URL", "sqlite:///x"), "mysql://db/x", "DATABASE_URL must be a postgres://"),
    ],
)
def test_malformed_values_name_the_variable(monkeypatch, reader, value, fragment):
    name = fragment.split()[0]
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=fragment):
        reader()


def test_well_formed_values_are_parsed(monkeypatch):
    monkeypatch.setenv("OUTREACH_TICK_SECONDS", "15")
    monkeypatch.setenv("ALLOWED_HOSTS", "a.example, b.example")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://clinic.example/")
    assert env.env_int("OUTREACH_TICK_SECONDS", 30) == 15
    assert env.env_list("ALLOWED_HOSTS") == ["a.example", "b.example"]
    assert env.env_url("PUBLIC_BASE_URL") == "https://clinic.example"


def test_a_malformed_variable_stops_the_process_at_start():
    result = run_manage("check", DJANGO_SETTINGS_MODULE="config.settings.dev", OUTREACH_TICK_SECONDS="often")
    assert result.returncode != 0
    assert "ImproperlyConfigured: OUTREACH_TICK_SECONDS must be an integer" in result.stderr


def run_entry_point(module, **env_overrides):
    """Import a process entry point (config.wsgi, config.asgi, celery_app) in a fresh interpreter, as gunicorn,
    uvicorn or celery would, with DJANGO_SETTINGS_MODULE unset."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION_ENV and k != "DJANGO_SETTINGS_MODULE" and not k.startswith("DJANGO_ALLOW_ASYNC")
    }
    environment.update(env_overrides)
    code = f"import {module}, django.conf; print('settings:', django.conf.settings.SETTINGS_MODULE)"
    if module == "celery_app":
        code = "import celery_app, django; django.setup(); print('settings:', django.conf.settings.SETTINGS_MODULE)"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def required_in_production():
    """The names in production.py's REQUIRED (read from the source: importing it here would raise)."""
    tree = ast.parse((ROOT / "config" / "settings" / "production.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "REQUIRED":
            return [key.value for key in node.value.keys]
    raise AssertionError("production.py has no REQUIRED")


def test_production_names_every_missing_required_variable_in_one_error():
    REQUIRED = required_in_production()  # noqa: N806
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "PUBLIC_BASE_URL"} <= set(REQUIRED)
    for missing in (["SECRET_KEY"], ["DATABASE_URL", "REDIS_URL", "PUBLIC_BASE_URL"], list(REQUIRED)):
        environment = {k: v for k, v in PRODUCTION_ENV.items() if k not in missing}
        result = run_manage("check", **environment)
        assert result.returncode != 0
        assert "These environment variables must be set" in result.stderr
        named = {name for name in REQUIRED if f"  {name}: " in result.stderr}
        assert named == set(missing), result.stderr[-2000:]


def test_a_blank_required_variable_counts_as_missing():
    result = run_manage("check", **{**PRODUCTION_ENV, "ALLOWED_HOSTS": "  "})
    assert result.returncode != 0 and "  ALLOWED_HOSTS: " in result.stderr


def test_production_refuses_sqlite():
    result = run_manage("check", **{**PRODUCTION_ENV, "DATABASE_URL": "sqlite:///var/prod.sqlite3"})
    assert result.returncode != 0 and "DATABASE_URL must be a postgres:// URL in production" in result.stderr


@pytest.mark.parametrize("module", ["config.wsgi", "config.asgi", "celery_app"])
def test_entry_points_without_a_settings_module_use_production_and_refuse_to_start(module):
    refused = run_entry_point(module)
    assert refused.returncode != 0
    assert "These environment variables must be set" in refused.stderr and "  SECRET_KEY: " in refused.stderr
    assert "config.settings.dev" not in refused.stdout

    started = run_entry_point(module, **{k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SETTINGS_MODULE"})
    assert started.returncode == 0, started.stderr[-2000:]
    assert "settings: config.settings.production" in started.stdout


def test_production_settings_pass_check_deploy_without_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ANYMAIL_WEBHOOK_SECRET": ""}, "  ANYMAIL_WEBHOOK_SECRET: user:password"),
        ({"SUPPRESSION_HASH_KEY": ""}, "  SUPPRESSION_HASH_KEY: 32 or more"),
        ({"SUPPRESSION_HASH_KEY": PRODUCTION_ENV["SECRET_KEY"]}, "differ from SECRET_KEY"),
        ({"SUPPRESSION_HASH_KEY": "short"}, "SUPPRESSION_HASH_KEY must be at least 32 characters"),
        ({"PUBLIC_BASE_URL": "http://clinic.example"}, "PUBLIC_BASE_URL must be this server's https:// origin"),
    ],
)
def test_production_refuses_to_start_without_its_security_settings(overrides, message):
    """Whatever EMAIL_PROVIDER is (console here): no webhook secret, no separate suppression key, no https origin."""
    result = run_manage("check", **{**PRODUCTION_ENV, **overrides})
    assert result.returncode != 0
    assert message in result.stderr

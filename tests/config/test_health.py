"""/healthz reports every part a reminder depends on (database, Redis, beat's last tick, workers); /livez is cheap."""

import datetime

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from config import health, periodic
from tests.support.processes import celery_process, wait_until


@pytest.fixture(autouse=True)
def fresh_ping():
    health._ping.update(at=-1e9, answered=False)
    yield
    health._ping.update(at=-1e9, answered=False)


@pytest.fixture
def worker_answers(monkeypatch):
    monkeypatch.setattr(health, "workers_answer", lambda: True)


@pytest.mark.django_db
def test_healthz_is_green_when_every_part_is(client, worker_answers):
    periodic.record_run(health.TICK)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("database", "redis", "beat", "workers")} == {
        "database": "ok",
        "redis": "ok",
        "beat": "ok",
        "workers": "ok",
    }
    assert datetime.datetime.fromisoformat(body["last_tick"]) > timezone.now() - datetime.timedelta(minutes=1)
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
@override_settings(HEALTH_BEAT_MAX_AGE_SECONDS=60)
def test_a_stale_or_missing_tick_makes_healthz_503_naming_beat(client, worker_answers):
    periodic.record_run(health.TICK, when=timezone.now() - datetime.timedelta(seconds=61))
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["beat"] == "stale"

    periodic.record_run(health.TICK, when=timezone.now() - datetime.timedelta(seconds=30))
    assert client.get("/healthz").status_code == 200

    from django.core.cache import cache

    cache.delete(periodic.CACHE_KEY.format(health.TICK))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["beat"] == "never" and response.json()["last_tick"] is None


@pytest.mark.django_db
@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_healthz_names_redis_when_it_is_down(client, worker_answers):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["redis"] == "unavailable" and response.json()["database"] == "ok"


@pytest.mark.django_db
def test_healthz_names_the_database_when_it_is_down(client, monkeypatch, worker_answers):
    periodic.record_run(health.TICK)

    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable" and response.json()["redis"] == "ok"


def test_healthz_refuses_other_methods(client):
    assert client.post("/healthz").status_code == 405


def test_livez_answers_without_the_database_or_redis(client, monkeypatch):
    def no_database(*args, **kwargs):
        raise AssertionError("/livez touched the database")

    monkeypatch.setattr(connection, "cursor", no_database)
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        response = client.get("/livez")
    assert response.status_code == 200 and response.content == b"ok"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_workers_are_reported_by_a_real_ping(client, tmp_path):
    periodic.record_run(health.TICK)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["workers"] == "none answering"

    with celery_process("worker", "--pool", "solo", log_path=tmp_path / "worker.log"):

        def answered():
            health._ping.update(at=-1e9)
            return health.workers_answer()

        wait_until(answered, timeout=60, message="the worker to answer a ping")
        response = client.get("/healthz")
        assert response.status_code == 200, response.json()
        assert response.json()["workers"] == "ok"

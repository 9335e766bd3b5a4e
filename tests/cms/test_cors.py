"""CORS (django-cors-headers) for front ends on configured origins: on the content API, its OpenAPI document and the
subscribe endpoint only; on every answer there (errors, 304s, cache hits); never with credentials."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

FRONT = "https://www.clinic.example"


@pytest.fixture(autouse=True)
def allowed_front_end():
    with override_settings(CORS_ALLOWED_ORIGINS=[FRONT]):
        yield


def allowed(response):
    return response.get("Access-Control-Allow-Origin") == FRONT


def test_configured_origins_may_read_the_api_and_its_document(client, home):
    for url in ("/api/v2/pages/", "/api/v2/clinic/", "/api/openapi.json", "/api/v2/pages/999999/", "/api/v2/nope/"):
        response = client.get(url, HTTP_ORIGIN=FRONT)
        assert allowed(response), url
        assert "origin" in response["Vary"].lower(), url  # shared caches keep one answer per origin
        assert "Access-Control-Allow-Credentials" not in response
        assert response["Access-Control-Expose-Headers"] == "ETag"


def test_cache_hits_and_304s_carry_the_headers_too(client, home):
    first = client.get("/api/v2/pages/", HTTP_ORIGIN=FRONT)
    hit = client.get("/api/v2/pages/", HTTP_ORIGIN=FRONT)
    assert hit["X-Cache"] == "hit" and allowed(hit)
    revalidated = client.get("/api/v2/pages/", HTTP_ORIGIN=FRONT, HTTP_IF_NONE_MATCH=first["ETag"])
    assert revalidated.status_code == 304 and allowed(revalidated)


def test_preflights_allow_revalidation_and_json_posts_only(client):
    response = client.options(
        "/api/v2/pages/",
        HTTP_ORIGIN=FRONT,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert response.status_code == 200 and allowed(response)
    assert "if-none-match" in response["Access-Control-Allow-Headers"]
    assert set(response["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}
    assert "authorization" not in response["Access-Control-Allow-Headers"]

    subscribe = client.options(
        "/api/outreach/v1/subscriptions/",
        HTTP_ORIGIN=FRONT,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
    )
    assert allowed(subscribe)


@pytest.mark.parametrize("origin", ["https://evil.example", "https://www.clinic.example.evil.example", "null"])
def test_other_origins_get_no_cors_headers(client, home, origin):
    response = client.get("/api/v2/pages/", HTTP_ORIGIN=origin)
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.parametrize(
    "url", ["/admin/login/", "/api/outreach/v1/consultations/", "/u/some-token/", "/sitemap.xml", "/robots.txt"]
)
def test_the_rest_of_the_server_is_not_opened(client, url):
    assert "Access-Control-Allow-Origin" not in client.get(url, HTTP_ORIGIN=FRONT)


def test_the_setting_lists_origins_and_defaults_to_none(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from config.env import env_origins

    monkeypatch.delenv("CORS_ALLOWED_ORIGINS", raising=False)
    assert env_origins("CORS_ALLOWED_ORIGINS") == []
    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", "https://www.clinic.example/, http://localhost:3000")
    assert env_origins("CORS_ALLOWED_ORIGINS") == ["https://www.clinic.example", "http://localhost:3000"]
    for bad in ("https://www.clinic.example/app", "www.clinic.example", "*", "ftp://x.example"):
        monkeypatch.setenv("CORS_ALLOWED_ORIGINS", bad)
        with pytest.raises(ImproperlyConfigured, match="CORS_ALLOWED_ORIGINS"):
            env_origins("CORS_ALLOWED_ORIGINS")

"""config/frontend.py: the front end's files and HTML shell, served by this project (no browser needed)."""

import importlib

import pytest
from django.test import override_settings
from django.urls import Resolver404, clear_url_caches, resolve

from tests.cms.factories import make_site_tree

# Error pages read site settings from the database, hence django_db.
pytestmark = [pytest.mark.urls("config.urls"), pytest.mark.django_db]


def route_name(path):
    try:
        return resolve(path).url_name
    except Resolver404:
        return None


def test_javascript_modules_and_styles_have_their_content_types_and_validators(client):
    script = client.get("/assets/js/main.js")
    assert script.status_code == 200
    assert script["Content-Type"] == "text/javascript; charset=utf-8"
    assert script["Cache-Control"] == "no-cache"
    assert script["ETag"] and script["Last-Modified"]
    assert client.get("/assets/css/site.css")["Content-Type"] == "text/css; charset=utf-8"
    assert client.get("/assets/favicon.svg")["Content-Type"] == "image/svg+xml"

    again = client.get("/assets/js/main.js", HTTP_IF_NONE_MATCH=script["ETag"])
    assert again.status_code == 304
    assert client.get("/assets/js/main.js", HTTP_IF_MODIFIED_SINCE=script["Last-Modified"]).status_code == 304


@pytest.mark.parametrize("path", ["/assets/js/nope.js", "/assets/%2e%2e/index.html", "/assets/js/../../index.html"])
def test_only_files_under_assets_are_served(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    ("path", "status"),
    [("/", 200), ("/articles/", 200), ("/subscribe/", 200), ("/preview", 200), ("/no/such/page", 404)],
)
@override_settings(PUBLIC_BASE_URL="https://api.clinic.example", FRONTEND_BASE_URL="https://clinic.example")
def test_page_paths_get_the_shell_with_the_api_origin_and_a_strict_policy(client, path, status):
    make_site_tree()
    response = client.get(path)

    assert response.status_code == status
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert '<meta name="api-base" content="https://api.clinic.example">' in html
    assert '<meta name="site-base" content="https://clinic.example">' in html
    assert '<script type="module" src="/assets/js/main.js"></script>' in html
    assert "<script>" not in html  # no inline script: the policy below would block it
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' https://api.clinic.example;" in policy
    assert "connect-src 'self' https://api.clinic.example;" in policy
    assert "img-src 'self' https://api.clinic.example data:;" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    if status == 200:
        assert client.get(path, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


@override_settings(PUBLIC_BASE_URL="https://api.clinic.example")
def test_only_the_preview_may_be_framed_by_the_admin(client):
    make_site_tree()
    page = client.get("/articles/")
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]

    preview = client.get("/preview?content_type=cms.articlepage&token=t")
    assert "X-Frame-Options" not in preview
    assert "frame-ancestors 'self' https://api.clinic.example" in preview["Content-Security-Policy"]
    assert preview["X-Robots-Tag"] == "noindex"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v2/nope/",
        "/api",
        "/admin",
        "/admin/login/",
        "/healthz",
        "/sitemap.xml",
        "/webhooks/x",
        "/u/x/",
        "/preferences/x/",
        "/documents/1/x.pdf",
        "/media/x.png",
        "/static/x.css",
        "/_util/login/",
    ],
)
def test_the_servers_own_paths_are_not_the_shell(path):
    assert route_name(path) != "frontend-shell"


def test_a_post_to_a_page_path_is_refused(client):
    assert client.post("/articles/x/").status_code == 405


def test_switching_the_front_end_off_leaves_page_paths_to_wagtail():
    import config.urls

    try:
        with override_settings(SERVE_FRONTEND=False):
            clear_url_caches()
            importlib.reload(config.urls)
            assert route_name("/articles/x/") != "frontend-shell"
            assert route_name("/assets/js/main.js") != "frontend-asset"
    finally:
        importlib.reload(config.urls)
        clear_url_caches()
    assert route_name("/articles/x/") == "frontend-shell"

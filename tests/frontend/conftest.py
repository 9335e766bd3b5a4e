"""The reference front end (frontend/) in a real browser: Playwright's sync API driving Debian's Chromium against
pytest-django's live server, with the demo content seeded.

The browser is the shared Chromium of tests/support/browser.py. axe-core comes from npm
(`npm ci --prefix tests/frontend`).
"""

import gc
import io
import re

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from wagtail.models import Page

from tests.support.accessibility import axe_audit

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Chromium logs every 4xx/5xx response to the console. API 4xx answers are part of the contract the front end
# handles (404 "no page here", 403 expired preview, 400/429 from the subscribe form); responses are checked instead.
NETWORK_LOG = re.compile(r"^Failed to load resource: the server responded with a status of \d+")


@pytest.fixture(scope="package")
def frontend_browser(chromium_browser):
    from playwright.sync_api import expect

    # The first request for an image makes its renditions: allow for a slow CI machine.
    expect.set_options(timeout=15_000)
    return chromium_browser


def _migrated_data():
    """The snapshot Django took of the migrations' data when it created the test database."""
    return next(
        (
            obj._test_serialized_contents
            for obj in gc.get_objects()
            if issubclass(type(obj), BaseDatabaseWrapper)
            and obj.alias == DEFAULT_DB_ALIAS
            and hasattr(obj, "_test_serialized_contents")
        ),
        None,
    )


def restore_migrated_data():
    """Put back what the migrations wrote (root page, locale, collection, groups...) if a flush removed it.

    pytest-django's serialized_rollback should do this, but once Playwright's event loop has run, `connections`
    hands out a new wrapper without the snapshot Django took at database creation (the old wrapper still holds it,
    so we read it there). tests/browser/conftest.py works around the same problem the same way.
    """
    if Page.objects.filter(depth=1).exists():
        return
    snapshot = _migrated_data()
    assert snapshot, "no snapshot of the migrated data: is serialized_rollback=True on the django_db mark?"
    # The flush re-created content types and permissions with new ids: empty it all, then load the snapshot.
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    connection = connections[DEFAULT_DB_ALIAS]
    connection.creation.deserialize_db_from_string(snapshot)
    ContentType.objects.clear_cache()
    # The snapshot's rows keep their ids: move each table's sequence past them.
    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@pytest.fixture
def site(live_server, settings):
    """The live server's URL, with every public origin pointing at it and uploaded media served. No content yet."""
    url = live_server.url
    settings.PUBLIC_BASE_URL = url
    settings.FRONTEND_BASE_URL = url
    settings.WAGTAILAPI_BASE_URL = url
    settings.WAGTAILADMIN_BASE_URL = url
    settings.WAGTAIL_HEADLESS_PREVIEW = {
        **settings.WAGTAIL_HEADLESS_PREVIEW,
        "CLIENT_URLS": {"default": url + "/preview"},
        "SERVE_BASE_URL": url,
    }
    settings.ROOT_URLCONF = "tests.frontend.urls"
    restore_migrated_data()
    # API responses, renditions and site root paths live in Redis and outlive each test's database flush.
    cache.clear()
    return url


@pytest.fixture
def demo_site(site):
    """The site with the demo content of `manage.py seed_demo`."""
    call_command("seed_demo", stdout=io.StringIO())
    return site


class Tab:
    """A browser page on the site, recording API traffic and console errors."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.errors = []
        self.api_responses = []  # (status, url)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on("response", self._response)

    def _console(self, message):
        if message.type == "error" and not NETWORK_LOG.search(message.text):
            self.errors.append(f"console: {message.text}")

    def _response(self, response):
        if "/api/" in response.url:
            self.api_responses.append((response.status, response.url))
            if response.status >= 500:
                self.errors.append(f"API error: {response.status} {response.url}")
        elif response.status == 404 and response.request.resource_type == "document":
            pass  # an unknown path: the server says 404 (for crawlers), the front end draws "Page not found"
        elif response.status >= 400:
            self.errors.append(f"failed to load: {response.status} {response.url}")

    def open(self, path):
        response = self.page.goto(self.base_url + path)
        self.status = response.status if response else None  # the status of the HTML the server sent first
        self.wait_for_view()
        return self.page

    def wait_for_view(self):
        """Wait until the router has drawn the current path (the main landmark stops being busy)."""
        self.page.wait_for_selector('main[aria-busy="false"]')
        self.page.wait_for_load_state("networkidle")

    def load_all_images(self):
        """Load lazy images too and wait for them (in one evaluate: wait_for_function would need CSP's unsafe-eval)."""
        broken = self.page.evaluate(
            """async () => {
                const images = [...document.images];
                images.forEach((img) => { img.loading = "eager"; });
                await Promise.all(images.map((img) => img.complete ? null : new Promise((done) => {
                    img.addEventListener("load", done, { once: true });
                    img.addEventListener("error", done, { once: true });
                })));
                // Decoded too, or a full-page screenshot may catch an image before it is painted.
                await Promise.all(images.map((img) => img.decode().catch(() => null)));
                return images.filter((img) => !(img.naturalWidth > 0)).map((img) => img.currentSrc || img.src);
            }"""
        )
        assert not broken, f"images that did not load: {broken}"

    def audit(self, name, artifacts_dir):
        """axe-core on the current view: no serious or critical violation (tests/support/accessibility.py)."""
        return axe_audit(self.page, self.base_url, name, artifacts_dir)

    def screenshot(self, name, artifacts_dir, viewport):
        self.page.set_viewport_size(viewport)
        self.load_all_images()
        path = artifacts_dir / f"frontend-{name}-{viewport['width']}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def tab(frontend_browser, site):
    context = frontend_browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(30_000)
    tab = Tab(page, site)
    yield tab
    context.close()
    assert not tab.errors, "\n".join(tab.errors)

"""Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

No browser is downloaded: Chromium comes from `apt-get install chromium` (.ci/run installs it). A missing
Chromium fails these tests; set SKIP_BROWSER_TESTS=1 to skip them on purpose. Screenshots of the key screens are
saved to test-artifacts/ (the `artifacts_dir` fixture).
"""

import os
import re

import pytest
from django.contrib.auth.models import Group

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread with a running
# loop unless told it is safe (it is: the loop only talks to the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def chromium_browser():
    if os.environ.get("SKIP_BROWSER_TESTS") == "1":
        pytest.skip("SKIP_BROWSER_TESTS=1")
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium (or set SKIP_BROWSER_TESTS=1)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium_browser, live_server):
    context = chromium_browser.new_context(base_url=live_server.url, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def new_page(chromium_browser, live_server):
    """More pages, each with its own session (a second user)."""
    contexts = []

    def make():
        context = chromium_browser.new_context(base_url=live_server.url, viewport={"width": 1400, "height": 1000})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def make_staff(django_user_model):
    def make(username, group=None, **extra):
        user = django_user_model.objects.create_user(
            username=username, email=f"{username}@clinic.example", password=PASSWORD, is_staff=True, **extra
        )
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return make


@pytest.fixture
def screenshot(artifacts_dir):
    def save(page, name):
        path = artifacts_dir / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


def log_in(page, username):
    page.goto("/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/$"))

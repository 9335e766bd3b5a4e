"""The admin in a real browser: the shared Chromium (tests/support/browser.py) against pytest-django's live server.

Screenshots of the key screens are saved to test-artifacts/ (the `artifacts_dir` fixture).
"""

import re

import pytest
from django.contrib.auth.models import Group

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def migrated_data(django_db_setup, django_db_blocker):
    """The data migrations wrote (groups, workflow, root page, site), taken before any browser test flushes it.

    Transactional tests flush the database afterwards; pytest-django's serialized_rollback should put this back,
    but the connection it stored it on is not always the one in use once Playwright's event loop runs (it was
    lost whenever other tests ran first), so the browser tests restore it themselves when it is missing."""
    from django.db import connection

    with django_db_blocker.unblock():
        return connection.creation.serialize_db_to_string()


@pytest.fixture(autouse=True)
def _restore_migrated_data(migrated_data, transactional_db):
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection
    from wagtail.models import Page

    if not Page.objects.filter(depth=1).exists():
        # The flush re-created content types and permissions with new ids: empty it all, then load the snapshot.
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(migrated_data)
        ContentType.objects.clear_cache()  # ids changed twice under the cache's feet
        # The snapshot's rows keep their ids: move each table's sequence past them.
        statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


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

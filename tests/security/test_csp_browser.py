"""The admin works under the Content-Security-Policy: Chromium logs in, opens a page editor and the Outreach menu,
and reports no CSP violation; the editor's JavaScript ran (its Stimulus controllers are connected)."""

import re

import pytest

from tests.browser.conftest import (  # noqa: F401, F811 - fixtures, used by name
    _restore_migrated_data,
    browser_page,
    log_in,
    make_staff,
    migrated_data,
)
from tests.cms.factories import make_article, make_site_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_login_editor_and_outreach_menu_work_under_the_csp(browser_page, make_staff):  # noqa: F811
    make_staff("csp-admin", is_superuser=True)
    _, index = make_site_tree()[:2]
    article = make_article(index, slug="csp-check", title="CSP check")
    page = browser_page
    violations, errors = [], []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))

    response = page.goto("/admin/login/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    log_in(page, "csp-admin")

    page.goto(f"/admin/pages/{article.pk}/edit/")
    page.wait_for_selector("input[name=title]")
    # Wagtail's admin JS (Stimulus) connected: controllers mark their elements, the minimap/side panels render.
    page.wait_for_function("() => window.Stimulus !== undefined || document.querySelector('[data-controller]')")
    assert page.evaluate("() => typeof window.wagtail === 'object' || typeof window.Stimulus === 'object'")
    page.fill("input[name=title]", "CSP check, edited")

    page.goto("/admin/")
    outreach = page.get_by_role("button", name=re.compile("Outreach", re.I))
    if outreach.count():
        outreach.first.click()
        page.wait_for_timeout(300)
    page.wait_for_timeout(500)
    assert not violations, violations
    assert not errors, errors

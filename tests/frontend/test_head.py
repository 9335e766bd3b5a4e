"""The document head the JavaScript writes after a client-side navigation equals the head the server sends first for
the same path: the two writers of the head (cms/public_paths.py and layout.js) stay one contract."""

import pytest
from playwright.sync_api import expect

from tests.frontend.test_crawlers import HeadReader

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

READ_HEAD = """() => ({
    title: document.title,
    meta: Object.fromEntries([...document.head.querySelectorAll("meta[name], meta[property]")]
        .filter((m) => !["viewport", "api-base", "site-base", "theme-color"].includes(m.getAttribute("name")))
        .map((m) => [m.getAttribute("name") || m.getAttribute("property"), m.getAttribute("content")])),
    canonical: document.head.querySelector('link[rel="canonical"]')?.getAttribute("href") ?? null,
    jsonLd: [...document.head.querySelectorAll('script[type="application/ld+json"]')]
        .map((s) => JSON.parse(s.textContent)),
})"""


def server_head(tab, path):
    response = tab.page.request.get(tab.base_url + path)
    reader = HeadReader()
    reader.feed(response.text())
    meta = {
        key: value
        for key, value in reader.meta.items()
        if key not in ("viewport", "api-base", "site-base", "theme-color")
    }
    return {"title": reader.title, "meta": meta, "canonical": reader.links.get("canonical"), "jsonLd": reader.json_ld}


def test_client_side_navigation_writes_the_head_the_server_sends(tab, demo_site):
    # Links followed inside the site, without reloads: an article, a service, the privacy notice, subscribe.
    for selector in [
        "section[aria-labelledby=articles-heading] .card__link",
        "#treatments .card__link",
        ".site-footer a[href='/privacy/']",
        ".site-footer a[href='/subscribe/']",
    ]:
        page = tab.open("/")
        page.evaluate("window.__sameDocument = true")
        page.locator(selector).first.click()
        expect(page).not_to_have_url(tab.base_url + "/")  # (wait_for_function would need the CSP's unsafe-eval)
        tab.wait_for_view()
        assert page.evaluate("window.__sameDocument") is True  # the JavaScript drew it
        path = page.evaluate("location.pathname + location.search")
        assert page.evaluate(READ_HEAD) == server_head(tab, path), path

"""English and Spanish in a real browser: the language switch keeps the reader on the same article (its
translation), <html lang> follows the page, and dates, numbers and the front end's labels are in the reader's
language."""

import re

import pytest
from playwright.sync_api import expect
from wagtail.models import Locale

from cms.models import ArticlePage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CANCER_PAIN = "what-to-know-about-ketamine-and-cancer-pain-management"
UNTRANSLATED = "ketamine-for-depression-what-the-research-says"
SPANISH_DATE = re.compile(r"\b\d{1,2} de [a-záéíóú]+ de \d{4}\b")


def test_language_switch_keeps_the_reader_on_the_article(tab, demo_site, artifacts_dir):
    english = ArticlePage.objects.get(slug=CANCER_PAIN)
    spanish = english.get_translation(Locale.objects.get(language_code="es"))
    spanish_path = "/es/articulos/" + spanish.slug + "/"

    page = tab.open(f"/articles/{CANCER_PAIN}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    switch = page.get_by_role("navigation", name="Language")
    expect(switch.get_by_role("link", name="English")).to_have_attribute("aria-current", "true")
    expect(switch.get_by_role("link", name="Español")).to_have_attribute("href", spanish_path)
    expect(page.locator(".article__review")).to_contain_text("Last reviewed October 1, 2026")

    page.evaluate("window.__sameDocument = true")
    switch.get_by_role("link", name="Español").click()
    expect(page).to_have_url(tab.base_url + spanish_path)
    expect(page.locator("h1")).to_have_text(spanish.title)
    expect(page.locator("h1")).to_be_focused()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert page.evaluate("window.__sameDocument") is True  # routed, not reloaded

    # Labels, dates and numbers in Spanish (Intl); the clinic's disclaimer from its Spanish text.
    review = page.locator(".article__review")
    expect(review).to_contain_text("Revisado médicamente por")
    expect(review).to_contain_text("Última revisión")
    expect(review).to_contain_text("min de lectura")
    assert SPANISH_DATE.search(review.inner_text()), review.inner_text()
    expect(page.get_by_role("note", name="Aviso médico")).to_contain_text("no consejo médico")
    expect(page.locator(".prose")).to_contain_text("Traducción de demostración")
    switch = page.get_by_role("navigation", name="Idioma")
    expect(switch.get_by_role("link", name="Español")).to_have_attribute("aria-current", "true")
    expect(switch.get_by_role("link", name="English")).to_have_attribute("href", f"/articles/{CANCER_PAIN}/")
    # Navigation leads to the Spanish sections.
    expect(page.get_by_role("navigation", name="Principal").get_by_role("link").first).to_have_attribute(
        "href", "/es/articulos/"
    )
    # The head follows the route: hreflang links to both versions, as the server renders them.
    alternates = page.eval_on_selector_all(
        'link[rel="alternate"][hreflang]', "links => links.map(l => [l.hreflang, l.getAttribute('href')])"
    )
    assert alternates == [
        ["en", tab.base_url + f"/articles/{CANCER_PAIN}/"],
        ["es", tab.base_url + spanish_path],
        ["x-default", tab.base_url + f"/articles/{CANCER_PAIN}/"],
    ]
    tab.audit("article-es", artifacts_dir)

    # And back: the English article again.
    switch.get_by_role("link", name="English").click()
    expect(page).to_have_url(tab.base_url + f"/articles/{CANCER_PAIN}/")
    expect(page.locator("h1")).to_have_text(english.title)
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_spanish_pages_load_directly_and_untranslated_ones_switch_to_the_spanish_home(tab, demo_site, artifacts_dir):
    page = tab.open("/es/articulos/")
    assert tab.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "es")
    titles = page.locator("#article-list .card__title").all_inner_texts()
    assert len(titles) == ArticlePage.objects.filter(locale__language_code="es", live=True).count() >= 3
    assert all(title in set(ArticlePage.objects.values_list("title", flat=True)) for title in titles)
    assert not any("Ketamine for depression" in title for title in titles)  # English articles stay in English
    tab.audit("article-index-es", artifacts_dir)

    page = tab.open(f"/articles/{UNTRANSLATED}/")
    expect(page.get_by_role("navigation", name="Language").get_by_role("link", name="Español")).to_have_attribute(
        "href", "/es/"
    )
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Español").click()
    expect(page).to_have_url(tab.base_url + "/es/")
    expect(page.locator("html")).to_have_attribute("lang", "es")

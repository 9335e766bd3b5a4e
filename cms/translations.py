"""Translations of pages: which one a reader (or a patient's message) gets.

Wagtail keeps each translation as its own page, linked to the others by ``translation_key`` and placed in a
``Locale``. Readers only ever get a translation that is public (cms/visibility.py): live, not expired, not
restricted; a translation still in medical review, or never published, is not one.
"""

from wagtail.models import Locale

from cms.visibility import public_pages


def locale_for(language_code):
    """The Locale of ``language_code`` ("es", "es-MX" -> "es"), or None when the site has no such language."""
    if not language_code:
        return None
    code = str(language_code).strip().lower().replace("_", "-")
    locales = {locale.language_code.lower(): locale for locale in Locale.objects.all()}
    return locales.get(code) or locales.get(code.split("-")[0])


def live_translation(page, language_code):
    """The public translation of ``page`` in ``language_code`` (specific page), else ``page`` itself.

    Used by outreach (follow-ups and digests send the article in the patient's language when one is live) and by
    the content API. ``page`` is returned unchanged when it is already in that language, when the language is not
    one of the site's locales, or when its translation is unpublished, expired or restricted.
    """
    locale = locale_for(language_code)
    if locale is None or page.locale_id == locale.pk:
        return page
    translation = public_pages().filter(translation_key=page.translation_key, locale=locale).first()
    return translation.specific if translation is not None else page


def translate_page(page, language_code):
    """A draft copy of ``page`` in ``language_code`` to translate (what the admin's "Translate" makes), or the
    translation already there. Parents not translated yet are copied too, as drafts. The copy is never live: it goes
    through medical review like any page (cms/medical_review.py)."""
    locale = locale_for(language_code)
    if locale is None:
        raise ValueError(f"no content language {language_code!r}")
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    parent = page.get_parent()
    if not parent.is_root():
        translate_page(parent, language_code)  # a draft, not the live alias Wagtail's copy_parents would make
    return page.specific.copy_for_translation(locale).specific

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

"""Serializer fields of the content API: front-end URLs, images as renditions, snippets and page links as objects."""

from collections import defaultdict

from rest_framework.fields import Field

from cms.frontend import frontend_path, frontend_url, site_root_paths
from cms.images import image_api_representation
from cms.models.snippets import in_default_locale
from cms.seo import page_seo


def root_paths(context):
    """Site root paths, read from the cache once per response rather than once per page."""
    if "cms_root_paths" not in context:
        context["cms_root_paths"] = site_root_paths()
    return context["cms_root_paths"]


def public_page_ids(context):
    """Ids of every page the response may link to (one query per response, memoised in the context)."""
    if "cms_public_ids" not in context:
        context["cms_public_ids"] = set(context["base_queryset"].values_list("pk", flat=True))
    return context["cms_public_ids"]


def page_link(page, context):
    """``{id, title, url, type}``: how the API shows a page chosen by another (related articles, links)."""
    model = page.specific_class or type(page)
    return {
        "id": page.pk,
        "title": page.title,
        "url": frontend_url(page, root_paths(context)),
        "type": f"{model._meta.app_label}.{model.__name__}",
    }


class FrontendUrlField(Field):
    """``meta.html_url``: the page on the front end (FRONTEND_BASE_URL + path under the site root)."""

    def get_attribute(self, instance):
        return instance

    def to_representation(self, page):
        return frontend_url(page, root_paths(self.context))


class FrontendPathField(FrontendUrlField):
    """``meta.html_path``: the same without the origin, what a front end routes on and passes to find/?html_path=."""

    def to_representation(self, page):
        return frontend_path(page, root_paths(self.context))


class ImageField(Field):
    """An image as renditions: ``{id, title, alt, width, height, renditions: {small, medium, large}}``."""

    def to_representation(self, image):
        return image_api_representation(image)


class ImageRenditionsField(Field):
    def get_attribute(self, instance):
        return instance

    def to_representation(self, image):
        return image_api_representation(image)["renditions"]


class ImageAltField(ImageRenditionsField):
    def to_representation(self, image):
        return image.default_alt_text or ""


class SEOField(Field):
    """``seo``: title, description, canonical URL, social image and structured data (cms/seo.py)."""

    def get_attribute(self, instance):
        return instance

    def to_representation(self, page):
        return page_seo(page, root_paths(self.context))


def topic_translations(context):
    """{(translation_key, locale id): topic} of every topic not in the default language (one query per response)."""
    if "cms_topic_translations" not in context:
        from cms.models import Topic

        context["cms_topic_translations"] = {
            (topic.translation_key, topic.locale_id): topic for topic in Topic.objects.exclude(in_default_locale())
        }
    return context["cms_topic_translations"]


class TopicsField(Field):
    """A page's topics, named in the page's language when the topic is translated (pages are tagged with the default
    language's topics; the slug is the same in every language)."""

    def get_attribute(self, instance):
        return instance

    def to_representation(self, page):
        translations = topic_translations(self.context)
        shown = []
        for topic in page.topics.all():
            topic = translations.get((topic.translation_key, page.locale_id), topic)
            shown.append({"id": topic.pk, "name": topic.name, "slug": topic.slug})
        return shown


class TranslationsField(Field):
    """``meta.translations``: every public language version of the page, this one included, as
    ``{locale, id, title, url, html_path}``: what a language switch links to and what hreflang alternates name."""

    def get_attribute(self, instance):
        return instance

    def to_representation(self, page):
        return page_translations(page, self.context)


def public_translations(context):
    """{translation_key: [public pages]} of the whole site, read once per response (so a listing with
    ?fields=translations costs one query, whatever its length)."""
    if "cms_translations" not in context:
        index = defaultdict(list)
        pages = (
            context["base_queryset"]
            .select_related("locale")
            .only("id", "title", "url_path", "translation_key", "locale__language_code")
        )
        for page in pages.order_by("locale__language_code"):
            index[page.translation_key].append(page)
        context["cms_translations"] = index
    return context["cms_translations"]


def page_translations(page, context):
    if page.pk is None:
        return []  # a preview of a page not created yet
    links = []
    for translation in public_translations(context).get(page.translation_key, []):
        path = frontend_path(translation, root_paths(context))
        if path is not None:
            links.append(
                {
                    "locale": translation.locale.language_code,
                    "id": translation.pk,
                    "title": translation.title,
                    "url": frontend_url(translation, root_paths(context)),
                    "html_path": path,
                }
            )
    return links


class PersonField(Field):
    def to_representation(self, person):
        return {
            "id": person.pk,
            "name": person.name,
            "credentials": person.credentials,
            "role": person.role,
            "bio": person.bio,
            "photo": image_api_representation(person.photo),
        }


class PageLinksField(Field):
    """A list of pages as links, leaving out any that is not public."""

    def to_representation(self, pages):
        visible = public_page_ids(self.context)
        return [page_link(page, self.context) for page in pages if page.pk in visible]

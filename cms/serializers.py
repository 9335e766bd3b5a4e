"""Serializer fields of the content API: front-end URLs, images as renditions, snippets and page links as objects."""

from rest_framework.fields import Field

from cms.frontend import frontend_path, frontend_url, site_root_paths
from cms.images import image_api_representation
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


class TopicsField(Field):
    def to_representation(self, topics):
        return [{"id": t.pk, "name": t.name, "slug": t.slug} for t in topics.all()]


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

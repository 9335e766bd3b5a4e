"""The content API: Wagtail's API v2 endpoints, tightened for anonymous headless front ends.

- Every page query starts from `cms.visibility.public_pages_in_site` (live, unexpired, unrestricted).
- Rich text is always front-end HTML: ``?rich_text_format=`` other than ``html`` is refused.
- Page URLs are front-end URLs (``meta.html_url`` and ``meta.html_path``).
- List queries prefetch what the serialisers read, so their query count does not grow with the result size.
- JSON only (no browsable API), so a response depends on the URL alone and can be cached (cms/caching.py).
"""

import copy
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.core import signing
from django.db.models import Prefetch, Q
from django.http import Http404, QueryDict
from django.urls import resolve
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from wagtail.api import APIField
from wagtail.api.rich_text import APIRichText
from wagtail.api.v2.filters import (
    AncestorOfFilter,
    ChildOfFilter,
    DescendantOfFilter,
    FieldsFilter,
    OrderingFilter,
    SearchFilter,
    TranslationOfFilter,
)
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import PageParentField, PageSerializer, get_serializer_class
from wagtail.api.v2.utils import BadRequestError, parse_fields_parameter
from wagtail.api.v2.views import BaseAPIViewSet
from wagtail.api.v2.views import PagesAPIViewSet as WagtailPagesAPIViewSet
from wagtail.api.validators import SiteFilterValidator
from wagtail.contrib.redirects.api import RedirectsAPIViewSet as WagtailRedirectsAPIViewSet
from wagtail.contrib.redirects.api import RedirectSerializer
from wagtail.documents.api.v2.views import DocumentsAPIViewSet as WagtailDocumentsAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.v2.serializers import ImageDownloadUrlField, ImageSerializer
from wagtail.images.api.v2.views import ImagesAPIViewSet as WagtailImagesAPIViewSet
from wagtail.models import Locale
from wagtail_headless_preview.models import HeadlessPreviewMixin

from cms.frontend import absolute_media_url, frontend_url, site_root_paths, split_language
from cms.images import RENDITION_SPECS, images_with_renditions
from cms.models import ArticlePage, ClinicSettings, ServicePage, Topic
from cms.serializers import (
    FrontendPathField,
    FrontendUrlField,
    ImageAltField,
    ImageRenditionsField,
    TranslationsField,
    page_link,
)
from cms.visibility import public_documents, public_pages_in_site


def request_site(request):
    """The Site a request is for: ``?site=hostname[:port]`` or the Host header, as in Wagtail's API."""
    return SiteFilterValidator(site=request.GET.get("site"), request=request).site_obj


def requested_locale(request, parameter="locale"):
    """The Locale named by ``?locale=``, None when absent; a clear 400 for a language the site does not have."""
    code = request.GET.get(parameter)
    if code is None:
        return None
    locale = Locale.objects.filter(language_code=code).first()
    if locale is None:
        known = ", ".join(Locale.objects.order_by("language_code").values_list("language_code", flat=True))
        raise BadRequestError(f"{parameter}: no content in language {code[:20]!r} (languages: {known})")
    return locale


def public_pages_for(request, queryset=None):
    try:
        site = request_site(request)
    except ValueError as exc:
        raise BadRequestError(str(exc)) from exc
    return public_pages_in_site(site, queryset)


class TopicLocaleField(serializers.Field):
    def get_attribute(self, instance):
        return instance

    def to_representation(self, topic):
        return topic.locale.language_code


class TopicPagesField(serializers.Field):
    """A topic's public articles and services, newest first."""

    def get_attribute(self, instance):
        return instance

    def to_representation(self, topic):
        base = self.context["base_queryset"]
        # Pages are tagged with the default language's topic; a translated topic lists the pages in its language.
        tag = Topic.objects.canonical().filter(translation_key=topic.translation_key).first() or topic
        pages = []
        for model in (ArticlePage, ServicePage):
            pages.extend(
                model.objects.filter(topics=tag, locale_id=topic.locale_id, pk__in=base.values("pk")).only(
                    "id", "title", "url_path", "first_published_at"
                )
            )
        pages.sort(key=lambda page: page.first_published_at.timestamp() if page.first_published_at else 0, reverse=True)
        return [page_link(page, self.context) for page in pages]


class CmsPageParentField(PageParentField):
    def to_representation(self, value):
        serializer_class = get_serializer_class(
            value.__class__,
            ["id", "type", "detail_url", "html_url", "html_path", "title"],
            meta_fields=["type", "detail_url", "html_url", "html_path"],
            base=CmsPageSerializer,
        )
        return serializer_class(context=self.context).to_representation(value)


class CmsPageSerializer(PageSerializer):
    html_url = FrontendUrlField(read_only=True)
    html_path = FrontendPathField(read_only=True)
    parent = CmsPageParentField(read_only=True)
    translations = TranslationsField(read_only=True)


class AbsoluteImageDownloadUrlField(ImageDownloadUrlField):
    def to_representation(self, image):
        return absolute_media_url(image.file.url)


class CmsImageSerializer(ImageSerializer):
    download_url = AbsoluteImageDownloadUrlField(read_only=True)


class HTMLRichTextMixin:
    renderer_classes = [JSONRenderer]

    def resolve_rich_text_format(self):
        requested = self.request.GET.get("rich_text_format")
        if requested not in (None, APIRichText.FORMAT_HTML):
            raise BadRequestError("rich_text_format: only 'html' is offered")
        return APIRichText.FORMAT_HTML


class TopicFilter:
    """``?topic=slug[,slug...]``: pages tagged with any of the topics."""

    models_with_topics = (ArticlePage, ServicePage)

    def filter_queryset(self, request, queryset, view):
        if "topic" not in request.GET:
            return queryset
        slugs = [slug for slug in request.GET["topic"].split(",") if slug]
        tagged = Q()
        for model in self.models_with_topics:
            tagged |= Q(pk__in=model.objects.filter(topics__slug__in=slugs).values("pk"))
        return queryset.filter(tagged)


class LocaleFilter:
    """``?locale=es``: pages in that language (Wagtail's filter answers an unknown code with a 404; this names it)."""

    def filter_queryset(self, request, queryset, view):
        locale = requested_locale(request)
        return queryset if locale is None else queryset.filter(locale=locale)


def optimise_page_queryset(queryset):
    """Prefetch what the API fields of the queryset's page type read (a constant number of queries)."""
    model = queryset.model
    rendition_specs = list(RENDITION_SPECS.values())
    queryset = queryset.select_related("locale")
    for image_field in ("hero_image", "social_image"):
        if hasattr(model, image_field):
            queryset = queryset.prefetch_related(Prefetch(image_field, queryset=images_with_renditions()))
    if hasattr(model, "topics"):
        queryset = queryset.prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
    if model is ArticlePage:
        rendition_model = get_image_model().get_rendition_model()
        photo_renditions = rendition_model.objects.filter(filter_spec__in=rendition_specs)
        queryset = queryset.select_related("author__photo", "medical_reviewer__photo").prefetch_related(
            Prefetch("author__photo__renditions", queryset=photo_renditions),
            Prefetch("medical_reviewer__photo__renditions", queryset=photo_renditions),
            Prefetch(
                "related_links",
                queryset=ArticlePage.related_links.rel.related_model.objects.select_related("related_page").order_by(
                    "sort_order"
                ),
            ),
        )
    return queryset


class PagesAPIViewSet(HTMLRichTextMixin, WagtailPagesAPIViewSet):
    base_serializer_class = CmsPageSerializer
    filter_backends = [
        FieldsFilter,
        ChildOfFilter,
        AncestorOfFilter,
        DescendantOfFilter,
        TopicFilter,
        TranslationOfFilter,
        LocaleFilter,
        OrderingFilter,
        SearchFilter,  # last: search results cannot be filtered further
    ]
    known_query_parameters = WagtailPagesAPIViewSet.known_query_parameters.union(["topic"])
    # translations: detail responses only (one query per page); ?fields=translations adds them to a listing.
    meta_fields = WagtailPagesAPIViewSet.meta_fields + ["html_path", "translations"]
    listing_default_fields = WagtailPagesAPIViewSet.listing_default_fields + ["html_path"]
    # Bodies are for detail responses: a list of 50 bodies would be both slow and one query per page.
    detail_only_fields = WagtailPagesAPIViewSet.detail_only_fields + ["body"]

    @classmethod
    def get_listing_default_fields(cls, model):
        return super().get_listing_default_fields(model) + list(getattr(model, "api_listing_fields", []))

    def get_base_queryset(self):
        return public_pages_for(self.request)

    def find_object(self, queryset, request):
        """``find/?html_path=``: a path under another language's prefix (``/es/...``) is routed from that language's
        home page (the site root's translation); any other path from the site's root page, as before."""
        site = request_site(request) if "html_path" in request.GET else None
        if site is None:
            return super().find_object(queryset, request)
        language, path = split_language(request.GET["html_path"])
        root = site.root_page.get_translations(inclusive=True).filter(locale__language_code=language).first()
        if root is None:
            return None
        try:
            page, _, _ = root.specific.route(request, [part for part in path.split("/") if part])
        except Http404:
            return None
        return page if queryset.filter(id=page.id).exists() else None

    def get_queryset(self):
        queryset = super().get_queryset()
        if queryset.model is WagtailPagesAPIViewSet.model:
            # Search can only filter on indexed fields; an id subquery keeps the expiry filter out of its way.
            return queryset.model.objects.filter(pk__in=queryset.values("pk"))
        if self.action == "listing_view":
            queryset = optimise_page_queryset(queryset)
        return queryset

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["cms_root_paths"] = site_root_paths()
        return context


class PagePreviewAPIViewSet(PagesAPIViewSet):
    """``GET /api/v2/page_preview/?content_type=cms.articlepage&token=...``: the draft an editor is previewing.

    ``/api/v2/page_preview/<id>/`` answers the same: it is the URL wagtail-headless-preview's README has client code
    call (``page_preview/1/?content_type=...&token=...&format=json``). The id there is a placeholder (a new page has
    none yet); the token alone says which draft, so the id is not looked at.

    The token is wagtail-headless-preview's (signed with SECRET_KEY); we also refuse it once it is older than
    CMS_PREVIEW_TOKEN_MAX_AGE, which the package itself does not check.
    """

    name = "page_preview"
    # "format" (json is the only one) and "_" (a cache buster) as on Wagtail's other endpoints.
    known_query_parameters = frozenset(["content_type", "token", "fields", "rich_text_format", "format", "_"])

    @classmethod
    def get_urlpatterns(cls):
        from django.urls import path

        view = cls.as_view({"get": "preview_view"})
        return [path("", view, name="listing"), path("<int:pk>/", view, name="detail")]

    def get_object(self):
        if hasattr(self, "_preview_page"):
            return self._preview_page
        content_type = self.request.GET.get("content_type", "")
        token = self.request.GET.get("token", "")
        try:
            model = apps.get_model(content_type)
        except (LookupError, ValueError) as exc:
            raise Http404("unknown content_type") from exc
        if not issubclass(model, HeadlessPreviewMixin):
            raise Http404("unknown content_type")
        try:
            model.get_preview_signer().unsign(token, max_age=settings.CMS_PREVIEW_TOKEN_MAX_AGE)
        except signing.BadSignature as exc:  # includes SignatureExpired
            raise PreviewTokenError() from exc
        page = model.get_page_from_preview_token(token)
        if page is None:
            raise Http404("no preview for this token")
        if page.locale_id is None:
            page.locale = Locale.get_default()  # a page not created yet: Wagtail gives it its parent's on creation
        self._preview_page = page
        return page

    def get_serializer_class(self):
        page = self.get_object()
        try:
            fields_config = parse_fields_parameter(self.request.GET.get("fields", ""))
        except ValueError as exc:
            raise BadRequestError(f"fields error: {exc}") from exc
        # A new page has no id yet: no detail_url or parent to show.
        fields_config = [*fields_config, ("detail_url", True, None), ("parent", True, None)]
        return self._get_serializer_class(self.request.wagtailapi_router, type(page), fields_config, show_details=True)

    def preview_view(self, request, pk=None):
        page = self.get_object()
        return Response(self.get_serializer(page).data)

    def handle_exception(self, exc):
        if isinstance(exc, PreviewTokenError):
            return Response({"message": "invalid or expired preview token"}, status=403)
        return super().handle_exception(exc)


class PreviewTokenError(Exception):
    pass


class ImagesAPIViewSet(HTMLRichTextMixin, WagtailImagesAPIViewSet):
    base_serializer_class = CmsImageSerializer
    body_fields = WagtailImagesAPIViewSet.body_fields + [
        APIField("alt", serializer=ImageAltField(read_only=True)),
        APIField("renditions", serializer=ImageRenditionsField(read_only=True)),
    ]
    listing_default_fields = WagtailImagesAPIViewSet.listing_default_fields + ["alt", "renditions"]

    def get_queryset(self):
        return images_with_renditions().order_by("id")


class DocumentsAPIViewSet(HTMLRichTextMixin, WagtailDocumentsAPIViewSet):
    def get_queryset(self):
        # Not Wagtail's per-request check (a staff session would see private collections): the same for everyone.
        return public_documents(self.model.objects.all()).order_by("id")


class FrontendRedirectSerializer(RedirectSerializer):
    location = serializers.SerializerMethodField()

    def get_location(self, redirect):
        if redirect.redirect_page_id:
            return frontend_url(redirect.redirect_page)
        return redirect.link


class RedirectsAPIViewSet(HTMLRichTextMixin, WagtailRedirectsAPIViewSet):
    """Redirects for the front end to apply; those pointing at a page that is not public are left out."""

    base_serializer_class = FrontendRedirectSerializer

    def get_queryset(self):
        public = public_pages_for(self.request)
        return (
            super()
            .get_queryset()
            .filter(Q(redirect_page__isnull=True) | Q(redirect_page__in=public.values("pk")))
            .select_related("redirect_page")
        )


class TopicsAPIViewSet(HTMLRichTextMixin, BaseAPIViewSet):
    """``/api/v2/topics/``: topics, and on detail the public pages tagged with each. ``find/?slug=`` works."""

    model = Topic
    name = "topics"
    filter_backends = [FieldsFilter, OrderingFilter, SearchFilter]
    body_fields = BaseAPIViewSet.body_fields + [
        "name",
        "slug",
        "description",
        APIField("locale", serializer=TopicLocaleField(read_only=True)),
        APIField("pages", serializer=TopicPagesField(read_only=True)),
    ]
    listing_default_fields = BaseAPIViewSet.listing_default_fields + ["name", "slug", "description", "locale"]
    detail_only_fields = ["pages"]
    known_query_parameters = BaseAPIViewSet.known_query_parameters.union(["locale"])
    find_query_parameters = BaseAPIViewSet.find_query_parameters.union(["slug", "locale"])

    def get_queryset(self):
        # One language at a time (?locale=, default: the default language), so each slug appears once. A topic not
        # translated yet is listed in the default language's words.
        if self.action not in ("listing_view", "find_view"):
            return Topic.objects.select_related("locale").order_by("name")  # a detail: any language's topic by id
        locale = requested_locale(self.request) or Locale.get_default()
        translated = Topic.objects.filter(locale=locale)
        untranslated = Topic.objects.canonical().exclude(translation_key__in=translated.values("translation_key"))
        either = Q(pk__in=translated.values("pk")) | Q(pk__in=untranslated.values("pk"))
        return Topic.objects.filter(either).select_related("locale").order_by("name")

    def find_object(self, queryset, request):
        if "slug" in request.GET:
            return queryset.get(slug=request.GET["slug"])
        return super().find_object(queryset, request)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["base_queryset"] = public_pages_for(self.request)
        context["cms_root_paths"] = site_root_paths()
        return context


class ClinicAPIViewSet(HTMLRichTextMixin, BaseAPIViewSet):
    """``/api/v2/clinic/``: the clinic's name, phone, address, time zone, booking URL and medical disclaimer."""

    model = ClinicSettings
    name = "clinic"

    @classmethod
    def get_urlpatterns(cls):
        from django.urls import path

        return [path("", cls.as_view({"get": "clinic_view"}), name="listing")]

    def clinic_view(self, request):
        locale = requested_locale(request)
        return Response(ClinicSettings.load().api_representation(locale.language_code if locale else None))


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("page_preview", PagePreviewAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
api_router.register_endpoint("redirects", RedirectsAPIViewSet)
api_router.register_endpoint("topics", TopicsAPIViewSet)
api_router.register_endpoint("clinic", ClinicAPIViewSet)


def read_api(request, path, params=None):
    """``GET path?params`` of this content API in this process: the same views, filters and serialisers an HTTP
    client reaches (a find/ answer is followed to the detail it names), without an HTTP round trip. The server-side
    rendering of the site's head reads pages through it, so it shows exactly what the API serves.

    Returns ``(status, data)``; data is the response's JSON value, or None when it has none.
    """
    query = QueryDict(mutable=True)
    for key, value in (params or {}).items():
        query[key] = value
    for _ in range(2):  # a find/ redirect, then the detail it points at
        internal = copy.copy(request)
        internal.method = "GET"
        internal.path = internal.path_info = path
        internal.GET = query
        match = resolve(path, getattr(request, "urlconf", None))
        response = match.func(internal, *match.args, **match.kwargs)
        if response.status_code != 302:
            return response.status_code, getattr(response, "data", None)
        location = urlsplit(response["Location"])
        path, query = location.path, QueryDict(location.query, mutable=True)
    return response.status_code, None

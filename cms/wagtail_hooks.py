from wagtail import hooks
from wagtail.models import Locale
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.models import Person, Topic
from cms.rich_text import AbsoluteDocumentLinkHandler, FrontendPageLinkHandler, RenditionImageEmbedHandler


# order=10: run after Wagtail's own registrations (order 0), so these handlers replace its page, document and image
# handlers everywhere rich text is expanded (the API, Wagtail's ?rich_text_format=html, any template).
@hooks.register("register_rich_text_features", order=10)
def register_headless_rich_text_handlers(features):
    features.register_link_type(FrontendPageLinkHandler)
    features.register_link_type(AbsoluteDocumentLinkHandler)
    features.register_embed_type(RenditionImageEmbedHandler)


@hooks.register("construct_page_action_menu")
def translations_publish_through_review(menu_items, request, context):
    """No Publish button on a page in another language than the default: it goes live only by its own approval in
    the Medical review workflow (cms/medical_review.py refuses any other publish), so editors and reviewers alike
    submit it for review."""
    page = context.get("page")
    if page is not None and page.locale_id and page.locale_id != Locale.get_default().pk:
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = "Topics"
    list_display = ["name", "slug"]
    search_fields = ["name"]
    add_to_admin_menu = True
    menu_order = 200


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = "People"
    list_display = ["name", "credentials", "role"]
    search_fields = ["name"]
    add_to_admin_menu = True
    menu_order = 210


register_snippet(TopicViewSet)
register_snippet(PersonViewSet)

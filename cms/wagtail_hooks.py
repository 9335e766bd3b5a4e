from wagtail import hooks
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

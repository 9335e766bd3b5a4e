from cms.models.pages import ArticleIndexPage, ArticlePage, HomePage, InfoPage, RelatedArticle, ServicePage
from cms.models.settings import ClinicSettings, ClinicTranslation
from cms.models.snippets import Person, Topic

__all__ = [
    "ArticleIndexPage",
    "ArticlePage",
    "ClinicSettings",
    "ClinicTranslation",
    "HomePage",
    "InfoPage",
    "Person",
    "RelatedArticle",
    "ServicePage",
    "Topic",
]

from cms.models.pages import ArticleIndexPage, ArticlePage, HomePage, RelatedArticle, ServicePage
from cms.models.settings import ClinicSettings
from cms.models.snippets import Person, Topic

__all__ = [
    "ArticleIndexPage",
    "ArticlePage",
    "ClinicSettings",
    "HomePage",
    "Person",
    "RelatedArticle",
    "ServicePage",
    "Topic",
]

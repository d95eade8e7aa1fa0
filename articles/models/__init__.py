from .article import Article, ArticleQuerySet, TaggedCountry, TaggedTopic
from .redirects import ArticleSlugHistory
from .taxonomy import Section, Source
from .vocabulary import Country, Topic

__all__ = [
    "Article",
    "ArticleQuerySet",
    "ArticleSlugHistory",
    "Country",
    "Section",
    "Source",
    "TaggedCountry",
    "TaggedTopic",
    "Topic",
]

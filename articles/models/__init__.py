from .article import Article, ArticleQuerySet, TaggedCountry, TaggedTopic
from .redirects import ArticleSlugHistory
from .search import FullTextEntry, SearchDocument
from .taxonomy import Section, Source
from .vocabulary import Country, Topic

__all__ = [
    "Article",
    "ArticleQuerySet",
    "ArticleSlugHistory",
    "Country",
    "FullTextEntry",
    "SearchDocument",
    "Section",
    "Source",
    "TaggedCountry",
    "TaggedTopic",
    "Topic",
]

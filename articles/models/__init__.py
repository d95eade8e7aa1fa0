from .article import Article, ArticleQuerySet, TaggedCountry, TaggedTopic
from .search import FullTextEntry, SearchDocument
from .taxonomy import Section, Source
from .vocabulary import Country, Topic

__all__ = [
    "Article",
    "ArticleQuerySet",
    "Country",
    "FullTextEntry",
    "SearchDocument",
    "Section",
    "Source",
    "TaggedCountry",
    "TaggedTopic",
    "Topic",
]

from .article import Article, ArticleQuerySet, TaggedCountry, TaggedTopic
from .taxonomy import Section, Source
from .vocabulary import Country, Topic

__all__ = [
    "Article",
    "ArticleQuerySet",
    "Country",
    "Section",
    "Source",
    "TaggedCountry",
    "TaggedTopic",
    "Topic",
]

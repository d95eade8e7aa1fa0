from .article import Article, ArticleQuerySet, TaggedCountry, TaggedTopic
from .taxonomy import Section, Source
from .versioning import TAG_RELATIONS
from .vocabulary import Country, Topic

__all__ = [
    "Article",
    "ArticleQuerySet",
    "Country",
    "Section",
    "Source",
    "TAG_RELATIONS",
    "TaggedCountry",
    "TaggedTopic",
    "Topic",
]

from .article import Article, ArticleQuerySet, TaggedCountry, TaggedTopic
from .tagging import (
    MERGE_PERMISSION,
    TAG_PERMISSION,
    ModerationItem,
    TagEvent,
    TagSuggestion,
    TopicAlias,
    TopicRedirect,
    normalize_name,
)
from .taxonomy import Section, Source
from .vocabulary import Country, Topic

__all__ = [
    "MERGE_PERMISSION",
    "TAG_PERMISSION",
    "Article",
    "ArticleQuerySet",
    "Country",
    "ModerationItem",
    "Section",
    "Source",
    "TagEvent",
    "TagSuggestion",
    "TaggedCountry",
    "TaggedTopic",
    "Topic",
    "TopicAlias",
    "TopicRedirect",
    "normalize_name",
]

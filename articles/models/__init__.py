from .article import Article, ArticleQuerySet, TaggedCountry, TaggedTopic
from .generation import PageGeneration
from .names import usable_names, validate_names
from .redirects import ArticleSlugHistory
from .search import FullTextEntry, SearchDocument
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
from .versioning import TAG_RELATIONS
from .vocabulary import Country, Topic

__all__ = [
    "MERGE_PERMISSION",
    "TAG_PERMISSION",
    "Article",
    "ArticleQuerySet",
    "ArticleSlugHistory",
    "Country",
    "FullTextEntry",
    "SearchDocument",
    "ModerationItem",
    "PageGeneration",
    "Section",
    "Source",
    "TagEvent",
    "TagSuggestion",
    "TAG_RELATIONS",
    "TaggedCountry",
    "TaggedTopic",
    "Topic",
    "TopicAlias",
    "TopicRedirect",
    "normalize_name",
    "usable_names",
    "validate_names",
]

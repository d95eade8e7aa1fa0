"""
Writes with more than one row or a side effect. Admin actions, views and
management commands call these; none of them repeats the logic.
"""

from .importing import article_import_text, section_for_path, source_for_name
from .publishing import PUBLISH_PERMISSION, article_publish, article_unpublish
from .redirects import article_for_old_slug, article_slug_record
from .tagging import (
    article_suggest_tags,
    suggestion_accept,
    suggestion_reject,
    tag_add,
    tag_events_for_change,
    tag_merge,
    tag_remove,
    tag_rename,
    topic_alias_add,
)

__all__ = [
    "PUBLISH_PERMISSION",
    "article_for_old_slug",
    "article_import_text",
    "article_publish",
    "article_slug_record",
    "article_suggest_tags",
    "article_unpublish",
    "section_for_path",
    "source_for_name",
    "suggestion_accept",
    "suggestion_reject",
    "tag_add",
    "tag_events_for_change",
    "tag_merge",
    "tag_remove",
    "tag_rename",
    "topic_alias_add",
]

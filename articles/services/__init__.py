"""
Writes with more than one row or a side effect. Admin actions, views and
management commands call these; none of them repeats the logic.
"""

from .history import article_restore_version
from .importing import article_import_text, section_for_path, source_for_name
from .redirects import article_for_old_slug, article_slug_record
from .tagging import (
    article_suggest_tags,
    suggestion_accept,
    suggestion_reject,
    suggestions_settle,
    tag_add,
    tag_events_for_change,
    tag_merge,
    tag_remove,
    tag_rename,
    topic_alias_add,
)
from .transfer import TransferError, content_export, content_import
from .trash import article_purge, article_restore_from_trash, article_trash, trash_purge
from .workflow import (
    PUBLISH_PERMISSION,
    TRANSITIONS,
    article_archive,
    article_publish,
    article_republish,
    article_return_to_draft,
    article_submit,
    article_unpublish,
    transitions_for,
)

__all__ = [
    "PUBLISH_PERMISSION",
    "TRANSITIONS",
    "TransferError",
    "article_archive",
    "article_for_old_slug",
    "article_import_text",
    "article_publish",
    "article_purge",
    "article_republish",
    "article_restore_from_trash",
    "article_restore_version",
    "article_return_to_draft",
    "article_slug_record",
    "article_submit",
    "article_suggest_tags",
    "article_trash",
    "article_unpublish",
    "content_export",
    "content_import",
    "section_for_path",
    "source_for_name",
    "suggestion_accept",
    "suggestion_reject",
    "suggestions_settle",
    "tag_add",
    "tag_events_for_change",
    "tag_merge",
    "tag_remove",
    "tag_rename",
    "topic_alias_add",
    "transitions_for",
    "trash_purge",
]

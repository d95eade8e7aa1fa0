"""
Writes with more than one row or a side effect. Admin actions, views and
management commands call these; none of them repeats the logic.
"""

from .importing import article_import_text, section_for_path, source_for_name
from .publishing import PUBLISH_PERMISSION, article_publish, article_unpublish
from .redirects import article_for_old_slug, article_slug_record

__all__ = [
    "PUBLISH_PERMISSION",
    "article_for_old_slug",
    "article_import_text",
    "article_publish",
    "article_slug_record",
    "article_unpublish",
    "section_for_path",
    "source_for_name",
]

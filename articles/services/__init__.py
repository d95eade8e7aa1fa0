"""
Writes with more than one row or a side effect. Admin actions, views and
management commands call these; none of them repeats the logic.
"""

from .importing import article_import_text, section_for_path, source_for_name
from .publishing import PUBLISH_PERMISSION, article_publish, article_unpublish

__all__ = [
    "PUBLISH_PERMISSION",
    "article_import_text",
    "article_publish",
    "article_unpublish",
    "section_for_path",
    "source_for_name",
]

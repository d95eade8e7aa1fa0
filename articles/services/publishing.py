"""Publishing and unpublishing: two transitions of the editorial workflow."""

from .workflow import PUBLISH_PERMISSION, article_publish, article_unpublish

__all__ = ["PUBLISH_PERMISSION", "article_publish", "article_unpublish"]

"""Publishing and unpublishing stories."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article

PUBLISH_PERMISSION = "articles.publish_article"


def _require_publisher(by):
    if by is not None and not by.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied(_("You may not publish or unpublish stories."))


@transaction.atomic
def article_publish(article, *, by, at=None):
    """
    Publish `article` at `at`, its scheduled time, or now. A future time
    schedules it: readers see it from then on, with nothing else to run.
    """
    _require_publisher(by)
    article.published_at = at or article.published_at or timezone.now()
    article.status = Article.Status.PUBLISHED
    article.updated_by = by
    article.save()
    return article


@transaction.atomic
def article_unpublish(article, *, by):
    """Take `article` off the site; it goes back to the drafts."""
    _require_publisher(by)
    article.status = Article.Status.DRAFT
    article.updated_by = by
    article.save()
    return article

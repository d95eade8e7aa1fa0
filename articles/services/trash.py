"""
The trash: deleting a story moves it there, out of every public page and
the default admin list. Editors bring it back; only superusers, or the
`purge_trash` command after the configured age, delete it for good.
"""

import datetime

import reversion
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from articles.models import Article

DELETE_PERMISSION = "articles.delete_article"
CHANGE_PERMISSION = "articles.change_article"


def _require(by, permission, message):
    if by is not None and not by.has_perm(permission):
        raise PermissionDenied(message)


def _mark(article, *, deleted_at, by, comment):
    with reversion.create_revision():
        article.deleted_at = deleted_at
        article.deleted_by = by if deleted_at else None
        article.updated_by = by
        article.save()
        reversion.set_user(by)
        reversion.set_comment(comment)
    return article


def article_trash(article, *, by):
    """Move `article` to the trash; it keeps everything, readers see none of it."""
    _require(by, DELETE_PERMISSION, gettext("You may not delete stories."))
    return _mark(
        article,
        deleted_at=timezone.now(),
        by=by,
        comment=gettext("Moved to the trash."),
    )


def article_restore_from_trash(article, *, by):
    """Bring `article` back from the trash, in the state it was deleted in."""
    _require(by, CHANGE_PERMISSION, gettext("You may not change stories."))
    return _mark(
        article, deleted_at=None, by=by, comment=gettext("Restored from the trash.")
    )


@transaction.atomic
def article_purge(article, *, by):
    """Delete a story in the trash for good. Superusers only."""
    if by is not None and not by.is_superuser:
        raise PermissionDenied(gettext("Only superusers may purge the trash."))
    if not article.is_in_trash:
        raise ValueError("Only a story in the trash can be purged.")
    article.delete()


@transaction.atomic
def trash_purge(*, older_than=None):
    """
    Delete for good what has been in the trash longer than `older_than`
    (a timedelta; NEWSROOM_TRASH_DAYS by default). Returns the count.
    """
    if older_than is None:
        older_than = datetime.timedelta(days=settings.NEWSROOM_TRASH_DAYS)
    cutoff = timezone.now() - older_than
    stale = Article.objects.in_trash().filter(deleted_at__lte=cutoff)
    count = stale.count()
    for article in stale:
        article.delete()
    return count

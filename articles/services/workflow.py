"""
The editorial workflow: draft → in review → published → archived, and back
where it makes sense. Each transition is one function; each checks the
state it starts from and the permission it needs, and leaves a version in
the story's history.
"""

from dataclasses import dataclass

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.models import Article

PUBLISH_PERMISSION = "articles.publish_article"
CHANGE_PERMISSION = "articles.change_article"

Status = Article.Status


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple
    target: str
    permission: str

    def allowed_from(self, article):
        return article.status in self.sources and not article.is_in_trash

    def permitted_to(self, user):
        return user is None or user.has_perm(self.permission)


TRANSITIONS = {
    transition.name: transition
    for transition in [
        Transition(
            "submit",
            _("Submit for review"),
            (Status.DRAFT,),
            Status.REVIEW,
            CHANGE_PERMISSION,
        ),
        Transition(
            "return_to_draft",
            _("Send back to draft"),
            (Status.REVIEW,),
            Status.DRAFT,
            CHANGE_PERMISSION,
        ),
        Transition(
            "publish",
            _("Publish"),
            (Status.DRAFT, Status.REVIEW),
            Status.PUBLISHED,
            PUBLISH_PERMISSION,
        ),
        Transition(
            "unpublish",
            _("Unpublish"),
            (Status.PUBLISHED,),
            Status.DRAFT,
            PUBLISH_PERMISSION,
        ),
        Transition(
            "archive",
            _("Archive"),
            (Status.PUBLISHED,),
            Status.ARCHIVED,
            PUBLISH_PERMISSION,
        ),
        Transition(
            "republish",
            _("Publish again"),
            (Status.ARCHIVED,),
            Status.PUBLISHED,
            PUBLISH_PERMISSION,
        ),
    ]
}


def transitions_for(article, user):
    """The transitions `user` may make on `article` now, in workflow order."""
    return [
        transition
        for transition in TRANSITIONS.values()
        if transition.allowed_from(article) and transition.permitted_to(user)
    ]


def _move(article, name, *, by, changes=None):
    transition = TRANSITIONS[name]
    if not transition.permitted_to(by):
        raise PermissionDenied(
            gettext("You may not do this: %(transition)s.")
            % {"transition": transition.label}
        )
    if not transition.allowed_from(article):
        raise ValidationError(
            gettext("“%(story)s” is %(status)s; it cannot go to %(target)s.")
            % {
                "story": article,
                "status": article.get_status_display(),
                "target": Status(transition.target).label,
            }
        )
    with reversion.create_revision():
        for field, value in (changes or {}).items():
            setattr(article, field, value)
        article.status = transition.target
        article.updated_by = by
        article.save()
        reversion.set_user(by)
        # Inside an admin save, keep what the save said and add the move.
        status = gettext("Status: %(status)s.") % {
            "status": article.get_status_display()
        }
        reversion.set_comment(f"{reversion.get_comment()} {status}".strip())
    return article


def article_submit(article, *, by):
    """Hand a draft to the editors for review."""
    return _move(article, "submit", by=by)


def article_return_to_draft(article, *, by):
    """Send a story in review back to its author's drafts."""
    return _move(article, "return_to_draft", by=by)


def article_publish(article, *, by, at=None):
    """
    Publish `article` at `at`, its planned time, or now. A future time
    schedules it: readers see it from then on, with nothing else to run.
    """
    when = at or article.published_at or timezone.now()
    return _move(article, "publish", by=by, changes={"published_at": when})


def article_unpublish(article, *, by):
    """Take `article` off the site; it goes back to the drafts."""
    return _move(article, "unpublish", by=by)


def article_archive(article, *, by):
    """Take a published story off the public site and keep it as archived."""
    return _move(article, "archive", by=by)


def article_republish(article, *, by):
    """Put an archived story back on the site at its original time."""
    return _move(article, "republish", by=by)


SERVICES = {
    "submit": article_submit,
    "return_to_draft": article_return_to_draft,
    "publish": article_publish,
    "unpublish": article_unpublish,
    "archive": article_archive,
    "republish": article_republish,
}

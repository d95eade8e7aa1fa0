"""
Form mixins that keep editors from hurting each other or the site: the
workflow check (only the transitions the user may make) and the stale-save
check (optimistic locking on `Article.revision`). Every form that saves a
story, the editors' and the moderators', inherits them.
"""

import time

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from articles.services.history import stale_edit_conflict
from articles.services.workflow import TRANSITIONS


class WorkflowFormMixin:
    """Refuses a requested transition that the story's state or user forbids."""

    # Set by the admin from the button pressed: the name of a transition.
    transition_name = None

    def clean(self):
        cleaned = super().clean()
        if self.transition_name:
            transition = TRANSITIONS.get(self.transition_name)
            current = self.instance if self.instance.pk else Article()
            if (
                transition is None
                or not transition.allowed_from(current)
                or not transition.permitted_to(self.user)
            ):
                raise ValidationError(
                    _("You may not make this change of status."),
                    code="transition_refused",
                )
        return cleaned


class StaleEditMixin:
    """
    Optimistic locking: the form carries the revision it was opened at, and
    a save from an older revision is refused with the user's input kept.
    The form then carries the current revision, so saving again, after
    looking at what changed, overwrites on purpose.
    """

    # Collected by the form metaclass like a field declared on the form.
    declared_fields = {
        "base_revision": forms.IntegerField(
            widget=forms.HiddenInput,
            required=False,
            error_messages={
                "required": _(
                    "The form does not say which revision it was opened at; "
                    "open the story again."
                )
            },
        )
    }

    # After a refused save: the version the user started from and the
    # current one, for the admin to show what changed in between.
    conflict = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base_revision"].required = bool(self.instance.pk)
        self.fields["base_revision"].initial = self.instance.revision

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        base = cleaned.get("base_revision")
        if base is None:
            return cleaned
        stories = Article.objects.filter(pk=self.instance.pk)
        if transaction.get_connection().in_atomic_block:
            # Hold the row until this save commits, so no save slips between.
            stories = stories.select_for_update()
        current = stories.values_list("revision", flat=True).first()
        if current is not None and current != base:
            self.conflict = stale_edit_conflict(self.instance, since_revision=base)
            data = self.data.copy()
            data[self.add_prefix("base_revision")] = current
            self.data = data
            raise ValidationError(
                _(
                    "Someone else saved this story after you opened it. Your "
                    "changes are not saved yet and are still in the form. See "
                    "what changed in between below; save again to keep your "
                    "version over theirs."
                ),
                code="stale",
            )
        return cleaned


def _opens_key(article_pk):
    return f"articles:opened:{article_pk}"


def record_opening(article, user):
    """
    Note that `user` opened `article` and return the other people who opened
    it within NEWSROOM_EDIT_NOTICE_SECONDS, as a list of names.
    """
    window = settings.NEWSROOM_EDIT_NOTICE_SECONDS
    now = time.time()
    key = _opens_key(article.pk)
    opens = {
        user_pk: entry
        for user_pk, entry in (cache.get(key) or {}).items()
        if now - entry[1] < window
    }
    others = sorted(name for pk, (name, _at) in opens.items() if pk != user.pk)
    opens[user.pk] = (user.get_full_name() or user.get_username(), now)
    cache.set(key, opens, window)
    return others

"""
What moderation adds to the vocabularies: aliases, suggestions waiting for a
moderator, redirects left by merges and the log of every tag change.
"""

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .article import Article
from .vocabulary import Country, Topic

TAG_PERMISSION = "articles.tag_article"
MERGE_PERMISSION = "articles.merge_topic"


def normalize_name(name):
    """One spelling of a name for comparisons: „Belt and Road“ is belt and road."""
    return " ".join(re.sub(r"[\W_]+", " ", name.casefold()).split())


class TopicAlias(models.Model):
    """Another name of a topic, matched in stories like the topic's own names."""

    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.CASCADE,
        related_name="aliases",
    )
    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_(
            "As stories write it. A name in capitals (SOZ) matches only in "
            "capitals; a name ending in * matches every word it begins."
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=[*settings.LANGUAGES, ("ru", "Русский"), ("zh", "中文")],
        help_text=_("The language the name belongs to; empty for any."),
    )
    normalized = models.CharField(max_length=200, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("topic alias")
        verbose_name_plural = _("topic aliases")
        ordering = ["topic", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalized = normalize_name(self.name) + ("*" if self.is_prefix else "")
        super().save(*args, **kwargs)

    @property
    def is_prefix(self):
        return self.name.endswith("*")


class TopicRedirect(models.Model):
    """The slug of a topic merged into another, so its old address still works."""

    old_slug = models.SlugField(_("old slug"), max_length=100, unique=True)
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.CASCADE,
        related_name="redirects",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("topic redirect")
        verbose_name_plural = _("topic redirects")
        ordering = ["old_slug"]
        permissions = [("merge_topic", _("Can merge topics"))]

    def __str__(self):
        return f"{self.old_slug} → {self.topic.slug}"

    def get_absolute_url(self):
        return self.topic.get_absolute_url()


class TagSuggestionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=TagSuggestion.Status.PENDING)

    def for_tag(self, tag):
        return self.filter(**{TagSuggestion.field_for(tag): tag})


class TagSuggestion(models.Model):
    """A tag the matcher found in a story; only a moderator makes it a tag."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    article = models.ForeignKey(
        Article,
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        related_name="tag_suggestions",
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="suggestions",
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="suggestions",
    )
    matched_text = models.CharField(
        _("matched text"),
        max_length=200,
        help_text=_("The words in the story that brought the suggestion."),
    )
    match_count = models.PositiveIntegerField(_("matches"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("suggested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = TagSuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("tag suggestion")
        verbose_name_plural = _("tag suggestions")
        ordering = ["-match_count", "pk"]
        permissions = [("tag_article", _("Can tag stories and review tag suggestions"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(country__isnull=True, topic__isnull=False)
                | Q(country__isnull=False, topic__isnull=True),
                name="suggestion_names_one_tag",
            ),
            models.UniqueConstraint(
                fields=["article", "country"], name="suggestion_country_once"
            ),
            models.UniqueConstraint(
                fields=["article", "topic"], name="suggestion_topic_once"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "article"], name="suggestion_queue_idx")
        ]

    def __str__(self):
        return f"{self.tag} ({self.match_count}×)"

    @property
    def tag(self):
        return self.country if self.country_id else self.topic

    @staticmethod
    def field_for(tag):
        return "country" if isinstance(tag, Country) else "topic"


class TagEvent(models.Model):
    """One change to a story's tags or to the vocabulary, with who and when."""

    class Action(models.TextChoices):
        ADDED = "added", _("added")
        REMOVED = "removed", _("removed")
        ACCEPTED = "accepted", _("suggestion accepted")
        REJECTED = "rejected", _("suggestion rejected")
        MERGED = "merged", _("merged")
        RENAMED = "renamed", _("renamed")
        ALIAS_ADDED = "alias_added", _("alias added")

    action = models.CharField(_("action"), max_length=20, choices=Action)
    article = models.ForeignKey(
        Article,
        verbose_name=_("story"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tag_events",
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    tag_name = models.CharField(
        _("tag"),
        max_length=200,
        help_text=_("The tag's name then, kept when the tag is merged away."),
    )
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("tag event")
        verbose_name_plural = _("tag events")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()}: {self.tag_name}"


class ModerationItem(Article):
    """A story as the moderation queue shows it."""

    class Meta:
        proxy = True
        verbose_name = _("story to moderate")
        verbose_name_plural = _("stories in the queue")
        default_permissions = ()

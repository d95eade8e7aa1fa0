from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from articles.text import BODY_EXTENSIONS, make_slug, sanitize_html

from .taxonomy import Section
from .vocabulary import Country, Topic


class BodyField(ProseEditorField):
    """Rich text that is sanitised on every save, whatever the client sent."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("extensions", BODY_EXTENSIONS)
        kwargs.setdefault("sanitize", sanitize_html)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = sanitize_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """
        What readers may see: published, its time has come, not yet expired
        and not in the trash.
        """
        now = timezone.now()
        return self.filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now),
            status=Article.Status.PUBLISHED,
            published_at__lte=now,
            deleted_at__isnull=True,
        )

    def scheduled(self):
        """Published stories whose time has not come yet."""
        return self.filter(
            status=Article.Status.PUBLISHED,
            published_at__gt=timezone.now(),
            deleted_at__isnull=True,
        )

    def expiring(self):
        """Public stories with an expiry time still ahead."""
        return self.published().filter(expires_at__isnull=False)

    def in_order(self, keys):
        """The stories of these keys, in the keys' order; missing ones left out."""
        stories = {story.pk: story for story in self.filter(pk__in=keys)}
        return [stories[key] for key in keys if key in stories]

    def in_trash(self):
        return self.filter(deleted_at__isnull=False)

    def not_in_trash(self):
        return self.filter(deleted_at__isnull=True)

    def in_language(self, language):
        return self.filter(language=language)

    def in_section(self, section):
        """Stories of `section` and of every section below it."""
        # A subquery of section ids rather than a join on the sections, so
        # the stories' own (section, status, time) index serves the query.
        subtree = Section.objects.filter(section.descendant_paths_filter(prefix=""))
        return self.filter(section__in=subtree.values("pk"))

    def for_listing(self):
        """
        What list templates touch, fetched in a fixed number of queries.
        Sections and sources come in queries of their own: joined, they lead
        SQLite's planner to sort every story of the language instead of
        reading the newest few off the (language, status, time) index.
        """
        return self.prefetch_related("section", "source", "countries", "topics")


class TaggedCountry(TaggedItemBase):
    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_countries"
    )
    tag = models.ForeignKey(
        Country, on_delete=models.CASCADE, related_name="tagged_articles"
    )

    class Meta:
        verbose_name = _("country of a story")
        verbose_name_plural = _("countries of stories")
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="tagged_country_once"
            )
        ]


class TaggedTopic(TaggedItemBase):
    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_topics"
    )
    tag = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="tagged_articles"
    )

    class Meta:
        verbose_name = _("topic of a story")
        verbose_name_plural = _("topics of stories")
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="tagged_topic_once"
            )
        ]


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    headline = models.CharField(_("headline"), max_length=300)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        help_text=_("Part of the story's URL; unique within its language."),
    )
    standfirst = models.TextField(
        _("standfirst"),
        blank=True,
        help_text=_("One or two sentences under the headline; also the teaser."),
    )
    body = BodyField(_("body"), blank=True)
    lead_image = models.ImageField(
        _("lead image"),
        upload_to="lead/%Y/%m/",
        blank=True,
        width_field="lead_image_width",
        height_field="lead_image_height",
    )
    lead_image_width = models.PositiveIntegerField(null=True, editable=False)
    lead_image_height = models.PositiveIntegerField(null=True, editable=False)
    lead_image_alt = models.CharField(
        _("alternative text"),
        max_length=300,
        blank=True,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    lead_image_caption = models.CharField(_("caption"), max_length=500, blank=True)
    lead_image_credit = models.CharField(
        _("credit"), max_length=200, blank=True, help_text=_("Photographer or agency.")
    )
    section = models.ForeignKey(
        "Section",
        verbose_name=_("section"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    source = models.ForeignKey(
        "Source",
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        related_name="articles",
        null=True,
        blank=True,
        help_text=_("The agency the story comes from."),
    )
    byline = models.CharField(_("byline"), max_length=200, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("version of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
        help_text=_("The original story this is another language's version of."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_("A time in the future schedules the story."),
    )
    expires_at = models.DateTimeField(
        _("expiry time"),
        null=True,
        blank=True,
        help_text=_("From this time on the story is off the public site."),
    )
    is_featured = models.BooleanField(
        _("featured"), default=False, help_text=_("Lead story on the home page.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    revision = models.PositiveIntegerField(
        _("revision"),
        default=1,
        editable=False,
        help_text=_("Counts the saves; a form saved from an older count is stale."),
    )
    deleted_at = models.DateTimeField(
        _("moved to the trash at"), null=True, blank=True, editable=False
    )
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moved to the trash by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    countries = TaggableManager(
        verbose_name=_("countries"),
        through=TaggedCountry,
        blank=True,
        related_name="articles",
        help_text=_("The countries the story is about."),
    )
    topics = TaggableManager(
        verbose_name=_("topics"),
        through=TaggedTopic,
        blank=True,
        related_name="articles",
        help_text=_("The subjects the story is about."),
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        permissions = [("publish_article", _("Can publish and unpublish stories"))]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_story_has_time",
            ),
            models.UniqueConstraint(
                fields=["language", "slug"], name="story_slug_unique_in_language"
            ),
            models.UniqueConstraint(
                fields=["translation_of", "language"],
                name="one_version_per_language",
            ),
            models.CheckConstraint(
                condition=~Q(translation_of=models.F("pk")),
                name="story_not_own_version",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True)
                | Q(published_at__isnull=True)
                | Q(expires_at__gt=models.F("published_at")),
                name="story_expires_after_publication",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="story_public_idx"),
            # Covers what public listings ask of a story: counting a section,
            # a tag or a filter, or finding a deep page, reads this index
            # alone and never the stories' rows.
            models.Index(
                fields=[
                    "language",
                    "status",
                    "-published_at",
                    "section",
                    "deleted_at",
                    "expires_at",
                    "id",
                ],
                name="story_listing_idx",
            ),
            models.Index(
                fields=["section", "status", "-published_at"],
                name="story_section_idx",
            ),
            models.Index(
                fields=["is_featured", "status", "-published_at"],
                name="story_featured_idx",
            ),
            models.Index(
                fields=["expires_at"],
                condition=Q(expires_at__isnull=False),
                name="story_expiry_idx",
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = make_slug(self.headline)
        if self.pk is not None and not self._state.adding:
            self.revision += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "revision"}
        super().save(*args, **kwargs)
        # The search index is derived from this row like a stored column:
        # kept current by every save, whichever path saved.
        from articles.search import INDEXED_FIELDS, search_index_update

        update_fields = kwargs.get("update_fields")
        if update_fields is None or INDEXED_FIELDS.intersection(update_fields):
            search_index_update(self)

    def get_absolute_url(self):
        day = timezone.localdate(self.published_at or self.created_at or timezone.now())
        with override(self.language):
            return reverse(
                "articles:article",
                kwargs={
                    "year": day.year,
                    "month": f"{day.month:02d}",
                    "day": f"{day.day:02d}",
                    "slug": self.slug,
                },
            )

    @property
    def is_public(self):
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.deleted_at is None
            and self.published_at is not None
            and self.published_at <= now
            and (self.expires_at is None or self.expires_at > now)
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.deleted_at is None
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def is_expired(self):
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_in_trash(self):
        return self.deleted_at is not None

    def language_versions(self):
        """The other-language versions of this story, itself excluded."""
        original_id = self.translation_of_id or self.pk
        # Two indexed look-ups; an OR of the two lets the planner scan.
        versions = Article.objects.filter(translation_of_id=original_id)
        ids = [original_id, *versions.values_list("pk", flat=True)]
        return Article.objects.filter(pk__in=ids).exclude(pk=self.pk)

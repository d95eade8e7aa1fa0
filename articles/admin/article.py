from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles.forms import ArticleAdminForm
from articles.models import Article, Country, Topic

from .history import HistoryAdminMixin
from .moderation import ArticleTaggingMixin
from .redirects import SlugHistoryAdminMixin
from .times import local_time
from .workflow import WorkflowAdminMixin


class TagListFilter(admin.SimpleListFilter):
    """Filter stories by one tag of a vocabulary, offering the tags in use."""

    tag_model = None
    relation = None

    def lookups(self, request, model_admin):
        used = self.tag_model.objects.filter(tagged_articles__isnull=False).distinct()
        return sorted(((tag.pk, str(tag)) for tag in used), key=lambda item: item[1])

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{f"{self.relation}__tag": self.value()})
        return queryset


class CountryListFilter(TagListFilter):
    title = _("country")
    parameter_name = "country"
    tag_model = Country
    relation = "tagged_countries"


class TopicListFilter(TagListFilter):
    title = _("topic")
    parameter_name = "topic"
    tag_model = Topic
    relation = "tagged_topics"


@admin.register(Article)
class ArticleAdmin(
    HistoryAdminMixin,
    WorkflowAdminMixin,
    ArticleTaggingMixin,
    SlugHistoryAdminMixin,
    admin.ModelAdmin,
):
    form = ArticleAdminForm
    list_display = [
        "headline",
        "section",
        "state",
        "published_at_local",
        "source",
        "language",
        "tag_count",
    ]
    list_filter = [
        "status",
        "section",
        "source",
        "language",
        CountryListFilter,
        TopicListFilter,
        "is_featured",
    ]
    list_select_related = ["section", "section__parent", "source"]
    search_fields = ["headline", "standfirst", "body"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["section", "source", "translation_of"]
    readonly_fields = [
        "lead_image_preview",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
    ]
    fieldsets = [
        (
            None,
            {"fields": ["headline", "slug", "standfirst", "body", "base_revision"]},
        ),
        (
            _("Lead image"),
            {
                "fields": [
                    "lead_image",
                    "lead_image_preview",
                    "lead_image_alt",
                    "lead_image_caption",
                    "lead_image_credit",
                ]
            },
        ),
        (
            _("Placement"),
            {"fields": ["section", "source", "byline", "language", "translation_of"]},
        ),
        (_("Tags"), {"fields": ["countries", "topics"]}),
        (
            _("Publication"),
            {
                "fields": [
                    "state",
                    "published_at",
                    "expires_at",
                    "is_featured",
                    "preview_link",
                ]
            },
        ),
        (
            _("Record"),
            {
                "classes": ["collapse"],
                "fields": ["created_at", "created_by", "updated_at", "updated_by"],
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                country_count=Count("tagged_countries", distinct=True),
                topic_count=Count("tagged_topics", distinct=True),
            )
            # The counts group the rows, which drops the default ordering.
            .order_by(*Article._meta.ordering)
        )

    @admin.display(description=_("publication time"), ordering="published_at")
    def published_at_local(self, article):
        return local_time(article.published_at)

    @admin.display(description=_("tags"))
    def tag_count(self, article):
        return article.country_count + article.topic_count

    @admin.display(description=_("preview"))
    def lead_image_preview(self, article):
        if not article.lead_image:
            return "–"
        return format_html(
            '<img src="{}" alt="{}" width="240">',
            article.lead_image.url,
            article.lead_image_alt,
        )

    def view_on_site(self, article):
        return article.get_absolute_url() if article.is_public else None

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

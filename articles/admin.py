from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import services
from articles.forms import ArticleAdminForm
from articles.models import Article, Country, Section, Source, Topic


def local_time(value):
    """A time in the site's zone with the zone named: 16.09.2022 10:00 CEST."""
    if value is None:
        return "–"
    local = timezone.localtime(value)
    return f"{local:%d.%m.%Y %H:%M} {local.tzname()}"


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
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = [
        "headline",
        "section",
        "status",
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
    prepopulated_fields = {"slug": ["headline"]}
    readonly_fields = [
        "lead_image_preview",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
    ]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "body"]}),
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
        (_("Publication"), {"fields": ["status", "published_at", "is_featured"]}),
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
            '<img src="{}" alt="{}" style="max-width: 240px; height: auto">',
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

    def has_publish_permission(self, request):
        return request.user.has_perm(services.PUBLISH_PERMISSION)

    def _apply(self, request, queryset, service, done_message):
        count = 0
        try:
            for article in queryset:
                service(article, by=request.user)
                count += 1
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(request, done_message(count), messages.SUCCESS)

    @admin.action(
        description=_("Publish the selected stories"), permissions=["publish"]
    )
    def publish(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.article_publish,
            lambda n: (
                ngettext(
                    "%(count)d story published.", "%(count)d stories published.", n
                )
                % {"count": n}
            ),
        )

    @admin.action(
        description=_("Unpublish the selected stories"), permissions=["publish"]
    )
    def unpublish(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.article_unpublish,
            lambda n: (
                ngettext(
                    "%(count)d story unpublished.", "%(count)d stories unpublished.", n
                )
                % {"count": n}
            ),
        )


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "slug", "position"]
    list_select_related = ["parent", "parent__parent"]
    search_fields = ["name", "path"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["parent", "name", "names", "slug", "position"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["short_name", "full_name", "homepage"]
    search_fields = ["short_name", "full_name"]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "slug"]
    search_fields = ["code", "name"]
    ordering = ["code"]

    def get_search_results(self, request, queryset, search_term):
        """Match the name in every configured language, not just the stored one."""
        queryset, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        term = search_term.strip().casefold()
        if term:
            from django.conf import settings

            codes = [
                country.code
                for country in Country.objects.all()
                if any(
                    term in country.name_in(code).casefold()
                    for code, _name in settings.LANGUAGES
                )
            ]
            queryset |= self.model.objects.filter(code__in=codes)
        return queryset, may_have_duplicates


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

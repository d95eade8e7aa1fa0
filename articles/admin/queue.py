"""The moderation queue: stories whose tags need a moderator's review."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import services
from articles.models import (
    TAG_PERMISSION,
    Country,
    ModerationItem,
    TaggedCountry,
    TaggedTopic,
    TagSuggestion,
    Topic,
)

from .times import local_time


class QueueListFilter(admin.SimpleListFilter):
    title = _("waiting for")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [
            ("suggestions", _("suggestions to review")),
            ("untagged", _("stories without tags")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "suggestions":
            return queryset.filter(has_pending=True)
        if self.value() == "untagged":
            return queryset.filter(has_tags=False)
        return queryset


@admin.register(ModerationItem)
class ModerationQueueAdmin(admin.ModelAdmin):
    """Stories with suggestions to review or without any tag, newest first."""

    list_display = [
        "headline",
        "section_name",
        "language",
        "published_at_local",
        "suggestion_list",
    ]
    list_display_links = ["headline"]
    list_filter = [QueueListFilter, "section", "language"]
    list_select_related = ["section"]
    search_fields = ["headline"]
    actions = ["accept_all", "reject_all"]
    ordering = [F("published_at").desc(nulls_last=True), "-created_at", "-pk"]

    def has_module_permission(self, request):
        return request.user.has_perm(TAG_PERMISSION)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(TAG_PERMISSION)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(TAG_PERMISSION)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "title": _("Stories whose tags need review"),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def get_queryset(self, request):
        pending = TagSuggestion.objects.pending().filter(article=OuterRef("pk"))
        countries = TaggedCountry.objects.filter(content_object=OuterRef("pk"))
        topics = TaggedTopic.objects.filter(content_object=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .annotate(
                has_pending=Exists(pending),
                has_tags=Exists(countries) | Exists(topics),
            )
            .filter(Q(has_pending=True) | Q(has_tags=False))
            .prefetch_related(
                Prefetch(
                    "tag_suggestions",
                    queryset=TagSuggestion.objects.pending().select_related(
                        "country", "topic"
                    ),
                    to_attr="pending",
                )
            )
        )

    @admin.display(description=_("section"), ordering="section__path")
    def section_name(self, story):
        return story.section.name

    @admin.display(description=_("publication time"), ordering="published_at")
    def published_at_local(self, story):
        return local_time(story.published_at)

    @admin.display(description=_("suggestions"))
    def suggestion_list(self, story):
        if not story.pending:
            return _("no tags yet")
        return ", ".join(str(suggestion) for suggestion in story.pending)

    def _decide_all(self, request, queryset, service, done):
        suggestions = TagSuggestion.objects.pending().filter(article__in=queryset)
        count = 0
        for suggestion in suggestions.select_related("country", "topic"):
            service(suggestion, by=request.user)
            count += 1
        self.message_user(request, done(count), messages.SUCCESS)

    @admin.action(description=_("Accept every suggestion for the selected stories"))
    def accept_all(self, request, queryset):
        self._decide_all(
            request,
            queryset,
            services.suggestion_accept,
            lambda n: (
                ngettext(
                    "%(count)d suggestion accepted.",
                    "%(count)d suggestions accepted.",
                    n,
                )
                % {"count": n}
            ),
        )

    @admin.action(description=_("Reject every suggestion for the selected stories"))
    def reject_all(self, request, queryset):
        self._decide_all(
            request,
            queryset,
            services.suggestion_reject,
            lambda n: (
                ngettext(
                    "%(count)d suggestion rejected.",
                    "%(count)d suggestions rejected.",
                    n,
                )
                % {"count": n}
            ),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The review page of one story: its suggestions, one by one or all."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        object_id = unquote(object_id)
        article = (
            ModerationItem.objects.filter(pk=object_id).first()
            if object_id.isdigit()
            else None
        )
        if article is None:
            raise Http404(_("No such story."))
        pending = TagSuggestion.objects.pending().filter(article=article)
        if request.method == "POST":
            decision = self._decision(request)
            if decision is None:
                self.message_user(request, _("Nothing was chosen."), messages.WARNING)
            else:
                service, ids = decision
                chosen = list(pending.filter(pk__in=ids))
                for suggestion in chosen:
                    service(suggestion, by=request.user)
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d suggestion decided.",
                        "%(count)d suggestions decided.",
                        len(chosen),
                    )
                    % {"count": len(chosen)},
                    messages.SUCCESS,
                )
            if pending.exists():
                return HttpResponseRedirect(request.path)
            return HttpResponseRedirect(
                reverse("admin:articles_moderationitem_changelist")
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Review the tags of “%(headline)s”") % {"headline": article},
            "opts": self.model._meta,
            "article": article,
            "suggestions": pending.select_related("country", "topic"),
            "countries": Country.objects.filter(
                tagged_articles__content_object=article
            ),
            "topics": Topic.objects.filter(tagged_articles__content_object=article),
            "story_url": reverse("admin:articles_article_change", args=[article.pk]),
        }
        return TemplateResponse(
            request, "admin/articles/moderationitem/review.html", context
        )

    @staticmethod
    def _decision(request):
        post = request.POST
        for key, service in (
            ("accept", services.suggestion_accept),
            ("reject", services.suggestion_reject),
        ):
            if key in post:
                ids = [post[key]]
            elif f"_{key}_selected" in post:
                ids = post.getlist("suggestion")
            else:
                continue
            ids = [value for value in ids if value.isdigit()]
            return (service, ids) if ids else None
        return None

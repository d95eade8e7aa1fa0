"""
The moderator's admin: tags on the story form (and nothing else for those
who may only tag), bulk tag actions, the moderation queue, the topic
vocabulary's aliases, merges and log.
"""

import re

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import services
from articles.forms import tag_field
from articles.models import (
    MERGE_PERMISSION,
    TAG_PERMISSION,
    Article,
    Country,
    ModerationItem,
    TagEvent,
    TaggedCountry,
    TaggedTopic,
    TagSuggestion,
    Topic,
    TopicAlias,
    normalize_name,
)
from articles.tagging import EXTRA_NAME_LANGUAGES, vocabulary_changed
from articles.text import sanitize_html


def local_time(value):
    """A time in the site's zone, as the admin's locale writes it."""
    if value is None:
        return "–"
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


TAG_FIELDS = ("countries", "topics")
HISTORY_LENGTH = 100

# Every field of a story a POST could name, widget suffixes stripped.
STORY_FIELD_NAMES = {
    field.name for field in Article._meta.get_fields() if not field.auto_created
}
_WIDGET_SUFFIX = re.compile(r"(_\d+|-clear)$")


def forbidden_story_fields(request):
    """The story fields other than tags that a POST tries to set."""
    keys = [*request.POST.keys(), *request.FILES.keys()]
    return sorted(
        {
            name
            for name in (_WIDGET_SUFFIX.sub("", key) for key in keys)
            if name in STORY_FIELD_NAMES and name not in TAG_FIELDS
        }
    )


def event_table(events):
    """A small table of tag events, newest first."""
    if not events:
        return _("Nothing recorded yet.")
    head = format_html_join(
        "",
        '<th scope="col">{}</th>',
        (
            (h,)
            for h in (_("when"), _("what"), _("tag"), _("story"), _("detail"), _("who"))
        ),
    )
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                local_time(event.at),
                event.get_action_display(),
                event.tag_name,
                event.article.headline if event.article_id else "–",
                event.detail or "–",
                event.by or "–",
            )
            for event in events
        ),
    )
    return format_html(
        "<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>", head, rows
    )


class ArticleTagsForm(forms.ModelForm):
    """The story form of those who may only tag: countries and topics."""

    user = None
    countries = tag_field("countries", Country, _("countries"))
    topics = tag_field("topics", Topic, _("topics"))

    class Meta:
        model = Article
        fields = list(TAG_FIELDS)


class TagChoiceForm(forms.Form):
    """One country or one topic, for the bulk actions."""

    country = forms.ModelChoiceField(
        label=_("country"), queryset=Country.objects.order_by("name"), required=False
    )
    topic = forms.ModelChoiceField(
        label=_("topic"), queryset=Topic.objects.all(), required=False
    )

    def clean(self):
        cleaned = super().clean()
        chosen = [tag for tag in (cleaned.get("country"), cleaned.get("topic")) if tag]
        if len(chosen) != 1:
            raise ValidationError(_("Choose either one country or one topic."))
        cleaned["tag"] = chosen[0]
        return cleaned


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("merge into"), queryset=Topic.objects.all(), required=True
    )


def action_page(modeladmin, request, queryset, *, form, title, action, intro):
    """The intermediate page of an action that asks for one more choice."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "intro": intro,
        "form": form,
        "queryset": queryset,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "opts": modeladmin.model._meta,
    }
    return TemplateResponse(request, "admin/articles/tag_action.html", context)


class ArticleTaggingMixin:
    """
    For ArticleAdmin: tag history and suggestions on the story page, tag
    events for every change, suggestions after every save, bulk tag actions,
    and a story page on which a moderator can change the tags and nothing else.
    """

    tagging_actions = ["tags_add", "tags_remove"]

    def is_tagger_only(self, request):
        user = request.user
        return not user.has_perm("articles.change_article") and user.has_perm(
            TAG_PERMISSION
        )

    def has_tag_permission(self, request):
        return request.user.has_perm(TAG_PERMISSION)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or self.has_tag_permission(
            request
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if self.is_tagger_only(request):
            # Those who tag read the body as readers see it, not as HTML source.
            fieldsets = [
                (
                    name,
                    {
                        **options,
                        "fields": [
                            "body_text" if field == "body" else field
                            for field in options["fields"]
                        ],
                    },
                )
                for name, options in fieldsets
            ]
        if obj is not None:
            fieldsets.append(
                (
                    _("Tag suggestions and history"),
                    {"fields": ["pending_suggestions", "tag_history"]},
                )
            )
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj)]
        if self.is_tagger_only(request):
            readonly += [
                name
                for name in flatten_fieldsets(super().get_fieldsets(request, obj))
                if name not in TAG_FIELDS and name not in readonly
            ] + ["body_text"]
        return [*readonly, "pending_suggestions", "tag_history"]

    def get_prepopulated_fields(self, request, obj=None):
        if self.is_tagger_only(request):
            return {}
        return super().get_prepopulated_fields(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        if self.is_tagger_only(request):
            kwargs["form"] = ArticleTagsForm
        return super().get_form(request, obj, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and self.is_tagger_only(request):
            forbidden = forbidden_story_fields(request)
            if forbidden:
                raise PermissionDenied(
                    "Only the countries and topics may be changed: "
                    + ", ".join(forbidden)
                )
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        # Whoever may only tag leaves the story's own row as it was.
        if not self.is_tagger_only(request):
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        article = form.instance
        before = self._tags(article) if change else set()
        super().save_related(request, form, formsets, change)
        after = self._tags(article)
        services.tag_events_for_change(
            article, added=after - before, removed=before - after, by=request.user
        )
        services.article_suggest_tags(article)

    @staticmethod
    def _tags(article):
        return {
            *Country.objects.filter(tagged_articles__content_object=article),
            *Topic.objects.filter(tagged_articles__content_object=article),
        }

    @admin.display(description=_("body"))
    def body_text(self, article):
        return mark_safe(sanitize_html(article.body))  # nh3 leaves only safe HTML

    @admin.display(description=_("waiting suggestions"))
    def pending_suggestions(self, article):
        pending = TagSuggestion.objects.pending().filter(article=article)
        pending = list(pending.select_related("country", "topic"))
        if not pending:
            return _("None.")
        return format_html(
            '{} <a href="{}">{}</a>',
            ", ".join(str(suggestion) for suggestion in pending),
            reverse("admin:articles_moderationitem_change", args=[article.pk]),
            _("Review"),
        )

    @admin.display(description=_("tag history"))
    def tag_history(self, article):
        events = article.tag_events.select_related("by", "article")
        return event_table(list(events[:HISTORY_LENGTH]))

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        if self.has_tag_permission(request) and IS_POPUP_VAR not in request.GET:
            for name in self.tagging_actions:
                action = self.get_action(name, action_location)
                if action is not None:
                    actions[name] = action
        return actions

    def _bulk_tag(self, request, queryset, *, service, action, title, done):
        if "apply" in request.POST:
            form = TagChoiceForm(request.POST)
            if form.is_valid():
                count = service(
                    form.cleaned_data["tag"], articles=queryset, by=request.user
                )
                self.message_user(request, done(count), messages.SUCCESS)
                return None
        else:
            form = TagChoiceForm()
        return action_page(
            self,
            request,
            queryset,
            form=form,
            title=title,
            action=action,
            intro=_("Choose a country or a topic for the stories below."),
        )

    @admin.action(
        description=_("Add a tag to the selected stories"), permissions=["tag"]
    )
    def tags_add(self, request, queryset):
        return self._bulk_tag(
            request,
            queryset,
            service=services.tag_add,
            action="tags_add",
            title=_("Add a tag"),
            done=lambda n: (
                ngettext(
                    "The tag was added to %(count)d story.",
                    "The tag was added to %(count)d stories.",
                    n,
                )
                % {"count": n}
            ),
        )

    @admin.action(
        description=_("Remove a tag from the selected stories"), permissions=["tag"]
    )
    def tags_remove(self, request, queryset):
        return self._bulk_tag(
            request,
            queryset,
            service=services.tag_remove,
            action="tags_remove",
            title=_("Remove a tag"),
            done=lambda n: (
                ngettext(
                    "The tag was removed from %(count)d story.",
                    "The tag was removed from %(count)d stories.",
                    n,
                )
                % {"count": n}
            ),
        )


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


class TopicAliasForm(forms.ModelForm):
    class Meta:
        model = TopicAlias
        fields = ["name", "language"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        key = normalize_name(name) + ("*" if name.endswith("*") else "")
        if not normalize_name(name):
            raise ValidationError(_("An alias needs a name."))
        taken = TopicAlias.objects.filter(normalized=key).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(
                _("“%(name)s” is already an alias of %(topic)s.")
                % {"name": name, "topic": taken.select_related("topic").get().topic}
            )
        return name


class TopicAliasInline(admin.TabularInline):
    model = TopicAlias
    form = TopicAliasForm
    extra = 1


class TopicVocabularyMixin:
    """For TopicAdmin: aliases, a stable slug, renames and merges, the log."""

    inlines = [TopicAliasInline]
    actions = ["merge_topics"]
    readonly_fields = ["tag_log"]

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj)]
        # A slug is part of public addresses: stable once made.
        return [*readonly, "slug"] if obj is not None else readonly

    def get_prepopulated_fields(self, request, obj=None):
        return super().get_prepopulated_fields(request, obj) if obj is None else {}

    def get_search_results(self, request, queryset, search_term):
        """Find topics by their aliases too (SOZ finds the SCO)."""
        queryset, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        term = search_term.strip()
        if term:
            queryset |= self.model.objects.filter(aliases__name__icontains=term)
            may_have_duplicates = True
        return queryset, may_have_duplicates

    def has_merge_permission(self, request):
        return request.user.has_perm(MERGE_PERMISSION)

    def save_model(self, request, obj, form, change):
        # Renames go through the service, which logs them and keeps the old
        # names as aliases: save the rest first, then rename.
        renames = {}
        if change and "name" in form.changed_data:
            renames[None] = obj.name
            obj.name = form.initial["name"]
        if change and "names" in form.changed_data:
            old_names = form.initial.get("names") or {}
            renames.update(
                (language, name)
                for language, name in obj.names.items()
                if name and old_names.get(language) != name
            )
            kept = {k: v for k, v in obj.names.items() if k not in renames}
            obj.names = {**kept, **{k: old_names[k] for k in renames if k in old_names}}
        super().save_model(request, obj, form, change)
        for language, name in renames.items():
            services.tag_rename(obj, name=name, language=language, by=request.user)
        vocabulary_changed()

    def save_formset(self, request, form, formset, change):
        aliases = formset.save(commit=False)
        for alias in formset.deleted_objects:
            alias.delete()
        for alias in aliases:
            if alias.pk is None:
                services.topic_alias_add(
                    form.instance,
                    name=alias.name,
                    language=alias.language,
                    by=request.user,
                )
            else:
                alias.save()
        vocabulary_changed()

    @admin.display(description=_("log"))
    def tag_log(self, topic):
        if topic.pk is None:
            return "–"
        return event_table(
            list(topic.events.select_related("by", "article")[:HISTORY_LENGTH])
        )

    @admin.action(
        description=_("Merge the selected topics into another"), permissions=["merge"]
    )
    def merge_topics(self, request, queryset):
        if "apply" in request.POST:
            form = MergeForm(request.POST)
            if form.is_valid():
                into = form.cleaned_data["into"]
                merged = 0
                for topic in queryset.exclude(pk=into.pk):
                    services.tag_merge(topic, into=into, by=request.user)
                    merged += 1
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d topic merged into %(into)s.",
                        "%(count)d topics merged into %(into)s.",
                        merged,
                    )
                    % {"count": merged, "into": into},
                    messages.SUCCESS,
                )
                return None
        else:
            form = MergeForm()
        return action_page(
            self,
            request,
            queryset,
            form=form,
            title=_("Merge topics"),
            action="merge_topics",
            intro=_(
                "The stories of the topics below move to the topic you choose; "
                "their names become its aliases and their pages redirect to it."
            ),
        )


class CountryLogMixin:
    """For CountryAdmin: the country's names in every language and its log."""

    readonly_fields = ["names_in_languages", "tag_log"]

    @admin.display(description=_("names"))
    def names_in_languages(self, country):
        languages = [*dict(settings.LANGUAGES), *EXTRA_NAME_LANGUAGES]
        return " · ".join(
            f"{language}: {country.name_in(language)}" for language in languages
        )

    @admin.display(description=_("log"))
    def tag_log(self, country):
        events = country.events.select_related("by", "article")
        return event_table(list(events[:HISTORY_LENGTH]))


@admin.register(TagEvent)
class TagEventAdmin(admin.ModelAdmin):
    """The audit log of tags: read only."""

    list_display = ["at_local", "action", "tag_name", "article", "by", "detail"]
    list_filter = ["action"]
    list_select_related = ["article", "by"]
    search_fields = ["tag_name", "article__headline", "by__username"]
    date_hierarchy = "at"

    @admin.display(description=_("at"), ordering="at")
    def at_local(self, event):
        return local_time(event.at)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

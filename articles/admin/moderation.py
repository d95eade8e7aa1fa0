"""
Tags on the story pages: a form that changes only tags for those who may
only tag, tag events and fresh suggestions on every save, the story's tag
history, bulk tag actions; and the helpers the other tagging screens share.
"""

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import services
from articles.editorial import StaleEditMixin
from articles.forms import tag_field
from articles.models import (
    TAG_PERMISSION,
    Article,
    Country,
    TagSuggestion,
    Topic,
)
from articles.text import sanitize_html

from .times import local_time

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


class ArticleTagsForm(StaleEditMixin, forms.ModelForm):
    """
    The story form of those who may only tag: countries and topics, with the
    same stale-save check as the editors' form.
    """

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
                if name not in (*TAG_FIELDS, "base_revision") and name not in readonly
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
        if not self.is_tagger_only(request):
            super().save_model(request, obj, form, change)
            return
        # Whoever may only tag leaves the story's text as it was; the save
        # still counts a revision, so an editor's older form cannot quietly
        # undo the new tags, and the history records who tagged.
        obj.updated_by = request.user
        obj.save(update_fields=["updated_by", "updated_at"])

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
        if self.is_tagger_only(request):
            # Tagging opens the change form, not the other actions on stories.
            actions = {
                name: action
                for name, action in actions.items()
                if name in self.tagging_actions
            }
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

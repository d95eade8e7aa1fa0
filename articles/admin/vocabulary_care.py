"""Looking after the vocabulary: topic aliases, renames, merges and the tag log."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import services
from articles.models import (
    MERGE_PERMISSION,
    TagEvent,
    Topic,
    TopicAlias,
    normalize_name,
)
from articles.tagging import EXTRA_NAME_LANGUAGES, vocabulary_changed

from .moderation import HISTORY_LENGTH, action_page, event_table
from .times import local_time


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("merge into"), queryset=Topic.objects.all(), required=True
    )


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

"""The browse page's filters: what a reader may narrow the stories by."""

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Concat
from django.http import QueryDict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from articles.caching import remember
from articles.models import (
    Article,
    Country,
    Section,
    Source,
    TaggedCountry,
    TaggedTopic,
    Topic,
)

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
# Options of a select keep no markup: subsections are indented with em spaces
# (which browsers do not collapse) and marked with a dash.
INDENT = "\u2003\u2003"
SUBSECTION_MARK = "– "


def sections_holding(stories):
    """Sections where some of `stories` is filed, in them or in a subsection."""
    filed = stories.filter(
        Q(section__path=OuterRef("path"))
        | Q(section__path__startswith=Concat(OuterRef("path"), Value("/")))
    )
    return Section.objects.filter(Exists(filed))


def listed_language(data):
    """
    The language whose stories the browse page lists: the `language` in
    `data` when one is given (empty for all languages), else the reader's.
    """
    if data is None or "language" not in data:
        return get_language()
    language = data.get("language")
    return language if language in LANGUAGE_CODES else None


class SectionChoiceField(forms.ModelChoiceField):
    """Sections as an indented tree, named in the reader's language."""

    def label_from_instance(self, obj):
        depth = obj.path.count("/")
        mark = INDENT * depth + SUBSECTION_MARK if depth else ""
        return mark + obj.name_in(get_language())


class SectionFilter(django_filters.ModelChoiceFilter):
    field_class = SectionChoiceField


class ByLabelIterator(forms.models.ModelChoiceIterator):
    def __iter__(self):
        yield from sorted(super().__iter__(), key=lambda choice: choice[1].casefold())


def _html_attrs(attrs):
    """HTML attributes as Django's attrs.html template writes them."""
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html(" {}", name)
                if value is True
                else format_html(' {}="{}"', name, value),
            )
            for name, value in attrs.items()
            if value is not False
        ),
    )


class QuickOptionsMixin:
    """
    Checkboxes and radio buttons written in Python, to the very markup of
    Django's multiple_input.html: through the templates, the browse form's
    80 or so options took a quarter of the page's time.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(format_html("\n  <div><label>{}</label>", group))
            for option in options:
                if not option["wrap_label"]:
                    return super().render(name, value, attrs, renderer)
                target = option["attrs"].get("id")
                parts.append(
                    format_html(
                        '<div>\n    <label{}><input type="{}" name="{}"{}{}>\n'
                        " {}</label>\n\n</div>",
                        format_html(' for="{}"', target) if target else "",
                        option["type"],
                        option["name"],
                        ""
                        if option["value"] is None
                        else format_html(' value="{}"', option["value"]),
                        _html_attrs(option["attrs"]),
                        option["label"],
                    )
                )
            if group:
                parts.append(mark_safe("\n  </div>"))
        outer = {
            key: widget["attrs"][key]
            for key in ("id", "class")
            if widget["attrs"].get(key)
        }
        return format_html(
            "<div{}>{}\n</div>", _html_attrs(outer), mark_safe("".join(parts))
        )


class QuickCheckboxes(QuickOptionsMixin, forms.CheckboxSelectMultiple):
    pass


class QuickRadios(QuickOptionsMixin, forms.RadioSelect):
    pass


class TagChoiceField(forms.ModelMultipleChoiceField):
    """Tags in the alphabetical order of the reader's language."""

    iterator = ByLabelIterator


class TagFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = TagChoiceField


def _sections_for(request):
    """The sections holding public stories in the listed language."""
    stories = Article.objects.published()
    language = listed_language(request.GET if request else None)
    if language:
        stories = stories.in_language(language)
    return sections_holding(stories).order_by("path")


def in_use(model, relation):
    """
    The rows of `model` that some public story points at through
    `relation`: one look-up a row, which stops at the first such story,
    and remembered while the content stays the same.
    """

    def keys():
        stories = Article.objects.published().filter(**{relation: OuterRef("pk")})
        return list(model.objects.filter(Exists(stories)).values_list("pk", flat=True))

    return model.objects.filter(
        pk__in=remember(f"in-use|{model._meta.label}|{relation}", keys)
    )


def _used(model, relation):
    """Tags some public story carries: a reader can only pick those."""

    def queryset(request):
        return in_use(model, relation)

    return queryset


def _tag_filter(queryset, through, tags, match):
    # EXISTS, story by story: a common tag is on half the archive, and its
    # whole set of stories need not be read.
    def tagged(**lookup):
        return Exists(through.objects.filter(content_object=OuterRef("pk"), **lookup))

    if not tags:
        return queryset
    if match == ArticleFilter.MATCH_ALL:
        for tag in tags:
            queryset = queryset.filter(tagged(tag=tag))
        return queryset
    return queryset.filter(tagged(tag__in=tags))


class ArticleFilter(django_filters.FilterSet):
    MATCH_ANY = "any"
    MATCH_ALL = "all"

    section = SectionFilter(
        label=_("Section"),
        queryset=_sections_for,
        to_field_name="path",
        empty_label=_("All sections"),
        method="filter_section",
        help_text=_("Includes its subsections."),
    )
    countries = TagFilter(
        label=_("Countries"),
        queryset=_used(Country, "tagged_countries__tag"),
        method="filter_countries",
        widget=QuickCheckboxes,
    )
    topics = TagFilter(
        label=_("Topics"),
        queryset=_used(Topic, "tagged_topics__tag"),
        to_field_name="slug",
        method="filter_topics",
        widget=QuickCheckboxes,
    )
    match = django_filters.ChoiceFilter(
        label=_("Stories with"),
        choices=[
            (MATCH_ANY, _("any of the chosen countries and topics")),
            (MATCH_ALL, _("all of the chosen countries and topics")),
        ],
        empty_label=None,
        initial=MATCH_ANY,
        widget=QuickRadios,
        method="filter_nothing",
    )
    source = django_filters.ModelChoiceFilter(
        label=_("Source"), queryset=Source.objects.all(), empty_label=_("All sources")
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=settings.LANGUAGES,
        empty_label=_("All languages"),
        help_text=_("Stories in the language of this page unless you choose."),
    )
    date_from = django_filters.DateFilter(
        label=_("Date from"),
        field_name="published_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=_("Date to"),
        field_name="published_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ordering = django_filters.OrderingFilter(
        label=_("Order"),
        fields=[("published_at", "date"), ("headline", "headline")],
        field_labels={
            "published_at": _("Oldest first"),
            "-date": _("Newest first"),
            "headline": _("Headline (A–Z)"),
            "-headline": _("Headline (Z–A)"),
        },
        empty_label=_("Newest first (default)"),
    )

    class Meta:
        model = Article
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        # Readers see stories in their own language unless they pick another
        # one or all of them (an empty `language`).
        data = data.copy() if data is not None else QueryDict(mutable=True)
        data.setdefault("language", get_language())
        # The form is always bound, so initial values are given as data.
        data.setdefault("match", self.MATCH_ANY)
        super().__init__(data, *args, **kwargs)

    def _match(self):
        return self.form.cleaned_data.get("match") or self.MATCH_ANY

    def filter_section(self, queryset, name, section):
        return queryset.in_section(section)

    def filter_countries(self, queryset, name, countries):
        return _tag_filter(queryset, TaggedCountry, countries, self._match())

    def filter_topics(self, queryset, name, topics):
        return _tag_filter(queryset, TaggedTopic, topics, self._match())

    def filter_nothing(self, queryset, name, value):
        return queryset

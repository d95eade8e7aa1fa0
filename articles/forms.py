from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.utils.translation import gettext_lazy as _

from articles import search
from articles.editorial import StaleEditMixin, WorkflowFormMixin
from articles.images import validate_image_upload
from articles.models import Article, Country, Topic
from articles.services import PUBLISH_PERMISSION
from articles.text import make_slug


def tag_field(name, model, label):
    """A typed-tag chooser with the admin's autocomplete."""
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=model.objects.all(),
        required=False,
        widget=AutocompleteSelectMultiple(Article._meta.get_field(name), admin.site),
    )


class ArticleAdminForm(StaleEditMixin, WorkflowFormMixin, forms.ModelForm):
    # The admin sets the user who edits; the form checks what they may change.
    user = None

    countries = tag_field("countries", Country, _("countries"))
    topics = tag_field("topics", Topic, _("topics"))

    class Meta:
        model = Article
        fields = [
            "headline",
            "slug",
            "standfirst",
            "body",
            "lead_image",
            "lead_image_alt",
            "lead_image_caption",
            "lead_image_credit",
            "section",
            "source",
            "byline",
            "language",
            "translation_of",
            "countries",
            "topics",
            "published_at",
            "expires_at",
            "is_featured",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty, the slug is made from the headline the way imports make
        # it (Brücke -> bruecke), which the admin's own JavaScript cannot do.
        slug = self.fields.get("slug")
        if slug is not None:
            slug.required = False
            slug.help_text = _(
                "Part of the story's URL; unique within its language. Leave empty "
                "to make it from the headline."
            )

    def clean_slug(self):
        # The headline comes first in the form, so it is cleaned already.
        slug = self.cleaned_data.get("slug")
        headline = self.cleaned_data.get("headline")
        return slug or (make_slug(headline) if headline else slug)

    def clean_lead_image(self):
        image = self.cleaned_data.get("lead_image")
        # Only a new upload has a content type; a kept image was checked before.
        if image and hasattr(image, "content_type"):
            validate_image_upload(image)
        return image

    def clean(self):
        cleaned = super().clean()
        published = (
            self.instance.pk and self.instance.status == Article.Status.PUBLISHED
        )
        if published and not cleaned.get("published_at"):
            self.add_error(
                "published_at",
                _("A published story needs a publication time."),
            )
        if (
            published
            and self.user is not None
            and not self.user.has_perm(PUBLISH_PERMISSION)
        ):
            for name in {"published_at", "expires_at"} & set(self.changed_data):
                self.add_error(
                    name, _("You may not reschedule or expire published stories.")
                )
        starts, ends = cleaned.get("published_at"), cleaned.get("expires_at")
        if starts and ends and ends <= starts:
            self.add_error(
                "expires_at", _("The expiry time must be after the publication time.")
            )
        version_of = cleaned.get("translation_of")
        if version_of is not None:
            if self.instance.pk and version_of.pk == self.instance.pk:
                self.add_error(
                    "translation_of", _("A story cannot be its own version.")
                )
            elif version_of.language == cleaned.get("language"):
                self.add_error(
                    "translation_of",
                    _("The other version must be in another language."),
                )
        return cleaned


class SearchForm(forms.Form):
    """The reader's search box; the words it finds go to `articles.search`."""

    q = forms.CharField(
        label=_("Search for"),
        max_length=search.MAX_QUERY_LENGTH,
        required=False,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
        error_messages={
            "max_length": _("Please search for at most %(limit_value)d characters.")
        },
    )

    def clean_q(self):
        query = self.cleaned_data["q"]
        if query and not search.search_terms(query):
            raise forms.ValidationError(
                _(
                    "Please search for words or numbers: punctuation alone finds nothing."
                )
            )
        return query

    @property
    def terms(self):
        """The words to search for; empty unless the form is valid."""
        return search.search_terms(self.cleaned_data["q"]) if self.is_valid() else []

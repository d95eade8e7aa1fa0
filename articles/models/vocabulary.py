import functools

from babel import Locale
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from taggit.models import TagBase

from articles.text import make_slug

from .names import usable_names, validate_names


@functools.lru_cache(maxsize=32)
def _locale(language):
    return Locale.parse((language or "en").replace("-", "_"))


class Country(TagBase):
    """A country, one concept whatever the language: keyed by ISO 3166-1."""

    code = models.CharField(
        _("ISO code"),
        max_length=2,
        primary_key=True,
        help_text=_("ISO 3166-1 alpha-2, in capitals: KZ, CN."),
    )

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name"]

    def __str__(self):
        return self.localized_name

    def save(self, *args, **kwargs):
        self.code = self.code.upper()
        if not self.slug:
            self.slug = self.code.lower()
        if not self.name:
            self.name = self.name_in("de")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:country", kwargs={"slug": self.slug})

    def name_in(self, language):
        """The CLDR name in `language`: KZ is Kasachstan in German."""
        return _locale(language).territories.get(self.code, self.name or self.code)

    @property
    def localized_name(self):
        return self.name_in(get_language())


class Topic(TagBase):
    """A subject with a stable slug (bri, sco) and a name in every language."""

    slug = models.SlugField(
        _("slug"),
        unique=True,
        max_length=100,
        blank=True,
        help_text=_(
            "Part of the topic's address, in plain letters a-z, digits and "
            "hyphens. Leave empty to make it from the name."
        ),
    )
    names = models.JSONField(
        _("names in other languages"),
        default=dict,
        blank=True,
        help_text=_('Language code to name, for example {"en": "Trade"}.'),
        validators=[validate_names],
    )

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self):
        return self.localized_name

    def get_absolute_url(self):
        return reverse("articles:topic", kwargs={"slug": self.slug})

    def clean(self):
        if self.names is None:
            self.names = {}
        if not self.slug and self.name:
            self.slug = self.slugify(self.name)

    def slugify(self, tag, i=None):
        """An ASCII slug: addresses match only a-z, digits and hyphens."""
        suffix = "" if i is None else f"-{i}"
        return make_slug(tag, max_length=100 - len(suffix)) + suffix

    def name_in(self, language):
        return usable_names(self.names).get(language) or self.name

    @property
    def localized_name(self):
        return self.name_in(get_language())

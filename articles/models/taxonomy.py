from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.text import make_slug

from .names import usable_names, validate_names


class Section(models.Model):
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent section"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("Leave empty for a top-level section."),
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("In the edition's language, as the breadcrumb shows it."),
    )
    names = models.JSONField(
        _("names in other languages"),
        default=dict,
        blank=True,
        help_text=_('Language code to name, for example {"en": "News"}.'),
        validators=[validate_names],
    )
    slug = models.SlugField(_("slug"), max_length=100)
    path = models.CharField(
        _("path"),
        max_length=500,
        unique=True,
        editable=False,
        help_text=_("The slugs from the top section down; part of the URL."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Lower numbers come first.")
    )

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "slug"], name="section_slug_unique_in_parent"
            ),
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(parent__isnull=True),
                name="section_slug_unique_at_top",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="section_not_own_parent"
            ),
        ]

    def __str__(self):
        return " › ".join(section.name for section in self.lineage())

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = make_slug(self.name, max_length=100)
        old_path = self.path
        self.path = f"{self.parent.path}/{self.slug}" if self.parent_id else self.slug
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # Keep the subtree's stored paths in step with the new position.
            for child in self.children.all():
                child.save()

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"path": self.path})

    def clean(self):
        if self.names is None:
            self.names = {}
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError(
                    {"parent": _("A section cannot sit inside itself.")}
                )
            ancestor = ancestor.parent

    def name_in(self, language):
        return usable_names(self.names).get(language) or self.name

    def lineage(self):
        """This section and its ancestors, top first (one query a level)."""
        chain = []
        section = self
        while section is not None:
            chain.append(section)
            section = section.parent
        return chain[::-1]

    def descendant_paths_filter(self, prefix="section__"):
        """A Q matching this section and every section below it."""
        return Q(**{f"{prefix}path": self.path}) | Q(
            **{f"{prefix}path__startswith": f"{self.path}/"}
        )


class Source(models.Model):
    short_name = models.CharField(
        _("short name"),
        max_length=50,
        unique=True,
        help_text=_("As the dateline credits it, for example CRI."),
    )
    full_name = models.CharField(
        _("full name"),
        max_length=200,
        blank=True,
        help_text=_("For example China Radio International."),
    )
    homepage = models.URLField(_("homepage"), blank=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["short_name"]

    def __str__(self):
        if self.full_name and self.full_name != self.short_name:
            return f"{self.short_name} ({self.full_name})"
        return self.short_name

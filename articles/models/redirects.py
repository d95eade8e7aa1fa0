from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleSlugHistory(models.Model):
    """A slug a story was once published under, so its old URL still leads to it."""

    article = models.ForeignKey(
        "Article",
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        related_name="old_slugs",
    )
    language = models.CharField(_("language"), max_length=10)
    slug = models.SlugField(_("old slug"), max_length=200)
    created_at = models.DateTimeField(_("replaced at"), auto_now_add=True)

    class Meta:
        verbose_name = _("former slug")
        verbose_name_plural = _("former slugs")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "slug"], name="old_slug_unique_in_language"
            )
        ]

    def __str__(self):
        return self.slug

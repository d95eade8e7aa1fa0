"""
The full-text index of stories, one implementation a database backend.

PostgreSQL keeps a weighted tsvector per story with a GIN index; SQLite keeps
an FTS5 virtual table of Snowball-stemmed text. Both are derived data, kept
current by `articles.search.search_index_update()` on every save, and may
hold stories readers cannot see: every search starts from `published()`.
Neither holds a foreign-key constraint (the FTS5 table cannot, and the
model exists on one backend only): the entry of a deleted story matches no
story any more, and `rebuild_search_index` clears it.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from .article import Article


class SearchDocument(models.Model):
    """A story's search vector on PostgreSQL (headline A, standfirst B, body C)."""

    article = models.OneToOneField(
        Article,
        verbose_name=_("story"),
        primary_key=True,
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="search_document",
    )
    text = models.TextField(
        _("plain text"), blank=True, help_text=_("Standfirst and body without markup.")
    )
    vector = SearchVectorField(_("search vector"), null=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        required_db_vendor = "postgresql"
        indexes = [GinIndex(fields=["vector"], name="search_vector_gin")]

    def __str__(self):
        return str(self.article_id)


class FullTextEntry(models.Model):
    """
    A row of SQLite's FTS5 table, which a migration creates only on SQLite.
    `match` is FTS5's hidden column named after the table (`WHERE table =
    'query'` is a full-text match) and `rank` its BM25 score, lower is
    better. Stories join on an UNINDEXED copy of the key rather than on the
    rowid: with a rowid join, SQLite's planner may run one full-text query a
    story instead of one in all.
    """

    article = models.OneToOneField(
        Article,
        primary_key=True,
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="fulltext_entry",
    )
    match = models.TextField(db_column="articles_fulltext")
    rank = models.FloatField(db_column="rank")

    class Meta:
        managed = False
        db_table = "articles_fulltext"

    def __str__(self):
        return str(self.article_id)

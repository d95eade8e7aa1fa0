"""
The public content's generation: a number that grows with every write to
what readers see, in whatever process, by whatever path (the admin, a
service's bulk update, an import command, a raw statement). The page cache
keeps a page only as long as the number it was rendered under is current.

Writes are seen where they happen, in the database connection: every
INSERT, UPDATE or DELETE on one of this app's public tables bumps the
number in the same transaction, so a rolled-back change bumps nothing and a
committed one is never missed.
"""

import re

from django.db import connections, models
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

TABLE = "articles_pagegeneration"
# Tables whose rows never reach a public page: the moderation log and queue.
PRIVATE_TABLES = frozenset({TABLE, "articles_tagevent", "articles_tagsuggestion"})
WRITE = re.compile(
    r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(articles_\w+)',
    re.IGNORECASE,
)


class PageGeneration(models.Model):
    """One row: the generation of the public content."""

    number = models.BigIntegerField(_("generation"), default=0)

    class Meta:
        db_table = TABLE
        verbose_name = _("page generation")
        verbose_name_plural = _("page generations")

    def __str__(self):
        return str(self.number)


def current(using="default"):
    """The current generation; None when it is not kept (yet)."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT number FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def bump(connection):
    """Count one more change; make the row if a flush took it away."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET number = number + 1 WHERE id = 1")
        if cursor.rowcount == 0:
            cursor.execute(f"INSERT INTO {TABLE} (id, number) VALUES (1, 1)")


def _table_exists(connection):
    # Known once true: the table is only ever made by a migration, before
    # any write the site does, and never dropped while serving.
    if not getattr(connection, "_page_generation_kept", False):
        connection._page_generation_kept = (
            TABLE in connection.introspection.table_names()
        )
    return connection._page_generation_kept


def watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    written = WRITE.match(sql)
    if written and written.group(1).lower() not in PRIVATE_TABLES:
        connection = context["connection"]
        if _table_exists(connection):
            bump(connection)
    return result


def _watch(sender, connection, **kwargs):
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


def watch_connections():
    """Watch every connection, those open already and those to come."""
    connection_created.connect(_watch, dispatch_uid="articles.page_generation")
    for connection in connections.all(initialized_only=True):
        _watch(None, connection)

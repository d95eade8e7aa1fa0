from django.core.management.base import BaseCommand
from django.db import connections

from articles.models import Article
from articles.search import index_all


class Command(BaseCommand):
    help = (
        "Rebuild the full-text index of every story from scratch: after bulk "
        "inserts, restores or an upgrade of the stemmer."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--database", default="default", help="The database to index."
        )

    def handle(self, *args, database, **options):
        count = index_all(
            Article.objects.using(database).order_by("pk"),
            using=connections[database],
        )
        self.stdout.write(f"Indexed {count} stor{'y' if count == 1 else 'ies'}.")

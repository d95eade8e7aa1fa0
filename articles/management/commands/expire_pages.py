from django.core.management.base import BaseCommand
from django.db import connection

from articles.models import generation


class Command(BaseCommand):
    help = (
        "Make every page in the page cache old, after a change made outside "
        "Django (the site's own writes do this by themselves)."
    )

    def handle(self, *args, **options):
        generation.bump(connection)
        self.stdout.write(f"Page generation is now {generation.current()}.")

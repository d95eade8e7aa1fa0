from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from articles.demo import demo_load
from articles.models import Article

DEMO_DIR = Path(settings.BASE_DIR) / "demo" / "stories"
MANIFEST = Path(settings.BASE_DIR) / "demo" / "manifest.json"


class Command(BaseCommand):
    help = (
        "Load the demo content (the stories under demo/stories, with the tags, "
        "images and language versions demo/manifest.json gives them) into an "
        "empty database. A database that already holds stories is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Import even when stories exist (re-imports update them).",
        )

    def handle(self, *args, force, **options):
        if Article.objects.exists() and not force:
            self.stdout.write(
                "Stories exist already; the demo content is not loaded again."
            )
            return
        count = demo_load(DEMO_DIR, MANIFEST)
        self.stdout.write(self.style.SUCCESS(f"{count} demo stories loaded."))

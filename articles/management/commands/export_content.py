from django.core.management.base import BaseCommand, CommandError

from articles.services import content_export


class Command(BaseCommand):
    help = (
        "Write all content (sections, sources, used or changed countries, "
        "topics, stories, tags, language links, media files; history with "
        "--with-history) into one zip archive that import_content reads."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", metavar="OUT.zip")
        parser.add_argument(
            "--with-history",
            action="store_true",
            help="Include every saved version of every story.",
        )

    def handle(self, *args, out, with_history, **options):
        try:
            manifest = content_export(out, with_history=with_history)
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error}") from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"Exported {rows} rows and {len(manifest['media'])} media files to {out}."
        )

from django.core.management.base import BaseCommand, CommandError

from articles.services import TransferError, content_import


class Command(BaseCommand):
    help = (
        "Recreate the content of an export_content archive in an empty "
        "database. A non-empty database, or a damaged, foreign or newer "
        "archive, is refused with nothing written."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", metavar="IN.zip")

    def handle(self, *args, source, **options):
        try:
            imported = content_import(source)
        except TransferError as error:
            raise CommandError(f"Nothing imported. {error}") from None
        self.stdout.write(f"Imported {sum(imported.values())} rows from {source}.")

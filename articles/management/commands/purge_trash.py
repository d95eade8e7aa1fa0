import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.services import trash_purge


class Command(BaseCommand):
    help = (
        "Delete for good the stories that have been in the trash longer than "
        "--older-than days (NEWSROOM_TRASH_DAYS by default)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=settings.NEWSROOM_TRASH_DAYS,
            metavar="DAYS",
            help="Purge what has been in the trash this many days or longer.",
        )

    def handle(self, *args, older_than, **options):
        if older_than < 0:
            raise CommandError("--older-than must be zero or more days.")
        count = trash_purge(older_than=datetime.timedelta(days=older_than))
        self.stdout.write(f"Purged {count} stories from the trash.")

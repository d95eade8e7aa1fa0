from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.models import Article
from articles.plaintext import ParseError, parse_story
from articles.services import article_import_text

MAX_FILE_BYTES = 2 * 1024 * 1024


def _count(number, noun):
    """1 file, 2 files: the command speaks English, as its messages do."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def story_files(paths):
    """Yield (path, error) for each file named or found in a named folder."""
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.txt") if p.is_file())
            if not found:
                yield path, "the folder holds no .txt files"
            for file in found:
                yield file, None
        elif path.is_file():
            yield path, None
        else:
            yield path, "no such file or folder"


class Command(BaseCommand):
    help = (
        "Import stories from plain-text files in the network's layout (site "
        "name, breadcrumb, headline, dateline, paragraphs). Folders are "
        "searched for .txt files. A re-import updates the same story."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--status",
            choices=Article.Status.values,
            default=Article.Status.PUBLISHED,
            help="Status of the imported stories (default: published, at the "
            "dateline's date).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Parse and report, write nothing.",
        )

    def handle(self, *args, paths, status, dry_run, **options):
        failed = imported = 0
        for path, error in story_files(paths):
            if error is None:
                error = self.import_file(path, status=status, dry_run=dry_run)
            if error:
                failed += 1
                self.stderr.write(f"{path}: error: {error}")
            else:
                imported += 1
        verb = "parsed" if dry_run else "imported"
        summary = f"{_count(imported, 'file')} {verb}, {failed} failed."
        if failed:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))

    def import_file(self, path, *, status, dry_run):
        """Import one file; return an error message, or None."""
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                return f"the file is larger than {MAX_FILE_BYTES // 1024} KiB"
            data = path.read_bytes()
        except OSError as error:
            return f"cannot read the file ({error.strerror})"
        try:
            parsed = parse_story(data)
        except ParseError as error:
            return str(error)
        for line, warning in parsed.warnings:
            self.stderr.write(f"{path}: line {line}: warning: {warning}")
        where = " > ".join(parsed.sections)
        if dry_run:
            self.stdout.write(
                f"{path}: would import {parsed.headline!r} ({parsed.language}, "
                f"{parsed.published_on}, {where}, "
                f"{_count(len(parsed.paragraphs), 'paragraph')})"
            )
            return None
        article, created = article_import_text(parsed, status=status)
        self.stdout.write(
            f"{path}: {'created' if created else 'updated'} {article.headline!r} "
            f"({article.language}, {parsed.published_on}, {where})"
        )
        return None

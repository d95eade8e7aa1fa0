import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.plaintext import ParseError, parse_story
from articles.tagging import get_matcher

from .import_text import MAX_FILE_BYTES


class Command(BaseCommand):
    help = (
        "Print the countries and topics the vocabulary finds in story files "
        "(the network's plain-text layout), one JSON line a file. Writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args, files, **options):
        matcher = get_matcher()
        failed = 0
        for name in files:
            try:
                parsed = self.parse(Path(name))
            except (OSError, ParseError) as error:
                failed += 1
                reason = error.strerror if isinstance(error, OSError) else error
                self.stderr.write(f"{name}: error: {reason}")
                continue
            text = "\n".join([parsed.headline, parsed.standfirst, *parsed.paragraphs])
            found = matcher.suggest(text, parsed.language)
            self.stdout.write(json.dumps({"file": name, **found}, ensure_ascii=False))
        if failed:
            raise CommandError(f"{failed} of {len(files)} file(s) could not be read.")

    def parse(self, path):
        if path.is_dir():
            raise ParseError("a folder, not a story file")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ParseError(f"the file is larger than {MAX_FILE_BYTES // 1024} KiB")
        return parse_story(path.read_bytes())

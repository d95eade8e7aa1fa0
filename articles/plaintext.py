"""
The plain-text story layout of the network's sites, as in the seed:

    Nachrichtenverbund der Seidenstraßen-Initiative          site name
    BRNN>>„Belt and Road“-Nachrichtennetzwerk>>BRI-Nachrichten>>Aktuelles
    Xi Jinping zu Staatsbesuch in Kasachstan                   headline
    Freitag, 16. September 2022 Quelle : CRI                   dateline
    Der chinesische Staatspräsident ...                        paragraphs

English files write the dateline `Friday, 16 September 2022 Source : CRI`.
Parsing never touches the database; `services.article_import_text` writes.
"""

import datetime
import functools
import re
import unicodedata
from dataclasses import dataclass, field

from babel import Locale
from django.conf import settings

# The word before the agency in each language's dateline.
SOURCE_LABELS = {"de": "Quelle", "en": "Source"}

_DATELINE = re.compile(
    r"^(?P<weekday>[^\W\d_]+),\s*(?P<date>.+?)"
    r"(?:\s+(?P<label>[^\W\d_]+)\s*:\s*(?P<source>.*))?$"
)
_DAY_MONTH_YEAR = re.compile(
    r"^(?P<day>\d{1,2})\.?\s+(?P<month>[^\W\d_]+)\.?\s+(?P<year>\d{4})$"
)
_MONTH_DAY_YEAR = re.compile(
    r"^(?P<month>[^\W\d_]+)\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})$"
)

MAX_HEADLINE = 300
MAX_SECTION_NAME = 100
MAX_SOURCE_NAME = 50


class ParseError(Exception):
    def __init__(self, message, line=None):
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self):
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass
class ParsedStory:
    site_name: str
    network: list
    sections: list
    headline: str
    standfirst: str
    published_on: datetime.date
    language: str
    source: str
    paragraphs: list
    warnings: list = field(default_factory=list)


@functools.cache
def _calendar(language):
    """Lower-cased month and weekday names of `language`, from CLDR."""
    locale = Locale.parse(language)
    months, weekdays = {}, {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in locale.months[context][width].items():
                months[name.lower().rstrip(".")] = number
            for number, name in locale.days[context][width].items():
                weekdays[name.lower().rstrip(".")] = number  # Monday is 0
    return months, weekdays


def _languages():
    return [code for code, _name in settings.LANGUAGES if code in SOURCE_LABELS]


def _normalize(name):
    return re.sub(r"[\W_]+", "", name.casefold())


def parse_dateline(text, line=None):
    """Return (date, language, source, warnings) or None if `text` is no dateline."""
    match = _DATELINE.match(text)
    if not match:
        return None
    weekday = match["weekday"].lower()
    label = match["label"]
    candidates = [lang for lang in _languages() if weekday in _calendar(lang)[1]]
    if label:
        labelled = [
            lang
            for lang in _languages()
            if SOURCE_LABELS[lang].lower() == label.lower()
        ]
        if not labelled:
            # "Montag, 3. Mai 2021 Foo: bar" is a date with junk, not a dateline
            # of a known language; the caller reports it if nothing else fits.
            candidates = []
        else:
            candidates = [lang for lang in candidates if lang in labelled] or labelled
    if not candidates:
        return None
    language = candidates[0]
    date_text = match["date"].strip()
    parts = _DAY_MONTH_YEAR.match(date_text) or _MONTH_DAY_YEAR.match(date_text)
    if not parts:
        raise ParseError(
            f"the dateline's date {date_text!r} is not written as day, month, year",
            line,
        )
    months, weekdays = _calendar(language)
    if weekday not in weekdays:
        raise ParseError(
            f"unknown weekday {match['weekday']!r} in a dateline that says "
            f"{SOURCE_LABELS[language]!r}",
            line,
        )
    month = months.get(parts["month"].lower())
    if month is None:
        raise ParseError(f"unknown month name {parts['month']!r} in the dateline", line)
    try:
        date = datetime.date(int(parts["year"]), month, int(parts["day"]))
    except ValueError:
        raise ParseError(
            f"impossible date in the dateline: {date_text}",
            line,
        ) from None
    warnings = []
    if weekdays[weekday] != date.weekday():
        warnings.append(
            (
                line,
                f"the weekday {match['weekday']!r} does not match {date.isoformat()}",
            )
        )
    source = (match["source"] or "").strip()
    if not label:
        warnings.append((line, "the dateline names no source"))
    elif not source:
        raise ParseError(f"the dateline's '{label} :' names no source", line)
    if len(source) > MAX_SOURCE_NAME:
        raise ParseError(
            f"the source name is longer than {MAX_SOURCE_NAME} characters", line
        )
    return date, language, source, warnings


def decode(data):
    """Bytes of a story file to text, or a ParseError saying why not."""
    if not data.strip():
        raise ParseError("the file is empty")
    if b"\x00" in data:
        raise ParseError("the file is binary, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ParseError("the file is not UTF-8 text (wrong encoding)", line) from None
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    for number, content in enumerate(text.split("\n"), start=1):
        if any(unicodedata.category(char) == "Cc" and char != "\t" for char in content):
            raise ParseError("the line holds control characters", number)
    return text


def parse_story(data, *, network_names=None):
    """Parse one story file's bytes into a ParsedStory, or raise ParseError."""
    if network_names is None:
        network_names = settings.NEWSROOM_NETWORK_NAMES
    text = decode(data)
    lines = [
        (number, content.strip())
        for number, content in enumerate(text.split("\n"), start=1)
        if content.strip()
    ]
    if not lines:
        raise ParseError("the file is empty")

    if ">>" in lines[0][1]:
        site_name, crumb_index = "", 0
    elif len(lines) > 1 and ">>" in lines[1][1]:
        site_name, crumb_index = lines[0][1], 1
    else:
        raise ParseError(
            "no breadcrumb: expected a line of '>>'-separated names "
            "(the network, then the sections) after the site's name",
            lines[min(1, len(lines) - 1)][0],
        )
    crumb_line, crumb_text = lines[crumb_index]
    crumbs = [crumb.strip() for crumb in crumb_text.split(">>")]
    if any(not crumb for crumb in crumbs):
        raise ParseError("the breadcrumb has an empty name", crumb_line)
    known = {_normalize(name) for name in network_names}
    network = crumbs[:1]
    for crumb in crumbs[1:]:
        if _normalize(crumb) not in known:
            break
        network.append(crumb)
    sections = crumbs[len(network) :]
    if not sections:
        raise ParseError("the breadcrumb names the network but no section", crumb_line)
    for name in sections:
        if len(name) > MAX_SECTION_NAME:
            raise ParseError(
                f"the section name {name[:40]!r}… is longer than "
                f"{MAX_SECTION_NAME} characters",
                crumb_line,
            )

    dateline_index = None
    for index in range(crumb_index + 1, len(lines)):
        number, content = lines[index]
        parsed = parse_dateline(content, number)
        if parsed is not None:
            dateline_index = index
            break
    if dateline_index is None:
        raise ParseError(
            "no dateline: expected a line such as "
            "'Freitag, 16. September 2022 Quelle : CRI' after the headline",
            lines[min(crumb_index + 2, len(lines) - 1)][0],
        )
    published_on, language, source, warnings = parsed
    headings = [content for _number, content in lines[crumb_index + 1 : dateline_index]]
    if not headings:
        raise ParseError("the headline is missing before the dateline", number)
    headline, standfirst = headings[0], " ".join(headings[1:])
    if len(headline) > MAX_HEADLINE:
        raise ParseError(
            f"the headline is longer than {MAX_HEADLINE} characters",
            lines[crumb_index + 1][0],
        )
    paragraphs = [content for _number, content in lines[dateline_index + 1 :]]
    if not paragraphs:
        raise ParseError("the story has no body after the dateline", number)
    return ParsedStory(
        site_name=site_name,
        network=network,
        sections=sections,
        headline=headline,
        standfirst=standfirst,
        published_on=published_on,
        language=language,
        source=source,
        paragraphs=paragraphs,
        warnings=warnings,
    )

"""Text helpers shared by models, forms and imports: slugs and HTML."""

import html
import re
import unicodedata

import nh3
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify
from django_prose_editor.config import allowlist_from_extensions, expand_extensions

# What the body editor can produce; the server-side allow-list is derived
# from the same configuration, so the editor and the sanitiser never drift.
BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "History": True,
}

_allowlist = allowlist_from_extensions(expand_extensions(BODY_EXTENSIONS))
_allowlist["url_schemes"] = {"http", "https", "mailto"}
_allowlist["link_rel"] = "noopener noreferrer"
_allowlist["attributes"]["a"] = {"href", "title"}
_cleaner = nh3.Cleaner(**_allowlist)

_EMPTY_PARAGRAPH = re.compile(r"^\s*(<p>\s*</p>)?\s*$")

# Tags that end a line of text: their words never run into the next block's.
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|h[1-6]|ul|ol|li|dl|dt|dd|blockquote|pre|hr|br|figure|figcaption"
    r"|table|thead|tbody|tfoot|tr|th|td|section|article|aside|header|footer)\b[^>]*>",
    re.IGNORECASE,
)
_SPACE = re.compile(r"\s+")

TEASER_WORDS = 30

# German letters that ASCII slugs spell out rather than drop.
_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)

# Slashes and the minus sign part words as dashes do.
_SEPARATORS = set("/\\\u2044\u2215\u2212")


def _spaced(text):
    """`text` with every dash (en, em, non-breaking hyphen...) and slash a space."""
    return "".join(
        " " if char in _SEPARATORS or unicodedata.category(char) == "Pd" else char
        for char in text
    )


def sanitize_html(html):
    """Return `html` reduced to what the body editor can produce."""
    cleaned = _cleaner.clean(html or "")
    return "" if _EMPTY_PARAGRAPH.match(cleaned) else cleaned


def make_slug(text, max_length=200):
    """An ASCII slug that keeps German words readable (Zölle -> zoelle)."""
    # slugify() would drop dashes and glue China–Kirgisistan together.
    spaced = _spaced(unicodedata.normalize("NFKC", text))
    ascii_text = spaced.translate(_TRANSLITERATION)
    slug = slugify(ascii_text)[:max_length].strip("-")
    return slug or "story"


def plain_text(markup):
    """The text of body HTML, blocks separated by one space, entities decoded."""
    text = strip_tags(_BLOCK_TAG.sub(" ", markup or ""))
    return _SPACE.sub(" ", html.unescape(text)).strip()


def teaser(article, words=TEASER_WORDS):
    """A story's standfirst, or else the start of its body as plain text."""
    if article.standfirst:
        return article.standfirst
    return Truncator(plain_text(article.body)).words(int(words))

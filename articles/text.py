"""Text helpers shared by models, forms and imports: slugs and HTML."""

import re
import unicodedata

import nh3
from django.utils.text import slugify
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

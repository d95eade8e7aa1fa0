"""
Tag suggestions: which countries and topics a story's text names.

The matcher turns every name of the vocabulary (country names in the
configured languages and Russian, adjectives, demonyms and cities of the
network's core countries, topic names and aliases) into word forms, and the
forms into a trie over words. A scan splits the text into words once and
walks the trie from each word: the cost grows with the text, not with the
vocabulary. Word forms are spelled out in advance (Kasachstan, Kasachstans;
kasachisch, kasachische, kasachischen ...), so `Oman` never matches inside
`Romanen` and `Peru` never inside `Perücke`.

One matcher is built per process and rebuilt when the vocabulary changes
(`vocabulary_changed()` after a write, or a new topic or alias in the database).
"""

import functools
import html
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field

from babel import Locale
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.http import Http404, HttpResponsePermanentRedirect

from articles.models import Country, Topic, TopicAlias, TopicRedirect, usable_names

from .country_words import COUNTRY_WORDS

# Country names are matched in the story's language, and Russian everywhere.
EXTRA_NAME_LANGUAGES = ["ru"]

# CLDR decorates a few names ("Sonderverwaltungsregion Hongkong", "Myanmar
# (Burma)"); stories write the plain name.
_DECORATION = re.compile(r"\s*\(.*?\)|^Sonderverwaltungsregion\s+|\s+SAR China$")
WORD = re.compile(r"\w+")
TAG = re.compile(r"<[^>]+>")

GERMAN_ADJECTIVE_ENDINGS = ("", "e", "en", "er", "es", "em")
RUSSIAN_ADJECTIVE_ENDINGS = ("ий", "ого", "ому", "им", "ом", "ая", "ой", "ую", "ое", "ие", "их", "ими")  # fmt: skip
VOCABULARY_VERSION_KEY = "tagging:vocabulary-version"


def words(text):
    """The words of `text` as written: Nur-Sultan is Nur, Sultan."""
    return WORD.findall(text)


def _german_forms(word):
    """The forms a German word of a name takes: Kasachstan, Kasachstans."""
    lowered = word.lower()
    if len(word) <= 3:
        return {lowered}
    if word.islower():
        # An adjective: kasachisch, kasachische, ...; grüne Energie, grüner Energie.
        stem = re.sub(r"(e|en|er|es|em)$", "", lowered)
        return {stem + ending for ending in GERMAN_ADJECTIVE_ENDINGS}
    if lowered.endswith("e"):
        return {lowered, lowered + "n", lowered + "s"}
    if lowered.endswith(("el", "er")):
        # Not Handel -> handeln, a verb.
        return {lowered, lowered + "s"}
    if lowered[-1] in "aiouyäöü":
        return {lowered, lowered + "s"}
    if lowered.endswith(("s", "z", "x", "ß")):
        return {lowered, lowered + "es"}
    return {lowered, lowered + "s", lowered + "es", lowered + "e", lowered + "en"}


def _english_forms(word):
    lowered = word.lower()
    if lowered.endswith(("s", "x", "sh", "ch")):
        return {lowered, lowered + "es"}
    return {lowered, lowered + "s"}


def _russian_forms(word):
    lowered = word.lower()
    if lowered.endswith("ий"):
        stem = lowered[:-2]
        return {stem + ending for ending in RUSSIAN_ADJECTIVE_ENDINGS}
    if lowered.endswith("ия"):
        stem = lowered[:-1]
        return {lowered, stem + "и", stem + "ю", stem + "ей"}
    if lowered.endswith(("а", "я")):
        stem = lowered[:-1]
        return {lowered, stem + "ы", stem + "и", stem + "е", stem + "у", stem + "ой"}
    if lowered.endswith("й"):
        stem = lowered[:-1]
        return {lowered, stem + "я", stem + "ю", stem + "ем", stem + "е"}
    if lowered[-1:] in "бвгджзклмнпрстфхцчшщ":
        return {lowered, lowered + "а", lowered + "у", lowered + "е", lowered + "ом"}
    return {lowered}


FORMS = {"de": _german_forms, "en": _english_forms, "ru": _russian_forms}


def _phrase_forms(name, language):
    """Each word of `name` with the forms it takes: [{forms}, {forms}, ...]."""
    tokens = words(name)
    if not tokens:
        return []
    if language == "en":
        # English inflects a name's last word only (freight trains).
        return [{t.lower()} for t in tokens[:-1]] + [_english_forms(tokens[-1])]
    make = FORMS.get(language)
    if make is None:
        return [{t.lower()} for t in tokens]
    if language == "de":
        # Before a noun, a word with an adjective's ending declines like one:
        # Grüne Energie, grüner Energie; Neue Seidenstraße, der Neuen Seidenstraße.
        tokens = [
            token.lower() if re.search(r"(e|en|er|es|em)$", token) else token
            for token in tokens[:-1]
        ] + tokens[-1:]
    return [make(token) for token in tokens]


@dataclass
class Match:
    kind: str
    key: str
    count: int = 0
    texts: list = field(default_factory=list)

    @property
    def matched_text(self):
        """The distinct spellings found, most frequent first."""
        seen = defaultdict(int)
        for text in self.texts:
            seen[text] += 1
        return ", ".join(sorted(seen, key=lambda t: -seen[t]))[:200]


class Matcher:
    """A trie over words: node = (children, entries). Build once, scan often."""

    def __init__(self):
        self.root = {}
        self.prefixes = {}  # first letters of a word -> entries
        self.prefix_lengths = set()

    def add(self, name, kind, key, *, language="", languages=None):
        """Add `name` for the tag (kind, key); `languages` limits where it counts."""
        if name.endswith("*"):
            stem = name[:-1].lower()
            self.prefixes.setdefault(stem, []).append((kind, key, languages, None))
            self.prefix_lengths.add(len(stem))
            return
        exact = name if name.isupper() and len(name) <= 5 else None
        levels = _phrase_forms(name, language)
        if not levels:
            return
        parents = [self.root]
        for forms in levels:
            reached = {}
            for children in parents:
                for form in forms:
                    node = children.setdefault(form, ({}, []))
                    reached[id(node)] = node
            last = reached
            parents = list({id(n[0]): n[0] for n in reached.values()}.values())
        entry = (kind, key, languages, exact)
        for _children, entries in last.values():
            if entry not in entries:
                entries.append(entry)

    def _prefix_entries(self, token):
        return [
            entry
            for length in self.prefix_lengths
            if len(token) > length
            for entry in self.prefixes.get(token[:length], ())
        ]

    def scan(self, text, language=None):
        """Matches in `text` as {(kind, key): Match}; `text` may hold HTML."""
        plain = html.unescape(TAG.sub(" ", text))
        originals = words(plain)
        root = self.root
        # Lower-case each distinct word once; only words that begin a name or
        # match a prefix can start a match, so walk the trie from those alone.
        lowered = {word: word.lower() for word in set(originals)}
        by_prefix = {}
        if self.prefixes:
            for word in lowered.values():
                if word not in root:
                    entries = self._prefix_entries(word)
                    if entries:
                        by_prefix[word] = entries
        starters = {
            word
            for word, lower in lowered.items()
            if lower in root or lower in by_prefix
        }
        found = {}
        total = len(originals)
        free = 0  # where the last match ended; matches do not overlap
        for index in [i for i, word in enumerate(originals) if word in starters]:
            if index < free:
                continue
            best_end, best_entries = index, None
            node = root.get(lowered[originals[index]])
            position = index
            while node is not None:
                children, entries = node
                position += 1
                if entries:
                    best_end, best_entries = position, entries
                if position >= total:
                    break
                node = children.get(lowered[originals[position]])
            if best_entries is None:
                best_entries = by_prefix.get(lowered[originals[index]])
                if best_entries is None:
                    continue
                best_end = index + 1
            original = " ".join(originals[index:best_end])
            counted = set()
            for kind, key, languages, exact in best_entries:
                if languages is not None and language and language not in languages:
                    continue
                if (exact is not None and original != exact) or (kind, key) in counted:
                    continue
                counted.add((kind, key))
                match = found.get((kind, key))
                if match is None:
                    match = found[(kind, key)] = Match(kind, key)
                match.count += 1
                match.texts.append(original)
            free = best_end
        return found

    def suggest(self, text, language=None):
        """{"countries": [codes], "topics": [slugs]} for `text`."""
        found = self.scan(text, language)
        return {
            "countries": sorted(k for kind, k in found if kind == "country"),
            "topics": sorted(k for kind, k in found if kind == "topic"),
        }


def _clean_country_name(name):
    return _DECORATION.sub("", name).replace("&", "und").strip()


@functools.cache
def _territories(language):
    return Locale.parse(language).territories


def build_matcher(countries=None, topics=None):
    """A matcher over the vocabulary in the database (or the ones given)."""
    if countries is None:
        countries = list(Country.objects.values_list("code", flat=True))
    if topics is None:
        topics = list(Topic.objects.prefetch_related("aliases"))
    matcher = Matcher()
    languages = [code for code, _name in settings.LANGUAGES]
    known = set(countries)
    for code in countries:
        for language in [*languages, *EXTRA_NAME_LANGUAGES]:
            name = _territories(language).get(code)
            if not name:
                continue
            only = None if language in EXTRA_NAME_LANGUAGES else {language}
            matcher.add(
                _clean_country_name(name), "country", code, language=language,
                languages=only,
            )  # fmt: skip
    for code, forms in COUNTRY_WORDS.items():
        if code not in known:
            continue
        for language in ("de", "en", "ru"):
            for word in forms.get(language, []):
                only = {language} if language in languages else None
                matcher.add(word, "country", code, language=language, languages=only)
        for name in forms.get("names", []) + forms.get("cities", []):
            for language in languages:
                matcher.add(name, "country", code, language=language)
    for topic in topics:
        names = {topic.name, *usable_names(topic.names).values()}
        for name in names:
            for language in languages:
                matcher.add(name, "topic", topic.slug, language=language)
        for alias in topic.aliases.all():
            matcher.add(alias.name, "topic", topic.slug, language=alias.language)
    return matcher


def vocabulary_changed():
    """Tell every process to rebuild its matcher before its next scan."""
    try:
        cache.incr(VOCABULARY_VERSION_KEY)
    except ValueError:
        cache.set(VOCABULARY_VERSION_KEY, 1, timeout=None)


def _vocabulary_signature():
    """Cheap: the cache's version and the counts of topics and aliases."""
    topics = Topic.objects.aggregate(n=Count("pk"), last=Max("pk"))
    aliases = TopicAlias.objects.aggregate(n=Count("pk"), last=Max("pk"))
    return (
        cache.get(VOCABULARY_VERSION_KEY, 0),
        topics["n"],
        topics["last"],
        aliases["n"],
        aliases["last"],
    )


_built = {"signature": None, "matcher": None}
_lock = threading.Lock()


def get_matcher():
    """This process's matcher, rebuilt when the vocabulary changed."""
    signature = _vocabulary_signature()
    with _lock:
        if _built["signature"] != signature:
            _built["matcher"] = build_matcher()
            _built["signature"] = signature
        return _built["matcher"]


def article_text(article):
    return "\n".join([article.headline, article.standfirst or "", article.body or ""])


def topic_redirect(slug):
    """A 301 to the topic that `slug` was merged into, or None."""
    moved = TopicRedirect.objects.select_related("topic").filter(old_slug=slug)
    moved = moved.first()
    return (
        HttpResponsePermanentRedirect(moved.topic.get_absolute_url()) if moved else None
    )


class MergedTopicRedirectMixin:
    """For the topic page: a merged topic's old address answers 301."""

    def get(self, request, *args, **kwargs):
        # Only an unknown slug costs the redirect lookup.
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            moved = topic_redirect(kwargs["slug"])
            if moved is None:
                raise
            return moved

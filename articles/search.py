"""
Full-text search of stories in the reader's language.

PostgreSQL ranks a stored, weighted tsvector (headline A, standfirst B, body
C) with the story's text search configuration. SQLite ranks an FTS5 table
with BM25; Python's Snowball stemmers reduce both the indexed text and the
query, so `Kasachstans` finds `Kasachstan` there too. Queries never reach
either database's query syntax: they are cut into words first, and the
words are passed as parameters. Results always start from `published()`.
"""

import re
from collections import namedtuple
from functools import lru_cache

import snowballstemmer
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection, transaction
from django.db.models import F
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.text import plain_text as body_plain_text

# Text search configuration (PostgreSQL) and Snowball stemmer per language.
LANGUAGE_CONFIGS = {"de": "german", "en": "english"}
STEMMER_NAMES = {"de": "german", "en": "english"}
FALLBACK_CONFIG = "simple"

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
EXCERPT_WORDS = 30

# Highlight markers: private-use characters that clean_text() removes from
# every indexed text, so only the search engine can put them there. The
# excerpt is escaped first and the markers become <mark> afterwards.
MARK_START = "\ue000"
MARK_STOP = "\ue001"

_WORD = re.compile(r"[^\W_]+")
_MARKERS = re.compile(f"[{MARK_START}{MARK_STOP}]")
_SPACE = re.compile(r"\s+")

Document = namedtuple("Document", "pk language headline standfirst body")
INDEXED_FIELDS = frozenset(Document._fields) - {"pk"}


def config_for(language):
    """The PostgreSQL text search configuration for `language`."""
    return LANGUAGE_CONFIGS.get(language, FALLBACK_CONFIG)


@lru_cache(maxsize=8)
def _stemmer(language):
    # snowballstemmer runs PyStemmer's C code where it is installed.
    name = STEMMER_NAMES.get(language)
    return snowballstemmer.stemmer(name) if name else None


@lru_cache(maxsize=100_000)
def _stem(word, language):
    stemmer = _stemmer(language)
    return stemmer.stemWord(word) if stemmer else word


def stem_words(words, language):
    """`words` lower-cased and reduced to their stems in `language`."""
    return [_stem(word.lower(), language) for word in words]


def clean_text(text):
    """Plain `text` with single spaces and without highlight markers."""
    return _SPACE.sub(" ", _MARKERS.sub("", text or "")).strip()


def plain_text(markup):
    """The text of sanitised body HTML, one space between blocks."""
    return clean_text(body_plain_text(markup))


def search_terms(query):
    """The words of a reader's query, at most MAX_TERMS; no syntax survives."""
    return _WORD.findall(_MARKERS.sub("", query or ""))[:MAX_TERMS]


def _stemmed_text(text, language):
    return " ".join(stem_words(_WORD.findall(text), language))


# Keeping the index current


def _sqlite_rows(documents):
    for doc in documents:
        yield (
            doc.pk,
            doc.pk,
            _stemmed_text(clean_text(doc.headline), doc.language),
            _stemmed_text(clean_text(doc.standfirst), doc.language),
            _stemmed_text(plain_text(doc.body), doc.language),
        )


def _postgresql_rows(documents):
    for doc in documents:
        config = config_for(doc.language)
        standfirst = clean_text(doc.standfirst)
        body = plain_text(doc.body)
        yield (
            doc.pk,
            f"{standfirst} {body}".strip(),
            config,
            clean_text(doc.headline),
            config,
            standfirst,
            config,
            body,
        )


_SQLITE_UPSERT = (
    "INSERT OR REPLACE INTO articles_fulltext "
    "(rowid, article_id, headline, standfirst, body) VALUES (%s, %s, %s, %s, %s)"
)
_POSTGRESQL_UPSERT = (
    "INSERT INTO articles_searchdocument (article_id, text, vector) VALUES (%s, %s, "
    "setweight(to_tsvector(%s::regconfig, %s), 'A') || "
    "setweight(to_tsvector(%s::regconfig, %s), 'B') || "
    "setweight(to_tsvector(%s::regconfig, %s), 'C')) "
    "ON CONFLICT (article_id) DO UPDATE SET text = EXCLUDED.text, "
    "vector = EXCLUDED.vector"
)


def index_documents(documents, *, using=connection):
    """Add or replace the index entries of `documents` (Document tuples)."""
    documents = list(documents)
    if not documents:
        return
    with using.cursor() as cursor:
        if using.vendor == "postgresql":
            cursor.executemany(_POSTGRESQL_UPSERT, list(_postgresql_rows(documents)))
        elif using.vendor == "sqlite":
            cursor.executemany(_SQLITE_UPSERT, list(_sqlite_rows(documents)))


def clear_index(*, using=connection):
    with using.cursor() as cursor:
        if using.vendor == "postgresql":
            cursor.execute("DELETE FROM articles_searchdocument")
        elif using.vendor == "sqlite":
            cursor.execute("DELETE FROM articles_fulltext")


def documents_of(queryset):
    """Document tuples for every story of `queryset`, read in chunks."""
    fields = ("pk", "language", "headline", "standfirst", "body")
    for values in queryset.values_list(*fields).iterator(chunk_size=1000):
        yield Document(*values)


def index_all(queryset, *, using=connection, batch_size=1000):
    """Replace the whole index with the stories of `queryset`; returns a count."""
    count = 0
    with transaction.atomic(using=using.alias):
        clear_index(using=using)
        batch = []
        for document in documents_of(queryset):
            batch.append(document)
            if len(batch) == batch_size:
                index_documents(batch, using=using)
                count += len(batch)
                batch = []
        index_documents(batch, using=using)
        count += len(batch)
    return count


def search_index_update(article):
    """Index one saved story; Article.save() calls this."""
    index_documents(
        [
            Document(
                article.pk,
                article.language,
                article.headline,
                article.standfirst,
                article.body,
            )
        ]
    )


# Searching


def _postgresql_query(terms, language):
    return SearchQuery(
        " ".join(terms), config=config_for(language), search_type="plain"
    )


def ranked_ids(queryset, terms, language):
    """
    The keys of the stories of `queryset` that contain every word of
    `terms`, best first. `queryset` should be published() stories in
    `language`. Only keys, so that ranking sorts small rows; paginate them
    and fetch the page with `stories_for()`.
    """
    from articles.models import FullTextEntry, SearchDocument

    if not terms:
        return queryset.none().values_list("pk", flat=True)
    # The index is searched and ranked on its own; the stories only answer
    # which of them are in `queryset`, off their covering index, so no
    # story's row is read however many match. Ties go to the newer story.
    stories = queryset.prefetch_related(None).select_related(None).values("pk")
    if connection.vendor == "postgresql":
        query = _postgresql_query(terms, language)
        ranked = (
            SearchDocument.objects.filter(vector=query, article__in=stories)
            .annotate(rank=SearchRank(F("vector"), query))
            .order_by("-rank", "-article_id")
        )
    else:
        stems = dict.fromkeys(stem_words(terms, language))
        expression = " ".join(f'"{stem}"' for stem in stems)
        ranked = FullTextEntry.objects.filter(
            match=expression, article__in=stories
        ).order_by("rank", "-article_id")
    return ranked.values_list("article_id", flat=True)


def stories_for(ids, queryset, terms, language):
    """
    The stories of `queryset` with the keys `ids`, in that order, each with
    `excerpt_html`: a safe excerpt with the words of `terms` marked.
    """
    if connection.vendor == "postgresql":
        queryset = queryset.annotate(
            search_highlight=SearchHeadline(
                F("search_document__text"),
                _postgresql_query(terms, language),
                config=config_for(language),
                start_sel=MARK_START,
                stop_sel=MARK_STOP,
                max_words=EXCERPT_WORDS,
                min_words=EXCERPT_WORDS // 2,
            )
        )
    stories = queryset.in_order(ids)
    for story in stories:
        story.excerpt_html = highlight(story, terms, language)
    return stories


def _marked_html(text):
    """Escape `text`, then turn the highlight markers into <mark> elements."""
    escaped = str(escape(text))
    escaped = escaped.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>")
    # Safe: everything was escaped above; only the markers became tags.
    return mark_safe(escaped)


def _mark_words(text, stems, language, *, window=None):
    """
    `text` with the words whose stem is in `stems` between markers; with a
    `window`, cut to that many words around the first match.
    """
    words = list(_WORD.finditer(text))
    if not words:
        return text
    word_stems = stem_words([match.group() for match in words], language)
    hits = {index for index, stem in enumerate(word_stems) if stem in stems}
    first, last = 0, len(words)
    if window is not None:
        first = max(0, min(hits, default=0) - window // 4)
        last = min(len(words), first + window)
    pieces = [] if first else [text[: words[0].start()]]
    position = words[first].start()
    for index in range(first, last):
        match = words[index]
        pieces.append(text[position : match.start()])
        word = match.group()
        pieces.append(f"{MARK_START}{word}{MARK_STOP}" if index in hits else word)
        position = match.end()
    pieces.append(text[position:] if last == len(words) else " …")
    return ("… " if first else "") + "".join(pieces).strip()


def highlight(article, terms, language):
    """A safe HTML excerpt of `article` with the words of `terms` marked."""
    raw = getattr(article, "search_highlight", None)
    if raw is None:
        text = f"{clean_text(article.standfirst)} {plain_text(article.body)}"
        stems = set(stem_words(terms, language))
        raw = _mark_words(text.strip(), stems, language, window=EXCERPT_WORDS)
    return _marked_html(raw)

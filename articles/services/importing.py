"""Imports of stories from the network's plain-text layout."""

import datetime
import html
from zoneinfo import ZoneInfo

import reversion
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from articles.models import Article, Section, Source
from articles.text import make_slug

from .tagging import article_suggest_tags

# Agencies the network's sites credit, so an import names them in full.
KNOWN_SOURCES = {
    "CRI": ("China Radio International", "https://www.cri.cn/"),
    "CGTN": ("China Global Television Network", "https://www.cgtn.com/"),
    "Xinhua": ("Xinhua News Agency", "https://www.news.cn/"),
    "China Daily": ("China Daily", "https://www.chinadaily.com.cn/"),
    "Kazinform": ("Kazinform International News Agency", "https://www.inform.kz/"),
    "TASS": ("TASS Russian News Agency", "https://tass.com/"),
    "UzA": ("National News Agency of Uzbekistan", "https://uza.uz/"),
}


def section_for_path(names):
    """The section at the end of `names` (top first), made where missing."""
    parent = None
    for name in names:
        slug = make_slug(name, max_length=100)
        section = Section.objects.filter(parent=parent, slug=slug).first()
        if section is None:
            section = Section.objects.create(parent=parent, name=name, slug=slug)
        parent = section
    return parent


def source_for_name(short_name):
    if not short_name:
        return None
    source = Source.objects.filter(short_name__iexact=short_name).first()
    if source is None:
        full_name, homepage = KNOWN_SOURCES.get(short_name, (short_name, ""))
        source = Source.objects.create(
            short_name=short_name, full_name=full_name, homepage=homepage
        )
    return source


def _midnight(day):
    return datetime.datetime.combine(
        day, datetime.time(0, 0), tzinfo=ZoneInfo(settings.TIME_ZONE)
    )


def _find_imported(parsed):
    """The story a re-import of `parsed` updates, and the slug it keeps."""
    base = make_slug(parsed.headline)
    for slug in (base, f"{base}-{parsed.published_on.isoformat()}"):
        existing = Article.objects.filter(language=parsed.language, slug=slug).first()
        if existing is None:
            return None, slug
        if existing.published_at and (
            timezone.localdate(existing.published_at) == parsed.published_on
        ):
            return existing, slug
    # Same headline, same language, another story on that very day.
    number = 2
    while Article.objects.filter(
        language=parsed.language, slug=f"{base}-{parsed.published_on}-{number}"
    ).exists():
        number += 1
    return None, f"{base}-{parsed.published_on}-{number}"


@reversion.create_revision()
def article_import_text(parsed, *, status=Article.Status.PUBLISHED, by=None):
    """
    Create or update the story a plain-text file holds. Returns
    (article, created). A re-import of the same story updates it.
    """
    article, slug = _find_imported(parsed)
    created = article is None
    if created:
        article = Article(slug=slug, language=parsed.language, created_by=by)
    article.headline = parsed.headline
    article.standfirst = parsed.standfirst
    article.body = "".join(
        f"<p>{html.escape(paragraph, quote=False)}</p>"
        for paragraph in parsed.paragraphs
    )
    article.section = section_for_path(parsed.sections)
    article.source = source_for_name(parsed.source)
    article.published_at = _midnight(parsed.published_on)
    article.status = status
    article.updated_by = by
    article.save()
    article_suggest_tags(article)
    reversion.set_user(by)
    reversion.set_comment(gettext("Imported from a text file."))
    return article, created

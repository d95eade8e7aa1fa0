"""
What a page tells machines about itself: schema.org JSON-LD for stories and
breadcrumbs. Open Graph and the link elements are in the templates.
"""

import json

from django.conf import settings
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.text import teaser

_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld(data):
    """A `<script type="application/ld+json">` element that HTML cannot break out of."""
    text = json.dumps(data, ensure_ascii=False, indent=None).translate(_JSON_ESCAPES)
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(text)
    )


def iso_time(value):
    """ISO 8601 in the edition's zone, with its offset: 2022-09-16T00:00:00+02:00."""
    return timezone.localtime(value).isoformat() if value else None


def _organization(source):
    organization = {
        "@type": "Organization",
        "name": source.full_name or source.short_name,
    }
    if source.homepage:
        organization["url"] = source.homepage
    return organization


def news_article(article, *, request, image_url=None, section_name=""):
    """The schema.org NewsArticle of a story, with absolute URLs."""
    url = request.build_absolute_uri(article.get_absolute_url())
    # A preview of a draft has no publication time yet.
    published = article.published_at or article.updated_at
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.headline[:110],
        "datePublished": iso_time(published),
        "dateModified": iso_time(max(published, article.updated_at)),
        "inLanguage": article.language,
        "articleSection": section_name,
        "keywords": [tag.name_in(article.language) for tag in article.countries.all()]
        + [tag.name_in(article.language) for tag in article.topics.all()],
        "publisher": {
            "@type": "Organization",
            "name": settings.NEWSROOM_SITE_NAME,
            "logo": {
                "@type": "ImageObject",
                "url": request.build_absolute_uri(static("img/logo.png")),
                "width": 600,
                "height": 60,
            },
        },
    }
    description = teaser(article)
    if description:
        data["description"] = description
    if article.source:
        data["sourceOrganization"] = _organization(article.source)
        data["author"] = _organization(article.source)
    if image_url:
        data["image"] = [request.build_absolute_uri(image_url)]
    return data


def breadcrumb_list(crumbs, *, request):
    """A schema.org BreadcrumbList of (name, url) pairs, top first."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": request.build_absolute_uri(url),
            }
            for position, (name, url) in enumerate(crumbs, start=1)
        ],
    }

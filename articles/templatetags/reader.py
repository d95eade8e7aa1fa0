import html

from django import template
from django.utils.html import strip_tags
from django.utils.text import Truncator

from articles import metadata

register = template.Library()


@register.filter
def json_ld(data):
    """Structured data as a JSON-LD script element, safe inside HTML."""
    return metadata.json_ld(data) if data else ""


@register.filter
def in_language(named, language):
    """A section's or tag's name in `language`."""
    return named.name_in(language)


@register.filter
def teaser(article, words=30):
    """The standfirst, or the start of the body as plain text."""
    if article.standfirst:
        return article.standfirst
    return Truncator(html.unescape(strip_tags(article.body))).words(int(words))

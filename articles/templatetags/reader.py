from django import template

from articles import metadata, text

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
def teaser(article, words=text.TEASER_WORDS):
    """The standfirst, or the start of the body as plain text."""
    return text.teaser(article, words)

from django import template

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

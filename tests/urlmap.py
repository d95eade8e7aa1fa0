"""
The site's URLs read from the resolver, for tests that must cover every
page, including pages added after the test was written.
"""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from articles.models import Topic
from tests.factories import ArticleFactory


def sample_story():
    """A published story with a section, countries and a topic: every kind of page."""
    topic = Topic.objects.get(slug="green-energy")
    return ArticleFactory(
        headline="Xi Jinping zu Staatsbesuch in Kasachstan",
        countries=["KZ", "CN"],
        topics=[topic],
    )


def walk(patterns, namespace=""):
    """(qualified name, pattern) for every named URL pattern below `patterns`."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}{entry.namespace}:"
            yield from walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def public_url_names():
    """Names of the public patterns, with their arguments: all but the admin's."""
    return {
        (name, frozenset(pattern.pattern.regex.groupindex))
        for name, pattern in walk(get_resolver().url_patterns)
        if not name.startswith("admin:")
    }


def known_arguments(article):
    """Keyword arguments of real pages: the story's, its tags' and section's."""
    objects = [
        article,
        article.section,
        *article.countries.all(),
        *article.topics.all(),
    ]
    for model in admin.site._registry:
        if hasattr(model, "get_absolute_url"):
            objects.extend(model._default_manager.order_by("pk")[:1])
    arguments = []
    for obj in objects:
        try:
            match = resolve(obj.get_absolute_url())
        except Exception:  # an object without a public page
            continue
        if match.kwargs not in arguments:
            arguments.append(match.kwargs)
    return arguments


def public_urls(article):
    """A URL for every public pattern, filled with real objects where needed."""
    arguments = known_arguments(article)
    urls = []
    for name, converters in sorted(public_url_names(), key=lambda item: item[0]):
        if not converters:
            urls.append(reverse(name))
            continue
        for kwargs in arguments:
            if set(kwargs) == set(converters):
                urls.append(reverse(name, kwargs=kwargs))
    return urls

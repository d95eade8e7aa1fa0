"""
RSS 2.0 and Atom feeds of the edition, each section, country and topic, in
the reader's language (the URL prefix). Items are published() stories only;
each carries a tag: URI that survives changes of headline, slug or host.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from articles.caching import cache_public_conditional
from articles.models import Article, Country, Section, Topic
from articles.text import teaser

FEED_LENGTH = 30


def story_guid(article):
    """A permanent id: the story's key and creation day, never its URL."""
    created = article.created_at.date().isoformat()
    return f"tag:{settings.NEWSROOM_TAG_AUTHORITY},{created}:story:{article.pk}"


class EditionFeed(Feed):
    """The edition's latest stories in the reader's language."""

    feed_type = Rss201rev2Feed

    def title(self, obj):
        return settings.NEWSROOM_SITE_NAME

    def subtitle(self, obj):
        return self.description(obj)

    def description(self, obj):
        return _("The latest stories of %(site)s.") % {
            "site": settings.NEWSROOM_SITE_NAME
        }

    def link(self, obj):
        return reverse("articles:home")

    def stories(self, obj):
        return Article.objects.published()

    def items(self, obj):
        stories = self.stories(obj).in_language(get_language()).for_listing()
        return stories.order_by("-published_at", "-pk")[:FEED_LENGTH]

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        return teaser(item)

    def item_guid(self, item):
        return story_guid(item)

    item_guid_is_permalink = False

    def item_author_name(self, item):
        if item.source is None:
            return item.byline or None
        return item.source.full_name or item.source.short_name

    def item_author_link(self, item):
        return item.source.homepage if item.source else None

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        language = get_language()
        return [
            tag.name_in(language) for tag in (*item.countries.all(), *item.topics.all())
        ]


class NamedFeed(EditionFeed):
    """The latest stories of one section, country or topic."""

    summary = ""

    def title(self, obj):
        return f"{obj.name_in(get_language())} – {settings.NEWSROOM_SITE_NAME}"

    def description(self, obj):
        return self.summary % {"name": obj.name_in(get_language())}

    def link(self, obj):
        return obj.get_absolute_url()


class SectionFeed(NamedFeed):
    summary = gettext_lazy("The latest stories in %(name)s.")

    def get_object(self, request, path):
        if "\x00" in path:  # PostgreSQL refuses it in a query: no such section
            raise Http404("No such section.")
        return get_object_or_404(Section, path=path)

    def stories(self, obj):
        return Article.objects.published().in_section(obj)


class TagFeed(NamedFeed):
    """Stories tagged with a country or topic; subclasses name the tagging."""

    summary = gettext_lazy("The latest stories about %(name)s.")
    model = None
    lookup = None

    def get_object(self, request, slug):
        return get_object_or_404(self.model, slug=slug)

    def stories(self, obj):
        return Article.objects.published().filter(**{self.lookup: obj})


class CountryFeed(TagFeed):
    model = Country
    lookup = "tagged_countries__tag"


class TopicFeed(TagFeed):
    model = Topic
    lookup = "tagged_topics__tag"


def feed_urls(route, name, feed_class):
    """
    URL patterns for `feed_class` as RSS 2.0 at `<route>rss/` (named
    `name`) and as Atom at `<route>atom/` (named `<name>_atom`).
    """
    atom_class = type(
        f"Atom{feed_class.__name__}", (feed_class,), {"feed_type": Atom1Feed}
    )
    return [
        path(f"{route}rss/", cache_public_conditional(feed_class()), name=name),
        path(
            f"{route}atom/", cache_public_conditional(atom_class()), name=f"{name}_atom"
        ),
    ]

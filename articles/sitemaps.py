"""
Sitemaps for search engines: an index of the stories (with hreflang links
between a story's language versions) and of the section, country and topic
pages that have stories (one URL a language, with x-default); a Google News
sitemap of the last two days. published() stories only, a bounded number
of queries a page.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Q
from django.utils import timezone

from articles.filters import in_use
from articles.models import Article, Country, Section, Topic
from articles.paging import CountedPaginator

STORIES_PER_PAGE = 1000
# What a story's URL and lastmod need; the body stays in the database.
URL_FIELDS = [
    "pk",
    "slug",
    "language",
    "headline",
    "translation_of",
    "published_at",
    "created_at",
    "updated_at",
]
NEWS_WINDOW = datetime.timedelta(days=2)
NEWS_LIMIT = 1000  # Google News reads no more from one sitemap


class StorySitemap(Sitemap):
    limit = STORIES_PER_PAGE

    def items(self):
        return (
            Article.objects.published()
            .only(*URL_FIELDS)
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # The index would otherwise read every story; its lastmod is optional.
        return None

    @property
    def paginator(self):
        # The index counts every public story for its pages: remembered.
        return CountedPaginator(self._items(), self.limit, count_key="sitemap|stories")

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        self._add_language_versions(urls)
        return urls

    def _add_language_versions(self, urls):
        """hreflang links to each story's published versions, in one query."""
        groups = {url["item"].translation_of_id or url["item"].pk for url in urls}
        versions = {}
        for story in (
            Article.objects.published()
            .filter(Q(pk__in=groups) | Q(translation_of__in=groups))
            .only(*URL_FIELDS)
        ):
            versions.setdefault(story.translation_of_id or story.pk, []).append(story)
        for url in urls:
            story = url["item"]
            group = versions.get(story.translation_of_id or story.pk, [])
            if len(group) < 2:
                continue
            scheme, domain = urlsplit(url["location"])[:2]
            for version in sorted(group, key=lambda version: version.language):
                location = f"{scheme}://{domain}{version.get_absolute_url()}"
                url["alternates"].append(
                    {"location": location, "lang_code": version.language}
                )
                if version.translation_of_id is None:
                    url["alternates"].append(
                        {"location": location, "lang_code": "x-default"}
                    )


class ListingSitemap(Sitemap):
    """
    Pages of the sections, countries or topics that have published stories,
    found in one pass over the stories rather than one probe a page. No
    lastmod: finding each page's newest story would read every story.
    """

    i18n = True
    alternates = True
    x_default = True
    model = None
    lookup = None

    def items(self):
        return in_use(self.model, self.lookup).order_by("pk")


class SectionSitemap(ListingSitemap):
    model = Section
    lookup = "section"


class CountrySitemap(ListingSitemap):
    model = Country
    lookup = "tagged_countries__tag"


class TopicSitemap(ListingSitemap):
    model = Topic
    lookup = "tagged_topics__tag"


class NewsSitemap(Sitemap):
    """Google News: the stories of the last two days, newest first."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .only(*URL_FIELDS)
            .order_by("-published_at", "-pk")[:NEWS_LIMIT]
        )

    def lastmod(self, item):
        return item.updated_at

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            url["publication_name"] = settings.NEWSROOM_SITE_NAME
        return urls


SITEMAPS = {
    "stories": StorySitemap,
    "sections": SectionSitemap,
    "countries": CountrySitemap,
    "topics": TopicSitemap,
}
NEWS_SITEMAPS = {"news": NewsSitemap}

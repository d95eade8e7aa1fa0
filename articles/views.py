import datetime

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpResponseNotFound
from django.shortcuts import get_object_or_404, redirect
from django.template import loader
from django.urls import reverse, translate_url
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from articles import metadata, search, services
from articles.caching import remember
from articles.filters import ArticleFilter, sections_holding
from articles.forms import SearchForm
from articles.models import (
    Article,
    Country,
    Section,
    TaggedCountry,
    TaggedTopic,
    Topic,
)
from articles.paging import ListingPaginator, listing_key
from articles.renditions import renditions_for
from articles.tagging import MergedTopicRedirectMixin

RECENT_WEEKS = 6
HOME_LATEST = 10
HOME_PER_SECTION = 4
HOME_BLOCK_CANDIDATES = 2000
HOME_TAGS = 12
RELATED = 4
RELATED_AFTER = datetime.timedelta(days=30)
RELATED_BEFORE = datetime.timedelta(days=365)
NAVIGATION_SECTIONS = 8


def network_names():
    """The network's names that open every breadcrumb, in the reader's language."""
    names = settings.NEWSROOM_NETWORK_NAMES
    if len(names) < 2:
        return list(names)
    in_language = _("Belt and Road News Network")
    return [names[0], in_language if in_language in names else names[1]]


def section_lineage(section):
    """`section` and its ancestors, top first, in one query."""
    parts = section.path.split("/")
    paths = ["/".join(parts[: depth + 1]) for depth in range(len(parts))]
    return remember(
        f"lineage|{section.path}",
        lambda: sorted(
            Section.objects.filter(path__in=paths),
            key=lambda ancestor: len(ancestor.path),
        ),
    )


def breadcrumb(section):
    """(name, url) pairs: the network's names, then the section tree."""
    home = reverse("articles:home")
    language = get_language()
    return [(name, home) for name in network_names()] + [
        (ancestor.name_in(language), ancestor.get_absolute_url())
        for ancestor in section_lineage(section)
    ]


def top_sections():
    """
    The top sections that hold public stories in the reader's language, on
    every page: remembered while the content stays the same.
    """
    language = get_language()

    def sections():
        stories = Article.objects.published().in_language(language)
        return list(
            sections_holding(stories)
            .filter(parent=None)
            .order_by("position", "name")[:NAVIGATION_SECTIONS]
        )

    return remember(f"navigation|{language}", sections)


class PublishedMixin:
    """Every public view starts from what readers may see, in their language."""

    def get_queryset(self):
        return Article.objects.published().for_listing().in_language(get_language())


class ReaderPageMixin:
    """What every reader page shares: navigation, canonical URL, alternates."""

    def get_alternate_paths(self):
        """Language code to this page's path in that language."""
        return {
            code: translate_url(self.request.path, code)
            for code, _name in settings.LANGUAGES
        }

    def get_canonical_path(self):
        return self.request.path

    def get_context_data(self, **kwargs):
        absolute = self.request.build_absolute_uri
        paths = self.get_alternate_paths()
        current = get_language()
        default = paths.get(settings.LANGUAGE_CODE) or self.get_canonical_path()
        kwargs.setdefault("canonical_url", absolute(self.get_canonical_path()))
        kwargs.setdefault(
            "alternates",
            [
                {"code": code, "url": absolute(paths[code])}
                for code, _name in settings.LANGUAGES
                if code in paths
            ],
        )
        kwargs.setdefault("x_default_url", absolute(default))
        kwargs.setdefault(
            "other_languages",
            [
                {
                    "code": code,
                    "name": name,
                    "url": paths.get(code) or _home_in(code),
                }
                for code, name in settings.LANGUAGES
                if code != current
            ],
        )
        kwargs.setdefault("navigation", top_sections())
        return super().get_context_data(**kwargs)


def _home_in(language):
    with override(language):
        return reverse("articles:home")


class PaginatedMixin:
    paginate_by = 20
    paginator_class = ListingPaginator

    def get_paginator(self, queryset, per_page, **kwargs):
        return super().get_paginator(
            queryset,
            per_page,
            count_key=listing_key(self.request, self.page_kwarg),
            **kwargs,
        )

    def paginate_queryset(self, queryset, page_size):
        """Out-of-range or malformed page numbers show the nearest page."""
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_canonical_path(self):
        page = self.request.GET.get(self.page_kwarg)
        if page and page.isdigit() and page != "1":
            return f"{self.request.path}?page={page}"
        return self.request.path


class HomeView(ReaderPageMixin, PublishedMixin, TemplateView):
    template_name = "articles/home.html"

    def get_alternate_paths(self):
        return {code: _home_in(code) for code, _name in settings.LANGUAGES}

    def get_context_data(self, **kwargs):
        stories = self.get_queryset()
        lead = stories.filter(is_featured=True).first() or stories.first()
        latest = list(stories.exclude(pk=getattr(lead, "pk", None))[:HOME_LATEST])
        context = super().get_context_data(
            lead=lead,
            lead_renditions=renditions_for(lead.lead_image) if lead else None,
            latest=latest,
            section_blocks=remember(
                f"home-blocks|{get_language()}", self.section_blocks
            ),
            x_default_url=self.request.build_absolute_uri("/"),
            **kwargs,
        )
        if lead is not None:
            newest = max(story.published_at for story in [lead, *latest[:1]])
            context.update(self.popular_tags(since=newest))
        return context

    def section_blocks(self):
        """Each top section with its latest stories, in two queries."""
        stories = Article.objects.published().in_language(get_language())
        # Rank only the newest stories: the blocks show current news, and the
        # cost stays the same however many stories the archive holds.
        newest = stories.order_by("-published_at", "-pk").values("pk")[
            :HOME_BLOCK_CANDIDATES
        ]
        # Ranked by id and time alone; only the few chosen rows are read whole.
        chosen = (
            stories.filter(pk__in=newest)
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("section_id")],
                    order_by=[F("published_at").desc(), F("pk").desc()],
                )
            )
            .filter(rank__lte=HOME_PER_SECTION)
            .values("pk")
        )
        ranked = Article.objects.filter(pk__in=chosen).select_related(
            "section", "source"
        )
        by_top = {}
        for article in ranked:
            by_top.setdefault(article.section.path.split("/")[0], []).append(article)
        blocks = []
        for section in top_sections():
            stories = sorted(
                by_top.get(section.path, []),
                key=lambda article: (article.published_at, article.pk),
                reverse=True,
            )
            if stories:
                blocks.append((section, stories[:HOME_PER_SECTION]))
        return blocks

    def popular_tags(self, *, since):
        """
        The most used countries and topics of the weeks up to `since`, the
        newest story: a quiet month still shows what the site is about.
        """
        language = get_language()
        recent = (
            Article.objects.published()
            .in_language(language)
            .filter(published_at__gte=since - datetime.timedelta(weeks=RECENT_WEEKS))
        )

        def count():
            return {
                f"popular_{name}": list(
                    model.objects.filter(tagged_articles__content_object__in=recent)
                    .annotate(uses=Count("tagged_articles"))
                    .order_by("-uses", "name")[:HOME_TAGS]
                )
                for name, model in (("topics", Topic), ("countries", Country))
            }

        return remember(f"popular|{language}|{since.isoformat()}", count)


class SectionView(ReaderPageMixin, PaginatedMixin, PublishedMixin, ListView):
    template_name = "articles/section.html"

    def get_queryset(self):
        self.section = get_object_or_404(Section, path=self.kwargs["path"])
        return super().get_queryset().in_section(self.section)

    def get_context_data(self, **kwargs):
        crumbs = breadcrumb(self.section)
        return super().get_context_data(
            section=self.section,
            heading=self.section.name_in(get_language()),
            breadcrumb=crumbs,
            breadcrumb_ld=metadata.breadcrumb_list(crumbs, request=self.request),
            subsections=self.section.children.order_by("position", "name"),
            **kwargs,
        )


class TagView(ReaderPageMixin, PaginatedMixin, PublishedMixin, ListView):
    """A country's or a topic's stories."""

    template_name = "articles/tag.html"
    tag_model = None
    relation = None

    def get_queryset(self):
        self.tag = get_object_or_404(self.tag_model, slug=self.kwargs["slug"])
        return (
            super()
            .get_queryset()
            # EXISTS, not IN: the listing is read off the stories' covering
            # index, each one checked against the tag, rather than every
            # story of a common tag looked up in the table.
            .filter(
                Exists(self.tag.tagged_articles.filter(content_object=OuterRef("pk")))
            )
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            tag=self.tag,
            heading=self.tag.localized_name,
            kind=self.tag_model._meta.verbose_name,
            **kwargs,
        )


class CountryView(TagView):
    tag_model = Country

    def get(self, request, *args, **kwargs):
        # Country slugs are lower-case ISO codes; /country/KZ/ is a likely typo.
        slug = self.kwargs["slug"]
        if slug != slug.lower():
            target = reverse("articles:country", kwargs={"slug": slug.lower()})
            query = request.GET.urlencode()
            return redirect(f"{target}?{query}" if query else target, permanent=True)
        return super().get(request, *args, **kwargs)


class TopicView(MergedTopicRedirectMixin, TagView):
    tag_model = Topic


class BrowseView(ReaderPageMixin, PaginatedMixin, FilterView):
    filterset_class = ArticleFilter
    template_name = "articles/article_filter.html"

    def get_queryset(self):
        return Article.objects.published().for_listing()

    def get_canonical_path(self):
        return self.request.path


class ArticleDetailView(ReaderPageMixin, PublishedMixin, DetailView):
    def get_object(self, queryset=None):
        article = (
            (self.get_queryset() if queryset is None else queryset)
            .filter(slug=self.kwargs["slug"])
            .first()
        )
        if article is None:
            raise Http404("No such story.")
        return article

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            moved = services.article_for_old_slug(
                language=get_language(), slug=self.kwargs["slug"]
            )
            if moved is not None and moved.is_public:
                return redirect(moved, permanent=True)
            raise
        day = timezone.localdate(self.object.published_at)
        if (str(day.year), f"{day.month:02d}", f"{day.day:02d}") != (
            str(self.kwargs["year"]),
            self.kwargs["month"],
            self.kwargs["day"],
        ):
            return redirect(self.object, permanent=True)
        last_modified = max(self.object.published_at, self.object.updated_at)
        etag = quote_etag(
            f"{self.object.pk}-{int(last_modified.timestamp())}-{get_language()}"
        )
        not_modified = get_conditional_response(
            request, etag=etag, last_modified=int(last_modified.timestamp())
        )
        if not_modified is not None:
            return not_modified
        response = self.render_to_response(self.get_context_data(object=self.object))
        response.headers["ETag"] = etag
        response.headers["Last-Modified"] = http_date(last_modified.timestamp())
        return response

    def get_versions(self):
        if not hasattr(self, "_versions"):
            # Sorted here: a few rows, and ORDER BY language would lead
            # SQLite to walk the language index over every story.
            self._versions = sorted(
                self.object.language_versions().published().order_by(),
                key=lambda version: version.language,
            )
        return self._versions

    def get_alternate_paths(self):
        paths = {self.object.language: self.object.get_absolute_url()}
        for version in self.get_versions():
            paths.setdefault(version.language, version.get_absolute_url())
        return paths

    def get_related(self):
        """
        The newest stories in the same language that share a country or a
        topic with this one, from a month after it back to a year before.
        """
        article = self.object
        anchor = article.published_at or timezone.now()  # a draft's preview
        window = (
            # The window first: of two upper bounds on the time, SQLite
            # walks the index from the first, and the clock's is years away.
            Article.objects.filter(
                published_at__lte=anchor + RELATED_AFTER,
                published_at__gte=anchor - RELATED_BEFORE,
            )
            .published()
            .in_language(article.language)
            .exclude(pk=article.pk)
            .order_by("-published_at", "-pk")
        )

        def newest_sharing(through, tags):
            # The stories are walked newest first on the covering index and
            # each is checked for the tags, until enough match. One query per
            # kind of tag: under an OR, PostgreSQL would hash every story
            # that has one of the tags instead. The tags are written out:
            # SQLite would run a subquery for them again for every story.
            if not tags:
                return []
            shares = through.objects.filter(content_object=OuterRef("pk"), tag__in=tags)
            return list(
                window.filter(Exists(shares)).values_list("published_at", "pk")[
                    :RELATED
                ]
            )

        found = sorted(
            newest_sharing(TaggedCountry, [tag.pk for tag in article.countries.all()])
            + newest_sharing(TaggedTopic, [tag.pk for tag in article.topics.all()]),
            reverse=True,
        )
        keys = list(dict.fromkeys(pk for _time, pk in found))[:RELATED]
        return Article.objects.select_related("section", "source").in_order(keys)

    def get_context_data(self, **kwargs):
        article = self.object
        language = get_language()
        crumbs = breadcrumb(article.section)
        renditions = renditions_for(article.lead_image)
        image_url = renditions.fallback.url if renditions else None
        section_name = article.section.name_in(language)
        return super().get_context_data(
            article=article,
            breadcrumb=crumbs,
            section_name=section_name,
            renditions=renditions,
            image_url=image_url and self.request.build_absolute_uri(image_url),
            related=self.get_related(),
            versions=self.get_versions(),
            article_ld=metadata.news_article(
                article,
                request=self.request,
                image_url=image_url,
                section_name=section_name,
            ),
            breadcrumb_ld=metadata.breadcrumb_list(
                [*crumbs, (article.headline, article.get_absolute_url())],
                request=self.request,
            ),
            published_iso=metadata.iso_time(article.published_at or article.updated_at),
            modified_iso=metadata.iso_time(
                max(article.published_at or article.updated_at, article.updated_at)
            ),
            **kwargs,
        )


class SearchView(ReaderPageMixin, PaginatedMixin, PublishedMixin, ListView):
    """Full-text search in the reader's language, best match first."""

    template_name = "articles/search.html"

    def get(self, request, *args, **kwargs):
        self.form = SearchForm(request.GET)
        return super().get(request, *args, **kwargs)

    def get_alternate_paths(self):
        """The same search in the other languages: the words travel along."""
        query = self.request.GET.urlencode()
        paths = super().get_alternate_paths()
        return {
            code: f"{path}?{query}" if query else path for code, path in paths.items()
        }

    def get_queryset(self):
        self.language = get_language()
        return search.ranked_ids(super().get_queryset(), self.form.terms, self.language)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(form=self.form, **kwargs)
        page = context["page_obj"]
        page.object_list = search.stories_for(
            list(page.object_list),
            super().get_queryset(),
            self.form.terms,
            self.language,
        )
        context.update(object_list=page.object_list, terms=self.form.terms)
        return context


def page_not_found(request, exception):
    """
    The 404 page with the site's section navigation. A database that does
    not answer raises here and becomes the 503 page (see handler500).
    """
    context = {"request_path": request.path, "navigation": top_sections()}
    return HttpResponseNotFound(loader.render_to_string("404.html", context, request))

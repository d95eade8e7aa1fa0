from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import get_language
from django.views.generic import DetailView, ListView

from articles import search
from articles.forms import SearchForm
from articles.models import Article, Country, Section, Topic


class PublishedMixin:
    """Every public view starts from what readers may see, in their language."""

    def get_queryset(self):
        return Article.objects.published().for_listing().in_language(get_language())


class ArticleListView(PublishedMixin, ListView):
    paginate_by = 20
    template_name = "articles/article_list.html"


class HomeView(ArticleListView):
    pass


class SectionView(ArticleListView):
    def get_queryset(self):
        self.section = get_object_or_404(Section, path=self.kwargs["path"])
        return super().get_queryset().in_section(self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=self.section.name_in(get_language()), **kwargs
        )


class CountryView(ArticleListView):
    def get_queryset(self):
        self.tag = get_object_or_404(Country, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tagged_countries__tag=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.tag.localized_name, **kwargs)


class TopicView(ArticleListView):
    def get_queryset(self):
        self.tag = get_object_or_404(Topic, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tagged_topics__tag=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.tag.localized_name, **kwargs)


class ArticleDetailView(PublishedMixin, DetailView):
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
        self.object = self.get_object()
        day = timezone.localdate(self.object.published_at)
        if (str(day.year), f"{day.month:02d}", f"{day.day:02d}") != (
            str(self.kwargs["year"]),
            self.kwargs["month"],
            self.kwargs["day"],
        ):
            return redirect(self.object, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))


class SearchView(PublishedMixin, ListView):
    """Full-text search in the reader's language, best match first."""

    paginate_by = 20
    template_name = "articles/search.html"

    def get(self, request, *args, **kwargs):
        self.form = SearchForm(request.GET)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        self.language = get_language()
        return search.ranked_ids(super().get_queryset(), self.form.terms, self.language)

    def paginate_queryset(self, queryset, page_size):
        # An out-of-range or malformed page number shows the nearest page.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

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

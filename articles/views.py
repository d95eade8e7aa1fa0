from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import get_language
from django.views.generic import DetailView, ListView

from articles.models import Article, Country, Section, Topic
from articles.tagging import MergedTopicRedirectMixin


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


class TopicView(MergedTopicRedirectMixin, ArticleListView):
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

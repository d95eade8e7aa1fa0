from django.urls import path

from articles import feeds, preview, views
from articles.caching import cache_public

app_name = "articles"

urlpatterns = [
    path("", cache_public(views.HomeView.as_view()), name="home"),
    path(
        "<int:year>/<str:month>/<str:day>/<slug:slug>/",
        cache_public(views.ArticleDetailView.as_view()),
        name="article",
    ),
    *feeds.feed_urls("feed/", "feed", feeds.EditionFeed),
    # Feeds before the pages: the section's <path:path> would swallow ".../rss/".
    *feeds.feed_urls("section/<path:path>/", "section_feed", feeds.SectionFeed),
    path(
        "section/<path:path>/",
        cache_public(views.SectionView.as_view()),
        name="section",
    ),
    *feeds.feed_urls("country/<slug:slug>/", "country_feed", feeds.CountryFeed),
    path(
        "country/<slug:slug>/",
        cache_public(views.CountryView.as_view()),
        name="country",
    ),
    *feeds.feed_urls("topic/<slug:slug>/", "topic_feed", feeds.TopicFeed),
    path("topic/<slug:slug>/", cache_public(views.TopicView.as_view()), name="topic"),
    path("browse/", cache_public(views.BrowseView.as_view()), name="browse"),
    path("search/", cache_public(views.SearchView.as_view()), name="search"),
    path("preview/<str:token>/", preview.ArticlePreviewView.as_view(), name="preview"),
]

from django.urls import path

from articles import views
from articles.caching import cache_public

app_name = "articles"

urlpatterns = [
    path("", cache_public(views.HomeView.as_view()), name="home"),
    path(
        "<int:year>/<str:month>/<str:day>/<slug:slug>/",
        cache_public(views.ArticleDetailView.as_view()),
        name="article",
    ),
    path(
        "section/<path:path>/",
        cache_public(views.SectionView.as_view()),
        name="section",
    ),
    path(
        "country/<slug:slug>/",
        cache_public(views.CountryView.as_view()),
        name="country",
    ),
    path("topic/<slug:slug>/", cache_public(views.TopicView.as_view()), name="topic"),
    path("browse/", cache_public(views.BrowseView.as_view()), name="browse"),
]

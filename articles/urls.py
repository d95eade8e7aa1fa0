from django.urls import path

from articles import views
from articles.caching import cache_public

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(
        "<int:year>/<str:month>/<str:day>/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="article",
    ),
    path("section/<path:path>/", views.SectionView.as_view(), name="section"),
    path("country/<slug:slug>/", views.CountryView.as_view(), name="country"),
    path("topic/<slug:slug>/", views.TopicView.as_view(), name="topic"),
    path("search/", cache_public(views.SearchView.as_view()), name="search"),
]

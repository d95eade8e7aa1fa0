from django.urls import path

from articles import preview, views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(
        "<int:year>/<str:month>/<str:day>/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="article",
    ),
    path("preview/<str:token>/", preview.ArticlePreviewView.as_view(), name="preview"),
    path("section/<path:path>/", views.SectionView.as_view(), name="section"),
    path("country/<slug:slug>/", views.CountryView.as_view(), name="country"),
    path("topic/<slug:slug>/", views.TopicView.as_view(), name="topic"),
]

"""
Previews of stories readers cannot see yet, on the reader's own template,
through a signed link that expires (NEWSROOM_PREVIEW_MAX_AGE seconds).
"""

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import override

from articles.models import Article
from articles.views import ArticleDetailView

SALT = "articles.preview"


def preview_token(article):
    return signing.TimestampSigner(salt=SALT).sign(str(article.pk))


def preview_url(article):
    with override(article.language):
        return reverse("articles:preview", kwargs={"token": preview_token(article)})


def article_for_token(token):
    """The story a valid, unexpired token names; a 404 for anything else."""
    try:
        pk = signing.TimestampSigner(salt=SALT).unsign(
            token, max_age=settings.NEWSROOM_PREVIEW_MAX_AGE
        )
    except signing.BadSignature:
        raise Http404("No such preview.") from None
    article = Article.objects.not_in_trash().filter(pk=pk).first()
    if article is None:
        raise Http404("No such preview.")
    return article


class ArticlePreviewView(ArticleDetailView):
    """The reader's story page for a story by token, whatever its status."""

    def get_object(self, queryset=None):
        return article_for_token(self.kwargs["token"])

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        response = self.render_to_response(
            self.get_context_data(object=self.object, is_preview=True)
        )
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

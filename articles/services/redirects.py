"""Old URLs of stories whose slug changed."""

from django.db import transaction

from articles.models import Article, ArticleSlugHistory


@transaction.atomic
def article_slug_record(article, *, old_slug):
    """
    Remember that `article` was reachable under `old_slug`, so its old URL
    redirects to the current one. A slug the story takes back is forgotten.
    """
    ArticleSlugHistory.objects.filter(
        language=article.language, slug=article.slug
    ).delete()
    if not old_slug or old_slug == article.slug:
        return None
    if Article.objects.filter(language=article.language, slug=old_slug).exists():
        # Another story holds that slug now; its URL must stay its own.
        return None
    record, _created = ArticleSlugHistory.objects.update_or_create(
        language=article.language, slug=old_slug, defaults={"article": article}
    )
    return record


def article_for_old_slug(*, language, slug):
    """The story once published under `slug` in `language`, or None."""
    record = (
        ArticleSlugHistory.objects.filter(language=language, slug=slug)
        .select_related("article")
        .first()
    )
    return record.article if record else None

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from articles import services
from articles.preview import preview_token, preview_url
from tests.factories import FIXED_NOW, ArticleFactory
from tests.test_admin import change_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def draft(**kwargs):
    return ArticleFactory(
        headline="Noch geheim", status="draft", published_at=None, **kwargs
    )


def test_signed_link_shows_the_draft_on_the_readers_template(client):
    response = client.get(preview_url(draft()))
    assert response.status_code == 200
    assert "articles/article_detail.html" in [t.name for t in response.templates]
    assert "Noch geheim" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]
    assert response["X-Robots-Tag"].startswith("noindex")


def test_link_expires(client, settings):
    settings.NEWSROOM_PREVIEW_MAX_AGE = 3600
    with freeze_time(FIXED_NOW):
        url = preview_url(draft())
    with freeze_time(FIXED_NOW + datetime.timedelta(seconds=3599)):
        assert client.get(url).status_code == 200
    with freeze_time(FIXED_NOW + datetime.timedelta(seconds=3601)):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("token", ["nonsense", "1:abc:def", "1"])
def test_bad_signature_is_404(client, token):
    draft()
    url = reverse("articles:preview", kwargs={"token": token})
    assert client.get(url).status_code == 404


def test_tampered_pk_is_404(client):
    first, second = draft(), ArticleFactory(status="draft", published_at=None)
    token = preview_token(first).replace(f"{first.pk}:", f"{second.pk}:", 1)
    url = reverse("articles:preview", kwargs={"token": token})
    assert client.get(url).status_code == 404


def test_story_in_the_trash_has_no_preview(client, editor):
    article = draft()
    url = preview_url(article)
    services.article_trash(article, by=editor)
    assert client.get(url).status_code == 404


def test_change_form_offers_the_preview_link(editor_client):
    article = draft()
    html = editor_client.get(change_url(article)).content.decode()
    assert "/preview/" in html

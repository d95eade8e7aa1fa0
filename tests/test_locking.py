import pytest
from django import forms
from django.test import Client

from articles.editorial import StaleEditMixin
from articles.models import Article
from tests.factories import ArticleFactory, UserFactory, country
from tests.test_admin import change_url, post_change

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def second_editor(editor):
    other = UserFactory(username="zweite", first_name="Zoe", last_name="Zweig")
    other.is_staff = True
    other.save()
    other.groups.set(editor.groups.all())
    return other


@pytest.fixture
def second_client(second_editor):
    client = Client()
    client.force_login(second_editor)
    return client


def test_every_save_counts_a_revision():
    article = ArticleFactory()
    start = article.revision
    article.save()
    article.save(update_fields=["headline"])
    article.refresh_from_db()
    assert article.revision == start + 2


def test_form_carries_the_revision_it_was_opened_at(editor_client):
    article = ArticleFactory()
    html = editor_client.get(change_url(article)).content.decode()
    assert f'name="base_revision" value="{article.revision}"' in html


def test_stale_save_is_refused_and_keeps_the_second_editors_text(
    editor_client, second_client
):
    article = ArticleFactory(headline="Ausgangstext", status="draft", published_at=None)
    opened_at = article.revision
    first = post_change(editor_client, article, headline="Fassung der Ersten")
    assert first.status_code == 302

    second = post_change(
        second_client,
        article,
        headline="Fassung des Zweiten",
        body="<p>Mein langer Absatz</p>",
        base_revision=opened_at,
    )

    assert second.status_code == 200
    html = second.content.decode()
    assert "Someone else saved this story" in html
    assert "Mein langer Absatz" in html
    assert 'value="Fassung des Zweiten"' in html
    assert Article.objects.get().headline == "Fassung der Ersten"


def test_refused_save_shows_what_changed_in_between(editor_client, second_client):
    article = ArticleFactory(headline="Alter Titel", status="draft", published_at=None)
    opened_at = article.revision
    # The first save makes the version the second editor started from.
    post_change(editor_client, article, headline="Alter Titel")
    article.refresh_from_db()
    opened_at = article.revision
    post_change(editor_client, article, headline="Neuer Titel", countries=["CN"])

    second = post_change(
        second_client, article, headline="Mein Titel", base_revision=opened_at
    )

    html = second.content.decode()
    assert "Saved by editor" in html
    assert "<del>Alter</del>" in html
    assert "<ins>Neuer</ins>" in html
    assert "<ins>China</ins>" in html


def test_saving_again_after_the_conflict_overwrites_on_purpose(
    editor_client, second_client
):
    article = ArticleFactory(status="draft", published_at=None)
    opened_at = article.revision
    post_change(editor_client, article, headline="Erste")
    refused = post_change(
        second_client, article, headline="Zweite", base_revision=opened_at
    )
    form = refused.context["adminform"].form
    again = post_change(
        second_client,
        article,
        headline="Zweite",
        base_revision=form["base_revision"].value(),
    )
    assert again.status_code == 302
    assert Article.objects.get().headline == "Zweite"


def test_save_without_the_revision_is_refused(editor_client):
    article = ArticleFactory(status="draft", published_at=None)
    response = post_change(editor_client, article, base_revision="")
    assert response.status_code == 200
    assert Article.objects.get().revision == article.revision


class TagsOnlyForm(StaleEditMixin, forms.ModelForm):
    """A form like the moderators': tags only, with the same stale check."""

    class Meta:
        model = Article
        fields = ["countries"]


def test_tag_only_form_refuses_a_stale_save():
    article = ArticleFactory(countries=["KZ"])
    opened_at = article.revision
    article.save()
    form = TagsOnlyForm(
        {"countries": "CN", "base_revision": opened_at}, instance=article
    )
    assert not form.is_valid()
    assert form.conflict is not None
    assert list(Article.objects.get().countries.all()) == [country("KZ")]


def test_notice_when_someone_else_opened_the_story(editor_client, second_client):
    article = ArticleFactory()
    editor_client.get(change_url(article))
    html = second_client.get(change_url(article)).content.decode()
    assert "editor" in html
    assert "opened this story in the last minutes" in html


def test_no_notice_for_your_own_opening(editor_client):
    article = ArticleFactory()
    editor_client.get(change_url(article))
    html = editor_client.get(change_url(article)).content.decode()
    assert "opened this story in the last minutes" not in html


def test_notice_ends_after_the_window(editor_client, second_client, settings):
    settings.NEWSROOM_EDIT_NOTICE_SECONDS = 0
    article = ArticleFactory()
    editor_client.get(change_url(article))
    html = second_client.get(change_url(article)).content.decode()
    assert "opened this story in the last minutes" not in html

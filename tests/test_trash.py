import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from articles import services
from articles.models import Article
from tests.factories import FIXED_NOW, ArticleFactory, UserFactory
from tests.test_admin import LIST_URL, change_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_deleting_in_the_admin_moves_the_story_to_the_trash(editor_client, editor):
    article = ArticleFactory()
    response = editor_client.post(
        reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    stored = Article.objects.get()
    assert stored.is_in_trash
    assert stored.deleted_by == editor


def test_story_in_the_trash_is_not_public(client, editor):
    article = ArticleFactory()
    url = article.get_absolute_url()
    services.article_trash(article, by=editor)
    assert not Article.objects.published().exists()
    assert client.get(url).status_code == 404


def test_default_admin_list_leaves_the_trash_out(editor_client, editor):
    ArticleFactory(headline="Da")
    services.article_trash(ArticleFactory(headline="Weg"), by=editor)
    shown = editor_client.get(LIST_URL).context["cl"].result_list
    assert [a.headline for a in shown] == ["Da"]
    shown = editor_client.get(f"{LIST_URL}?trash=yes").context["cl"].result_list
    assert [a.headline for a in shown] == ["Weg"]


def test_editor_restores_from_the_trash(editor_client, editor):
    article = services.article_trash(ArticleFactory(), by=editor)
    editor_client.post(
        f"{LIST_URL}?trash=yes",
        {"action": "restore_selected", "_selected_action": [article.pk]},
    )
    assert Article.objects.published().get() == article


def test_trash_action_moves_stories(editor_client):
    article = ArticleFactory()
    editor_client.post(
        LIST_URL, {"action": "trash_selected", "_selected_action": [article.pk]}
    )
    assert Article.objects.get().is_in_trash


def test_editor_may_not_purge(editor_client, editor):
    article = services.article_trash(ArticleFactory(), by=editor)
    html = editor_client.get(f"{LIST_URL}?trash=yes").content.decode()
    assert "purge_selected" not in html
    editor_client.post(
        f"{LIST_URL}?trash=yes",
        {"action": "purge_selected", "_selected_action": [article.pk]},
    )
    assert Article.objects.filter(pk=article.pk).exists()


def test_superuser_purges_from_the_trash(client, editor):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    article = services.article_trash(ArticleFactory(), by=editor)
    client.post(
        f"{LIST_URL}?trash=yes",
        {"action": "purge_selected", "_selected_action": [article.pk]},
    )
    assert not Article.objects.exists()


def test_purge_refuses_a_story_outside_the_trash():
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    with pytest.raises(ValueError):
        services.article_purge(ArticleFactory(), by=admin)


def test_purge_command_removes_only_old_trash(editor):
    with freeze_time(FIXED_NOW - datetime.timedelta(days=40)):
        old = services.article_trash(ArticleFactory(), by=editor)
    with freeze_time(FIXED_NOW - datetime.timedelta(days=5)):
        recent = services.article_trash(ArticleFactory(), by=editor)
    kept = ArticleFactory()
    out = StringIO()
    with freeze_time(FIXED_NOW):
        call_command("purge_trash", "--older-than", "30", stdout=out)
    assert set(Article.objects.all()) == {recent, kept}
    assert not Article.objects.filter(pk=old.pk).exists()
    assert "Purged 1" in out.getvalue()


def test_purge_command_defaults_to_the_setting(editor, settings):
    settings.NEWSROOM_TRASH_DAYS = 0
    services.article_trash(ArticleFactory(), by=editor)
    call_command("purge_trash", stdout=StringIO())
    assert not Article.objects.exists()


def test_purge_command_refuses_negative_days():
    with pytest.raises(CommandError):
        call_command("purge_trash", "--older-than", "-1")


def test_trash_is_a_version(editor):
    from articles.services.history import article_versions

    article = services.article_trash(ArticleFactory(), by=editor)
    assert article_versions(article).first().revision.user == editor


def test_trashed_change_form_offers_no_transition(editor_client, editor):
    article = services.article_trash(
        ArticleFactory(published_at=timezone.now()), by=editor
    )
    html = editor_client.get(change_url(article)).content.decode()
    assert 'name="_transition"' not in html
    assert "in the trash since" in html


def test_delete_page_says_the_story_went_to_the_trash(editor_client):
    article = ArticleFactory(headline="Weg damit")
    response = editor_client.post(
        reverse("admin:articles_article_delete", args=[article.pk]),
        {"post": "yes"},
        follow=True,
    )
    assert "“Weg damit” is in the trash now." in response.content.decode()


def test_delete_confirmation_offers_the_trash_and_lists_nothing(editor_client):
    article = ArticleFactory(headline="Weg damit")
    response = editor_client.get(
        reverse("admin:articles_article_delete", args=[article.pk])
    )
    html = response.content.decode()
    assert "Move “Weg damit” to the trash?" in html
    assert "can be restored" in html
    assert "will be deleted" not in html
    assert 'id="deleted-objects"' not in html


def test_delete_confirmation_in_german_speaks_of_the_trash(editor_client, settings):
    settings.LANGUAGE_CODE = "de"
    article = ArticleFactory(headline="Weg damit")
    response = editor_client.get(
        reverse("admin:articles_article_delete", args=[article.pk]),
        headers={"accept-language": "de"},
    )
    assert "„Weg damit“ in den Papierkorb legen?" in response.content.decode()


def test_purge_confirmation_says_the_story_is_deleted_for_good(admin_client, editor):
    article = services.article_trash(ArticleFactory(headline="Weg"), by=editor)
    url = reverse("admin:articles_article_delete", args=[article.pk])
    assert "Delete “Weg” for good?" in admin_client.get(url).content.decode()
    response = admin_client.post(url, {"post": "yes"}, follow=True)
    assert "“Weg” is deleted for good." in response.content.decode()
    assert not Article.objects.exists()

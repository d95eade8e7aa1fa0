import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from freezegun import freeze_time

from articles import services
from articles.admin.workflow import publication_state
from articles.models import Article
from tests.factories import FIXED_NOW, ArticleFactory, UserFactory
from tests.test_admin import LIST_URL, change_url, form_data, post_change

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def writer(db):
    """Staff who may write and change stories but not publish them."""
    user = UserFactory(username="writer", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["add_article", "change_article", "view_article"]
        )
    )
    return user


def test_draft_goes_to_review_and_back(writer):
    article = ArticleFactory(status="draft", published_at=None)
    services.article_submit(article, by=writer)
    assert Article.objects.get().status == "review"
    services.article_return_to_draft(article, by=writer)
    assert Article.objects.get().status == "draft"


def test_publish_archive_and_publish_again(editor):
    article = ArticleFactory(status="review", published_at=None)
    services.article_publish(article, by=editor)
    assert Article.objects.published().get() == article
    services.article_archive(article, by=editor)
    assert not Article.objects.published().exists()
    assert Article.objects.get().status == "archived"
    services.article_republish(article, by=editor)
    assert Article.objects.published().get() == article


def test_writer_may_not_publish(writer):
    article = ArticleFactory(status="review", published_at=None)
    with pytest.raises(PermissionDenied):
        services.article_publish(article, by=writer)
    assert Article.objects.get().status == "review"


def test_transition_from_the_wrong_state_is_refused(editor):
    article = ArticleFactory(status="draft", published_at=None)
    with pytest.raises(ValidationError):
        services.article_archive(article, by=editor)
    assert Article.objects.get().status == "draft"


def test_editors_group_holds_the_publish_permission(editor):
    assert editor.has_perm("articles.publish_article")


def test_transitions_offered_depend_on_permission(writer, editor):
    article = ArticleFactory(status="review", published_at=None)
    assert [t.name for t in services.transitions_for(article, writer)] == [
        "return_to_draft"
    ]
    assert [t.name for t in services.transitions_for(article, editor)] == [
        "return_to_draft",
        "publish",
    ]


def test_change_form_shows_only_permitted_buttons(client, writer):
    client.force_login(writer)
    article = ArticleFactory(status="draft", published_at=None)
    html = client.get(change_url(article)).content.decode()
    assert 'name="_transition" value="submit"' in html
    assert 'value="publish"' not in html


def test_status_is_not_a_form_field(editor_client):
    article = ArticleFactory(status="draft", published_at=None)
    response = post_change(
        editor_client,
        article,
        status="published",
    )
    assert response.status_code == 302
    assert Article.objects.get().status == "draft"


def test_server_refuses_a_forged_transition(client, writer):
    client.force_login(writer)
    article = ArticleFactory(status="draft", published_at=None)
    response = post_change(
        client,
        article,
        _transition="publish",
    )
    assert response.status_code == 200
    assert "may not make this change of status" in response.content.decode()
    assert Article.objects.get().status == "draft"


def test_transition_button_saves_the_edit_and_moves_the_story(editor_client):
    article = ArticleFactory(status="draft", published_at=None)
    response = post_change(
        editor_client, article, headline="Fertig", _transition="submit"
    )
    assert response.status_code == 302
    assert response["Location"] == change_url(article)
    stored = Article.objects.get()
    assert (stored.headline, stored.status) == ("Fertig", "review")


def test_writer_cannot_reschedule_a_published_story(client, writer):
    client.force_login(writer)
    article = ArticleFactory()
    response = post_change(
        client,
        article,
        published_at_0="2030-01-01",
        published_at_1="10:00",
    )
    assert response.status_code == 200
    assert Article.objects.get().published_at == article.published_at


def test_publish_action_skips_stories_in_the_wrong_state(editor_client):
    archived = ArticleFactory(status="archived")
    draft = ArticleFactory(status="draft", published_at=None)
    editor_client.post(
        LIST_URL,
        {"action": "workflow_publish", "_selected_action": [archived.pk, draft.pk]},
    )
    assert Article.objects.get(pk=archived.pk).status == "archived"
    assert Article.objects.get(pk=draft.pk).status == "published"


def test_writer_does_not_see_publish_actions(client, writer):
    client.force_login(writer)
    ArticleFactory()
    html = client.get(LIST_URL).content.decode()
    assert "workflow_submit" in html
    assert "workflow_publish" not in html


# Schedule and expiry.


@freeze_time(FIXED_NOW)
def test_scheduled_state_names_time_and_zone():
    article = ArticleFactory(published_at=FIXED_NOW + datetime.timedelta(days=1))
    with translation.override("en"):
        assert publication_state(article) == "scheduled for Sat 17 Sep 2022, 12:00 CEST"


@freeze_time(FIXED_NOW)
def test_winter_time_shows_cet():
    article = ArticleFactory(
        published_at=datetime.datetime(2022, 12, 1, 9, 0, tzinfo=datetime.UTC)
    )
    with translation.override("en"):
        assert publication_state(article) == "scheduled for Thu 1 Dec 2022, 10:00 CET"


@freeze_time(FIXED_NOW)
def test_scheduled_state_is_written_the_german_way_in_german():
    article = ArticleFactory(
        published_at=datetime.datetime(2026, 11, 29, 9, 0, tzinfo=datetime.UTC)
    )
    with translation.override("de"):
        assert publication_state(article) == (
            "geplant für So., 29. Nov. 2026, 10:00 CET"
        )


def test_admin_list_shows_the_schedule(editor_client):
    ArticleFactory(published_at=timezone.now() + datetime.timedelta(days=2))
    with translation.override("en"):
        html = editor_client.get(reverse("admin:articles_article_changelist")).content
    assert "scheduled for" in html.decode()


def test_scheduled_filter_lists_only_scheduled_stories(editor_client):
    ArticleFactory(headline="Jetzt")
    ArticleFactory(
        headline="Morgen", published_at=timezone.now() + datetime.timedelta(days=1)
    )
    response = editor_client.get(f"{LIST_URL}?publication=scheduled")
    assert [a.headline for a in response.context["cl"].result_list] == ["Morgen"]


def test_scheduled_story_appears_on_its_minute():
    start = FIXED_NOW
    with freeze_time(start):
        ArticleFactory(published_at=start + datetime.timedelta(minutes=5))
        assert not Article.objects.published().exists()
    with freeze_time(start + datetime.timedelta(minutes=5)):
        assert Article.objects.published().count() == 1


def test_expired_story_leaves_public_pages_on_its_minute(client):
    with freeze_time(FIXED_NOW):
        article = ArticleFactory(
            published_at=FIXED_NOW - datetime.timedelta(hours=1),
            expires_at=FIXED_NOW + datetime.timedelta(minutes=10),
        )
        assert client.get(article.get_absolute_url()).status_code == 200
    with freeze_time(FIXED_NOW + datetime.timedelta(minutes=10)):
        assert client.get(article.get_absolute_url()).status_code == 404
        assert not Article.objects.published().exists()


def test_expiry_before_publication_is_a_form_error(editor_client):
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        form_data(
            published_at_0="2022-09-16",
            published_at_1="10:00",
            expires_at_0="2022-09-15",
            expires_at_1="10:00",
        ),
    )
    assert response.status_code == 200
    assert "expires_at" in response.context["adminform"].form.errors


def test_unknown_transition_is_a_form_error(editor_client):
    article = ArticleFactory(status="draft", published_at=None)
    response = post_change(editor_client, article, _transition="explode")
    assert response.status_code == 200
    assert "may not make this change of status" in response.content.decode()

import pytest
import reversion
from django.urls import reverse
from reversion.models import Version

from articles import services
from articles.models import Article
from articles.services.history import article_versions
from tests.factories import (
    ArticleFactory,
    SectionFactory,
    TopicFactory,
    UserFactory,
    country,
)
from tests.test_admin import post_change

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


def compare_url(article):
    return reverse("admin:articles_article_compare", args=[article.pk])


def restore_url(article, version):
    return reverse("admin:articles_article_restore", args=[article.pk, version.pk])


def saved_version(article, by, **changes):
    """Change `article` the way a service does and return the new version."""
    with reversion.create_revision():
        for field, value in changes.items():
            setattr(article, field, value)
        article.save()
        reversion.set_user(by)
    return article_versions(article).first()


def test_admin_save_is_a_version_with_user_and_comment(editor_client, editor):
    article = ArticleFactory(status="draft", published_at=None)
    post_change(editor_client, article, headline="Neu")
    version = Version.objects.get_for_object(article).get()
    assert version.revision.user == editor
    assert "Headline" in version.revision.comment
    assert version.field_dict["headline"] == "Neu"


def test_admin_version_holds_the_tags_saved_with_it(editor_client):
    article = ArticleFactory(status="draft", published_at=None, countries=["KZ"])
    post_change(editor_client, article, countries=["CN"])
    version = Version.objects.get_for_object(article).get()
    links = version.revision.version_set.exclude(pk=version.pk)
    assert [link.field_dict["tag_id"] for link in links] == ["CN"]


def test_service_transition_is_a_version(editor):
    article = ArticleFactory(status="draft", published_at=None)
    services.article_submit(article, by=editor)
    version = Version.objects.get_for_object(article).get()
    assert version.revision.user == editor
    assert version.field_dict["status"] == "review"


def test_admin_action_is_a_version(editor_client, editor):
    article = ArticleFactory(status="draft", published_at=None)
    editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "workflow_submit", "_selected_action": [article.pk]},
    )
    assert Version.objects.get_for_object(article).get().revision.user == editor


def test_history_lists_versions_with_who(editor_client, editor):
    article = ArticleFactory()
    saved_version(article, editor, headline="Zweite Fassung")
    html = editor_client.get(history_url(article)).content.decode()
    assert "editor" in html
    assert "Restore" in html or "Wiederherstellen" in html


def test_compare_shows_changed_text_and_tags(editor_client, editor):
    topic = TopicFactory(name="Energie")
    article = ArticleFactory(headline="Alter Titel", countries=["KZ"])
    first = saved_version(article, editor)
    article.countries.set([country("CN")])
    article.topics.add(topic)
    second = saved_version(article, editor, headline="Neuer Titel")
    response = editor_client.get(
        compare_url(article), {"from": first.pk, "to": second.pk}
    )
    html = response.content.decode()
    assert "<del>Alter</del>" in html
    assert "<ins>Neuer</ins>" in html
    assert "<del>Kazakhstan</del>" in html
    assert "<ins>China</ins>" in html
    assert "<ins>Energie</ins>" in html


def test_compare_with_the_current_state_reads_naturally_in_german(
    editor_client, editor, settings
):
    settings.LANGUAGE_CODE = "de"
    article = ArticleFactory(headline="Alter Titel")
    first = saved_version(article, editor)
    response = editor_client.get(
        compare_url(article), {"from": first.pk}, headers={"accept-language": "de"}
    )
    assert "bis zum jetzigen Stand" in response.content.decode()


@pytest.mark.parametrize("bad", ["abc", "999999", "-1"])
def test_compare_with_a_bad_version_is_404(editor_client, bad):
    article = ArticleFactory()
    assert editor_client.get(compare_url(article), {"from": bad}).status_code == 404


def test_compare_refuses_another_storys_version(editor_client, editor):
    article = ArticleFactory()
    other = saved_version(ArticleFactory(), editor)
    assert (
        editor_client.get(compare_url(article), {"from": other.pk}).status_code == 404
    )


def test_restore_brings_text_and_tags_back_as_a_new_version(editor_client, editor):
    topic = TopicFactory()
    article = ArticleFactory(headline="Original", countries=["KZ"], topics=[topic])
    original = saved_version(article, editor)
    article.countries.set([country("CN"), country("RU")])
    article.topics.clear()
    saved_version(article, editor, headline="Verändert", body="<p>Anders</p>")

    response = editor_client.post(restore_url(article, original))

    assert response.status_code == 302
    restored = Article.objects.get()
    assert restored.headline == "Original"
    assert restored.body == "<p>Der Text der Meldung.</p>"
    assert list(restored.countries.values_list("code", flat=True)) == ["KZ"]
    assert list(restored.topics.all()) == [topic]
    versions = list(article_versions(article))
    assert len(versions) == 3
    assert versions[1].field_dict["headline"] == "Verändert"


def test_restore_keeps_status_and_counts_a_new_revision(editor_client, editor):
    article = ArticleFactory(status="draft", published_at=None)
    draft_version = saved_version(article, editor)
    services.article_publish(article, by=editor)
    revision = Article.objects.get().revision
    editor_client.post(restore_url(article, draft_version))
    restored = Article.objects.get()
    assert restored.status == "published"
    assert restored.revision == revision + 1


def test_restore_needs_post(editor_client, editor):
    article = ArticleFactory()
    version = saved_version(article, editor)
    assert editor_client.get(restore_url(article, version)).status_code == 405


def test_history_query_count_does_not_grow(
    editor_client, editor, django_assert_max_num_queries
):
    article = ArticleFactory()
    for number in range(15):
        saved_version(article, editor, headline=f"Fassung {number}")
    with django_assert_max_num_queries(12):
        editor_client.get(history_url(article))


def test_compare_query_count_does_not_grow(
    editor_client, editor, django_assert_max_num_queries
):
    article = ArticleFactory(countries=["KZ", "CN", "RU"])
    first = saved_version(article, editor)
    for number in range(10):
        article.topics.add(TopicFactory())
        saved_version(article, editor, headline=f"Fassung {number}")
    with django_assert_max_num_queries(16):
        editor_client.get(compare_url(article), {"from": first.pk})


def test_history_needs_permission_to_see_stories(client, editor):
    stranger = UserFactory(username="fremd", is_staff=True)
    client.force_login(stranger)
    article = ArticleFactory()
    version = saved_version(article, editor)
    assert client.get(history_url(article)).status_code == 403
    assert client.get(compare_url(article)).status_code == 403
    assert client.post(restore_url(article, version)).status_code == 403
    assert Article.objects.get().revision == article.revision


def test_restoring_a_slug_taken_since_is_refused_with_a_message(editor_client, editor):
    article = ArticleFactory(slug="gipfel")
    old = saved_version(article, editor)
    saved_version(article, editor, slug="gipfel-neu")
    ArticleFactory(slug="gipfel")
    response = editor_client.post(restore_url(article, old), follow=True)
    assert response.status_code == 200
    assert "cannot be restored" in response.content.decode()
    assert Article.objects.get(pk=article.pk).slug == "gipfel-neu"


def test_restore_keeps_the_section_when_the_old_one_is_gone(editor_client, editor):
    gone = SectionFactory()
    article = ArticleFactory(section=gone)
    old = saved_version(article, editor)
    kept = SectionFactory()
    saved_version(article, editor, section=kept)
    gone.delete()
    editor_client.post(restore_url(article, old))
    assert Article.objects.get(pk=article.pk).section == kept


def test_save_with_a_transition_is_one_version_saying_both(editor_client):
    article = ArticleFactory(status="draft", published_at=None)
    post_change(editor_client, article, headline="Fertig", _transition="submit")
    version = Version.objects.get_for_object(article).get()
    assert "Headline" in version.revision.comment
    assert "In review" in version.revision.comment
    assert version.field_dict["status"] == "review"

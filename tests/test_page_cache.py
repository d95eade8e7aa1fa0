"""The server's page cache: kept while the content is, gone when it changes."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from articles import caching, services
from articles.models import Article, Topic, generation
from tests.factories import ArticleFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return ArticleFactory(
        headline="Gipfel in Astana", topics=[TopicFactory(slug="sco")]
    )


def test_a_second_visit_is_served_from_the_cache_in_one_query(
    client, story, django_assert_num_queries
):
    first = client.get(story.get_absolute_url())
    with django_assert_num_queries(1):
        second = client.get(story.get_absolute_url())
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    # The security headers are the middleware's, on every answer.
    assert second["Content-Security-Policy"]
    assert second["X-Frame-Options"] == "DENY"


def test_saving_a_story_shows_at_once(client, story):
    assert "Gipfel in Astana" in client.get("/de/").content.decode()
    story.headline = "Gipfel in Taschkent"
    story.save()
    html = client.get("/de/").content.decode()
    assert "Gipfel in Taschkent" in html
    assert "Gipfel in Astana" not in html


def test_a_bulk_update_shows_at_once(client, story):
    client.get(story.get_absolute_url())
    Article.objects.filter(pk=story.pk).update(status=Article.Status.DRAFT)
    assert client.get(story.get_absolute_url()).status_code == 404


def test_a_raw_statement_shows_at_once(client, story):
    client.get(story.get_absolute_url())
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_article SET headline = %s WHERE id = %s",
            ["Roh geschrieben", story.pk],
        )
    assert "Roh geschrieben" in client.get(story.get_absolute_url()).content.decode()


def test_a_tag_merge_shows_at_once(client, story):
    other = TopicFactory(slug="soz")
    client.get("/de/topic/soz/")
    services.tag_merge(
        Topic.objects.get(slug="sco"), into=other, by=UserFactory(is_superuser=True)
    )
    assert "Gipfel in Astana" in client.get("/de/topic/soz/").content.decode()


def test_a_deleted_story_is_gone_at_once(client, story):
    client.get(story.get_absolute_url())
    Article.objects.filter(pk=story.pk).delete()
    assert client.get(story.get_absolute_url()).status_code == 404


def test_a_rolled_back_write_keeps_the_generation():
    before = generation.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        ArticleFactory()
        raise RuntimeError
    assert generation.current() == before


def test_writes_to_the_moderation_log_keep_the_generation(story):
    before = generation.current()
    services.article_suggest_tags(story)
    assert generation.current() == before


def test_signed_in_visitors_neither_read_nor_fill_the_cache(client, story):
    client.get(story.get_absolute_url())
    client.force_login(UserFactory(is_staff=True))
    Article.objects.filter(pk=story.pk).update(headline="Nur intern")
    # Another reader's kept page would be old; the editor's is rendered.
    assert "Nur intern" in client.get(story.get_absolute_url()).content.decode()
    response = client.get(story.get_absolute_url())
    assert "private" in response["Cache-Control"]


def test_pages_differ_by_host_and_language(client, story, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    german = client.get("/de/search/?q=Astana").content.decode()
    english = client.get("/en/search/?q=Astana").content.decode()
    assert 'lang="de"' in german
    assert 'lang="en"' in english
    elsewhere = client.get("/de/search/?q=Astana", HTTP_HOST="other.example")
    assert "http://other.example/de/search/" in elsewhere.content.decode()


def test_a_kept_page_answers_304_to_its_etag(client, story):
    first = client.get(story.get_absolute_url())
    again = client.get(story.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_kept_pages_are_served_while_the_database_is_down(client, story, monkeypatch):
    kept = client.get(story.get_absolute_url()).content

    def down(*args, **kwargs):
        raise OperationalError("the database is gone")

    monkeypatch.setattr(generation, "current", down)
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    assert response.content == kept
    # A page never kept gets the 503 page, not an error.
    assert client.get("/de/topic/sco/").status_code == 503


def test_a_kept_page_ends_when_a_scheduled_story_comes_out(client, story):
    ArticleFactory(
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() + datetime.timedelta(seconds=90),
    )
    response = client.get("/de/")
    assert 0 < int(response["Cache-Control"].split("max-age=")[1]) <= 90
    kept = client.get("/de/")
    assert int(kept["Cache-Control"].split("max-age=")[1]) <= 90


def test_the_page_cache_can_be_turned_off(
    client, story, settings, django_assert_max_num_queries
):
    settings.NEWSROOM_PAGE_CACHE = False
    client.get(story.get_absolute_url())
    with django_assert_max_num_queries(14) as queries:
        client.get(story.get_absolute_url())
    assert len(queries) > 1


def test_only_plain_pages_are_kept(rf, story):
    request = rf.get("/de/", HTTP_HOST="testserver")
    assert caching.page_key(request).startswith("page:")
    assert caching.page_key(rf.post("/de/")) is None
    request.COOKIES["sessionid"] = "x"
    assert caching.page_key(request) is None


def test_expire_pages_makes_every_kept_page_old(client, story):
    client.get(story.get_absolute_url())
    # As a psql session would: past Django, so nothing is watched.
    watching = list(connection.execute_wrappers)
    connection.execute_wrappers.clear()
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE articles_article SET headline = %s WHERE id = %s",
                ["Von außen", story.pk],
            )
    finally:
        connection.execute_wrappers[:] = watching
    assert "Von außen" not in client.get(story.get_absolute_url()).content.decode()
    call_command("expire_pages", stdout=io.StringIO())
    assert "Von außen" in client.get(story.get_absolute_url()).content.decode()


def test_listings_remember_their_count_and_pages_until_the_content_changes(
    client, settings, django_assert_max_num_queries
):
    settings.NEWSROOM_PAGE_CACHE = False
    topic = TopicFactory(slug="soz")
    stories = ArticleFactory.create_batch(25, topics=[topic])
    first = client.get("/de/topic/soz/?page=2")
    assert first.context["paginator"].count == 25
    with django_assert_max_num_queries(20) as cold:
        client.get("/de/topic/soz/?page=2")
    # Rendered again, but neither counted nor searched again.
    assert not any("COUNT(" in query["sql"] for query in cold.captured_queries)
    Article.objects.filter(pk=stories[0].pk).update(status=Article.Status.DRAFT)
    again = client.get("/de/topic/soz/?page=2")
    assert again.context["paginator"].count == 24
    assert [story.pk for story in again.context["object_list"]] == [
        story.pk for story in Article.objects.published().filter(topics=topic)[20:]
    ]

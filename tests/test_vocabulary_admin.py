import importlib

import pytest
from django.urls import reverse

from articles.models import Topic
from tests.factories import ArticleFactory, TopicFactory
from tests.test_moderation_admin import topic_form

pytestmark = pytest.mark.django_db

TOPIC_ADD_URL = reverse("admin:articles_topic_add")


def test_a_topic_slug_with_umlauts_is_refused(moderator_client):
    response = moderator_client.post(
        TOPIC_ADD_URL,
        topic_form(Topic(name="Grenzübergänge Straße"), slug="grenzübergänge-straße"),
    )
    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
    assert not Topic.objects.filter(name="Grenzübergänge Straße").exists()


def test_an_empty_topic_slug_is_made_from_the_name_in_ascii(moderator_client):
    response = moderator_client.post(
        TOPIC_ADD_URL, topic_form(Topic(name="Grenzübergänge Straße"), slug="")
    )
    assert response.status_code == 302
    assert Topic.objects.get(name="Grenzübergänge Straße").slug == (
        "grenzuebergaenge-strasse"
    )


def test_a_topic_made_from_a_name_gets_a_german_ascii_slug():
    topic = Topic.objects.create(name="Zölle und Maße")
    assert topic.slug == "zoelle-und-masse"


def test_a_story_with_a_topic_named_in_umlauts_renders_its_page(client):
    topic = Topic.objects.create(name="Grenzübergänge")
    article = ArticleFactory(topics=[topic])
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get("/de/").status_code == 200


def test_the_migration_makes_existing_topic_slugs_ascii_and_unique():
    from django.apps import apps

    migration = importlib.import_module(
        "articles.migrations.0007_fixadmin_topic_ascii_slugs"
    )
    TopicFactory(slug="strasse", name="Straße")
    old = TopicFactory(slug="placeholder", name="Straße 2")
    Topic.objects.filter(pk=old.pk).update(slug="straße")
    migration.ascii_slugs(apps, None)
    assert Topic.objects.get(pk=old.pk).slug == "strasse-2"

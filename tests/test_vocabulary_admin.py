import importlib

import pytest
from django.urls import reverse

from articles.models import Section, Topic
from articles.tagging import build_matcher
from tests.factories import ArticleFactory, SectionFactory, TopicFactory
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


BAD_NAMES = ["[1, 2]", '"str"', '{"en": 5}', '{"en": {"a": 1}}', '{"xx": "a"}']


@pytest.mark.parametrize("names", BAD_NAMES)
def test_bad_topic_names_are_refused_with_a_message(admin_client, names):
    response = admin_client.post(
        TOPIC_ADD_URL, topic_form(Topic(name="Bergbau"), slug="mining", names=names)
    )
    assert response.status_code == 200
    assert "names" in response.context["adminform"].form.errors
    assert not Topic.objects.filter(slug="mining").exists()


@pytest.mark.parametrize("names", BAD_NAMES)
def test_bad_section_names_are_refused_with_a_message(admin_client, names):
    response = admin_client.post(
        reverse("admin:articles_section_add"),
        {"name": "Wirtschaft", "names": names, "slug": "wirtschaft", "position": 0},
    )
    assert response.status_code == 200
    assert "names" in response.context["adminform"].form.errors
    assert not Section.objects.filter(slug="wirtschaft").exists()


def test_null_topic_names_are_stored_as_no_names(admin_client):
    response = admin_client.post(
        TOPIC_ADD_URL, topic_form(Topic(name="Bergbau"), slug="mining", names="null")
    )
    assert response.status_code == 302
    assert Topic.objects.get(slug="mining").names == {}


def test_a_refused_language_is_named_in_german(admin_client):
    response = admin_client.post(
        TOPIC_ADD_URL,
        topic_form(Topic(name="Bergbau"), slug="mining", names='{"xx": "a"}'),
    )
    assert "keine Sprache der Website" in response.text


def test_a_bad_stored_name_falls_back_to_the_main_name():
    topic = TopicFactory(slug="mining", name="Bergbau")
    Topic.objects.filter(pk=topic.pk).update(names={"en": 5})
    topic.refresh_from_db()
    assert topic.name_in("en") == "Bergbau"
    section = SectionFactory(name="Wirtschaft")
    Section.objects.filter(pk=section.pk).update(names=[1, 2])
    section.refresh_from_db()
    assert section.name_in("en") == "Wirtschaft"


def test_the_matcher_skips_names_that_are_not_text():
    topic = TopicFactory(slug="mining", name="Bergbau")
    Topic.objects.filter(pk=topic.pk).update(names={"en": 5, "de": {"a": 1}})
    matcher = build_matcher()
    assert ("topic", "mining") in matcher.scan("Der Bergbau wächst.", "de")

import datetime
import io

import factory
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import override
from freezegun import freeze_time

from articles.models import Article
from tests.factories import FIXED_NOW, ArticleFactory

pytestmark = pytest.mark.django_db

SEED_BODY = (
    "<p>Der chinesische Staatspräsident Xi Jinping weilte am Mittwoch zu einem "
    "Staatsbesuch in Kasachstan.</p><p>Beide Seiten sprachen über Handel.</p>"
)


def search_url(language="de"):
    with override(language):
        return reverse("articles:search")


def search(client, query, language="de", **params):
    return client.get(search_url(language), {"q": query, **params})


def found(response):
    return [article.headline for article in response.context["page_obj"]]


@pytest.fixture
def seed_story():
    return ArticleFactory(
        headline="Xi Jinping zu Staatsbesuch in Kasachstan", body=SEED_BODY
    )


def test_german_stemming_finds_the_story(client, seed_story):
    response = search(client, "Kasachstans")
    assert found(response) == ["Xi Jinping zu Staatsbesuch in Kasachstan"]


def test_english_stemming_finds_the_story(client):
    ArticleFactory(language="en", headline="Trade routes", body="<p>Railways.</p>")
    response = search(client, "railway", language="en")
    assert found(response) == ["Trade routes"]


def test_every_word_must_match(client, seed_story):
    assert found(search(client, "Kasachstan Fußball")) == []


def test_headline_match_ranks_above_body_match(client):
    ArticleFactory(headline="Handel wächst", body="<p>Auch Kasachstan liefert.</p>")
    ArticleFactory(headline="Kasachstan baut", body="<p>Neue Straßen.</p>")
    assert found(search(client, "Kasachstan")) == ["Kasachstan baut", "Handel wächst"]


def test_results_are_in_the_readers_language(client):
    ArticleFactory(language="de", headline="Seidenstraße in Kasachstan")
    ArticleFactory(language="en", headline="Silk Road in Kasachstan")
    assert found(search(client, "Kasachstan", language="en")) == [
        "Silk Road in Kasachstan"
    ]


def test_match_is_highlighted(client, seed_story):
    response = search(client, "Kasachstans")
    assert b"<mark>Kasachstan</mark>" in response.content


def test_story_markup_in_excerpt_is_escaped(client):
    ArticleFactory(
        headline="Sicherheit",
        standfirst='Kasachstan <script>alert("x")</script> <img src=x onerror=y>',
        body="<p>Kasachstan &lt;b&gt;fett&lt;/b&gt;</p>",
    )
    content = search(client, "Kasachstan").content.decode()
    assert "<script>alert" not in content
    assert "<img src=x" not in content
    assert "<b>fett" not in content
    assert "<mark>Kasachstan</mark>" in content


def test_html_looking_query_is_shown_escaped(client, seed_story):
    content = search(client, "<script>alert(1)</script>").content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


@pytest.mark.parametrize(
    "query",
    [
        "' OR 1=1 --",
        '"',
        "*",
        "NEAR(",
        "AND OR",
        'Kasachstan" OR "',
        "Kasachstan*",
        "NOT Kasachstan",
        "kasachstan AND",
        "%_%",
        "\\",
        "\ue000Kasachstan\ue001",
        "日本",
    ],
)
def test_hostile_query_gives_a_page(client, seed_story, query):
    response = search(client, query)
    assert response.status_code == 200
    assert "<mark>\ue000" not in response.content.decode()


@pytest.mark.parametrize("query", ["!!!", "-- ;", "()*\"'"])
def test_punctuation_only_query_is_explained(client, seed_story, query):
    response = search(client, query, language="en")
    assert response.status_code == 200
    assert "punctuation alone finds nothing" in response.content.decode()


def test_very_long_query_is_explained(client, seed_story):
    response = search(client, "Kasachstan " * 1000, language="en")
    assert response.status_code == 200
    assert "at most 200 characters" in response.content.decode()
    assert found(response) == []


def test_null_character_is_explained(client, seed_story):
    response = search(client, "Kasach\x00stan")
    assert response.status_code == 200
    assert found(response) == []


def test_empty_query_invites_a_search(client, seed_story):
    response = client.get(search_url("en"))
    assert response.status_code == 200
    assert found(response) == []
    assert "Type one or more words" in response.content.decode()


def test_malformed_page_number_shows_a_page(client, seed_story):
    response = search(client, "Kasachstan", page="abc")
    assert response.status_code == 200
    assert len(found(response)) == 1


@pytest.mark.parametrize("status", ["draft", "review", "archived"])
def test_unpublished_story_is_not_found(client, status):
    ArticleFactory(headline="Kasachstan geheim", status=status)
    assert found(search(client, "Kasachstan")) == []


def test_scheduled_story_is_found_from_its_minute(client):
    with freeze_time(FIXED_NOW):
        ArticleFactory(
            headline="Kasachstan morgen",
            published_at=FIXED_NOW + datetime.timedelta(minutes=5),
        )
        assert found(search(client, "Kasachstan")) == []
    with freeze_time(FIXED_NOW + datetime.timedelta(minutes=5)):
        assert found(search(client, "Kasachstan")) == ["Kasachstan morgen"]


def test_saving_a_story_updates_the_index(client, seed_story):
    seed_story.headline = "Xi Jinping besucht Astana"
    seed_story.save()
    assert found(search(client, "Astana")) == ["Xi Jinping besucht Astana"]


def test_rebuild_command_indexes_bulk_inserted_stories(client, seed_story):
    Article.objects.filter(pk=seed_story.pk).update(headline="Gipfel in Samarkand")
    assert found(search(client, "Samarkand")) == []
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert found(search(client, "Samarkand")) == ["Gipfel in Samarkand"]


def test_deleted_story_is_not_found(client, seed_story):
    seed_story.delete()
    assert found(search(client, "Kasachstan")) == []


def test_results_are_paginated(client):
    ArticleFactory.create_batch(
        25, headline=factory.Sequence(lambda n: f"Kasachstan exportiert {n}")
    )
    response = search(client, "Kasachstan", page=2)
    assert len(found(response)) == 5


@pytest.mark.parametrize("count", [1, 50])
def test_search_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, count
):
    ArticleFactory.create_batch(
        count,
        headline=factory.Sequence(lambda n: f"Kasachstan handelt {n}"),
        countries=["KZ"],
    )
    with django_assert_max_num_queries(10):
        response = search(client, "Kasachstan")
    assert len(found(response)) == min(count, 20)


def test_saving_other_fields_leaves_the_index_alone(
    client, seed_story, django_assert_num_queries
):
    seed_story.is_featured = True
    # The story's row, and the page cache's generation.
    with django_assert_num_queries(2):
        seed_story.save(update_fields=["is_featured", "updated_at"])
    assert found(search(client, "Kasachstan")) == [seed_story.headline]


def test_search_page_has_the_section_navigation(client, seed_story):
    html = search(client, "Kasachstans").content.decode()
    section = seed_story.section
    assert f'<a href="{section.get_absolute_url()}">{section.name}</a>' in html


def test_hit_shows_the_marked_excerpt_and_not_the_teaser_as_well(client):
    ArticleFactory(
        headline="Gipfel", standfirst="Xi Jinping weilte in Kasachstan.", body=""
    )
    html = search(client, "Kasachstans").content.decode()
    assert html.count("Xi Jinping weilte in") == 1
    assert "<mark>Kasachstan</mark>" in html
    assert "<ol" not in html


def test_language_switch_keeps_the_search_words(client, seed_story):
    html = search(client, "Kasachstans").content.decode()
    assert 'href="/en/search/?q=Kasachstans" hreflang="en"' in html

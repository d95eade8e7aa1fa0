import datetime

import factory
import feedparser
import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils.translation import override
from freezegun import freeze_time

from tests.factories import (
    FIXED_NOW,
    ArticleFactory,
    SectionFactory,
    SourceFactory,
    TopicFactory,
    country,
)

pytestmark = pytest.mark.django_db

FEED_NAMES = ["feed", "feed_atom"]


def feed_url(name, language="de", **kwargs):
    with override(language):
        return reverse(f"articles:{name}", kwargs=kwargs)


def read_feed(client, name, language="de", **kwargs):
    response = client.get(feed_url(name, language, **kwargs))
    assert response.status_code == 200
    return feedparser.parse(response.content)


def titles(parsed):
    return [entry.title for entry in parsed.entries]


@pytest.fixture
def story():
    return ArticleFactory(
        headline="Xi Jinping zu Staatsbesuch in Kasachstan",
        source=SourceFactory(short_name="CRI", full_name="China Radio International"),
        countries=["KZ"],
        topics=[TopicFactory(name="SOZ", slug="soz", names={"en": "SCO"})],
    )


@pytest.mark.parametrize("name", FEED_NAMES)
def test_edition_feed_lists_the_story(client, story, name):
    parsed = read_feed(client, name)
    assert not parsed.bozo
    assert titles(parsed) == ["Xi Jinping zu Staatsbesuch in Kasachstan"]


@pytest.mark.parametrize("name", FEED_NAMES)
def test_item_links_to_the_story_page(client, story, name):
    entry = read_feed(client, name).entries[0]
    assert entry.link == f"http://testserver{story.get_absolute_url()}"


@pytest.mark.parametrize("name", FEED_NAMES)
def test_agency_is_credited(client, story, name):
    assert read_feed(client, name).entries[0].author == "China Radio International"


@pytest.mark.parametrize("name", FEED_NAMES)
def test_categories_are_the_tags_in_the_feeds_language(client, story, name):
    entry = read_feed(client, name, language="de").entries[0]
    assert {tag.term for tag in entry.tags} == {"Kasachstan", "SOZ"}


@pytest.mark.parametrize("name", FEED_NAMES)
def test_item_summary_is_the_standfirst(client, story, name):
    entry = read_feed(client, name).entries[0]
    assert entry.summary == story.standfirst


@pytest.mark.parametrize("name", FEED_NAMES)
def test_item_summary_without_a_standfirst_is_the_start_of_the_body(client, name):
    ArticleFactory(
        standfirst="",
        body="<p>Mehr Z&uuml;ge als im Vorjahr.</p><p>Die <b>kasachische</b> Bahn</p>",
    )
    entry = read_feed(client, name).entries[0]
    assert entry.summary == "Mehr Züge als im Vorjahr. Die kasachische Bahn"


@pytest.mark.parametrize("name", FEED_NAMES)
def test_dates_are_published_and_updated(client, story, name):
    entry = read_feed(client, name).entries[0]
    published = datetime.datetime(*entry.published_parsed[:6], tzinfo=datetime.UTC)
    assert published == story.published_at.replace(microsecond=0)


def test_atom_entry_carries_the_last_change(client, story):
    with freeze_time(story.published_at + datetime.timedelta(days=1)):
        story.save()
    entry = read_feed(client, "feed_atom").entries[0]
    updated = datetime.datetime(*entry.updated_parsed[:6], tzinfo=datetime.UTC)
    assert updated == story.updated_at.replace(microsecond=0)
    assert updated > story.published_at


@pytest.mark.parametrize("name", FEED_NAMES)
def test_guid_survives_a_slug_change(client, story, name):
    before = read_feed(client, name).entries[0]
    story.slug = "neuer-slug"
    story.headline = "Neue Überschrift"
    story.save()
    after = read_feed(client, name).entries[0]
    assert after.id == before.id
    assert after.link != before.link
    assert after.id.startswith("tag:")


def test_rss_guid_is_not_a_permalink(client, story):
    response = client.get(feed_url("feed"))
    assert b'<guid isPermaLink="false">tag:' in response.content


@pytest.mark.parametrize("name", FEED_NAMES)
def test_edition_feed_is_in_the_readers_language(client, story, name):
    ArticleFactory(language="en", headline="Xi Jinping visits Kazakhstan")
    assert titles(read_feed(client, name, language="en")) == [
        "Xi Jinping visits Kazakhstan"
    ]


@pytest.mark.parametrize("name", ["section_feed", "section_feed_atom"])
def test_section_feed_includes_subsections(client, name):
    parent = SectionFactory(name="BRI-Nachrichten")
    child = SectionFactory(name="Aktuelles", parent=parent)
    ArticleFactory(headline="Im Kind", section=child)
    ArticleFactory(headline="Anderswo")
    parsed = read_feed(client, name, path=parent.path)
    assert titles(parsed) == ["Im Kind"]
    assert parsed.feed.title.startswith("BRI-Nachrichten")


@pytest.mark.parametrize("name", ["country_feed", "country_feed_atom"])
def test_country_feed_lists_its_stories(client, story, name):
    ArticleFactory(headline="Über China", countries=["CN"])
    parsed = read_feed(client, name, language="en", slug="kz")
    assert parsed.feed.title.startswith("Kazakhstan")
    assert titles(parsed) == []  # the story is German
    parsed = read_feed(client, name, slug="kz")
    assert titles(parsed) == ["Xi Jinping zu Staatsbesuch in Kasachstan"]


@pytest.mark.parametrize("name", ["topic_feed", "topic_feed_atom"])
def test_topic_feed_lists_its_stories(client, story, name):
    ArticleFactory(headline="Ohne Thema")
    assert titles(read_feed(client, name, slug="soz")) == [
        "Xi Jinping zu Staatsbesuch in Kasachstan"
    ]


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("section_feed", {"path": "gibt/es/nicht"}),
        ("country_feed_atom", {"slug": "xx"}),
        ("topic_feed", {"slug": "nichts"}),
    ],
)
def test_unknown_feed_is_404(client, name, kwargs):
    assert client.get(feed_url(name, **kwargs)).status_code == 404


def test_section_path_with_a_null_character_is_404(client):
    assert client.get("/de/section/a%00b/rss/").status_code == 404


@pytest.mark.parametrize("status", ["draft", "review", "archived"])
@pytest.mark.parametrize("name", FEED_NAMES)
def test_unpublished_story_is_in_no_feed(client, status, name):
    ArticleFactory(headline="Geheim", status=status, countries=["KZ"])
    assert titles(read_feed(client, name)) == []
    assert titles(read_feed(client, f"country_{name}", slug="kz")) == []


@pytest.mark.parametrize("name", FEED_NAMES)
def test_scheduled_story_enters_the_feed_on_its_minute(client, name):
    with freeze_time(FIXED_NOW):
        ArticleFactory(
            headline="Später", published_at=FIXED_NOW + datetime.timedelta(minutes=1)
        )
        assert titles(read_feed(client, name)) == []
    with freeze_time(FIXED_NOW + datetime.timedelta(minutes=1)):
        assert titles(read_feed(client, name)) == ["Später"]


def test_feed_answers_conditional_get_with_304(client, story):
    response = client.get(feed_url("feed"))
    assert response.has_header("ETag")
    assert response.has_header("Last-Modified")
    again = client.get(feed_url("feed"), headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304


def test_feed_is_cacheable_until_the_next_publication(client, story):
    ArticleFactory(published_at=story.published_at + datetime.timedelta(hours=2))
    response = client.get(feed_url("feed"))
    assert "public" in response["Cache-Control"]
    max_age = int(response["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert 0 < max_age <= 3600


def test_pages_announce_the_edition_feeds(client, story):
    content = client.get(reverse("articles:home")).content.decode()
    assert 'type="application/rss+xml" title="' in content
    assert f'href="{feed_url("feed")}"' in content
    assert f'href="{feed_url("feed_atom")}"' in content


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize("name", ["feed", "topic_feed_atom"])
def test_feed_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, count, name
):
    topic = TopicFactory(slug="sco")
    ArticleFactory.create_batch(
        count,
        headline=factory.Sequence(lambda n: f"Meldung {n}"),
        countries=["KZ", "CN"],
        topics=[topic],
    )
    kwargs = {"slug": "sco"} if name.startswith("topic") else {}
    with django_assert_max_num_queries(8):
        parsed = read_feed(client, name, **kwargs)
    assert len(parsed.entries) == min(count, 30)


@pytest.mark.parametrize(
    ("make_listing", "path"),
    [
        (lambda: SectionFactory(name="Aktuelles"), "/de/section/aktuelles/"),
        (lambda: country("KZ"), "/de/country/kz/"),
        (lambda: TopicFactory(slug="sco"), "/de/topic/sco/"),
    ],
)
def test_feed_links_tag_announces_a_listings_feeds(make_listing, path):
    template = Template("{% load feeds %}{% feed_links listing %}")
    with override("de"):
        html = template.render(Context({"listing": make_listing()}))
    assert 'type="application/rss+xml"' in html
    assert f'href="{path}rss/"' in html
    assert f'href="{path}atom/"' in html

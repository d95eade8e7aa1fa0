import datetime
import xml.etree.ElementTree as ET

import factory
import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from tests.factories import FIXED_NOW, ArticleFactory, SectionFactory, TopicFactory

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
BASE = "http://testserver"


def read_xml(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def locations(root):
    return [loc.text for loc in root.findall("sm:url/sm:loc", NS)]


def alternates(root, location):
    for url in root.findall("sm:url", NS):
        if url.find("sm:loc", NS).text == location:
            return {
                link.get("hreflang"): link.get("href")
                for link in url.findall("xhtml:link", NS)
            }
    raise AssertionError(f"{location} is not in the sitemap")


def stories_sitemap(client):
    return read_xml(client, reverse("sitemap-section", args=["stories"]))


@pytest.fixture
def story():
    return ArticleFactory(headline="Xi Jinping zu Staatsbesuch in Kasachstan")


def test_index_names_every_sitemap(client, story):
    root = read_xml(client, reverse("sitemap"))
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    assert [loc.text for loc in root.findall("sm:sitemap/sm:loc", NS)] == [
        f"{BASE}/sitemap-{name}.xml"
        for name in ["stories", "sections", "countries", "topics"]
    ]


def test_story_is_listed_with_its_last_change(client, story):
    root = stories_sitemap(client)
    url = root.find("sm:url", NS)
    assert url.find("sm:loc", NS).text == BASE + story.get_absolute_url()
    lastmod = timezone.localdate(story.updated_at).isoformat()
    assert url.find("sm:lastmod", NS).text == lastmod


def test_language_versions_link_each_other_with_hreflang(client, story):
    english = ArticleFactory(
        language="en", headline="Xi visits Kazakhstan", translation_of=story
    )
    root = stories_sitemap(client)
    expected = {
        "de": BASE + story.get_absolute_url(),
        "en": BASE + english.get_absolute_url(),
        "x-default": BASE + story.get_absolute_url(),
    }
    assert alternates(root, BASE + story.get_absolute_url()) == expected
    assert alternates(root, BASE + english.get_absolute_url()) == expected


def test_story_without_versions_has_no_alternates(client, story):
    assert alternates(stories_sitemap(client), BASE + story.get_absolute_url()) == {}


def test_unpublished_version_is_no_alternate(client, story):
    ArticleFactory(language="en", translation_of=story, status="draft")
    assert alternates(stories_sitemap(client), BASE + story.get_absolute_url()) == {}


def test_section_page_is_listed_in_every_language(client):
    section = SectionFactory(name="Aktuelles")
    ArticleFactory(section=section)
    SectionFactory(name="Leer")
    root = read_xml(client, reverse("sitemap-section", args=["sections"]))
    german = f"{BASE}/de/section/{section.path}/"
    assert locations(root) == [german, f"{BASE}/en/section/{section.path}/"]
    assert alternates(root, german) == {
        "de": german,
        "en": f"{BASE}/en/section/{section.path}/",
        "x-default": f"{BASE}/section/{section.path}/",
    }


def test_country_and_topic_pages_with_stories_are_listed(client):
    ArticleFactory(countries=["KZ"], topics=[TopicFactory(slug="sco")])
    countries = read_xml(client, reverse("sitemap-section", args=["countries"]))
    topics = read_xml(client, reverse("sitemap-section", args=["topics"]))
    assert f"{BASE}/en/country/kz/" in locations(countries)
    assert locations(topics) == [f"{BASE}/de/topic/sco/", f"{BASE}/en/topic/sco/"]


def test_news_sitemap_has_the_google_news_tags(client, story, settings):
    settings.NEWSROOM_SITE_NAME = "Nachrichtenverbund"
    root = read_xml(client, reverse("sitemap-news"))
    news = root.find("sm:url/news:news", NS)
    assert news.find("news:publication/news:name", NS).text == "Nachrichtenverbund"
    assert news.find("news:publication/news:language", NS).text == "de"
    assert news.find("news:title", NS).text == story.headline
    published = datetime.datetime.fromisoformat(
        news.find("news:publication_date", NS).text
    )
    assert published == story.published_at


def test_news_sitemap_holds_only_the_last_two_days(client):
    with freeze_time(FIXED_NOW):
        ArticleFactory(headline="Neu", published_at=FIXED_NOW)
        ArticleFactory(
            headline="Alt", published_at=FIXED_NOW - datetime.timedelta(days=3)
        )
        root = read_xml(client, reverse("sitemap-news"))
    titles = [title.text for title in root.iterfind(".//news:title", NS)]
    assert titles == ["Neu"]


@pytest.mark.parametrize("status", ["draft", "review", "archived"])
def test_unpublished_story_is_in_no_sitemap(client, status):
    ArticleFactory(status=status, countries=["KZ"])
    for name in ["stories", "sections", "countries"]:
        assert (
            locations(read_xml(client, reverse("sitemap-section", args=[name]))) == []
        )
    assert locations(read_xml(client, reverse("sitemap-news"))) == []


def test_scheduled_story_enters_the_sitemaps_on_its_minute(client):
    with freeze_time(FIXED_NOW):
        story = ArticleFactory(published_at=FIXED_NOW + datetime.timedelta(minutes=1))
        assert locations(stories_sitemap(client)) == []
        assert locations(read_xml(client, reverse("sitemap-news"))) == []
    with freeze_time(FIXED_NOW + datetime.timedelta(minutes=1)):
        assert locations(stories_sitemap(client)) == [BASE + story.get_absolute_url()]
        assert locations(read_xml(client, reverse("sitemap-news"))) == [
            BASE + story.get_absolute_url()
        ]


def test_unknown_sitemap_is_404(client):
    assert client.get("/sitemap-nichts.xml").status_code == 404


def test_sitemap_answers_conditional_get_with_304(client, story):
    response = client.get(reverse("sitemap"))
    again = client.get(reverse("sitemap"), headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize("name", ["stories", "sections", "countries", "news"])
def test_sitemap_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, count, name
):
    stories = ArticleFactory.create_batch(
        count,
        headline=factory.Sequence(lambda n: f"Meldung {n}"),
        countries=["KZ"],
        section=factory.Iterator([SectionFactory(), SectionFactory()]),
    )
    ArticleFactory(language="en", translation_of=stories[0])
    url = (
        reverse("sitemap-news")
        if name == "news"
        else reverse("sitemap-section", args=[name])
    )
    with django_assert_max_num_queries(5):
        assert client.get(url).status_code == 200


def test_robots_txt_names_both_sitemaps_and_keeps_the_admin_path_to_itself(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
    assert f"Sitemap: {BASE}/sitemap-news.xml" in lines
    # The admin's path is configurable to be hard to guess; robots.txt,
    # which anyone reads, must not give it away.
    assert not any("/admin/" in line for line in lines)

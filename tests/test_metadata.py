import datetime
import io

import extruct
import pytest
from django.core.files.base import ContentFile
from PIL import Image

from articles.models import Article
from tests.factories import ArticleFactory, SectionFactory, SourceFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    top = SectionFactory(name="BRI-Nachrichten")
    section = SectionFactory(name="Aktuelles", parent=top)
    article = ArticleFactory(
        headline="Gipfel in Samarkand",
        section=section,
        source=SourceFactory(
            short_name="CRI",
            full_name="China Radio International",
            homepage="https://www.cri.cn/",
        ),
        published_at=datetime.datetime(2022, 9, 16, 8, 30, tzinfo=datetime.UTC),
        countries=["KZ"],
        topics=[TopicFactory(name="SOZ", slug="soz", names={"en": "SCO"})],
    )
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 675), "navy").save(buffer, "JPEG")
    article.lead_image.save("gipfel.jpg", ContentFile(buffer.getvalue()), save=True)
    return article


def data(client, path):
    response = client.get(path)
    return extruct.extract(
        response.content.decode(),
        base_url="http://testserver" + path,
        syntaxes=["json-ld", "opengraph"],
        uniform=True,
    )


def ld(extracted, kind):
    return next(item for item in extracted["json-ld"] if item["@type"] == kind)


def test_news_article_json_ld(client, story):
    news = ld(data(client, story.get_absolute_url()), "NewsArticle")
    assert news["headline"] == "Gipfel in Samarkand"
    assert news["datePublished"] == "2022-09-16T10:30:00+02:00"
    assert news["dateModified"].endswith(("+01:00", "+02:00"))
    assert news["inLanguage"] == "de"
    assert news["articleSection"] == "Aktuelles"
    assert news["keywords"] == ["Kasachstan", "SOZ"]
    assert news["sourceOrganization"]["name"] == "China Radio International"
    assert news["author"]["name"] == "China Radio International"
    assert news["publisher"]["logo"]["url"].endswith("/static/img/logo.png")
    assert news["image"][0].startswith("http://testserver/media/renditions/")
    assert news["url"] == "http://testserver" + story.get_absolute_url()


def test_breadcrumb_list_json_ld(client, story):
    crumbs = ld(data(client, story.get_absolute_url()), "BreadcrumbList")
    names = [item["name"] for item in crumbs["itemListElement"]]
    assert names[-3:] == ["BRI-Nachrichten", "Aktuelles", "Gipfel in Samarkand"]
    assert [item["position"] for item in crumbs["itemListElement"]] == list(
        range(1, len(names) + 1)
    )


def test_open_graph_of_a_story(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    (og,) = extruct.extract(html, syntaxes=["opengraph"])["opengraph"]
    properties = og["properties"]
    assert ("og:type", "article") in properties
    assert ("og:title", "Gipfel in Samarkand") in properties
    assert ("article:published_time", "2022-09-16T10:30:00+02:00") in properties
    assert ("article:section", "Aktuelles") in properties
    tags = [value for name, value in properties if name == "article:tag"]
    assert tags == ["Kasachstan", "SOZ"]


def test_json_ld_cannot_break_out_of_its_script(client):
    article = ArticleFactory(headline="</script><script>alert(1)</script>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in html
    news = ld(data(client, article.get_absolute_url()), "NewsArticle")
    assert news["headline"] == "</script><script>alert(1)</script>"


def test_story_has_canonical_and_hreflang_with_x_default(client, story):
    english = ArticleFactory(
        language="en", translation_of=story, headline="Summit in Samarkand"
    )
    html = client.get(story.get_absolute_url()).content.decode()
    base = "http://testserver"
    assert f'<link rel="canonical" href="{base}{story.get_absolute_url()}">' in html
    assert f'hreflang="en" href="{base}{english.get_absolute_url()}"' in html
    assert f'hreflang="de" href="{base}{story.get_absolute_url()}"' in html
    assert f'hreflang="x-default" href="{base}{story.get_absolute_url()}"' in html


def test_unpublished_version_is_not_an_alternate(client, story):
    ArticleFactory(
        language="en",
        translation_of=story,
        headline="Not yet",
        status=Article.Status.DRAFT,
    )
    html = client.get(story.get_absolute_url()).content.decode()
    assert 'hreflang="en"' not in html.split("</head>")[0]


@pytest.mark.parametrize(
    "path", ["/de/", "/de/country/kz/", "/de/topic/soz/", "/de/browse/"]
)
def test_list_pages_have_canonical_and_alternates(client, story, path):
    html = client.get(path).content.decode()
    head = html.split("</head>")[0]
    assert f'<link rel="canonical" href="http://testserver{path}">' in head
    assert 'hreflang="de"' in head
    assert 'hreflang="en"' in head
    assert 'hreflang="x-default"' in head


def test_section_page_has_breadcrumb_list(client, story):
    extracted = data(client, story.section.get_absolute_url())
    crumbs = ld(extracted, "BreadcrumbList")
    assert crumbs["itemListElement"][-1]["name"] == "Aktuelles"


def test_head_links_the_feeds_for_autodiscovery(client, story):
    head = client.get("/de/").content.decode().split("</head>")[0]
    assert 'type="application/rss+xml"' in head
    assert 'type="application/atom+xml"' in head


def test_story_without_a_standfirst_is_described_by_the_start_of_its_body(client):
    article = ArticleFactory(
        standfirst="", body="<p>Mehr als im Vorjahr.</p><p>Die Bahn w&auml;chst.</p>"
    )
    path = article.get_absolute_url()
    html = client.get(path).content.decode()
    (og,) = extruct.extract(html, syntaxes=["opengraph"])["opengraph"]
    described = "Mehr als im Vorjahr. Die Bahn wächst."
    assert ("og:description", described) in og["properties"]
    assert f'<meta name="description" content="{described}">' in html
    assert ld(data(client, path), "NewsArticle")["description"] == described

import datetime
import re

import pytest
from django.db import OperationalError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from freezegun import freeze_time

from articles import services
from articles.models import Article
from articles.plaintext import parse_story
from tests.factories import (
    ArticleFactory,
    SectionFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
    country,
)
from tests.test_admin import form_data
from tests.test_plaintext import SEED

pytestmark = pytest.mark.django_db


def url(name, language="de", **kwargs):
    with override(language):
        return reverse(f"articles:{name}", kwargs=kwargs)


def text(response):
    return response.content.decode()


def import_file(path):
    with open(path, "rb") as handle:
        return services.article_import_text(parse_story(handle.read()))[0]


@pytest.fixture
def seed():
    return import_file(SEED)


@pytest.fixture
def english_seed(seed):
    from pathlib import Path

    (path,) = Path("demo/stories").glob("022_*.txt")
    article = import_file(path)
    article.translation_of = seed
    article.save()
    return article


@pytest.fixture
def tree():
    top = SectionFactory(name="BRI-Nachrichten")
    return top, SectionFactory(name="Aktuelles", parent=top)


# The root and the languages


@pytest.mark.parametrize(
    ("accept", "target"), [("en-GB,en;q=0.9", "/en/"), ("de-DE", "/de/")]
)
def test_root_redirects_by_the_browsers_language(client, accept, target):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == target


def test_root_without_a_preference_goes_to_german(client):
    assert client.get("/")["Location"] == "/de/"


def test_interface_is_german_on_german_pages(client):
    ArticleFactory.create_batch(2)
    assert "Neueste Meldungen" in text(client.get("/de/"))


def test_interface_is_english_on_english_pages(client):
    ArticleFactory.create_batch(2, language="en")
    assert "Latest stories" in text(client.get("/en/"))


# Home


def test_home_leads_with_the_featured_story(client):
    ArticleFactory(headline="Neuer als der Aufmacher")
    ArticleFactory(
        headline="Der Aufmacher",
        is_featured=True,
        published_at=timezone.now() - datetime.timedelta(days=3),
    )
    html = text(client.get("/de/"))
    lead = re.search(r'<section class="lead".*?</section>', html, re.S).group()
    assert "Der Aufmacher" in lead
    assert "Neuer als der Aufmacher" not in lead


def test_home_shows_only_stories_in_the_readers_language(client):
    ArticleFactory(headline="Deutsche Meldung")
    ArticleFactory(headline="English story", language="en")
    html = text(client.get("/de/"))
    assert "Deutsche Meldung" in html
    assert "English story" not in html


def test_home_has_a_block_per_top_section(client, tree):
    top, child = tree
    ArticleFactory(headline="In der Unterrubrik", section=child)
    html = text(client.get("/de/"))
    block = re.search(
        r'<section class="section-block".*?</section>', html, re.S
    ).group()
    assert top.get_absolute_url() in block
    assert "In der Unterrubrik" in block


def test_home_names_the_most_used_topics_and_countries(client):
    topic = TopicFactory(name="Seehandel", slug="seehandel")
    ArticleFactory(countries=["KZ"], topics=[topic])
    html = text(client.get("/de/"))
    popular = re.search(r'<aside class="popular".*?</aside>', html, re.S).group()
    assert "Kasachstan" in popular
    assert 'href="/de/topic/seehandel/"' in popular


def test_home_without_stories_says_so(client):
    assert "Noch keine Meldungen." in text(client.get("/de/"))


# Sections


def test_section_breadcrumb_starts_with_the_network(client, tree):
    top, child = tree
    ArticleFactory(section=child)
    html = text(client.get(child.get_absolute_url()))
    crumbs = re.search(r'<nav class="breadcrumb".*?</nav>', html, re.S).group()
    names = re.findall(r">([^<>]+)</a>", crumbs)
    assert names == [
        "BRNN",
        "„Belt and Road“-Nachrichtennetzwerk",
        "BRI-Nachrichten",
        "Aktuelles",
    ]
    assert 'href="/de/"' in crumbs
    assert f'href="{top.get_absolute_url()}"' in crumbs


def test_section_lists_the_stories_of_its_subsections(client, tree):
    top, child = tree
    ArticleFactory(headline="Tief unten", section=child)
    ArticleFactory(headline="Anderswo")
    html = text(client.get(top.get_absolute_url()))
    assert "Tief unten" in html
    assert "Anderswo" not in html


def test_section_is_paginated_with_get_page(client, tree):
    top, _child = tree
    ArticleFactory.create_batch(21, section=top)
    first = client.get(top.get_absolute_url())
    assert 'href="?page=2"' in text(first)
    assert (
        client.get(top.get_absolute_url() + "?page=2").context["page_obj"].number == 2
    )
    assert client.get(top.get_absolute_url() + "?page=abc").status_code == 200
    assert (
        client.get(top.get_absolute_url() + "?page=999").context["page_obj"].number == 2
    )


def test_unknown_section_is_404(client):
    assert client.get("/de/section/gibt-es-nicht/").status_code == 404


# Stories


def test_seed_story_dateline_in_german(client, seed):
    html = text(client.get(seed.get_absolute_url()))
    dateline = re.search(r'<p class="dateline">.*?</p>', html, re.S).group()
    plain = re.sub(r"<[^>]+>", "", dateline)
    assert plain == "Freitag, 16. September 2022 Quelle : CRI"


def test_seed_story_dateline_in_english(client, english_seed):
    html = text(client.get(english_seed.get_absolute_url()))
    dateline = re.search(r'<p class="dateline">.*?</p>', html, re.S).group()
    plain = re.sub(r"<[^>]+>", "", dateline)
    assert plain == "Friday, 16 September 2022 Source : CRI"


def test_story_shows_breadcrumb_headline_and_body(client, seed):
    html = text(client.get(seed.get_absolute_url()))
    assert (
        '<h1 class="story__headline">Xi Jinping zu Staatsbesuch in Kasachstan</h1>'
        in html
    )
    assert "Nur-Sultan nach Samarkand." in html
    assert 'href="/de/section/bri-nachrichten/aktuelles/"' in html


def test_story_countries_link_in_the_readers_language(client):
    article = ArticleFactory(countries=["KZ"])
    html = text(client.get(article.get_absolute_url()))
    assert '<a href="/de/country/kz/" rel="tag">Kasachstan</a>' in html


def test_english_story_names_countries_in_english(client):
    article = ArticleFactory(language="en", countries=["KZ"])
    html = text(client.get(article.get_absolute_url()))
    assert '<a href="/en/country/kz/" rel="tag">Kazakhstan</a>' in html


def test_story_topics_are_links(client):
    topic = TopicFactory(name="SOZ", slug="soz", names={"en": "SCO"})
    article = ArticleFactory(topics=[topic])
    assert '<a href="/de/topic/soz/" rel="tag">SOZ</a>' in text(
        client.get(article.get_absolute_url())
    )


def test_story_on_a_wrong_date_redirects_permanently(client):
    article = ArticleFactory(slug="eine-meldung")
    response = client.get("/de/2001/01/01/eine-meldung/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_changed_slug_redirects_to_the_current_url(client):
    article = ArticleFactory(slug="alter-name")
    old_url = article.get_absolute_url()
    article.slug = "neuer-name"
    article.save()
    services.article_slug_record(article, old_slug="alter-name")
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200


def test_admin_slug_change_is_recorded(editor_client):
    article = ArticleFactory(slug="vorher", status=Article.Status.DRAFT)
    change = reverse("admin:articles_article_change", args=[article.pk])
    response = editor_client.post(
        change,
        form_data(
            headline=article.headline,
            slug="nachher",
            section=article.section,
            status="draft",
            base_revision=article.revision,
        ),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.slug == "nachher"
    assert list(article.old_slugs.values_list("slug", flat=True)) == ["vorher"]


def test_old_slug_of_an_unpublished_story_is_404(client):
    article = ArticleFactory(slug="weg", status=Article.Status.DRAFT)
    services.article_slug_record(article, old_slug="frueher")
    day = timezone.localdate(article.published_at)
    assert client.get(f"/de/{day:%Y/%m/%d}/frueher/").status_code == 404


def test_a_slug_taken_back_is_no_longer_a_redirect():
    article = ArticleFactory(slug="zwei")
    services.article_slug_record(article, old_slug="eins")
    article.slug = "eins"
    article.save()
    services.article_slug_record(article, old_slug="zwei")
    assert list(article.old_slugs.values_list("slug", flat=True)) == ["zwei"]


def test_related_stories_share_a_tag_and_the_language(client):
    topic = TopicFactory()
    article = ArticleFactory(topics=[topic])
    ArticleFactory(headline="Gleiches Thema", topics=[topic])
    ArticleFactory(headline="Same topic", topics=[topic], language="en")
    ArticleFactory(headline="Gleiches Land", countries=["KZ"])
    ArticleFactory(headline="Nichts gemeinsam")
    html = text(client.get(article.get_absolute_url()))
    related = re.search(r'<section class="related".*?</section>', html, re.S).group()
    assert "Gleiches Thema" in related
    assert "Same topic" not in related
    assert "Gleiches Land" not in related
    assert "Nichts gemeinsam" not in related


def test_related_stories_are_of_the_same_time(client):
    topic = TopicFactory()
    now = timezone.now()
    article = ArticleFactory(topics=[topic], published_at=now)
    ArticleFactory(
        headline="Vor zwei Jahren",
        topics=[topic],
        published_at=now - datetime.timedelta(days=730),
    )
    ArticleFactory(
        headline="Vor einer Woche",
        topics=[topic],
        published_at=now - datetime.timedelta(days=7),
    )
    html = text(client.get(article.get_absolute_url()))
    related = re.search(r'<section class="related".*?</section>', html, re.S).group()
    assert "Vor einer Woche" in related
    assert "Vor zwei Jahren" not in related


def test_story_links_its_other_language_versions(client, seed, english_seed):
    html = text(client.get(seed.get_absolute_url()))
    assert f'href="{english_seed.get_absolute_url()}" hreflang="en"' in html


def test_language_switcher_follows_the_story_to_its_version(client, seed, english_seed):
    html = text(client.get(seed.get_absolute_url()))
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group()
    assert english_seed.get_absolute_url() in switcher


def test_language_switcher_goes_home_without_a_version(client):
    article = ArticleFactory()
    html = text(client.get(article.get_absolute_url()))
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group()
    assert 'href="/en/"' in switcher


def test_language_switcher_keeps_the_page_elsewhere(client):
    html = text(client.get("/de/country/kz/"))
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group()
    assert 'href="/en/country/kz/"' in switcher


def test_story_answers_a_conditional_get_with_304(client):
    article = ArticleFactory()
    first = client.get(article.get_absolute_url())
    assert first["ETag"] and first["Last-Modified"]
    by_etag = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert by_etag.status_code == 304
    by_date = client.get(
        article.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )
    assert by_date.status_code == 304


def test_edited_story_is_sent_again(client):
    article = ArticleFactory()
    first = client.get(article.get_absolute_url())
    Article.objects.filter(pk=article.pk).update(
        updated_at=timezone.now() + datetime.timedelta(minutes=5)
    )
    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200


def test_pages_are_public_for_anonymous_readers(client):
    article = ArticleFactory()
    response = client.get(article.get_absolute_url())
    assert "public" in response["Cache-Control"]
    assert "max-age=" in response["Cache-Control"]


def test_pages_are_private_for_logged_in_users(client):
    article = ArticleFactory()
    client.force_login(UserFactory())
    for page in ("/de/", article.get_absolute_url(), "/de/browse/"):
        cache_control = client.get(page)["Cache-Control"]
        assert "private" in cache_control
        assert "public" not in cache_control


# Country and topic pages


@pytest.mark.parametrize(
    ("language", "name"), [("de", "Kasachstan"), ("en", "Kazakhstan")]
)
def test_country_page_is_named_in_the_readers_language(client, language, name):
    ArticleFactory(language=language, headline="Über Kasachstan", countries=["KZ"])
    response = client.get(url("country", language, slug="kz"))
    assert f"<h1>{name}</h1>" in text(response)
    assert "Über Kasachstan" in text(response)


def test_topic_page_lists_its_stories(client):
    topic = TopicFactory(name="SOZ", slug="soz", names={"en": "SCO"})
    ArticleFactory(headline="Gipfel", topics=[topic])
    ArticleFactory(headline="Ohne Thema")
    html = text(client.get(url("topic", slug="soz")))
    assert "<h1>SOZ</h1>" in html
    assert "Gipfel" in html
    assert "Ohne Thema" not in html
    assert "<h1>SCO</h1>" in text(client.get(url("topic", "en", slug="soz")))


def test_unknown_country_is_404(client):
    assert client.get("/de/country/xx/").status_code == 404


# Nothing unpublished reaches a reader


def _pages(article):
    return [
        "/de/",
        article.section.get_absolute_url(),
        "/de/country/kz/",
        f"/de/topic/{article.topics.get().slug}/",
        "/de/browse/",
    ]


@pytest.mark.parametrize(
    ("status", "shift"),
    [
        (Article.Status.DRAFT, -1),
        (Article.Status.REVIEW, -1),
        (Article.Status.ARCHIVED, -1),
        (Article.Status.PUBLISHED, +1),
    ],
)
def test_unpublished_story_appears_nowhere(client, status, shift):
    topic = TopicFactory()
    ArticleFactory(countries=["KZ"], topics=[topic])
    hidden = ArticleFactory(
        headline="Geheime Meldung",
        status=status,
        published_at=timezone.now() + datetime.timedelta(hours=shift),
        countries=["KZ"],
        topics=[topic],
    )
    for page in _pages(hidden):
        assert "Geheime Meldung" not in text(client.get(page)), page
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_scheduled_story_appears_when_its_time_comes(client):
    topic = TopicFactory()
    publish_at = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with freeze_time(publish_at - datetime.timedelta(hours=2)):
        ArticleFactory(countries=["KZ"], topics=[topic])
        scheduled = ArticleFactory(
            headline="Zur rechten Zeit",
            published_at=publish_at,
            countries=["KZ"],
            topics=[topic],
        )
        assert "Zur rechten Zeit" not in text(client.get("/de/"))
        assert client.get(scheduled.get_absolute_url()).status_code == 404
    with freeze_time(publish_at + datetime.timedelta(minutes=1)):
        for page in _pages(scheduled):
            assert "Zur rechten Zeit" in text(client.get(page)), page
        assert client.get(scheduled.get_absolute_url()).status_code == 200


# Error pages


def test_404_page_has_the_site_look(client):
    response = client.get("/de/gibt-es-nicht/")
    assert response.status_code == 404
    html = text(response)
    assert "Seite nicht gefunden" in html
    assert 'class="site-header"' in html


def test_500_page_renders_without_a_request_or_database():
    html = render_to_string("500.html")
    assert "Something went wrong" in html or "Etwas ist schiefgegangen" in html
    assert "css/site.css" in html


# Query counts: fixed whatever the number of stories on the page


@pytest.fixture(params=[1, 50], ids=["1-story", "50-stories"])
def many(request, tree):
    top, child = tree
    topic = TopicFactory(slug="sco")
    source = SourceFactory(short_name="CRI")
    stories = ArticleFactory.create_batch(
        request.param,
        section=child,
        source=source,
        countries=["KZ", "CN"],
        topics=[topic],
    )
    for article in stories[1:]:
        ArticleFactory(
            language="en", translation_of=article, section=child, countries=["KZ"]
        )
    return stories


@pytest.mark.parametrize(
    ("page", "limit"),
    [
        ("/de/", 17),
        ("/de/section/bri-nachrichten/", 13),
        ("/de/section/bri-nachrichten/aktuelles/", 13),
        ("/de/country/kz/", 11),
        ("/de/topic/sco/", 11),
        ("/de/browse/?topics=sco&countries=KZ&match=all&date_from=2000-01-01", 18),
    ],
)
# A listing reads its page's ids off the index, then those stories' rows.
def test_list_pages_run_a_fixed_number_of_queries(
    client, many, page, limit, django_assert_max_num_queries
):
    with django_assert_max_num_queries(limit):
        response = client.get(page)
    assert response.status_code == 200


# Related stories take a query for those sharing a country, one for those
# sharing a topic, and one for the chosen few's rows.
def test_story_page_runs_a_fixed_number_of_queries(
    client, many, django_assert_max_num_queries
):
    with django_assert_max_num_queries(14):
        response = client.get(many[-1].get_absolute_url())
    assert response.status_code == 200


# Content-Security-Policy without unsafe-inline


def test_pages_have_no_inline_scripts_or_styles(client, seed, english_seed):
    seed.countries.add(country("KZ"))
    pages = [
        "/de/",
        "/en/",
        seed.section.get_absolute_url(),
        seed.get_absolute_url(),
        english_seed.get_absolute_url(),
        "/de/country/kz/",
        "/de/browse/?date_from=nie",
        "/de/gibt-es-nicht/",
    ]
    for page in pages:
        html = text(client.get(page))
        assert " style=" not in html, page
        assert "<style" not in html, page
        scripts = re.findall(r"<script([^>]*)>", html)
        assert all('type="application/ld+json"' in attrs for attrs in scripts), page
        assert not re.search(r"<[^>]+\son[a-z]+=", html), page


def test_server_error_shows_the_500_page(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database is gone")

    monkeypatch.setattr("articles.views.HomeView.get_context_data", broken)
    client.raise_request_exception = False
    response = client.get("/de/")
    assert response.status_code == 500
    html = text(response)
    assert "Etwas ist schiefgegangen" in html
    assert "the database is gone" not in html


def test_cards_without_a_standfirst_show_the_start_of_the_body(client, tree):
    top, _child = tree
    ArticleFactory(
        section=top, standfirst="", body="<p>Handel &amp; Wandel in <b>Almaty</b>.</p>"
    )
    html = text(client.get(top.get_absolute_url()))
    assert '<p class="card__standfirst">Handel &amp; Wandel in Almaty.</p>' in html


def test_card_teasers_keep_a_space_between_the_body_paragraphs(client, tree):
    top, _child = tree
    ArticleFactory(
        section=top,
        standfirst="",
        body="<p>mehr als im Vorjahr.</p><p>Die kasachische Bahn</p>",
    )
    html = text(client.get(top.get_absolute_url()))
    assert "mehr als im Vorjahr. Die kasachische Bahn" in html


def test_pages_have_a_skip_link_landmarks_and_a_print_stylesheet(client):
    ArticleFactory()
    html = text(client.get("/de/"))
    assert '<a class="skip-link" href="#main">Zum Inhalt springen</a>' in html
    assert '<main id="main"' in html
    for landmark in ("<header", "<nav", "<footer"):
        assert landmark in html
    assert 'href="/static/css/print.css" media="print"' in html


def test_not_found_page_has_the_section_navigation(client, tree):
    top, _child = tree
    ArticleFactory(section=top)
    response = client.get("/de/gibt-es-nicht/")
    assert response.status_code == 404
    html = text(response)
    assert "Seite nicht gefunden" in html
    assert f'<a href="{top.get_absolute_url()}">{top.name}</a>' in html


def test_not_found_page_without_a_database_is_the_503_page(client, monkeypatch):
    def broken():
        raise OperationalError("the database is gone")

    monkeypatch.setattr("articles.views.top_sections", broken)
    client.raise_request_exception = False
    response = client.get("/de/gibt-es-nicht/")
    assert response.status_code == 503


def test_upper_case_country_address_redirects_to_the_lower_case_one(client):
    ArticleFactory(countries=["KZ"])
    response = client.get("/de/country/KZ/")
    assert response.status_code == 301
    assert response.headers["Location"] == "/de/country/kz/"
    assert client.get(response.headers["Location"]).status_code == 200


def test_upper_case_country_redirect_keeps_the_page_number(client):
    response = client.get("/de/country/Kz/", {"page": "2"})
    assert response.headers["Location"] == "/de/country/kz/?page=2"


@pytest.mark.parametrize(
    ("language", "date"), [("de", "23. September 2025"), ("en", "23 September 2025")]
)
def test_list_dates_are_spelt_out_like_the_dateline(client, tree, language, date):
    top, _child = tree
    ArticleFactory(
        section=top,
        language=language,
        published_at=datetime.datetime(2025, 9, 23, 10, tzinfo=datetime.UTC),
    )
    html = text(client.get(url("section", language, path=top.path)))
    assert f">{date}</time>" in html

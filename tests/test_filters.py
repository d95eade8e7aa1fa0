import datetime
import re

import pytest
from django import forms
from django.utils import timezone

from articles import filters
from tests.factories import (
    ArticleFactory,
    SectionFactory,
    SourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

BROWSE = "/de/browse/"


def headlines(response):
    return {article.headline for article in response.context["page_obj"]}


@pytest.fixture
def topics():
    return TopicFactory(slug="sco", name="SOZ"), TopicFactory(
        slug="trade", name="Handel"
    )


def test_section_filter_includes_subsections(client):
    top = SectionFactory(name="Konnektivität")
    child = SectionFactory(name="Eisenbahn", parent=top)
    ArticleFactory(headline="Bahn", section=child)
    ArticleFactory(headline="Anderes")
    response = client.get(BROWSE, {"section": top.path})
    assert headlines(response) == {"Bahn"}


def test_topics_any_of(client, topics):
    sco, trade = topics
    ArticleFactory(headline="Beide", topics=[sco, trade])
    ArticleFactory(headline="Nur SOZ", topics=[sco])
    ArticleFactory(headline="Keins")
    response = client.get(BROWSE, {"topics": [sco.slug, trade.slug], "match": "any"})
    assert headlines(response) == {"Beide", "Nur SOZ"}


def test_topics_all_of(client, topics):
    sco, trade = topics
    ArticleFactory(headline="Beide", topics=[sco, trade])
    ArticleFactory(headline="Nur SOZ", topics=[sco])
    response = client.get(BROWSE, {"topics": [sco.slug, trade.slug], "match": "all"})
    assert headlines(response) == {"Beide"}


def test_countries_and_topics_all_of(client, topics):
    sco, _trade = topics
    ArticleFactory(headline="Kasachstan und SOZ", countries=["KZ"], topics=[sco])
    ArticleFactory(headline="Nur Kasachstan", countries=["KZ"])
    response = client.get(
        BROWSE, {"countries": "KZ", "topics": sco.slug, "match": "all"}
    )
    assert headlines(response) == {"Kasachstan und SOZ"}


def test_source_and_language_filters(client):
    cri = SourceFactory(short_name="CRI")
    ArticleFactory(headline="Von CRI", source=cri)
    ArticleFactory(headline="From CRI", source=cri, language="en")
    ArticleFactory(headline="Andere Quelle")
    response = client.get(BROWSE, {"source": cri.pk, "language": "en"})
    assert headlines(response) == {"From CRI"}


def test_date_from_and_date_to_are_labelled_fields(client):
    html = client.get(BROWSE).content.decode()
    assert re.search(r'<label for="id_date_from">Datum von:?</label>', html)
    assert re.search(r'<label for="id_date_to">Datum bis:?</label>', html)


def test_date_range(client):
    def at(day):
        return datetime.datetime(2024, 5, day, 12, tzinfo=datetime.UTC)

    ArticleFactory(headline="Vorher", published_at=at(1))
    ArticleFactory(headline="Drin", published_at=at(10))
    ArticleFactory(headline="Nachher", published_at=at(20))
    response = client.get(BROWSE, {"date_from": "2024-05-05", "date_to": "2024-05-15"})
    assert headlines(response) == {"Drin"}


def test_ordering_by_headline(client):
    ArticleFactory(headline="Beta")
    ArticleFactory(headline="Alpha")
    response = client.get(BROWSE, {"ordering": "headline"})
    assert [a.headline for a in response.context["page_obj"]] == ["Alpha", "Beta"]


@pytest.mark.parametrize(
    "query",
    [
        {"ordering": "body"},
        {"ordering": "-status"},
        {"date_from": "2024-13-45"},
        {"date_to": "gestern"},
        {"section": "abc"},
        {"section": "999999"},
        {"countries": "XX"},
        {"topics": "'; DROP TABLE articles_article; --"},
        {"match": "some"},
        {"language": "fr"},
        {"source": "<script>"},
        {"page": "-1"},
    ],
)
def test_invalid_values_show_a_form_error_not_a_500(client, query):
    ArticleFactory(headline="Sichtbar")
    response = client.get(BROWSE, query)
    assert response.status_code == 200
    html = response.content.decode()
    if "page" not in query:
        assert 'class="errorlist"' in html
        assert "Sichtbar" not in html
    assert "<script>" not in html.split("<main")[1]


def test_pagination_keeps_the_filters(client, topics):
    sco, _trade = topics
    ArticleFactory.create_batch(21, topics=[sco])
    response = client.get(BROWSE, {"topics": sco.slug, "match": "any"})
    html = response.content.decode()
    link = re.search(r'href="([^"]*page=2[^"]*)"', html).group(1).replace("&amp;", "&")
    assert "topics=sco" in link
    assert "match=any" in link
    assert len(client.get(BROWSE + link).context["page_obj"]) == 1


def test_only_public_stories_are_browsable(client):
    ArticleFactory(
        headline="Geplant", published_at=timezone.now() + datetime.timedelta(days=1)
    )
    ArticleFactory(headline="Öffentlich")
    assert headlines(client.get(BROWSE)) == {"Öffentlich"}


def test_countries_are_in_the_readers_alphabetical_order(client):
    ArticleFactory(countries=["DE", "AT", "KZ"])

    def labels(path):
        html = client.get(path).content.decode()
        fieldset = re.search(r'<div id="id_countries">.*?</fieldset>', html, re.S)
        return re.findall(
            r'name="countries"[^>]*>\s*([^<]+?)</label>', fieldset.group()
        )

    assert labels("/de/browse/") == ["Deutschland", "Kasachstan", "Österreich"]
    assert labels("/en/browse/") == ["Austria", "Germany", "Kazakhstan"]


def test_browse_lists_stories_in_the_readers_language_by_default(client):
    ArticleFactory(headline="Auf Deutsch")
    ArticleFactory(headline="In English", language="en")
    assert headlines(client.get(BROWSE)) == {"Auf Deutsch"}
    assert headlines(client.get("/en/browse/")) == {"In English"}


def test_browse_preselects_the_readers_language(client):
    html = client.get(BROWSE).content.decode()
    assert re.search(r'<option value="de" selected>', html)


def test_browse_lists_every_language_when_all_languages_is_chosen(client):
    ArticleFactory(headline="Auf Deutsch")
    ArticleFactory(headline="In English", language="en")
    response = client.get(BROWSE, {"language": ""})
    assert headlines(response) == {"Auf Deutsch", "In English"}


def test_browse_section_choices_hold_stories_in_the_listed_language(client):
    rail = SectionFactory(name="Eisenbahn", names={"en": "Railways"})
    ports = SectionFactory(name="Häfen", names={"en": "Ports"})
    ArticleFactory(section=rail)
    ArticleFactory(section=ports, language="en")
    german = client.get(BROWSE).context["filter"].form.fields["section"]
    english = client.get(BROWSE, {"language": "en"}).context["filter"]
    assert [label for _value, label in german.choices][1:] == ["Eisenbahn"]
    choices = english.form.fields["section"].choices
    assert [label for _value, label in choices][1:] == ["Häfen"]


def test_browse_section_choices_indent_subsections_visibly(client):
    top = SectionFactory(name="Konnektivität")
    child = SectionFactory(name="Eisenbahn", parent=top)
    ArticleFactory(section=child)
    field = client.get(BROWSE).context["filter"].form.fields["section"]
    labels = [label for _value, label in field.choices][1:]
    assert labels == ["Konnektivität", "\u2003\u2003– Eisenbahn"]


def test_browse_preselects_any_of_the_chosen_tags(client):
    html = client.get(BROWSE).content.decode()
    assert re.search(r'<input type="radio" name="match" value="any"[^>]* checked', html)


def test_browse_offers_only_tags_in_use_and_follows_changes(client):
    used = ArticleFactory(countries=["KZ"])
    ArticleFactory(countries=["CN"])

    def offered():
        field = client.get(BROWSE).context["filter"].form.fields["countries"]
        return {country.code for country in field.queryset}

    assert offered() == {"KZ", "CN"}
    # Remembered until the content changes, and not a moment longer.
    used.status = used.Status.DRAFT
    used.save()
    assert offered() == {"CN"}


@pytest.mark.parametrize(
    ("quick", "django_widget"),
    [
        (filters.QuickCheckboxes, forms.CheckboxSelectMultiple),
        (filters.QuickRadios, forms.RadioSelect),
    ],
)
@pytest.mark.parametrize("value", [None, ["b"], ["a", "<b&>"]])
def test_quick_options_write_what_djangos_templates_write(quick, django_widget, value):
    choices = [
        ("a", "Kasachstan"),
        ("<b&>", 'Tags <script>"x"</script> & more'),
        ("Gruppe", [("c", "SOZ"), ("d", "Seidenstraße")]),
    ]
    for attrs in [None, {"id": "id_tags", "class": "wide"}, {"data-x": True}]:
        mine = quick(choices=choices).render("tags", value, attrs=attrs)
        theirs = django_widget(choices=choices).render("tags", value, attrs=attrs)
        assert mine == theirs

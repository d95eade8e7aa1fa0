import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, Country, Section
from tests.factories import ArticleFactory, SectionFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_published_story_is_public():
    article = ArticleFactory()
    assert list(Article.objects.published()) == [article]


@pytest.mark.parametrize("status", ["draft", "review", "archived"])
def test_unpublished_status_is_not_public(status):
    ArticleFactory(status=status)
    assert not Article.objects.published().exists()


def test_scheduled_story_is_not_public_until_its_time():
    article = ArticleFactory(
        published_at=timezone.now() + datetime.timedelta(minutes=5)
    )
    assert not Article.objects.published().exists()
    assert list(Article.objects.scheduled()) == [article]


def test_published_story_needs_a_publication_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(status="published", published_at=None)


def test_draft_may_have_no_publication_time():
    assert ArticleFactory(status="draft", published_at=None).pk


def test_slug_is_unique_within_a_language():
    ArticleFactory(slug="gipfel", language="de")
    ArticleFactory(slug="gipfel", language="en")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(slug="gipfel", language="de")


def test_slug_is_made_from_the_headline_with_german_letters_spelt_out():
    article = ArticleFactory(headline="Größere Zölle für Straßenbau", slug="")
    assert article.slug == "groessere-zoelle-fuer-strassenbau"


def test_only_one_version_per_language():
    original = ArticleFactory(language="de")
    ArticleFactory(language="en", translation_of=original)
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(language="en", translation_of=original)


def test_language_versions_link_both_ways():
    original = ArticleFactory(language="de")
    english = ArticleFactory(language="en", translation_of=original)
    assert list(original.language_versions()) == [english]
    assert list(english.language_versions()) == [original]


def test_section_path_follows_the_tree():
    parent = SectionFactory(name="BRI-Nachrichten")
    child = SectionFactory(name="Aktuelles", parent=parent)
    assert child.path == "bri-nachrichten/aktuelles"
    assert str(child) == "BRI-Nachrichten › Aktuelles"


def test_moving_a_section_updates_its_subtree_paths():
    parent = SectionFactory(name="Wirtschaft")
    child = SectionFactory(name="Handel", parent=parent)
    grandchild = SectionFactory(name="Zoll", parent=child)
    parent.slug = "economy"
    parent.save()
    grandchild.refresh_from_db()
    assert grandchild.path == "economy/handel/zoll"


def test_section_slug_is_unique_among_siblings():
    parent = SectionFactory(name="Welt")
    SectionFactory(name="Asien", parent=parent)
    with pytest.raises(IntegrityError), transaction.atomic():
        Section.objects.create(name="Asien 2", slug="asien", parent=parent)


def test_in_section_includes_subsections():
    parent = SectionFactory(name="Welt")
    child = SectionFactory(name="Asien", parent=parent)
    other = SectionFactory(name="Sport")
    in_child = ArticleFactory(section=child)
    ArticleFactory(section=other)
    assert list(Article.objects.in_section(parent)) == [in_child]


def test_every_iso_country_is_loaded_with_cldr_names():
    assert Country.objects.count() == 249
    kazakhstan = Country.objects.get(code="KZ")
    assert kazakhstan.name_in("de") == "Kasachstan"
    assert kazakhstan.name_in("en") == "Kazakhstan"
    assert kazakhstan.name_in("ru") == "Казахстан"


def test_tags_are_typed():
    topic = TopicFactory(slug="sco", name="SOZ")
    article = ArticleFactory(countries=["KZ", "CN"], topics=[topic])
    assert sorted(article.countries.values_list("code", flat=True)) == ["CN", "KZ"]
    assert list(article.topics.all()) == [topic]


def test_body_is_sanitised_on_every_save():
    article = ArticleFactory(body='<p onclick="x()">Hi<script>alert(1)</script></p>')
    article.refresh_from_db()
    assert article.body == "<p>Hi</p>"


def test_absolute_url_has_the_local_date_and_the_language():
    article = ArticleFactory(
        slug="gipfel",
        language="en",
        # 23:30 UTC is the next day in Berlin.
        published_at=datetime.datetime(2022, 9, 15, 23, 30, tzinfo=datetime.UTC),
    )
    assert article.get_absolute_url() == "/en/2022/09/16/gipfel/"

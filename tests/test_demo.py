from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Article, TagSuggestion, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())


def test_demo_has_twenty_german_and_ten_english_stories(demo):
    assert Article.objects.published().in_language("de").count() >= 20
    assert Article.objects.published().in_language("en").count() >= 10


def test_demo_stories_are_spread_over_sections_and_sources(demo):
    assert Article.objects.values("section__path").distinct().count() >= 6
    assert Article.objects.values("source").distinct().count() >= 5


def test_demo_links_language_versions(demo):
    seed = Article.objects.get(headline="Xi Jinping zu Staatsbesuch in Kasachstan")
    (english,) = seed.language_versions()
    assert english.language == "en"
    assert english.headline == "Xi Jinping on state visit to Kazakhstan"


def test_demo_tags_the_seed_story(demo):
    seed = Article.objects.get(headline="Xi Jinping zu Staatsbesuch in Kasachstan")
    assert {"KZ", "CN"} <= set(seed.countries.values_list("code", flat=True))
    assert {"bri", "sco"} <= set(seed.topics.values_list("slug", flat=True))


def test_demo_leaves_no_suggestion_pending_for_a_tag_the_story_has(demo):
    seed = Article.objects.get(headline="Xi Jinping zu Staatsbesuch in Kasachstan")
    pending = TagSuggestion.objects.pending().filter(article=seed)
    assert not pending.filter(country__in=["KZ", "CN"]).exists()
    assert not pending.filter(topic__slug__in=["bri", "sco"]).exists()


def test_demo_topics_have_german_and_english_names(demo):
    sco = Topic.objects.get(slug="sco")
    assert sco.name_in("de") in {"SOZ", "Shanghaier Organisation für Zusammenarbeit"}
    assert sco.name_in("en") in {"SCO", "Shanghai Cooperation Organisation"}


def test_demo_draws_lead_images(demo):
    with_images = Article.objects.exclude(lead_image="")
    assert with_images.count() >= 3
    for article in with_images:
        assert article.lead_image_width == 1600
        assert article.lead_image_alt


def test_demo_has_a_featured_story_per_language(demo):
    for language in ("de", "en"):
        assert Article.objects.in_language(language).filter(is_featured=True).exists()


def test_demo_english_files_use_the_english_dateline():
    from pathlib import Path

    english = [
        path
        for path in Path("demo/stories").glob("*.txt")
        if path.read_text(encoding="utf-8").startswith("Belt and Road News Network")
    ]
    assert len(english) >= 10
    for path in english:
        dateline = path.read_text(encoding="utf-8").split("\n\n")[3]
        assert " Source : " in dateline

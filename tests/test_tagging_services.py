from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import translation

from articles import services
from articles.models import (
    TagEvent,
    TaggedTopic,
    TagSuggestion,
    Topic,
    TopicAlias,
    TopicRedirect,
)
from articles.plaintext import parse_story
from articles.tagging import get_matcher
from tests.factories import ArticleFactory, TopicFactory, UserFactory, country

pytestmark = pytest.mark.django_db

SEED = Path(settings.BASE_DIR) / "demo" / "stories" / "000_174494c28651cc06.txt"


def pending_tags(article):
    return {
        suggestion.country_id or suggestion.topic.slug
        for suggestion in TagSuggestion.objects.pending()
        .filter(article=article)
        .select_related("topic")
    }


def topic(slug):
    return Topic.objects.get(slug=slug)


def test_topics_come_with_german_and_english_names_and_aliases():
    bri = topic("bri")
    assert bri.name_in("de") == "Seidenstraßeninitiative"
    assert bri.name_in("en") == "Belt and Road Initiative"
    aliases = set(bri.aliases.values_list("name", flat=True))
    assert {"Neue Seidenstraße", "BRI", "一带一路", "Seidenstraßen-Initiative"} <= (
        aliases
    )
    expected = {
        "bri",
        "sco",
        "trade",
        "connectivity",
        "green-energy",
        "digital-economy",
        "health",
        "culture",
        "security",
        "diplomacy",
    }
    assert expected <= set(Topic.objects.values_list("slug", flat=True))


def test_an_alias_name_is_unique_whatever_its_spelling():
    with pytest.raises(IntegrityError):
        TopicAlias.objects.create(topic=topic("trade"), name="neue  seidenstraße")


def test_import_suggests_the_seed_story_tags_without_tagging():
    article, _created = services.article_import_text(parse_story(SEED.read_bytes()))
    assert {"CN", "KZ", "bri", "sco", "digital-economy", "green-energy"} <= (
        pending_tags(article)
    )
    assert not article.countries.exists()
    assert not article.topics.exists()


def test_suggestion_records_the_matched_text_and_count():
    article = ArticleFactory(headline="Kasachstan", body="<p>Kasachstans Weg</p>")
    services.article_suggest_tags(article)
    suggestion = TagSuggestion.objects.get(article=article, country="KZ")
    assert suggestion.match_count == 2
    assert suggestion.matched_text == "Kasachstan, Kasachstans"


def test_tags_a_story_has_are_not_suggested():
    article = ArticleFactory(headline="Kasachstan und China", countries=["KZ"])
    services.article_suggest_tags(article)
    assert pending_tags(article) == {"CN"}


def test_a_pending_suggestion_of_a_tag_given_meanwhile_is_settled():
    article = ArticleFactory(headline="Kasachstan und China")
    services.article_suggest_tags(article)
    article.countries.add(country("KZ"))
    assert services.suggestions_settle(articles=[article]) == 1
    assert pending_tags(article) == {"CN"}
    assert TagSuggestion.objects.get(article=article, country="KZ").status == (
        "accepted"
    )


def test_the_migration_settles_suggestions_of_tags_the_story_has():
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "articles.migrations.0009_fixadmin_settle_suggestions"
    )
    article = ArticleFactory(headline="Kasachstan und China")
    services.article_suggest_tags(article)
    article.countries.add(country("CN"))
    migration.settle(apps, None)
    assert pending_tags(article) == {"KZ"}


def test_accepting_a_suggestion_adds_the_tag_and_logs_it(moderator):
    article = ArticleFactory(headline="Gipfel der SOZ")
    services.article_suggest_tags(article)
    suggestion = TagSuggestion.objects.get(article=article, topic__slug="sco")
    services.suggestion_accept(suggestion, by=moderator)
    assert list(article.topics.values_list("slug", flat=True)) == ["sco"]
    suggestion.refresh_from_db()
    assert suggestion.status == "accepted"
    assert suggestion.decided_by == moderator
    event = TagEvent.objects.get(action="accepted")
    assert (event.article, event.topic, event.by) == (article, topic("sco"), moderator)


def test_a_rejected_tag_is_not_suggested_again(moderator):
    article = ArticleFactory(headline="Reise nach Kasachstan")
    services.article_suggest_tags(article)
    services.suggestion_reject(
        TagSuggestion.objects.get(article=article, country="KZ"), by=moderator
    )
    article.body = "<p>Kasachstan, Kasachstan und noch einmal Kasachstan.</p>"
    article.save()
    services.article_suggest_tags(article)
    assert pending_tags(article) == set()
    assert TagEvent.objects.filter(action="rejected", by=moderator).count() == 1


def test_suggestions_the_text_no_longer_supports_are_dropped():
    article = ArticleFactory(headline="Besuch in Kasachstan")
    services.article_suggest_tags(article)
    article.headline = "Besuch in Usbekistan"
    article.save()
    services.article_suggest_tags(article)
    assert pending_tags(article) == {"UZ"}


def test_someone_who_may_not_tag_cannot_accept():
    article = ArticleFactory(headline="Kasachstan")
    services.article_suggest_tags(article)
    outsider = UserFactory(is_staff=True)
    with pytest.raises(PermissionDenied):
        services.suggestion_accept(TagSuggestion.objects.get(), by=outsider)
    assert not article.countries.exists()


def test_bulk_add_tags_only_the_stories_without_it_and_logs_each(moderator):
    tagged = ArticleFactory(countries=["KZ"])
    untagged = ArticleFactory()
    count = services.tag_add(country("KZ"), articles=[tagged, untagged], by=moderator)
    assert count == 1
    assert list(untagged.countries.values_list("code", flat=True)) == ["KZ"]
    event = TagEvent.objects.get()
    assert (event.action, event.article, event.country) == (
        "added",
        untagged,
        country("KZ"),
    )


def test_bulk_add_settles_a_pending_suggestion(moderator):
    article = ArticleFactory(headline="Kasachstan")
    services.article_suggest_tags(article)
    services.tag_add(country("KZ"), articles=[article], by=moderator)
    assert TagSuggestion.objects.get().status == "accepted"


def test_bulk_remove_logs_each_story_that_had_the_tag(moderator):
    sco = topic("sco")
    tagged = ArticleFactory(topics=[sco])
    untagged = ArticleFactory()
    assert services.tag_remove(sco, articles=[tagged, untagged], by=moderator) == 1
    assert not tagged.topics.exists()
    assert list(TagEvent.objects.values_list("action", "article")) == [
        ("removed", tagged.pk)
    ]


def test_merge_repoints_every_story_without_duplicates(moderator):
    duplicate = TopicFactory(
        slug="silk-road", name="Seidenstraße", names={"en": "Silk Road"}
    )
    bri = topic("bri")
    both = ArticleFactory(topics=[duplicate, bri])
    only_duplicate = ArticleFactory(topics=[duplicate])
    services.tag_merge(duplicate, into=bri, by=moderator)
    assert not Topic.objects.filter(slug="silk-road").exists()
    assert list(both.topics.all()) == [bri]
    assert list(only_duplicate.topics.all()) == [bri]
    assert TaggedTopic.objects.filter(tag=bri).count() == 2


def test_merge_keeps_the_names_as_aliases(moderator):
    duplicate = TopicFactory(
        slug="silk-road", name="Seidenstraße", names={"en": "Silk Road"}
    )
    TopicAlias.objects.create(topic=duplicate, name="Seidenweg")
    bri = topic("bri")
    services.tag_merge(duplicate, into=bri, by=moderator)
    aliases = set(bri.aliases.values_list("name", flat=True))
    assert {"Seidenstraße", "Silk Road", "Seidenweg"} <= aliases
    assert get_matcher().suggest("die alte Seidenstraße", "de")["topics"] == ["bri"]


def test_merge_leaves_a_redirect_from_the_old_address(client, moderator):
    duplicate = TopicFactory(slug="silk-road", name="Seidenstraße")
    bri = topic("bri")
    services.tag_merge(duplicate, into=bri, by=moderator)
    assert TopicRedirect.objects.get(old_slug="silk-road").topic == bri
    with translation.override("de"):
        old = reverse("articles:topic", kwargs={"slug": "silk-road"})
        new = reverse("articles:topic", kwargs={"slug": "bri"})
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


def test_an_unknown_topic_without_redirect_is_not_found(client):
    with translation.override("de"):
        url = reverse("articles:topic", kwargs={"slug": "no-such-topic"})
    assert client.get(url).status_code == 404


def test_merge_moves_suggestions_and_the_log(moderator):
    duplicate = TopicFactory(slug="silk-road", name="Seidenstraße")
    bri = topic("bri")
    article = ArticleFactory()
    services.tag_add(duplicate, articles=[article], by=moderator)
    other = ArticleFactory()
    TagSuggestion.objects.create(article=other, topic=duplicate, matched_text="x")
    services.tag_merge(duplicate, into=bri, by=moderator)
    assert TagSuggestion.objects.get(article=other).topic == bri
    assert set(bri.events.values_list("action", flat=True)) == {"added", "merged"}
    merged = bri.events.get(action="merged")
    assert "Seidenstraße (silk-road)" in merged.detail
    assert merged.by == moderator


def test_merge_into_itself_is_refused(moderator):
    with pytest.raises(ValidationError):
        services.tag_merge(topic("bri"), into=topic("bri"), by=moderator)


def test_merge_needs_the_merge_permission():
    outsider = UserFactory(is_staff=True)
    with pytest.raises(PermissionDenied):
        services.tag_merge(topic("sco"), into=topic("bri"), by=outsider)
    assert Topic.objects.filter(slug="sco").exists()


def test_a_failed_merge_changes_nothing(moderator, monkeypatch):
    duplicate = TopicFactory(slug="silk-road", name="Seidenstraße")
    article = ArticleFactory(topics=[duplicate])

    def broken_delete(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Topic, "delete", broken_delete)
    with pytest.raises(RuntimeError):
        services.tag_merge(duplicate, into=topic("bri"), by=moderator)
    assert list(article.topics.all()) == [duplicate]
    assert not TopicRedirect.objects.exists()


def test_rename_keeps_the_old_name_as_alias_and_logs_it(moderator):
    trade = topic("trade")
    services.tag_rename(trade, name="Außenwirtschaft", by=moderator)
    trade.refresh_from_db()
    assert trade.name == "Außenwirtschaft"
    assert trade.aliases.filter(name="Handel").exists()
    event = trade.events.get()
    assert (event.action, event.detail, event.by) == (
        "renamed",
        "Handel → Außenwirtschaft",
        moderator,
    )


def test_adding_an_alias_makes_it_match_and_logs_it(moderator):
    trade = topic("trade")
    services.topic_alias_add(trade, name="Warenverkehr", language="de", by=moderator)
    assert get_matcher().suggest("Der Warenverkehr wächst", "de")["topics"] == ["trade"]
    assert trade.events.get().action == "alias_added"


def test_an_alias_another_topic_has_is_not_added(moderator):
    assert services.topic_alias_add(topic("trade"), name="SOZ", by=moderator) is None


def test_the_tag_log_outlives_a_deleted_story(moderator):
    article = ArticleFactory()
    services.tag_add(country("KZ"), articles=[article], by=moderator)
    article.delete()
    event = TagEvent.objects.get()
    assert (event.article, event.country_id, event.by) == (None, "KZ", moderator)

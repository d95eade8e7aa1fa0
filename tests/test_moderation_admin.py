import datetime
import io
import itertools

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from articles import services
from articles.models import (
    Article,
    TagEvent,
    TagSuggestion,
    Topic,
    TopicAlias,
    TopicRedirect,
)
from tests.factories import (
    ArticleFactory,
    SectionFactory,
    TopicFactory,
    UserFactory,
    country,
)
from tests.test_admin import LIST_URL, change_url, png_upload

pytestmark = pytest.mark.django_db

QUEUE_URL = reverse("admin:articles_moderationitem_changelist")
TOPICS_URL = reverse("admin:articles_topic_changelist")


def review_url(article):
    return reverse("admin:articles_moderationitem_change", args=[article.pk])


def topic_url(topic):
    return reverse("admin:articles_topic_change", args=[topic.pk])


# What a save records about itself rather than about the story.
BOOKKEEPING = {"updated_at", "updated_by_id", "revision"}


def snapshot(article):
    """Every stored field of a story but the bookkeeping, to show nothing changed."""
    fresh = Article.objects.get(pk=article.pk)
    return {
        field.attname: getattr(fresh, field.attname)
        for field in Article._meta.concrete_fields
        if field.attname not in BOOKKEEPING
    }


def tag_codes(article):
    return sorted(article.countries.values_list("code", flat=True))


def test_moderators_group_has_exactly_the_permissions_it_needs():
    codenames = set(
        Group.objects.get(name="Moderators").permissions.values_list(
            "codename", flat=True
        )
    )
    assert codenames == {
        "view_article",
        "tag_article",
        "view_country",
        "view_topic",
        "add_topic",
        "change_topic",
        "merge_topic",
        "view_topicalias",
        "add_topicalias",
        "change_topicalias",
        "delete_topicalias",
        "view_tagevent",
    }


def test_moderator_sees_the_story_list(moderator_client):
    ArticleFactory(headline="Gipfel in Samarkand")
    response = moderator_client.get(LIST_URL)
    assert response.status_code == 200
    assert "Gipfel in Samarkand" in response.text


def test_moderator_sees_the_story_text_but_can_edit_only_tags(moderator_client):
    article = ArticleFactory(
        headline="Gipfel in Samarkand", body="<p>Die <strong>SOZ</strong> tagt.</p>"
    )
    response = moderator_client.get(change_url(article))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert sorted(form.fields) == ["base_revision", "countries", "topics"]
    assert "Gipfel in Samarkand" in response.text
    assert "<p>Die <strong>SOZ</strong> tagt.</p>" in response.text
    assert 'name="headline"' not in response.text
    assert 'name="body"' not in response.text


def test_moderator_changes_the_tags_and_nothing_else(moderator_client, moderator):
    sco = Topic.objects.get(slug="sco")
    article = ArticleFactory(countries=["CN"])
    before = snapshot(article)
    response = moderator_client.post(
        change_url(article),
        {
            "countries": ["KZ", "UZ"],
            "topics": [sco.pk],
            "base_revision": article.revision,
        },
    )
    assert response.status_code == 302
    assert tag_codes(article) == ["KZ", "UZ"]
    assert list(article.topics.all()) == [sco]
    assert snapshot(article) == before
    logged = set(TagEvent.objects.values_list("action", "tag_name", "by"))
    assert logged == {
        ("added", "KZ", moderator.pk),
        ("added", "UZ", moderator.pk),
        ("added", sco.name, moderator.pk),
        ("removed", "CN", moderator.pk),
    }


FORBIDDEN_FIELDS = {
    "headline": "Neue Überschrift",
    "slug": "neu",
    "standfirst": "Neu",
    "body": "<p>Neu</p>",
    "lead_image_alt": "Neu",
    "lead_image_caption": "Neu",
    "lead_image_credit": "Neu",
    "byline": "Neu",
    "language": "en",
    "status": "draft",
    "published_at_0": "01.01.2030",
    "published_at_1": "10:00",
    "is_featured": "on",
    "lead_image-clear": "on",
    "created_by": "1",
    "updated_at": "2030-01-01 10:00",
}


@pytest.mark.parametrize(("field", "value"), sorted(FORBIDDEN_FIELDS.items()))
def test_moderator_post_changing_a_story_field_is_refused(
    moderator_client, field, value
):
    article = ArticleFactory(countries=["CN"])
    before = snapshot(article)
    response = moderator_client.post(
        change_url(article), {"countries": ["KZ"], field: value}
    )
    assert response.status_code == 403
    assert snapshot(article) == before
    assert tag_codes(article) == ["CN"]


@pytest.mark.parametrize("field", ["section", "source", "translation_of"])
def test_moderator_post_changing_a_relation_is_refused(moderator_client, field):
    article = ArticleFactory()
    other = {
        "section": SectionFactory().pk,
        "source": "",
        "translation_of": ArticleFactory(language="en").pk,
    }[field]
    before = snapshot(article)
    response = moderator_client.post(change_url(article), {field: other})
    assert response.status_code == 403
    assert snapshot(article) == before


def test_moderator_post_uploading_a_lead_image_is_refused(moderator_client):
    article = ArticleFactory()
    response = moderator_client.post(change_url(article), {"lead_image": png_upload()})
    assert response.status_code == 403
    assert not Article.objects.get(pk=article.pk).lead_image


def test_moderator_cannot_add_a_story(moderator_client):
    response = moderator_client.get(reverse("admin:articles_article_add"))
    assert response.status_code == 403


def test_moderator_cannot_delete_a_story(moderator_client):
    article = ArticleFactory()
    url = reverse("admin:articles_article_delete", args=[article.pk])
    assert moderator_client.get(url).status_code == 403
    assert moderator_client.post(url, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


@pytest.mark.parametrize("action", ["publish", "unpublish", "delete_selected"])
def test_moderator_cannot_run_story_actions(moderator_client, action):
    draft = ArticleFactory(status="draft", published_at=None)
    published = ArticleFactory()
    before = [snapshot(draft), snapshot(published)]
    response = moderator_client.post(
        LIST_URL,
        {"action": action, "_selected_action": [draft.pk, published.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert [snapshot(draft), snapshot(published)] == before


def test_moderator_is_offered_only_the_tag_actions(moderator_client):
    ArticleFactory()
    response = moderator_client.get(LIST_URL)
    choices = [
        value
        for value, _label in response.context["action_form"].fields["action"].choices
    ]
    assert sorted(filter(None, choices)) == ["tags_add", "tags_remove"]


def test_editor_still_edits_the_whole_story_and_tags_are_logged(editor_client, editor):
    article = ArticleFactory(status="draft", published_at=None)
    response = editor_client.post(
        change_url(article),
        {
            "headline": "Reise nach Kasachstan",
            "slug": article.slug,
            "standfirst": "",
            "body": "<p>Text</p>",
            "lead_image_alt": "",
            "lead_image_caption": "",
            "lead_image_credit": "",
            "section": article.section.pk,
            "source": "",
            "byline": "",
            "language": "de",
            "translation_of": "",
            "status": "draft",
            "published_at_0": "",
            "published_at_1": "",
            "countries": ["CN"],
            "base_revision": article.revision,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.headline == "Reise nach Kasachstan"
    assert TagEvent.objects.get().by == editor
    # The save suggested what the new headline names.
    assert TagSuggestion.objects.get().country_id == "KZ"


def test_story_page_shows_its_tag_history(moderator_client, moderator):
    article = ArticleFactory()
    services.tag_add(country("KZ"), articles=[article], by=moderator)
    response = moderator_client.get(change_url(article))
    history = response.context["adminform"].form.instance.tag_events.get()
    assert history.by == moderator
    shown = [
        field
        for _name, options in response.context["adminform"].fieldsets
        for field in options["fields"]
    ]
    assert "tag_history" in shown
    assert "<td>moderator</td>" in response.text


@pytest.mark.parametrize(
    ("field", "term", "expected"),
    [("countries", "Kasach", ["KZ"]), ("topics", "SOZ", ["sco"])],
)
def test_tag_autocomplete_works_for_moderators(moderator_client, field, term, expected):
    response = moderator_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "articles",
            "model_name": "article",
            "field_name": field,
            "term": term,
        },
    )
    assert response.status_code == 200
    ids = [item["id"] for item in response.json()["results"]]
    if field == "topics":
        ids = list(Topic.objects.filter(pk__in=ids).values_list("slug", flat=True))
    assert ids == expected


# The queue


def queued(client, **params):
    response = client.get(QUEUE_URL, params)
    assert response.status_code == 200
    return [story.headline for story in response.context["cl"].result_list]


def test_queue_lists_stories_with_suggestions_or_without_tags_newest_first(
    moderator_client,
):
    now = datetime.datetime(2022, 9, 16, 10, tzinfo=datetime.UTC)
    suggested = ArticleFactory(
        headline="Gipfel in Samarkand", countries=["UZ"], published_at=now
    )
    services.article_suggest_tags(suggested)
    ArticleFactory(headline="Ohne Schlagwort", published_at=now - datetime.timedelta(1))
    ArticleFactory(headline="Fertig", countries=["CN"], published_at=now)
    assert queued(moderator_client) == ["Gipfel in Samarkand", "Ohne Schlagwort"]


def test_queue_filters_by_language_and_section(moderator_client):
    section = SectionFactory(name="Wirtschaft")
    ArticleFactory(headline="Deutsch", section=section)
    ArticleFactory(headline="English", language="en")
    assert queued(moderator_client, language__exact="en") == ["English"]
    assert queued(moderator_client, section__id__exact=section.pk) == ["Deutsch"]


def test_queue_filters_waiting_suggestions(moderator_client):
    suggested = ArticleFactory(headline="Gipfel in Samarkand", countries=["UZ"])
    services.article_suggest_tags(suggested)
    ArticleFactory(headline="Ohne Schlagwort")
    assert queued(moderator_client, waiting="suggestions") == ["Gipfel in Samarkand"]
    assert queued(moderator_client, waiting="untagged") == ["Ohne Schlagwort"]


@pytest.mark.parametrize("stories", [1, 15])
def test_queue_query_count_does_not_grow(
    moderator_client, django_assert_max_num_queries, stories
):
    for number in range(stories):
        article = ArticleFactory(headline=f"Kasachstan und China {number}")
        services.article_suggest_tags(article)
    with django_assert_max_num_queries(12):
        assert len(queued(moderator_client)) == stories


def test_queue_is_closed_to_staff_who_may_not_tag(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(QUEUE_URL).status_code == 403


def test_editor_may_use_the_queue(editor_client):
    ArticleFactory(headline="Ohne Schlagwort")
    assert queued(editor_client) == ["Ohne Schlagwort"]


_numbers = itertools.count()


def suggested_story():
    article = ArticleFactory(
        headline="Kasachstan und China beim SOZ-Gipfel", slug=f"gipfel-{next(_numbers)}"
    )
    services.article_suggest_tags(article)
    return article


def suggestion(article, tag):
    return TagSuggestion.objects.get(
        article=article, **({"country": tag} if len(tag) == 2 else {"topic__slug": tag})
    )


def test_review_page_lists_the_suggestions(moderator_client):
    article = suggested_story()
    response = moderator_client.get(review_url(article))
    assert response.status_code == 200
    assert "Kasachstan" in response.text
    assert len(response.context["suggestions"]) == 4


def test_review_accepts_one_suggestion(moderator_client):
    article = suggested_story()
    kz = suggestion(article, "KZ")
    response = moderator_client.post(review_url(article), {"accept": kz.pk})
    assert response.status_code == 302
    assert tag_codes(article) == ["KZ"]
    assert TagSuggestion.objects.pending().filter(article=article).count() == 3


def test_review_rejects_one_suggestion(moderator_client, moderator):
    article = suggested_story()
    cn = suggestion(article, "CN")
    moderator_client.post(review_url(article), {"reject": cn.pk})
    cn.refresh_from_db()
    assert (cn.status, cn.decided_by) == ("rejected", moderator)
    assert tag_codes(article) == []


def test_review_accepts_the_chosen_suggestions(moderator_client):
    article = suggested_story()
    chosen = [suggestion(article, "KZ").pk, suggestion(article, "sco").pk]
    response = moderator_client.post(
        review_url(article), {"suggestion": chosen, "_accept_selected": "1"}
    )
    assert response.status_code == 302
    assert tag_codes(article) == ["KZ"]
    assert list(article.topics.values_list("slug", flat=True)) == ["sco"]


def test_review_ignores_suggestions_of_other_stories_and_junk(moderator_client):
    article = suggested_story()
    other = suggested_story()
    response = moderator_client.post(
        review_url(article),
        {
            "suggestion": [suggestion(other, "KZ").pk, "x", "-1"],
            "_accept_selected": "1",
        },
    )
    assert response.status_code == 302
    assert tag_codes(other) == []


def test_review_of_an_unknown_story_is_not_found(moderator_client):
    for key in ["999999", "nope"]:
        url = reverse("admin:articles_moderationitem_change", args=[key])
        assert moderator_client.get(url).status_code == 404


def test_clearing_a_story_returns_to_the_queue(moderator_client):
    article = ArticleFactory(headline="Kasachstan")
    services.article_suggest_tags(article)
    response = moderator_client.post(
        review_url(article), {"accept": suggestion(article, "KZ").pk}
    )
    assert response["Location"] == QUEUE_URL


@pytest.mark.parametrize(
    ("action", "status"), [("accept_all", "accepted"), ("reject_all", "rejected")]
)
def test_queue_decides_every_suggestion_of_selected_stories(
    moderator_client, action, status
):
    first, second = suggested_story(), suggested_story()
    moderator_client.post(
        QUEUE_URL, {"action": action, "_selected_action": [first.pk, second.pk]}
    )
    assert set(TagSuggestion.objects.values_list("status", flat=True)) == {status}
    assert TagEvent.objects.filter(action=status).count() == 8


# Bulk tags from the story list


def test_bulk_add_asks_for_the_tag_first(moderator_client):
    article = ArticleFactory()
    response = moderator_client.post(
        LIST_URL, {"action": "tags_add", "_selected_action": [article.pk]}
    )
    assert response.status_code == 200
    assert "country" in response.context["form"].fields
    assert tag_codes(article) == []


def test_bulk_add_tags_the_selected_stories(moderator_client, moderator):
    first, second, untouched = ArticleFactory(), ArticleFactory(), ArticleFactory()
    response = moderator_client.post(
        LIST_URL,
        {
            "action": "tags_add",
            "_selected_action": [first.pk, second.pk],
            "country": "KZ",
            "apply": "1",
        },
    )
    assert response.status_code == 302
    assert tag_codes(first) == tag_codes(second) == ["KZ"]
    assert tag_codes(untouched) == []
    assert TagEvent.objects.filter(action="added", by=moderator).count() == 2


def test_bulk_remove_untags_the_selected_stories(moderator_client):
    sco = Topic.objects.get(slug="sco")
    first, kept = ArticleFactory(topics=[sco]), ArticleFactory(topics=[sco])
    moderator_client.post(
        LIST_URL,
        {
            "action": "tags_remove",
            "_selected_action": [first.pk],
            "topic": sco.pk,
            "apply": "1",
        },
    )
    assert not first.topics.exists()
    assert list(kept.topics.all()) == [sco]


def test_bulk_action_wants_exactly_one_tag(moderator_client):
    article = ArticleFactory()
    response = moderator_client.post(
        LIST_URL,
        {
            "action": "tags_add",
            "_selected_action": [article.pk],
            "country": "KZ",
            "topic": Topic.objects.get(slug="sco").pk,
            "apply": "1",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert tag_codes(article) == []


def test_staff_who_may_not_tag_get_no_tag_actions(client):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(
        *Group.objects.get(name="Moderators").permissions.filter(
            codename="view_article"
        )
    )
    client.force_login(viewer)
    article = ArticleFactory()
    client.post(
        LIST_URL,
        {
            "action": "tags_add",
            "_selected_action": [article.pk],
            "country": "KZ",
            "apply": "1",
        },
    )
    assert tag_codes(article) == []


# The topic vocabulary


def topic_form(topic, **overrides):
    data = {
        "name": topic.name,
        "names": "{}",
        "aliases-TOTAL_FORMS": "1",
        "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
        "aliases-0-name": "",
        "aliases-0-language": "",
    }
    data.update(overrides)
    return data


def test_moderator_adds_a_topic(moderator_client):
    response = moderator_client.post(
        reverse("admin:articles_topic_add"),
        topic_form(Topic(name="Bergbau"), slug="mining"),
    )
    assert response.status_code == 302
    assert Topic.objects.get(slug="mining").name == "Bergbau"


def test_moderator_adds_an_alias_which_is_logged(moderator_client, moderator):
    mining = TopicFactory(slug="mining", name="Bergbau")
    response = moderator_client.post(
        topic_url(mining),
        topic_form(
            mining, **{"aliases-0-name": "Rohstoffe", "aliases-0-language": "de"}
        ),
    )
    assert response.status_code == 302
    assert TopicAlias.objects.get(topic=mining).name == "Rohstoffe"
    assert mining.events.get().action == "alias_added"


def test_an_alias_of_another_topic_is_refused_with_a_message(moderator_client):
    mining = TopicFactory(slug="mining", name="Bergbau")
    response = moderator_client.post(
        topic_url(mining), topic_form(mining, **{"aliases-0-name": "soz"})
    )
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert "name" in formset.errors[0]
    assert not TopicAlias.objects.filter(topic=mining).exists()


def test_moderator_renames_a_topic_keeping_the_slug(moderator_client, moderator):
    mining = TopicFactory(slug="mining", name="Bergbau")
    response = moderator_client.post(
        topic_url(mining), topic_form(mining, name="Rohstoffabbau", slug="changed")
    )
    assert response.status_code == 302
    mining.refresh_from_db()
    assert (mining.name, mining.slug) == ("Rohstoffabbau", "mining")
    assert mining.aliases.filter(name="Bergbau").exists()
    assert mining.events.get().action == "renamed"


def test_moderator_cannot_delete_a_topic(moderator_client):
    mining = TopicFactory(slug="mining", name="Bergbau")
    url = reverse("admin:articles_topic_delete", args=[mining.pk])
    assert moderator_client.post(url, {"post": "yes"}).status_code == 403
    assert Topic.objects.filter(pk=mining.pk).exists()


def test_moderator_cannot_change_a_country(moderator_client):
    url = reverse("admin:articles_country_change", args=["KZ"])
    response = moderator_client.post(url, {"name": "Anders", "slug": "x"})
    assert response.status_code == 403
    assert country("KZ").name == "Kasachstan"


def test_merge_asks_for_the_target_then_merges(moderator_client, moderator):
    duplicate = TopicFactory(slug="silk-road", name="Seidenstraße")
    article = ArticleFactory(topics=[duplicate])
    bri = Topic.objects.get(slug="bri")
    ask = moderator_client.post(
        TOPICS_URL, {"action": "merge_topics", "_selected_action": [duplicate.pk]}
    )
    assert ask.status_code == 200
    assert "into" in ask.context["form"].fields
    response = moderator_client.post(
        TOPICS_URL,
        {
            "action": "merge_topics",
            "_selected_action": [duplicate.pk],
            "into": bri.pk,
            "apply": "1",
        },
    )
    assert response.status_code == 302
    assert list(article.topics.all()) == [bri]
    assert TopicRedirect.objects.get().old_slug == "silk-road"
    assert bri.events.get(action="merged").by == moderator


def test_topic_page_shows_its_log(moderator_client, moderator):
    sco = Topic.objects.get(slug="sco")
    article = ArticleFactory(headline="Gipfel in Samarkand")
    services.tag_add(sco, articles=[article], by=moderator)
    response = moderator_client.get(topic_url(sco))
    assert response.status_code == 200
    assert "Gipfel in Samarkand" in response.text
    assert "<td>moderator</td>" in response.text


def test_country_page_shows_its_log(moderator_client, moderator):
    article = ArticleFactory(headline="Gipfel in Samarkand")
    services.tag_add(country("UZ"), articles=[article], by=moderator)
    response = moderator_client.get(
        reverse("admin:articles_country_change", args=["UZ"])
    )
    assert response.status_code == 200
    assert "Gipfel in Samarkand" in response.text
    assert "de: Usbekistan · en: Uzbekistan · ru: Узбекистан" in response.text


def test_tag_log_is_read_only(moderator_client, moderator):
    services.tag_add(country("UZ"), articles=[ArticleFactory()], by=moderator)
    url = reverse("admin:articles_tagevent_changelist")
    assert moderator_client.get(url).status_code == 200
    event = TagEvent.objects.get()
    change = reverse("admin:articles_tagevent_change", args=[event.pk])
    moderator_client.post(change, {"tag_name": "XX"})
    assert TagEvent.objects.get().tag_name == "UZ"


def test_create_editor_makes_a_moderator(monkeypatch):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    monkeypatch.setattr("getpass.getpass", lambda prompt="": "a long Pass phrase 42!")
    call_command("create_editor", "mona", role="moderator", stdout=io.StringIO())
    mona = get_user_model().objects.get(username="mona")
    assert mona.is_staff
    assert mona.has_perm("articles.tag_article")
    assert not mona.has_perm("articles.change_article")


@pytest.mark.parametrize("stories_tagged", [1, 10])
def test_story_page_query_count_does_not_grow_with_its_history(
    moderator_client, moderator, django_assert_max_num_queries, stories_tagged
):
    article = ArticleFactory()
    for code in ["KZ", "CN", "UZ", "RU", "MN", "TJ", "TM", "KG", "PK", "IR"][
        :stories_tagged
    ]:
        services.tag_add(country(code), articles=[article], by=moderator)
    with django_assert_max_num_queries(15):
        assert moderator_client.get(change_url(article)).status_code == 200


def test_moderator_renames_a_topic_in_another_language(moderator_client):
    mining = TopicFactory(slug="mining", name="Bergbau", names={"en": "Mining"})
    response = moderator_client.post(
        topic_url(mining),
        topic_form(mining, names='{"en": "Mining industry", "ru": "Горное дело"}'),
    )
    assert response.status_code == 302
    mining.refresh_from_db()
    assert mining.names == {"en": "Mining industry", "ru": "Горное дело"}
    assert mining.aliases.filter(name="Mining", language="en").exists()
    details = set(mining.events.values_list("detail", flat=True))
    assert details == {"Mining → Mining industry", "– → Горное дело"}


def test_editor_bulk_tags_and_merges_like_a_moderator(editor_client, editor):
    article = ArticleFactory()
    editor_client.post(
        LIST_URL,
        {
            "action": "tags_add",
            "_selected_action": [article.pk],
            "country": "KZ",
            "apply": "1",
        },
    )
    duplicate = TopicFactory(slug="silk-road", name="Seidenstraße", names={})
    bri = Topic.objects.get(slug="bri")
    editor_client.post(
        TOPICS_URL,
        {
            "action": "merge_topics",
            "_selected_action": [duplicate.pk],
            "into": bri.pk,
            "apply": "1",
        },
    )
    assert tag_codes(article) == ["KZ"]
    assert not Topic.objects.filter(slug="silk-road").exists()
    assert set(TagEvent.objects.values_list("action", "by")) == {
        ("added", editor.pk),
        ("merged", editor.pk),
    }


def test_editor_reviews_suggestions(editor_client, editor):
    article = suggested_story()
    editor_client.post(review_url(article), {"reject": suggestion(article, "KZ").pk})
    assert suggestion(article, "KZ").decided_by == editor

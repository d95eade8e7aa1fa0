import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    SectionFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
LIST_URL = reverse("admin:articles_article_changelist")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def form_data(**overrides):
    section = overrides.pop("section", None) or SectionFactory(name="Aktuelles")
    data = {
        "headline": "Gipfel in Samarkand",
        "slug": "gipfel-in-samarkand",
        "standfirst": "",
        "body": "<p>Text</p>",
        "lead_image_alt": "",
        "lead_image_caption": "",
        "lead_image_credit": "",
        "section": section.pk,
        "source": "",
        "byline": "",
        "language": "de",
        "translation_of": "",
        "published_at_0": "",
        "published_at_1": "",
    }
    data.update(overrides)
    return data


def post_change(client, article, **overrides):
    """Save `article`'s change form as opened now, with `overrides`."""
    overrides.setdefault("base_revision", article.revision)
    return client.post(
        change_url(article),
        form_data(section=article.section, slug=article.slug, **overrides),
    )


def png_upload(name="lead.png", size=(120, 80)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "orange").save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = name
    return buffer


def test_editor_creates_a_story_with_tags(editor_client, editor):
    topic = TopicFactory(slug="sco", name="SOZ")
    response = editor_client.post(
        ADD_URL, form_data(countries=["KZ", "CN"], topics=[topic.pk])
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert article.created_by == editor
    assert article.updated_by == editor
    assert sorted(article.countries.values_list("code", flat=True)) == ["CN", "KZ"]
    assert list(article.topics.all()) == [topic]


def test_editor_edits_a_story(editor_client):
    article = ArticleFactory(status="draft", published_at=None)
    response = editor_client.post(
        change_url(article),
        form_data(
            section=article.section,
            headline="Neu",
            slug=article.slug,
            base_revision=article.revision,
        ),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "Neu"


@pytest.mark.parametrize(
    ("body", "forbidden"),
    [
        ("<p>ok</p><script>alert(1)</script>", "<script"),
        ('<p onclick="alert(1)">ok</p>', "onclick"),
        ('<p><a href="javascript:alert(1)">ok</a></p>', "javascript:"),
        ('<p>ok<img src=x onerror="alert(1)"></p>', "onerror"),
    ],
)
def test_admin_body_is_sanitised_on_the_server(editor_client, body, forbidden):
    editor_client.post(ADD_URL, form_data(body=body))
    stored = Article.objects.get().body
    assert forbidden not in stored.lower()
    assert "ok" in stored


def test_publish_button_on_a_new_story_publishes_it_now(editor_client):
    response = editor_client.post(ADD_URL, form_data(_transition="publish"))
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == "published"
    assert article.is_public


def test_lead_image_upload_is_stored(editor_client):
    response = editor_client.post(
        ADD_URL, form_data(lead_image=png_upload(), lead_image_alt="Ein Bild")
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.lead_image.name.endswith(".png")
    assert (article.lead_image_width, article.lead_image_height) == (120, 80)
    response = editor_client.get(change_url(article))
    assert article.lead_image.url in response.content.decode()


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"GIF89a but really just text", "not an image"),
        (b"%PDF-1.4 fake", "not an image"),
    ],
)
def test_fake_image_is_a_form_error_and_nothing_is_stored(
    editor_client, payload, message, settings
):
    fake = io.BytesIO(payload)
    fake.name = "photo.jpg"
    response = editor_client.post(ADD_URL, form_data(lead_image=fake))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["lead_image"]
    assert errors
    assert not Article.objects.exists()
    assert not list((settings.MEDIA_ROOT).glob("**/*.jpg"))


def test_truncated_image_is_a_form_error(editor_client):
    whole = png_upload(size=(300, 200)).getvalue()
    truncated = io.BytesIO(whole[: len(whole) // 2])
    truncated.name = "photo.png"
    response = editor_client.post(ADD_URL, form_data(lead_image=truncated))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["lead_image"]
    assert not Article.objects.exists()


def test_publish_action(editor_client):
    article = ArticleFactory(status="draft", published_at=None)
    editor_client.post(
        LIST_URL, {"action": "workflow_publish", "_selected_action": [article.pk]}
    )
    article.refresh_from_db()
    assert article.status == "published"
    assert article.published_at is not None
    assert article.is_public


def test_publish_action_keeps_a_scheduled_time(editor_client):
    later = timezone.now() + datetime.timedelta(days=1)
    article = ArticleFactory(status="review", published_at=later)
    editor_client.post(
        LIST_URL, {"action": "workflow_publish", "_selected_action": [article.pk]}
    )
    article.refresh_from_db()
    assert article.is_scheduled
    assert article.published_at == later


def test_unpublish_action(editor_client):
    article = ArticleFactory()
    editor_client.post(
        LIST_URL, {"action": "workflow_unpublish", "_selected_action": [article.pk]}
    )
    article.refresh_from_db()
    assert article.status == "draft"
    assert not Article.objects.published().exists()


def test_staff_without_publish_permission_cannot_publish(client):
    from django.contrib.auth.models import Permission

    writer = UserFactory(is_staff=True)
    writer.user_permissions.set(
        Permission.objects.filter(
            codename__in=["change_article", "view_article", "add_article"]
        )
    )
    client.force_login(writer)
    article = ArticleFactory(status="draft", published_at=None)
    response = client.post(
        LIST_URL, {"action": "workflow_publish", "_selected_action": [article.pk]}
    )
    assert response.status_code in (200, 302)
    article.refresh_from_db()
    assert article.status == "draft"
    response = client.post(
        change_url(article),
        form_data(
            section=article.section,
            slug=article.slug,
            base_revision=article.revision,
            _transition="publish",
            published_at_0="2022-09-16",
            published_at_1="10:00",
        ),
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.status == "draft"


def test_list_shows_columns_with_zone_and_tag_count(editor_client):
    topic = TopicFactory()
    ArticleFactory(
        headline="Gipfel",
        published_at=datetime.datetime(2022, 9, 16, 8, 0, tzinfo=datetime.UTC),
        countries=["KZ", "CN"],
        topics=[topic],
        source=SourceFactory(short_name="CRI"),
    )
    response = editor_client.get(LIST_URL)
    html = response.content.decode()
    assert "16.09.2022 10:00 CEST" in html
    assert '<td class="field-tag_count">3</td>' in html
    assert "CRI" in html


def test_list_query_count_does_not_grow(editor_client, django_assert_max_num_queries):
    section = SectionFactory()
    for _ in range(30):
        ArticleFactory(section=section, countries=["KZ"])
    with django_assert_max_num_queries(20):
        editor_client.get(LIST_URL)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=draft", {"Entwurf"}),
        ("language__exact=en", {"English"}),
        ("country=KZ", {"Kasachstan"}),
        ("q=Samarkand", {"Body"}),
    ],
)
def test_list_filters_and_search(editor_client, query, expected):
    ArticleFactory(headline="Entwurf", status="draft", published_at=None)
    ArticleFactory(headline="English", language="en")
    ArticleFactory(headline="Kasachstan", countries=["KZ"])
    ArticleFactory(headline="Body", body="<p>Flug nach Samarkand</p>")
    response = editor_client.get(f"{LIST_URL}?{query}")
    shown = {article.headline for article in response.context["cl"].result_list}
    assert shown == expected


def test_filter_by_topic_and_section(editor_client):
    topic = TopicFactory(slug="bri")
    section = SectionFactory()
    ArticleFactory(headline="Mit Thema", topics=[topic])
    ArticleFactory(headline="In Rubrik", section=section)
    response = editor_client.get(f"{LIST_URL}?topic={topic.pk}")
    assert [a.headline for a in response.context["cl"].result_list] == ["Mit Thema"]
    response = editor_client.get(f"{LIST_URL}?section__id__exact={section.pk}")
    assert [a.headline for a in response.context["cl"].result_list] == ["In Rubrik"]


def test_view_on_site_only_for_public_stories(editor_client):
    public = ArticleFactory()
    draft = ArticleFactory(status="draft", published_at=None)
    assert (
        public.get_absolute_url()
        in editor_client.get(change_url(public)).content.decode()
    )
    assert "viewsitelink" not in editor_client.get(change_url(draft)).content.decode()


def test_country_autocomplete_matches_names_in_every_language(editor_client):
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Kazakh",
            "app_label": "articles",
            "model_name": "article",
            "field_name": "countries",
        },
    )
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == ["KZ"]


@pytest.mark.parametrize("field", ["section", "source", "translation_of", "topics"])
def test_autocomplete_answers_for_each_relation(editor_client, field):
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "a",
            "app_label": "articles",
            "model_name": "article",
            "field_name": field,
        },
    )
    assert response.status_code == 200


def test_anonymous_is_sent_to_login(client):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_an_empty_slug_is_made_from_the_headline_as_imports_make_it(editor_client):
    response = editor_client.post(
        ADD_URL, form_data(headline="Neue Brücke über den Ili", slug="")
    )
    assert response.status_code == 302
    assert Article.objects.get().slug == "neue-bruecke-ueber-den-ili"


def test_an_empty_slug_taken_by_another_story_is_refused_with_a_message(
    editor_client,
):
    ArticleFactory(headline="Andere", slug="gipfel-in-samarkand", language="de")
    response = editor_client.post(ADD_URL, form_data(slug=""))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert Article.objects.count() == 1


def test_german_admin_translates_the_texts_django_leaves_in_english(
    editor_client, settings
):
    settings.LANGUAGE_CODE = "de"
    ArticleFactory()
    html = editor_client.get(LIST_URL, headers={"accept-language": "de"}).text
    assert ">Ausführen</button>" in html
    assert "Nach Veröffentlichungszeit filtern" in html
    assert "Meldungen durchsuchen" in html


def test_the_queue_counts_its_stories_in_plain_german(moderator_client, settings):
    settings.LANGUAGE_CODE = "de"
    ArticleFactory.create_batch(2)
    html = moderator_client.get(
        reverse("admin:articles_moderationitem_changelist"),
        headers={"accept-language": "de"},
    ).text
    assert "2 Meldungen in der Warteschlange" in " ".join(html.split())

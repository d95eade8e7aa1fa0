from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from articles import services
from articles.models import Article, Topic, TopicRedirect
from articles.plaintext import parse_story
from tests.factories import ArticleFactory, TopicFactory, UserFactory

SEED = Path(settings.BASE_DIR) / "demo" / "stories" / "000_174494c28651cc06.txt"
PASSWORD = "correct horse battery staple"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def moderator_account(db):
    user = UserFactory(username="mona", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def test_moderator_clears_the_seed_story_and_merges_a_duplicate_topic(
    live_server, page, moderator_account
):
    story, _created = services.article_import_text(parse_story(SEED.read_bytes()))
    duplicate = TopicFactory(slug="silk-road", name="Neue Seidenstraßen-Route")
    other = ArticleFactory(headline="Eine andere Meldung", topics=[duplicate])
    bri = Topic.objects.get(slug="bri")

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "mona")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/articles/moderationitem/")
    page.get_by_role("link", name=story.headline).click()
    suggestions = page.locator("#suggestions tbody tr")
    assert suggestions.count() >= 6
    page.locator("input[name=_accept_selected]").click()
    page.wait_for_url(f"{live_server.url}/admin/articles/moderationitem/")

    tagged = Article.objects.get(pk=story.pk)
    assert {"CN", "KZ"} <= set(tagged.countries.values_list("code", flat=True))
    assert {"bri", "sco", "digital-economy", "green-energy"} <= set(
        tagged.topics.values_list("slug", flat=True)
    )
    assert story.headline not in page.content()

    page.goto(f"{live_server.url}/admin/articles/topic/")
    page.locator(f"input[name=_selected_action][value='{duplicate.pk}']").check()
    page.select_option("select[name=action]", "merge_topics")
    page.locator("button[name=index]").click()
    page.select_option("select[name=into]", str(bri.pk))
    page.locator("input[name=apply]").click()
    page.wait_for_url(f"{live_server.url}/admin/articles/topic/")

    assert not Topic.objects.filter(slug="silk-road").exists()
    assert list(other.topics.values_list("slug", flat=True)) == ["bri"]
    assert TopicRedirect.objects.get(old_slug="silk-road").topic == bri
    assert bri.aliases.filter(name="Neue Seidenstraßen-Route").exists()

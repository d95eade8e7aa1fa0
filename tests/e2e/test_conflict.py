"""Two editors in two browsers save the same story: the second is refused."""

import pytest
import reversion
from django.contrib.auth.models import Group
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def editor_named(username):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def new_context(browser):
    """Browser contexts closed before the live server stops serving."""
    contexts = []

    def make():
        contexts.append(browser.new_context(locale="en-GB"))
        return contexts[-1]

    yield make
    for context in contexts:
        context.close()


def logged_in_page(new_context, live_server, username):
    page = new_context().new_page()
    page.goto(f"{live_server.url}{reverse('admin:login')}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}{reverse('admin:index')}")
    return page


def test_second_editors_stale_save_is_refused_and_keeps_their_text(
    new_context, live_server
):
    editor_named("anna")
    editor_named("bert")
    article = ArticleFactory(
        headline="Ausgangsfassung", status="draft", published_at=None
    )
    with reversion.create_revision():
        article.save()
    url = f"{live_server.url}{reverse('admin:articles_article_change', args=[article.pk])}"
    anna = logged_in_page(new_context, live_server, "anna")
    bert = logged_in_page(new_context, live_server, "bert")
    anna.goto(url)
    bert.goto(url)

    anna.fill("#id_headline", "Annas Fassung")
    anna.click("input[name=_save]")
    anna.wait_for_url(f"**{reverse('admin:articles_article_changelist')}**")

    bert.fill("#id_headline", "Berts Fassung")
    body = bert.locator("[contenteditable=true].ProseMirror")
    body.click()
    bert.keyboard.press("End")
    bert.keyboard.type(" Berts neuer Absatz.")
    bert.click("input[name=_save]")
    bert.wait_for_load_state()

    assert bert.get_by_text("Someone else saved this story").is_visible()
    assert bert.input_value("#id_headline") == "Berts Fassung"
    assert (
        "Berts neuer Absatz."
        in bert.locator("[contenteditable=true].ProseMirror").inner_text()
    )
    assert bert.locator(".editorial-conflict del", has_text="Ausgangsfassung").count()
    assert Article.objects.get().headline == "Annas Fassung"

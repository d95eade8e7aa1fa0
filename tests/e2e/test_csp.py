"""The Content-Security-Policy in a real browser: nothing the site needs is blocked."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def staff(transactional_db):
    # A superuser: the groups of the data migrations do not survive the
    # flushes between live-server tests.
    return UserFactory(username="chef", is_staff=True, is_superuser=True)


def log_in(page, live_server, client, user):
    """Carry a test-client session into the browser."""
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def collect_violations(page):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{message.text} at {message.location}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return violations


def test_admin_change_form_runs_its_scripts_under_the_policy(
    page, live_server, client, staff
):
    article = ArticleFactory(body="<p>Der Text der Meldung.</p>")
    log_in(page, live_server, client, staff)
    violations = collect_violations(page)
    page.goto(
        live_server.url + reverse("admin:articles_article_change", args=[article.pk])
    )
    # The rich-text editor is built by its module script: it ran.
    editor_area = page.locator(".prose-editor .ProseMirror", has_text="Der Text")
    editor_area.wait_for(state="attached", timeout=10_000)
    # The admin's own script for the tag autocompletes ran too.
    page.locator(".select2-container").first.wait_for(state="attached", timeout=10_000)
    assert violations == []


def test_public_page_loads_without_policy_violations(page, live_server, db):
    ArticleFactory()
    violations = collect_violations(page)
    page.goto(live_server.url + reverse("articles:home"))
    assert page.locator("link[rel=stylesheet]").count() >= 1
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith(
        "Georgia"
    )
    assert violations == []


def test_admin_list_and_add_pages_load_without_policy_violations(
    page, live_server, client, staff
):
    ArticleFactory()
    log_in(page, live_server, client, staff)
    violations = collect_violations(page)
    for name in ["admin:index", "admin:articles_article_changelist"]:
        page.goto(live_server.url + reverse(name))
    page.goto(live_server.url + reverse("admin:articles_article_add"))
    page.locator(".prose-editor .ProseMirror").first.wait_for(
        state="attached", timeout=10_000
    )
    assert violations == []

import os
import re
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import caches
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import override_settings
from django.urls import reverse

from newsroom.cache import ResilientRedisCache
from tests.factories import ArticleFactory, UserFactory

PROJECT = Path(__file__).resolve().parent.parent


def csp_nonce(response):
    policy = response["Content-Security-Policy"]
    match = re.search(r"'nonce-([^']+)'", policy)
    return match.group(1) if match else None


def inline_tags(html, tag):
    """Opening tags of inline <script>/<style> elements that the browser runs."""
    for match in re.finditer(rf"<{tag}\b([^>]*)>", html):
        attributes = match.group(1)
        if "src=" in attributes or 'type="application/json"' in attributes:
            continue
        if 'type="application/ld+json"' in attributes:
            continue
        yield attributes


@pytest.mark.django_db
def test_public_page_sends_a_policy_without_unsafe_inline(client):
    policy = client.get(reverse("articles:home"))["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


@pytest.mark.django_db
def test_public_page_sends_the_other_security_headers(client):
    response = client.get(reverse("articles:home"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_admin_change_form_inline_scripts_carry_the_policy_nonce(editor_client):
    article = ArticleFactory()
    response = editor_client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    )
    html = response.content.decode()
    nonce = csp_nonce(response)
    assert nonce
    assert 'type="importmap"' in html
    scripts = list(inline_tags(html, "script"))
    assert scripts
    assert all(f'nonce="{nonce}"' in attributes for attributes in scripts)
    assert all(f'nonce="{nonce}"' in attrs for attrs in inline_tags(html, "style"))


def test_admin_change_form_has_no_style_attributes(editor_client):
    article = ArticleFactory()
    html = editor_client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()
    assert " style=" not in html


@pytest.mark.django_db
def test_healthz_answers_without_a_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def login(client, username, password):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
    )


@pytest.mark.django_db
def test_repeated_failed_logins_lock_the_account_out(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="anna", is_staff=True)
    for _ in range(3):
        login(client, "anna", "wrong")
    response = login(client, "anna", "correct horse battery staple")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Zu viele fehlgeschlagene Anmeldungen" in html
    assert "in 15 Minuten noch einmal" in html


@pytest.mark.django_db
def test_locked_out_address_cannot_try_another_account(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="bert", is_staff=True)
    for name in ["x", "y", "z"]:
        login(client, name, "wrong")
    response = login(client, "bert", "correct horse battery staple")
    assert response.status_code == 429


@pytest.mark.django_db
def test_fewer_failures_than_the_limit_still_let_the_editor_in(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="carl", is_staff=True)
    login(client, "carl", "wrong")
    response = login(client, "carl", "correct horse battery staple")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


@pytest.fixture
def database_down(db):
    """Every query fails the way a stopped PostgreSQL makes it fail."""
    refused = OperationalError("connection refused")
    with (
        mock.patch.object(CursorWrapper, "execute", side_effect=refused),
        mock.patch.object(CursorWrapper, "executemany", side_effect=refused),
    ):
        yield


@pytest.mark.django_db
def test_reader_gets_the_503_page_while_the_database_is_down(client, database_down):
    response = client.get(reverse("articles:home"))
    assert response.status_code == 503
    assert response["Retry-After"]
    html = response.content.decode()
    assert "Nachrichtenverbund der Seidenstraßen-Initiative" in html
    assert "Gleich wieder da" in html


def test_editor_saving_while_the_database_is_down_keeps_the_text(
    editor_client, database_down
):
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        {"headline": "Neue Meldung", "body": "<p>Mein langer Text & mehr</p>"},
    )
    html = response.content.decode()
    assert response.status_code == 503
    assert "nicht gespeichert" in html
    assert "Neue Meldung" in html
    assert "&lt;p&gt;Mein langer Text &amp; mehr&lt;/p&gt;" in html


def test_the_503_page_never_echoes_a_password(client, database_down):
    response = client.post(
        reverse("admin:login"), {"username": "anna", "password": "geheim123"}
    )
    assert response.status_code == 503
    assert "geheim123" not in response.content.decode()


def test_unreachable_redis_reads_as_an_empty_cache():
    cache = ResilientRedisCache(
        "redis://127.0.0.1:1/0",
        {"OPTIONS": {"socket_connect_timeout": 0.2, "retry_after": 60}},
    )
    cache.set("key", "value")
    assert cache.get("key", "missing") == "missing"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("key", "value") is False


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs a Redis at REDIS_URL"
)
def test_reachable_redis_caches():
    cache = caches["default"]
    cache.set("production-check", "value")
    assert cache.get("production-check") == "value"


@override_settings(ADMIN_URL="redaktion/")
def test_admin_answers_at_the_configured_path(client, db):
    import importlib

    from django.urls import clear_url_caches

    import newsroom.urls

    try:
        importlib.reload(newsroom.urls)
        clear_url_caches()
        assert reverse("admin:index") == "/redaktion/"
        assert client.get("/redaktion/").status_code == 302
        assert client.get("/admin/").status_code == 404
    finally:
        with override_settings(ADMIN_URL="admin/"):
            importlib.reload(newsroom.urls)
        clear_url_caches()


@pytest.mark.django_db
def test_test_client_login_still_works_with_throttling_on(client):
    UserFactory(username="dora", is_staff=True)
    assert client.login(username="dora", password="correct horse battery staple")

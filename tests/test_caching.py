import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from articles.caching import cache_public, public_max_age
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_max_age_is_the_default_without_scheduled_stories():
    ArticleFactory()
    assert public_max_age(300) == 300


def test_max_age_ends_at_the_next_scheduled_publication():
    ArticleFactory(published_at=timezone.now() + datetime.timedelta(seconds=90))
    assert 85 <= public_max_age(300) <= 90


def test_drafts_with_a_future_time_do_not_shorten_the_lifetime():
    ArticleFactory(
        status="draft", published_at=timezone.now() + datetime.timedelta(seconds=30)
    )
    assert public_max_age(300) == 300


def test_decorator_marks_anonymous_responses_public():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    response = cache_public(lambda request: HttpResponse("ok"))(request)
    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]


def test_max_age_ends_at_the_next_expiry():
    ArticleFactory(expires_at=timezone.now() + datetime.timedelta(seconds=60))
    assert 55 <= public_max_age(300) <= 60


def test_max_age_ends_at_the_earlier_of_publication_and_expiry():
    now = timezone.now()
    ArticleFactory(expires_at=now + datetime.timedelta(seconds=200))
    ArticleFactory(published_at=now + datetime.timedelta(seconds=100))
    assert 95 <= public_max_age(300) <= 100


def test_expired_and_trashed_stories_do_not_shorten_the_lifetime():
    now = timezone.now()
    ArticleFactory(
        published_at=now - datetime.timedelta(hours=2),
        expires_at=now - datetime.timedelta(hours=1),
    )
    ArticleFactory(published_at=now + datetime.timedelta(seconds=30), deleted_at=now)
    assert public_max_age(300) == 300

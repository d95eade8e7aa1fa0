"""
How long a public response may be cached, and the server's own page cache.

A scheduled story must appear on its minute, and an expiring one vanish on
its minute, with no cron: so no lifetime reaches past the next scheduled
publication or expiry, and caches end exactly when the public content
changes.

The page cache keeps each anonymous reader's page, rendered, in the shared
cache. A page is served from there only while the content's generation it
was rendered under is current (one primary-key read); any write to public
content, from any process, makes every kept page old at once. When the
database does not answer, kept pages are still served.
"""

import contextvars
import functools
import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db.models import Subquery
from django.http import HttpResponse
from django.middleware.http import ConditionalGetMiddleware
from django.utils import timezone
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.decorators import decorator_from_middleware
from django.utils.functional import cached_property
from django.utils.http import parse_http_date_safe
from django.utils.translation import get_language

from articles.models import Article, generation
from newsroom.middleware import DATABASE_DOWN

logger = logging.getLogger(__name__)

DEFAULT_MAX_AGE = 300


def _soonest(queryset, field):
    return Subquery(queryset.order_by(field).values(field)[:1])


def next_public_change_at():
    """
    When the public content next changes by the clock alone: the next
    scheduled publication or expiry, whichever comes first; or None. Every
    cacheable response asks, so it is one query of two index look-ups, not
    a scan of the stories.
    """
    times = (
        Article.objects.annotate(
            publication=_soonest(Article.objects.scheduled(), "published_at"),
            expiry=_soonest(Article.objects.expiring(), "expires_at"),
        )
        # Any one row carries the two look-ups; in no order, the first will do.
        .order_by()
        .values("publication", "expiry")[:1]
    )
    times = next(iter(times), None)
    if times is None:
        return None
    return min(filter(None, times.values()), default=None)


class ContentState:
    """
    The public content's generation and its next change by the clock, each
    read once when first asked: a request reads them once however many
    remembered values and headers ask.
    """

    @cached_property
    def generation(self):
        return generation.current()

    @cached_property
    def next_change_at(self):
        return next_public_change_at()


_request_state = contextvars.ContextVar("public_content_state", default=None)


def content_state():
    """The current request's ContentState; a fresh one outside requests."""
    return _request_state.get() or ContentState()


def public_max_age(default=DEFAULT_MAX_AGE):
    """
    Seconds a public page may be kept: `default`, cut at the next scheduled
    publication or expiry.
    """
    upcoming = content_state().next_change_at
    if upcoming is None:
        return default
    seconds = int((upcoming - timezone.now()).total_seconds())
    return max(0, min(default, seconds))


def cache_public(view=None, *, max_age=DEFAULT_MAX_AGE):
    """
    Mark a view's successful responses cacheable by browsers and CDNs, never
    past the next scheduled publication. Pages differ by language (in the
    URL) and by cookie-free content only.
    """

    def decorator(view_func):
        @functools.wraps(view_func)
        def wrapper(request, *args, **kwargs):
            token = _request_state.set(ContentState())
            try:
                return serve(request, *args, **kwargs)
            finally:
                _request_state.reset(token)

        def serve(request, *args, **kwargs):
            key = page_key(request)
            if key is None:
                response = view_func(request, *args, **kwargs)
                mark_cacheable(response, request, max_age)
                return response
            kept = cache.get(key)
            try:
                current = content_state().generation
            except DATABASE_DOWN:
                if kept is None:
                    raise
                logger.warning("Database unavailable; serving kept %s", request.path)
                return kept_response(kept, request)
            if fresh(kept, current):
                return kept_response(kept, request)
            response = view_func(request, *args, **kwargs)
            lifetime = mark_cacheable(response, request, max_age)
            if lifetime and current is not None:
                keep(key, response, request, current, lifetime)
            return response

        return wrapper

    return decorator(view) if view is not None else decorator


def remember(key, compute):
    """
    compute()'s value, kept in the cache for as long as the public content
    it was computed from is current: for counts and lists that read many
    stories and change only when the content does.
    """
    key = "remember:" + hashlib.sha256(key.encode()).hexdigest()
    current = content_state().generation
    kept = cache.get(key)
    if fresh(kept, current):
        return kept["value"]
    value = compute()
    lifetime = public_max_age()
    if current is not None and lifetime:
        store(key, current, lifetime, value=value)
    return value


def store(key, current, lifetime, **entry):
    """Keep `entry` for `lifetime` seconds, as made under generation `current`."""
    cache.set(
        key, {"generation": current, "until": time.time() + lifetime, **entry}, lifetime
    )


def fresh(kept, current):
    """
    Whether a kept entry still stands: made under the current generation,
    and its lifetime not run out (checked here too, to the second's
    fraction, whatever the cache backend's own expiry does).
    """
    return (
        kept is not None
        and kept["generation"] == current
        and kept["until"] > time.time()
    )


def mark_cacheable(response, request, max_age):
    """
    Set the response's Cache-Control and Vary; the seconds it may be kept,
    or 0 when it is private.
    """
    lifetime = 0
    if response.status_code in (200, 304) and not request.user.is_authenticated:
        lifetime = public_max_age(max_age)
        patch_cache_control(response, public=True, max_age=lifetime)
    else:
        patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Accept-Language"])
    return lifetime


def page_key(request):
    """
    The page cache's key for this request, or None when the page is not to
    be kept: a signed-in visitor (or anyone with a session), or not a GET.
    """
    if not settings.NEWSROOM_PAGE_CACHE or request.method not in ("GET", "HEAD"):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None
    # Pages name their own absolute URL, so the host and scheme count too.
    address = request.build_absolute_uri()
    digest = hashlib.sha256(f"{get_language()}|{address}".encode()).hexdigest()
    return f"page:{digest}"


def keep(key, response, request, current, lifetime):
    """Keep a rendered page, unless it sets cookies or is not a plain page."""
    if request.method != "GET" or response.status_code != 200:
        return
    if response.streaming or response.cookies:
        return
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return
    if hasattr(response, "render"):
        response.render()
    store(
        key,
        current,
        lifetime,
        content=response.content,
        headers=dict(response.headers),
    )


def kept_response(kept, request):
    """
    A kept page, with a Cache-Control lifetime cut to what is left of it;
    304 when the reader's copy is still the kept one.
    """
    response = HttpResponse(kept["content"], headers=kept["headers"])
    left = max(0, int(kept["until"] - time.time()))
    patch_cache_control(response, max_age=left)
    return get_conditional_response(
        request,
        etag=response.headers.get("ETag"),
        last_modified=parse_http_date_safe(response.headers.get("Last-Modified", "")),
        response=response,
    )


conditional_get = decorator_from_middleware(ConditionalGetMiddleware)


def cache_public_conditional(view):
    """`cache_public`, plus an ETag and 304 answers to conditional GETs."""
    return conditional_get(cache_public(view))

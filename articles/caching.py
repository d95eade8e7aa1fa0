"""
How long a public response may be cached. A scheduled story must appear on
its minute, and an expiring one vanish on its minute, with no cron: so no
lifetime reaches past the next scheduled publication or expiry, and caches
end exactly when the public content changes.
"""

import functools

from django.db.models import Subquery
from django.middleware.http import ConditionalGetMiddleware
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.decorators import decorator_from_middleware

from articles.models import Article

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
        .values("publication", "expiry")
        .first()
    )
    if times is None:
        return None
    return min(filter(None, times.values()), default=None)


def public_max_age(default=DEFAULT_MAX_AGE):
    """
    Seconds a public page may be kept: `default`, cut at the next scheduled
    publication or expiry.
    """
    upcoming = next_public_change_at()
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
            response = view_func(request, *args, **kwargs)
            if response.status_code in (200, 304) and not request.user.is_authenticated:
                patch_cache_control(
                    response, public=True, max_age=public_max_age(max_age)
                )
            else:
                patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ["Accept-Language"])
            return response

        return wrapper

    return decorator(view) if view is not None else decorator


conditional_get = decorator_from_middleware(ConditionalGetMiddleware)


def cache_public_conditional(view):
    """`cache_public`, plus an ETag and 304 answers to conditional GETs."""
    return conditional_get(cache_public(view))

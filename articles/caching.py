"""
How long a public response may be cached. A scheduled story must appear on
its minute with no cron, so no lifetime reaches past the next scheduled
publication: caches expire exactly when the public content changes.
"""

import functools

from django.middleware.http import ConditionalGetMiddleware
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.decorators import decorator_from_middleware

from articles.models import Article

DEFAULT_MAX_AGE = 300


def next_publication_at():
    """When the next scheduled story goes public, or None."""
    return (
        Article.objects.scheduled()
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )


def public_max_age(default=DEFAULT_MAX_AGE):
    """Seconds a public page may be kept: `default`, cut at the next publication."""
    upcoming = next_publication_at()
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

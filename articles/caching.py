"""
How long a public response may be cached. A scheduled story must appear on
its minute, and an expiring one vanish on its minute, with no cron: so no
lifetime reaches past the next scheduled publication or expiry, and caches
end exactly when the public content changes.
"""

import functools

from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers

from articles.models import Article

DEFAULT_MAX_AGE = 300


def _earliest(queryset, field):
    return queryset.order_by(field).values_list(field, flat=True).first()


def next_publication_at():
    """When the next scheduled story goes public, or None."""
    return _earliest(Article.objects.scheduled(), "published_at")


def next_expiry_at():
    """When the next public story with an expiry time leaves the site, or None."""
    return _earliest(Article.objects.expiring(), "expires_at")


def next_public_change_at():
    """When the public content next changes by the clock alone, or None."""
    times = [when for when in (next_publication_at(), next_expiry_at()) if when]
    return min(times, default=None)


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
            if response.status_code == 200 and not request.user.is_authenticated:
                patch_cache_control(
                    response, public=True, max_age=public_max_age(max_age)
                )
            else:
                patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ["Accept-Language"])
            return response

        return wrapper

    return decorator(view) if view is not None else decorator

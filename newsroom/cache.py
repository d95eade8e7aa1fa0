"""
A Redis cache that an outage cannot break.

Django's RedisCache raises when Redis does not answer, which turns a cache
outage into a site outage. This backend answers like an empty cache instead:
reads miss, writes are dropped, and after a failure it leaves Redis alone for
`retry_after` seconds so that every request does not wait for a timeout.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (ConnectionError, TimeoutError, OSError)


def _degrades_to(fallback):
    """Run the cache operation, or return `fallback(args)` while Redis is away."""

    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if time.monotonic() < self._unreachable_until:
                return fallback(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as error:
                self._unreachable_until = time.monotonic() + self._retry_after
                logger.warning(
                    "Redis cache unreachable, serving without it for %ss: %s",
                    self._retry_after,
                    error,
                )
                return fallback(*args, **kwargs)

        return wrapper

    return decorator


def _default(key, default=None, *args, **kwargs):
    return default


def _nothing(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _empty(*args, **kwargs):
    return {}


def _no_keys(keys, *args, **kwargs):
    return list(keys)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self._retry_after = options.pop("retry_after", 5)
        super().__init__(server, {**params, "OPTIONS": options})
        self._unreachable_until = 0.0

    get = _degrades_to(_default)(RedisCache.get)
    set = _degrades_to(_nothing)(RedisCache.set)
    add = _degrades_to(_false)(RedisCache.add)
    touch = _degrades_to(_false)(RedisCache.touch)
    delete = _degrades_to(_false)(RedisCache.delete)
    has_key = _degrades_to(_false)(RedisCache.has_key)
    get_many = _degrades_to(_empty)(RedisCache.get_many)
    set_many = _degrades_to(_no_keys)(RedisCache.set_many)
    delete_many = _degrades_to(_nothing)(RedisCache.delete_many)
    clear = _degrades_to(_false)(RedisCache.clear)

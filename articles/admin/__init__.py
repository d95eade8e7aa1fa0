"""The admin: one module a screen family; importing them registers them."""

from . import article, moderation, taxonomy, vocabulary  # noqa: F401

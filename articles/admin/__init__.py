"""The admin: one module a screen family; importing them registers them."""

from . import article, moderation, queue, taxonomy, vocabulary, vocabulary_care  # noqa: F401

"""
Stories are kept under django-reversion with their country and topic links,
so every version holds the tags it had and a restore brings them back.
"""

import reversion

from .article import Article, TaggedCountry, TaggedTopic

TAG_RELATIONS = ("tagged_countries", "tagged_topics")

reversion.register(TaggedCountry)
reversion.register(TaggedTopic)
reversion.register(Article, follow=TAG_RELATIONS)

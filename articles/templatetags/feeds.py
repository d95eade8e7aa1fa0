from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language

from articles.models import Country, Section, Topic

register = template.Library()

# The feeds' URL names and the keyword their URLs take, by listing.
FEED_ROUTES = {
    Section: ("section_feed", "path"),
    Country: ("country_feed", "slug"),
    Topic: ("topic_feed", "slug"),
}


@register.inclusion_tag("includes/feed_links.html")
def feed_links(listing=None):
    """
    Autodiscovery links for the RSS and Atom feeds of `listing` (a section,
    country or topic), or of the edition without one:
    `{% block feeds %}{% feed_links section %}{% endblock feeds %}`.
    """
    if listing is None or type(listing) not in FEED_ROUTES:
        return {
            "feed_title": settings.NEWSROOM_SITE_NAME,
            "rss_url": reverse("articles:feed"),
            "atom_url": reverse("articles:feed_atom"),
        }
    name, keyword = FEED_ROUTES[type(listing)]
    kwargs = {keyword: getattr(listing, keyword)}
    return {
        "feed_title": listing.name_in(get_language()),
        "rss_url": reverse(f"articles:{name}", kwargs=kwargs),
        "atom_url": reverse(f"articles:{name}_atom", kwargs=kwargs),
    }

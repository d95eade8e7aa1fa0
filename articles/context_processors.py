from django.conf import settings


def edition(request):
    """The edition's names, for every template."""
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "network_names": settings.NEWSROOM_NETWORK_NAMES,
    }

import math
import sys

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.views import defaults
from django.views.decorators.cache import never_cache

from newsroom.middleware import DATABASE_DOWN, database_unavailable


@never_cache
def healthz(request):
    """The app server answers: touches neither database nor cache."""
    return HttpResponse("ok", content_type="text/plain")


def server_error(request):
    """
    A database that stopped answering is a 503, wherever it was noticed
    (a middleware saving a session, say); anything else is Django's 500.
    """
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        return database_unavailable(request)
    return defaults.server_error(request)


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login: how long, in plain words."""
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": minutes,
        "site_header": settings.NEWSROOM_SITE_NAME,
    }
    return render(request, "admin/lockout.html", context, status=429)

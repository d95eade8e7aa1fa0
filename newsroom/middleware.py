import logging

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# Form fields never echoed back on the 503 page.
SECRET_FIELDS = ("csrfmiddlewaretoken", "password")
# Seconds after which a client may try again.
RETRY_AFTER = 30
DATABASE_DOWN = (OperationalError, InterfaceError)
PLAIN_503 = (
    "<!doctype html><title>503</title><h1>Service unavailable</h1>"
    "<p>Please try again in a minute.</p>"
)


class PermissionsPolicyMiddleware:
    """Send the Permissions-Policy header built from settings.PERMISSIONS_POLICY."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class DatabaseUnavailableMiddleware:
    """
    Answer 503 in the site's look when the database does not answer, instead
    of a 500. Nothing here may touch the database: the page is rendered
    without context processors (some of them query), and what an editor sent
    is put back into a form on the page so no text is lost.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN):
            logger.error("Database unavailable for %s: %s", request.path, exception)
            return database_unavailable(request)
        return None


def database_unavailable(request):
    """The 503 page, rendered without a single query."""
    # Templates that greet the signed-in user must not look them up now.
    request.user = AnonymousUser()
    context = {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "request": request,
    }
    if request.method == "POST":
        context["unsaved"] = [
            (name, value)
            for name, values in request.POST.lists()
            if not any(secret in name for secret in SECRET_FIELDS)
            for value in values
        ]
        context["csrf_token_value"] = request.POST.get("csrfmiddlewaretoken", "")
    try:
        page = render_to_string("503.html", context)
    except Exception:  # the page of last resort must not fail
        logger.exception("The 503 page could not be rendered")
        page = PLAIN_503
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response

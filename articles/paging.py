"""
Paginators for listings of many stories, whose counts and pages are
remembered under the content's generation (see articles.caching).
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import get_language

from articles.caching import remember


class CountedPaginator(Paginator):
    """A paginator whose count is remembered under `count_key`."""

    def __init__(self, *args, count_key, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self):
        return remember(f"count|{self.count_key}", lambda: Paginator.count.func(self))


class ListingPaginator(CountedPaginator):
    """
    A paginator for long listings: the count and each page's ids are
    remembered while the content stays the same, and a page reads its ids
    off the index before it reads those stories' rows, however deep the page.
    """

    def _get_page(self, object_list, number, *args, **kwargs):
        if isinstance(object_list, QuerySet):
            whole = not object_list.query.values_select
            ids = remember(
                f"page|{self.count_key}|{number}",
                lambda: list(
                    object_list.values_list("pk", flat=True) if whole else object_list
                ),
            )
            object_list = self.object_list.in_order(ids) if whole else ids
        return super()._get_page(object_list, number, *args, **kwargs)


def listing_key(request, page_kwarg="page"):
    """What makes a listing this listing: language, path and filters."""
    query = sorted(
        (name, value)
        for name, values in request.GET.lists()
        if name != page_kwarg
        for value in values
    )
    return f"{get_language()}|{request.path}|{query}"

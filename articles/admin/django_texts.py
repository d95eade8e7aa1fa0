"""
Texts of Django's admin that Django 6.1's German catalogue leaves in
English. Marked here so makemessages keeps them in the project's catalogue,
which Django reads before its own; nothing imports this module.
"""

from django.utils.translation import gettext_noop

DJANGO_TEXTS = [
    gettext_noop("Filter by %(field_name)s"),  # admin/date_hierarchy.html
    gettext_noop("Run"),  # admin/actions.html
    gettext_noop("Search %(name)s"),  # admin/search_form.html, for screen readers
    gettext_noop("Pagination %(name)s"),  # admin/pagination.html, the same
    gettext_noop("- Select an option -"),  # the empty choice of select fields
]

"""How the admin writes times: always in the site's zone, with the zone named."""

from django.utils import formats, timezone
from django.utils.translation import pgettext


def local_time(value):
    """For lists and logs, as the admin's locale writes it: 16.09.2022 10:00 CEST."""
    if value is None:
        return "–"
    local = timezone.localtime(value)
    return f"{formats.date_format(local, 'SHORT_DATETIME_FORMAT')} {local.tzname()}"


def zoned_time(value):
    """For sentences: Fri 16 Sep 2022, 10:00 CEST."""
    local = timezone.localtime(value)
    # Translators: a format of Django's date filter; German: "D., j. N Y, H:i".
    time_format = pgettext("time with its zone", "D j M Y, H:i")
    return f"{formats.date_format(local, time_format)} {local.tzname()}"

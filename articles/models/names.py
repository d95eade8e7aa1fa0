"""The names a section or topic has in other languages, as {"en": "Trade"}."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NAME_MAX_LENGTH = 100

# Besides the site's languages, the vocabulary knows names in the languages
# stories quote and the tag matcher reads.
EXTRA_LANGUAGES = ["ru", "zh"]


def validate_names(value):
    """Refuse anything but an object of the site's language codes to names."""
    if not isinstance(value, dict):
        raise ValidationError(
            _('Enter language codes and names in braces, for example {"en": "Trade"}.'),
            code="invalid",
        )
    languages = [*(code for code, _name in settings.LANGUAGES), *EXTRA_LANGUAGES]
    for language, name in value.items():
        if language not in languages:
            raise ValidationError(
                _("“%(language)s” is not a language of the site; use %(languages)s."),
                code="invalid_language",
                params={"language": language, "languages": ", ".join(languages)},
            )
        if not isinstance(name, str) or not name.strip():
            raise ValidationError(
                _("The name in “%(language)s” must be text in quotes."),
                code="invalid_name",
                params={"language": language},
            )
        if len(name) > NAME_MAX_LENGTH:
            raise ValidationError(
                _("The name in “%(language)s” is longer than %(max)d characters."),
                code="too_long",
                params={"language": language, "max": NAME_MAX_LENGTH},
            )


def usable_names(value):
    """The text names of `value`, whatever was stored: bad entries are left out."""
    if not isinstance(value, dict):
        return {}
    return {
        language: name
        for language, name in value.items()
        if isinstance(name, str) and name.strip()
    }

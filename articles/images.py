"""Lead images: what an upload must be before anything is stored."""

import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError


def validate_image_upload(upload):
    """
    Raise ValidationError unless `upload` is a whole image of an allowed
    format within the size and pixel limits. Reads the header before
    decoding, so a decompression bomb is refused without being expanded.
    """
    if upload.size > settings.NEWSROOM_IMAGE_MAX_BYTES:
        raise ValidationError(
            _("The image is %(size)s; the limit is %(limit)s.")
            % {
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.NEWSROOM_IMAGE_MAX_BYTES),
            },
            code="too_large",
        )
    allowed = settings.NEWSROOM_IMAGE_FORMATS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload, formats=allowed) as image:
                width, height = image.size
                if width * height > settings.NEWSROOM_IMAGE_MAX_PIXELS:
                    raise ValidationError(
                        _(
                            "The image is %(width)s × %(height)s pixels; the limit "
                            "is %(limit)s million pixels."
                        )
                        % {
                            "width": width,
                            "height": height,
                            "limit": settings.NEWSROOM_IMAGE_MAX_PIXELS // 1_000_000,
                        },
                        code="too_many_pixels",
                    )
                image.verify()
            upload.seek(0)
            with Image.open(upload, formats=allowed) as image:
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("The image would expand to too many pixels to be processed safely."),
            code="bomb",
        ) from None
    except UnidentifiedImageError:
        raise ValidationError(
            _("The file is not an image in an allowed format (%(formats)s).")
            % {"formats": ", ".join(allowed)},
            code="not_an_image",
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(
            _("The image file is damaged or incomplete."), code="damaged"
        ) from None
    finally:
        upload.seek(0)

"""
Responsive renditions of lead images: each width in WebP and JPEG, made with
Pillow the first time a page asks for it and kept in the media storage, so
later requests only build URLs.
"""

import io
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

WIDTHS = (480, 800, 1200)
FORMATS = {"webp": ("WEBP", "image/webp"), "jpg": ("JPEG", "image/jpeg")}
QUALITY = 82


@dataclass
class Rendition:
    url: str
    width: int


@dataclass
class RenditionSet:
    """What a `<picture>` needs: a srcset per format and the fallback image."""

    webp: list
    jpeg: list
    width: int
    height: int

    @property
    def webp_srcset(self):
        return ", ".join(f"{r.url} {r.width}w" for r in self.webp)

    @property
    def jpeg_srcset(self):
        return ", ".join(f"{r.url} {r.width}w" for r in self.jpeg)

    @property
    def fallback(self):
        return self.jpeg[-1]


def rendition_name(original_name, width, extension):
    path = PurePosixPath(original_name)
    return f"renditions/{path.parent}/{path.stem}-{width}w.{extension}"


def _widths(original_width):
    widths = [width for width in WIDTHS if width < original_width]
    largest = min(original_width, WIDTHS[-1])
    return widths if largest in widths else [*widths, largest]


def _make(image, width, pillow_format):
    height = round(image.height * width / image.width)
    resized = image.resize((width, height), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    resized.save(buffer, pillow_format, quality=QUALITY, optimize=True)
    return buffer.getvalue()


def _open(field):
    with field.open("rb") as handle:
        image = Image.open(handle)
        image = ImageOps.exif_transpose(image)
        return image.convert("RGB")


def renditions_for(field):
    """
    The renditions of an image field, made where missing. None without an
    image or when the stored file cannot be read as one.
    """
    if not field or not field.name:
        return None
    original_width, original_height = field.width, field.height
    if not original_width or not original_height:
        return None
    image = None
    made = {extension: [] for extension in FORMATS}
    for width in _widths(original_width):
        for extension, (pillow_format, _mime) in FORMATS.items():
            name = rendition_name(field.name, width, extension)
            if not default_storage.exists(name):
                try:
                    image = image or _open(field)
                except (OSError, ValueError):
                    return None
                name = default_storage.save(
                    name, ContentFile(_make(image, width, pillow_format))
                )
            made[extension].append(Rendition(default_storage.url(name), width))
    return RenditionSet(
        webp=made["webp"],
        jpeg=made["jpg"],
        width=original_width,
        height=original_height,
    )

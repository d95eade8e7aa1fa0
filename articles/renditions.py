"""
Responsive renditions of lead images: each width in WebP and JPEG, made with
Pillow the first time a page asks for it and kept in the media storage, so
later requests only build URLs.
"""

import io
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

WIDTHS = (480, 800, 1200)
FORMATS = {"webp": ("WEBP", "image/webp"), "jpg": ("JPEG", "image/jpeg")}
QUALITY = 82
CACHE_SECONDS = 24 * 60 * 60


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


def _stored(field):
    """{extension: [(name, width)]} of the renditions, made where missing."""
    image = None
    stored = {extension: [] for extension in FORMATS}
    for width in _widths(field.width):
        for extension, (pillow_format, _mime) in FORMATS.items():
            name = rendition_name(field.name, width, extension)
            if not default_storage.exists(name):
                image = image or _open(field)
                name = default_storage.save(
                    name, ContentFile(_make(image, width, pillow_format))
                )
            stored[extension].append((name, width))
    return stored


def renditions_for(field):
    """
    The renditions of an image field, made where missing. None without an
    image or when the stored file cannot be read as one. Which renditions
    exist is remembered in the cache, so a page view does not ask the
    storage (perhaps a remote one) about each file.
    """
    if not field or not field.name or not field.width or not field.height:
        return None
    # Uploads get a new name, so the name stands for the content.
    key = f"renditions:{field.name}"
    stored = cache.get(key)
    if stored is None:
        try:
            stored = _stored(field)
        except (OSError, ValueError):
            return None
        cache.set(key, stored, CACHE_SECONDS)
    return RenditionSet(
        **{
            attribute: [
                Rendition(default_storage.url(name), width)
                for name, width in stored[extension]
            ]
            for attribute, extension in (("webp", "webp"), ("jpeg", "jpg"))
        },
        width=field.width,
        height=field.height,
    )

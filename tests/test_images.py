import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.images import validate_image_upload


def image_bytes(fmt="JPEG", size=(64, 48), color="teal"):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


def upload(data, name="photo.jpg"):
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_real_image_of_an_allowed_format_passes(fmt):
    validate_image_upload(upload(image_bytes(fmt)))


def test_renamed_text_file_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_image_upload(upload(b"this is not a picture at all"))
    assert error.value.code == "not_an_image"


def test_disallowed_format_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_image_upload(upload(image_bytes("BMP"), "photo.bmp"))
    assert error.value.code == "not_an_image"


def test_truncated_image_is_refused():
    data = image_bytes("PNG", size=(400, 300))
    with pytest.raises(ValidationError) as error:
        validate_image_upload(upload(data[: len(data) // 2], "photo.png"))
    assert error.value.code == "damaged"


def test_too_many_pixels_is_refused(settings):
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 100 * 100
    with pytest.raises(ValidationError) as error:
        validate_image_upload(upload(image_bytes("PNG", size=(200, 100)), "a.png"))
    assert error.value.code == "too_many_pixels"


def test_decompression_bomb_is_refused_without_decoding(monkeypatch, settings):
    # A small file whose header claims more pixels than Pillow will expand.
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 10**12
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(ValidationError) as error:
        validate_image_upload(upload(image_bytes("PNG", size=(100, 100)), "bomb.png"))
    assert error.value.code == "bomb"


def test_oversized_file_is_refused(settings):
    settings.NEWSROOM_IMAGE_MAX_BYTES = 100
    with pytest.raises(ValidationError) as error:
        validate_image_upload(upload(image_bytes()))
    assert error.value.code == "too_large"

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from PIL import Image

from articles import renditions
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def jpeg(size=(1600, 900)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "JPEG")
    return ContentFile(buffer.getvalue())


@pytest.fixture
def article():
    article = ArticleFactory(
        lead_image_alt="Ein Güterzug in Chorgos",
        lead_image_caption="Umschlag an der Grenze",
        lead_image_credit="Foto: Redaktion",
    )
    article.lead_image.save("zug.jpg", jpeg(), save=True)
    return article


def test_renditions_are_made_in_webp_and_jpeg_at_several_widths(article):
    made = renditions.renditions_for(article.lead_image)
    assert [r.width for r in made.webp] == [480, 800, 1200]
    assert [r.width for r in made.jpeg] == [480, 800, 1200]
    for width in (480, 800, 1200):
        for extension, pillow_format in (("webp", "WEBP"), ("jpg", "JPEG")):
            name = renditions.rendition_name(article.lead_image.name, width, extension)
            with default_storage.open(name) as handle:
                image = Image.open(handle)
                assert image.format == pillow_format
                assert image.width == width


def test_small_images_are_not_enlarged():
    article = ArticleFactory()
    article.lead_image.save("klein.jpg", jpeg((600, 400)), save=True)
    made = renditions.renditions_for(article.lead_image)
    assert [r.width for r in made.jpeg] == [480, 600]


def test_renditions_are_made_only_once(article, monkeypatch):
    renditions.renditions_for(article.lead_image)

    def fail(*args, **kwargs):
        raise AssertionError("a rendition was made again")

    monkeypatch.setattr(renditions, "_make", fail)
    assert renditions.renditions_for(article.lead_image).webp


def test_story_page_shows_a_picture_with_webp_and_jpeg(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    picture = re.search(r"<picture>.*?</picture>", html, re.S).group()
    assert re.search(
        r'<source type="image/webp" srcset="[^"]*480w, [^"]*800w, [^"]*1200w"', picture
    )
    assert re.search(r'<img src="[^"]*-1200w\.jpg" srcset="[^"]*480w', picture)
    assert 'alt="Ein Güterzug in Chorgos"' in picture
    assert "Umschlag an der Grenze" in html
    assert "Foto: Redaktion" in html


def test_story_page_does_not_remake_renditions(client, article, monkeypatch):
    client.get(article.get_absolute_url())
    monkeypatch.setattr(renditions, "_make", None)
    assert client.get(article.get_absolute_url()).status_code == 200


def test_unreadable_image_is_left_out_not_a_500(client):
    article = ArticleFactory()
    article.lead_image.save("kaputt.jpg", jpeg(), save=True)
    with default_storage.open(article.lead_image.name, "wb") as handle:
        handle.write(b"not an image")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "<picture>" not in response.content.decode()


def test_known_renditions_do_not_touch_the_storage(article, monkeypatch):
    renditions.renditions_for(article.lead_image)

    def fail(storage, name):
        raise AssertionError("the storage was asked again")

    monkeypatch.setattr(FileSystemStorage, "exists", fail)
    assert len(renditions.renditions_for(article.lead_image).jpeg) == 3


def test_caption_and_credit_are_separate_elements(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<span class="caption">Umschlag an der Grenze</span>' in html
    credit = re.search(r'<small class="credit">(.*?)</small>', html).group(1)
    assert re.sub(r"<[^>]+>", "", credit) == "Bildnachweis: Foto: Redaktion"


def test_credit_without_a_caption_stands_alone(client):
    article = ArticleFactory(lead_image_caption="", lead_image_credit="Redaktion")
    article.lead_image.save("zug.jpg", jpeg(), save=True)
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'class="caption"' not in html
    assert "Redaktion</small>" in html

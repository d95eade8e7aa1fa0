"""
The demo site: the stories under demo/stories, and what a plain-text file
cannot say (tags, lead images, language versions, the lead story) from
demo/manifest.json. Lead images are drawn with Pillow here, not shipped.
"""

import io
import json

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from articles.models import Country, Topic
from articles.plaintext import ParseError, parse_story
from articles.services import article_import_text, suggestions_settle

IMAGE_SIZE = (1600, 900)


def _font(size):
    try:
        return ImageFont.truetype("DejaVuSans-Bold.ttf", size)
    except OSError:
        return ImageFont.load_default(size=size)


def draw_image(*, colors, text):
    """A JPEG of a left-to-right gradient between two colours, with `text`."""
    width, height = IMAGE_SIZE
    start = Image.new("RGB", IMAGE_SIZE, colors[0])
    end = Image.new("RGB", IMAGE_SIZE, colors[-1])
    mask = Image.linear_gradient("L").rotate(90).resize(IMAGE_SIZE)
    image = Image.composite(end, start, mask)
    draw = ImageDraw.Draw(image)
    font = _font(120)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    position = ((width - (right - left)) / 2, (height - (bottom - top)) / 2)
    draw.text(
        position, text, font=font, fill="#ffffff", stroke_width=6, stroke_fill="#222222"
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def topics_ensure(names):
    """The manifest's topics by slug, made where missing (German name first)."""
    topics = {}
    for slug, by_language in names.items():
        topic, _created = Topic.objects.get_or_create(
            slug=slug,
            defaults={"name": by_language.get("de") or slug, "names": by_language},
        )
        topics[slug] = topic
    return topics


@transaction.atomic
def demo_load(directory, manifest_path):
    """Import every story file of `directory` and apply the manifest. Returns the count."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    topics = topics_ensure(manifest.get("topics", {}))
    facts = manifest.get("stories", {})
    imported = {}
    for path in sorted(directory.glob("*.txt")):
        try:
            parsed = parse_story(path.read_bytes())
        except ParseError as error:
            raise ParseError(f"{path.name}: {error.message}", error.line) from None
        article, _created = article_import_text(parsed)
        imported[path.name] = article
    for name, article in imported.items():
        entry = facts.get(name, {})
        version_of = entry.get("version_of")
        if version_of:
            article.translation_of = imported[version_of]
        article.is_featured = bool(entry.get("featured"))
        image = entry.get("image")
        if image:
            article.lead_image_alt = image.get("alt", "")
            article.lead_image_caption = image.get("caption", "")
            article.lead_image_credit = image.get("credit", "")
            article.lead_image.save(
                f"{name.removesuffix('.txt')}.jpg",
                ContentFile(draw_image(colors=image["colors"], text=image["text"])),
                save=False,
            )
        article.save()
        article.countries.set(
            Country.objects.filter(code__in=entry.get("countries", []))
        )
        article.topics.set(
            [topics[slug] for slug in entry.get("topics", []) if slug in topics]
        )
    suggestions_settle(articles=imported.values())
    return len(imported)

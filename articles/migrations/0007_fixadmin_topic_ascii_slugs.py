import re

from django.db import migrations, models

from articles.text import make_slug

ASCII_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


def ascii_slugs(apps, schema_editor):
    """
    Give every topic an ASCII slug: the old ones never resolved, since
    addresses match only a-z, digits and hyphens.
    """
    Topic = apps.get_model("articles", "Topic")
    taken = set(Topic.objects.values_list("slug", flat=True))
    for topic in Topic.objects.order_by("pk"):
        if ASCII_SLUG.match(topic.slug):
            continue
        base = make_slug(topic.slug, max_length=90)
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        topic.slug = slug
        topic.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_merge_safety"),
    ]

    operations = [
        migrations.RunPython(ascii_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="topic",
            name="slug",
            field=models.SlugField(
                blank=True,
                help_text="Part of the topic's address, in plain letters a-z, "
                "digits and hyphens. Leave empty to make it from the name.",
                max_length=100,
                unique=True,
                verbose_name="slug",
            ),
        ),
    ]

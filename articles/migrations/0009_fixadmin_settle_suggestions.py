from django.db import migrations
from django.db.models import Exists, OuterRef
from django.utils import timezone


def settle(apps, schema_editor):
    """Accept the pending suggestions of tags their stories carry already."""
    TagSuggestion = apps.get_model("articles", "TagSuggestion")
    TaggedCountry = apps.get_model("articles", "TaggedCountry")
    TaggedTopic = apps.get_model("articles", "TaggedTopic")
    carried = Exists(
        TaggedCountry.objects.filter(
            content_object=OuterRef("article"), tag=OuterRef("country")
        )
    ) | Exists(
        TaggedTopic.objects.filter(
            content_object=OuterRef("article"), tag=OuterRef("topic")
        )
    )
    TagSuggestion.objects.filter(carried, status="pending").update(
        status="accepted", decided_at=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_fixadmin_names_validated"),
    ]

    operations = [
        migrations.RunPython(settle, migrations.RunPython.noop),
    ]

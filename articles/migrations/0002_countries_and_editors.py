from babel import Locale
from django.db import migrations

# CLDR lists some codes that are not ISO 3166-1 countries: exceptional
# reservations, groupings and private-use codes.
NOT_COUNTRIES = {
    "AC", "CP", "CQ", "DG", "EA", "IC", "TA",
    "EU", "EZ", "QO", "UN", "XA", "XB", "XK", "ZZ",
}

EDITOR_PERMISSIONS = {
    "article": ["add", "change", "delete", "view", "publish"],
    "section": ["add", "change", "delete", "view"],
    "source": ["add", "change", "delete", "view"],
    "country": ["view"],
    "topic": ["add", "change", "view"],
    "taggedcountry": ["add", "change", "delete", "view"],
    "taggedtopic": ["add", "change", "delete", "view"],
}


def iso_countries():
    territories = Locale.parse("de").territories
    return {
        code: name
        for code, name in territories.items()
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    }


def load_countries(apps, schema_editor):
    Country = apps.get_model("articles", "Country")
    Country.objects.bulk_create(
        [
            Country(code=code, name=name, slug=code.lower())
            for code, name in sorted(iso_countries().items())
        ],
        ignore_conflicts=True,
    )


def create_editors(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are made after migrations run; make them now to grant them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _created = Group.objects.get_or_create(name="Editors")
    codenames = [
        f"{action}_{model}" if action != "publish" else "publish_article"
        for model, actions in EDITOR_PERMISSIONS.items()
        for action in actions
    ]
    editors.permissions.set(
        Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
    )


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(load_countries, migrations.RunPython.noop),
        migrations.RunPython(create_editors, remove_editors),
    ]

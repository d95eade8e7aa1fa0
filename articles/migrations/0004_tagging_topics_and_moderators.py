import re

from django.db import migrations

# slug: (German name, English name, {language: [aliases]}). A name in capitals
# matches only in capitals; a trailing * matches every word it begins.
TOPICS = {
    "bri": (
        "Seidenstraßeninitiative",
        "Belt and Road Initiative",
        {
            "de": [
                "„Belt and Road“-Initiative",
                "Neue Seidenstraße",
                "Seidenstraßen-Initiative",
                "Seidenstrasseninitiative",
                "Initiative „Ein Gürtel, eine Straße“",
                "Belt and Road",
            ],
            "en": ["BRI", "New Silk Road", "Belt and Road Initiative", "One Belt, One Road"],
            "zh": ["一带一路"],
        },
    ),
    "sco": (
        "Shanghaier Organisation für Zusammenarbeit",
        "Shanghai Cooperation Organisation",
        {
            "de": ["SOZ", "Shanghai-Organisation für Zusammenarbeit", "Schanghaier Organisation für Zusammenarbeit"],
            "en": ["SCO", "Shanghai Cooperation Organization"],
            "ru": ["ШОС", "Шанхайская организация сотрудничества"],
        },
    ),
    "trade": (
        "Handel",
        "Trade",
        {
            "de": [
                "Außenhandel",
                "Freihandel",
                "Handelsvolumen",
                "Handelsabkommen",
                "Handelsbeziehungen",
                "Handelspartner",
                "Wirtschaft und Handel",
                "Export",
                "Exporte",
                "Import",
                "Importe",
                "Zoll",
                "Zölle",
                "Freihandelszone",
            ],
            "en": [
                "foreign trade",
                "free trade",
                "trade volume",
                "trade agreement",
                "trading partner",
                "exports",
                "imports",
                "tariffs",
            ],
        },
    ),
    "connectivity": (
        "Konnektivität",
        "Connectivity",
        {
            "de": [
                "Verkehr",
                "Transport",
                "Eisenbahn*",
                "Bahnstrecke",
                "Güterzug",
                "Güterzüge",
                "Güterzügen",
                "Hafen",
                "Häfen",
                "Logistik",
                "Transportkorridor",
                "Verkehrskorridor",
                "Fernstraße",
                "Flughafen",
            ],
            "en": [
                "transport",
                "railway*",
                "rail link",
                "freight train",
                "port",
                "logistics",
                "transport corridor",
                "highway",
                "airport",
            ],
        },
    ),
    "green-energy": (
        "Grüne Energie",
        "Green energy",
        {
            "de": [
                "erneuerbare Energie",
                "erneuerbare Energien",
                "Windkraft*",
                "Windenergie",
                "Windpark*",
                "Solar*",
                "Photovoltaik*",
                "Wasserkraft*",
                "grüne Entwicklung",
            ],
            "en": [
                "renewable energy",
                "renewables",
                "wind power",
                "wind farm",
                "solar*",
                "photovoltaic*",
                "hydropower",
                "green development",
            ],
        },
    ),
    "digital-economy": (
        "Digitale Wirtschaft",
        "Digital economy",
        {
            "de": [
                "Digitalwirtschaft",
                "Big Data",
                "künstliche Intelligenz",
                "digitale Finanzen",
                "grenzüberschreitender elektronischer Handel",
                "elektronischer Handel",
                "E-Commerce",
                "Digitalisierung",
                "5G",
                "Rechenzentrum",
                "Rechenzentren",
            ],
            "en": [
                "artificial intelligence",
                "digital finance",
                "cross-border e-commerce",
                "digitalisation",
                "digitalization",
                "data centre",
                "data center",
            ],
        },
    ),
    "health": (
        "Gesundheit",
        "Health",
        {
            "de": [
                "Gesundheitswesen",
                "Gesundheitsversorgung",
                "Epidemiebekämpfung",
                "Pandemie",
                "Epidemie",
                "Covid-19",
                "Impfstoff",
                "Impfstoffe",
                "Krankenhaus",
                "Krankenhäuser",
                "Medizin",
            ],
            "en": [
                "healthcare",
                "health care",
                "epidemic prevention",
                "pandemic",
                "epidemic",
                "vaccine",
                "hospital",
                "medicine",
            ],
        },
    ),
    "culture": (
        "Kultur",
        "Culture",
        {
            "de": [
                "Kulturaustausch",
                "kultureller Austausch",
                "Kunstausstellung",
                "Ausstellung",
                "Museum",
                "Museen",
                "Kulturerbe",
                "Festival",
                "Tourismus",
            ],
            "en": [
                "cultural exchange",
                "cultural heritage",
                "exhibition",
                "museum",
                "festival",
                "tourism",
            ],
        },
    ),
    "security": (
        "Sicherheit",
        "Security",
        {
            "de": [
                "Terrorismus",
                "Terrorismusbekämpfung",
                "Extremismus",
                "Militärübung",
                "Grenzsicherheit",
            ],
            "en": ["terrorism", "counter-terrorism", "extremism", "military exercise"],
        },
    ),
    "diplomacy": (
        "Diplomatie",
        "Diplomacy",
        {
            "de": [
                "Staatsbesuch",
                "Gipfel",
                "Gipfeltreffen",
                "Außenminister",
                "Botschafter",
                "diplomatische Beziehungen",
                "Amtskollege",
                "Amtskollegen",
            ],
            "en": [
                "state visit",
                "summit",
                "foreign minister",
                "ambassador",
                "diplomatic relations",
                "counterpart",
            ],
        },
    ),
}

# Read stories and change only their tags; keep the topic vocabulary (create,
# rename, alias, merge: never delete, which would drop tags unlogged); read
# the tag log. Countries are fixed and only read.
MODERATOR_PERMISSIONS = [
    "view_article",
    "tag_article",
    "view_country",
    "view_topic",
    "add_topic",
    "change_topic",
    "merge_topic",
    "view_topicalias",
    "add_topicalias",
    "change_topicalias",
    "delete_topicalias",
    "view_tagevent",
]

# Editors tag stories in the story form already; they may use the queue and
# look after the vocabulary too.
EDITOR_EXTRA_PERMISSIONS = [
    "tag_article",
    "merge_topic",
    "view_topicalias",
    "add_topicalias",
    "change_topicalias",
    "delete_topicalias",
    "view_tagevent",
]


def normalize(name):
    return " ".join(re.sub(r"[\W_]+", " ", name.casefold()).split())


def load_topics(apps, schema_editor):
    Topic = apps.get_model("articles", "Topic")
    TopicAlias = apps.get_model("articles", "TopicAlias")
    for slug, (german, english, aliases) in TOPICS.items():
        topic, _created = Topic.objects.get_or_create(
            slug=slug, defaults={"name": german, "names": {"de": german, "en": english}}
        )
        taken = {normalize(topic.name), *map(normalize, topic.names.values())}
        for language, names in aliases.items():
            for name in names:
                key = normalize(name) + ("*" if name.endswith("*") else "")
                if key in taken or TopicAlias.objects.filter(normalized=key).exists():
                    continue
                taken.add(key)
                TopicAlias.objects.create(
                    topic=topic, name=name, language=language, normalized=key
                )


def unload_topics(apps, schema_editor):
    apps.get_model("articles", "Topic").objects.filter(slug__in=TOPICS).delete()


def permissions(apps, codenames):
    from django.contrib.auth.management import create_permissions

    # Permissions are made after migrations run; make them now to grant them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    found = Permission.objects.filter(
        content_type__app_label="articles", codename__in=codenames
    )
    assert found.count() == len(set(codenames)), "a permission is missing"
    return found


def create_moderators(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    moderators, _created = Group.objects.get_or_create(name="Moderators")
    moderators.permissions.set(permissions(apps, MODERATOR_PERMISSIONS))
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.add(*permissions(apps, EDITOR_EXTRA_PERMISSIONS))


def remove_moderators(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name="Moderators").delete()
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.remove(*permissions(apps, EDITOR_EXTRA_PERMISSIONS))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_tagging_models"),
    ]

    operations = [
        migrations.RunPython(load_topics, unload_topics),
        migrations.RunPython(create_moderators, remove_moderators),
    ]

"""
Realistic German stories in bulk, for the benchmark.

Sections in a tree, the network's agencies as sources, 2 to 4 countries and
1 to 3 topics a story, 400 to 800 words of German text, publication times
spread over five years. Rows go in with bulk_create, the tag rows too, so a
hundred thousand stories take seconds, not hours. Needs Django set up.
"""

import datetime
import itertools
import random
import time

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from articles.models import (
    Article,
    Country,
    Section,
    Source,
    TaggedCountry,
    TaggedTopic,
    Topic,
)
from articles.text import make_slug

BATCH = 2000
PLAIN_TYPES = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "ForeignKey",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
}

SECTIONS = {
    "BRI-Nachrichten": ["Aktuelles", "Wirtschaft", "Politik", "Kultur", "Bildung"],
    "Projekte": ["Infrastruktur", "Energie", "Häfen", "Eisenbahn"],
    "Handel": ["Zoll", "Logistik", "Investitionen"],
    "Meinung": [],
}
SOURCES = [
    ("CRI", "China Radio International"),
    ("Xinhua", "Nachrichtenagentur Xinhua"),
    ("CGTN", "China Global Television Network"),
    ("Renmin", "Volkszeitung"),
    ("ChinaDaily", "China Daily"),
    ("BRNN", "Belt and Road News Network"),
]
# Countries of the initiative, the first ones far more often.
COUNTRIES = [
    "CN", "KZ", "RU", "PK", "DE", "IT", "GR", "HU", "RS", "TR", "IR", "UZ",
    "KG", "TJ", "MN", "ID", "MY", "TH", "VN", "LA", "KH", "MM", "BD", "LK",
    "EG", "ET", "KE", "NG", "ZA", "TZ", "SA", "AE", "QA", "OM", "BY", "PL",
    "CZ", "AT", "PT", "ES", "BR", "AR", "CL", "PE", "NZ", "SG", "PH", "NP",
]  # fmt: skip
TOPICS = [
    "Seidenstraßeninitiative", "Grüne Energie", "Big Data", "SOZ", "Handel",
    "Eisenbahn", "Häfen", "Tourismus", "Bildung", "Gesundheit", "Landwirtschaft",
    "Digitale Wirtschaft", "Finanzen", "Kultur", "Sport", "Wissenschaft",
    "Umwelt", "Klimaschutz", "Logistik", "Infrastruktur", "Investitionen",
    "Armutsbekämpfung", "Medien", "Jugend", "Raumfahrt", "Wasserstoff",
    "Solarenergie", "Windkraft", "Zusammenarbeit", "Diplomatie",
]  # fmt: skip

SUBJECTS = [
    "Der chinesische Staatspräsident", "Die Regierung", "Der Außenminister",
    "Eine Delegation", "Das Handelsministerium", "Die Entwicklungsbank",
    "Der Botschafter", "Das Forschungsinstitut", "Die Hafenbehörde",
    "Ein Sprecher des Ministeriums", "Die Provinzregierung", "Der Verband",
]  # fmt: skip
VERBS = [
    "kündigte", "unterzeichnete", "besprach", "eröffnete", "lobte", "plant",
    "stellte", "vereinbarte", "förderte", "besuchte", "bekräftigte", "prüfte",
]  # fmt: skip
OBJECTS = [
    "die Zusammenarbeit beim Ausbau der Eisenbahnstrecke",
    "ein Abkommen über den Handel mit Agrarprodukten",
    "neue Projekte im Rahmen der Seidenstraßeninitiative",
    "den Bau eines Solarparks in der Steppe",
    "die Modernisierung des Containerhafens",
    "ein Austauschprogramm für Studierende",
    "Investitionen in die digitale Infrastruktur",
    "die Erleichterung der Zollabfertigung an der Grenze",
    "gemeinsame Forschung zu Wasserstoff und Windkraft",
    "den Ausbau der Güterzugverbindungen nach Europa",
    "ein Kulturfestival mit Künstlern aus vielen Ländern",
    "die Förderung kleiner und mittlerer Unternehmen",
]  # fmt: skip
CLAUSES = [
    "am Mittwoch in der Hauptstadt an",
    "nach Angaben der Nachrichtenagentur",
    "im Beisein hochrangiger Vertreter beider Länder",
    "vor dem Hintergrund wachsender Handelsströme",
    "zum Auftakt des Wirtschaftsforums",
    "trotz schwieriger weltwirtschaftlicher Bedingungen",
    "mit Blick auf die kommenden zehn Jahre",
    "in einer gemeinsamen Erklärung",
]  # fmt: skip
HEADLINE_PARTS = [
    ("Xi Jinping", "zu Staatsbesuch in"), ("Neue Güterzugverbindung", "nach"),
    ("Handelsforum", "in"), ("Solarpark", "eröffnet in"),
    ("Studierende", "aus"), ("Hafenausbau", "in"), ("Delegation", "besucht"),
    ("Wirtschaftsgespräche", "mit"), ("Kulturwoche", "in"),
    ("Investitionsabkommen", "mit"),
]  # fmt: skip
CITIES = [
    "Kasachstan", "Usbekistan", "Pakistan", "Duisburg", "Piräus", "Budapest",
    "Belgrad", "Astana", "Taschkent", "Islamabad", "Jakarta", "Nairobi",
]  # fmt: skip

# A word that stands in a handful of stories, for the rare-word search.
RARE_WORD = "Zylinderkopfdichtung"
COMMON_WORD = "Zusammenarbeit"


def sentence_pool(rng, size=3000):
    pool = []
    for _ in range(size):
        pool.append(
            f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(CLAUSES)} "
            f"{rng.choice(OBJECTS)} an, und die {COMMON_WORD} solle weiter wachsen."
        )
    return pool


def body_text(rng, pool):
    """400 to 800 words in paragraphs of four to seven sentences."""
    words = rng.randint(400, 800)
    paragraphs, count = [], 0
    while count < words:
        sentences = rng.choices(pool, k=rng.randint(4, 7))
        paragraph = " ".join(sentences)
        count += paragraph.count(" ") + 1
        paragraphs.append(f"<p>{paragraph}</p>")
    return "".join(paragraphs)


def bulk_insert(model, rows):
    """
    Insert `rows` (dicts of field name to value) with one executemany.
    Fields a row leaves out get their model default, so fields other parts
    of the project add later need nothing here. Model instances and
    bulk_create's SQL building would cost more than everything else together.
    """
    now = timezone.now()

    def prepare(field, value):
        # Strings, numbers and keys go in as they are; the rest (times,
        # JSON) the way the field itself prepares them for this database.
        if value is None or field.get_internal_type() in PLAIN_TYPES:
            return value
        return field.get_db_prep_save(value, connection)

    def default(field):
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return now
        if field.has_default() or not field.null:
            return field.get_default()
        return None

    given = [field for field in model._meta.concrete_fields if field.name in rows[0]]
    defaulted = [
        field
        for field in model._meta.concrete_fields
        if field.name not in rows[0] and not field.primary_key
    ]
    fixed = [prepare(field, default(field)) for field in defaulted]
    converted = [
        (field.name, field if field.get_internal_type() not in PLAIN_TYPES else None)
        for field in given
    ]
    values = [
        [prepare(field, row[name]) if field else row[name] for name, field in converted]
        + fixed
        for row in rows
    ]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(field.column) for field in given + defaulted
    )
    placeholders = ", ".join(["%s"] * (len(given) + len(defaulted)))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", values
        )


def zipf(count):
    """Cumulative weights 1, 1/2, 1/3, ... for random.choices."""
    return list(itertools.accumulate(1 / (rank + 1) for rank in range(count)))


def pick(rng, items, cum_weights, least, most):
    """Between `least` and `most` different items, the weighty ones likelier."""
    wanted = rng.randint(least, most)
    chosen = set(rng.choices(items, cum_weights=cum_weights, k=wanted))
    while len(chosen) < wanted:
        chosen.add(rng.choices(items, cum_weights=cum_weights)[0])
    return chosen


def vocabulary():
    """Sections, sources and topics, made once and reused."""
    sections = []
    for position, (top, children) in enumerate(SECTIONS.items()):
        parent, _ = Section.objects.get_or_create(
            slug=make_slug(top, max_length=100),
            parent=None,
            defaults={"name": top, "position": position},
        )
        sections.append(parent)
        for child_position, name in enumerate(children):
            child, _ = Section.objects.get_or_create(
                slug=make_slug(name, max_length=100),
                parent=parent,
                defaults={"name": name, "position": child_position},
            )
            sections.append(child)
    sources = [
        Source.objects.get_or_create(short_name=short, defaults={"full_name": full})[0]
        for short, full in SOURCES
    ]
    # The vocabulary's own topics where the names meet, new ones otherwise.
    topics = [
        Topic.objects.filter(name=name).first()
        or Topic.objects.get_or_create(
            slug=make_slug(name, max_length=100), defaults={"name": name}
        )[0]
        for name in TOPICS
    ]
    countries = list(Country.objects.filter(code__in=COUNTRIES))
    countries.sort(key=lambda country: COUNTRIES.index(country.code))
    return sections, sources, topics, countries


def generate(count, *, seed=42, now=None, progress=print):
    """Insert `count` stories; return the stories a second it managed."""
    rng = random.Random(seed)
    now = now or timezone.now()
    sections, sources, topics, countries = vocabulary()
    pool = sentence_pool(rng)
    # Zipf-like weights: the first sections, countries and topics are busiest.
    section_weights = zipf(len(sections))
    country_weights = zipf(len(countries))
    topic_weights = zipf(len(topics))
    five_years = 5 * 365 * 24 * 3600
    offset = Article.objects.count()
    next_id = Article.objects.aggregate(top=Max("pk"))["top"] or 0
    started = time.perf_counter()
    done = 0
    while done < count:
        size = min(BATCH, count - done)
        articles = []
        for number in range(offset + done, offset + done + size):
            next_id += 1
            person, verb = rng.choice(HEADLINE_PARTS)
            headline = f"{person} {verb} {rng.choice(CITIES)} ({number})"
            body = body_text(rng, pool)
            if number % 20_000 == 7:
                body += f"<p>Ein Fachbegriff am Rande: {RARE_WORD}.</p>"
            published_at = now - datetime.timedelta(
                seconds=rng.randrange(60, five_years)
            )
            articles.append(
                {
                    "id": next_id,
                    "headline": headline,
                    "slug": make_slug(headline),
                    "standfirst": rng.choice(pool),
                    "body": body,
                    "section": rng.choices(sections, cum_weights=section_weights)[0].pk,
                    "source": rng.choice(sources).pk,
                    "language": "de",
                    "status": (
                        Article.Status.PUBLISHED
                        if rng.random() < 0.95
                        else Article.Status.DRAFT
                    ),
                    "published_at": published_at,
                    "is_featured": rng.random() < 0.01,
                }
            )
        tagged_countries, tagged_topics = [], []
        for article in articles:
            tagged_countries.extend(
                {"content_object": article["id"], "tag": tag.pk}
                for tag in pick(rng, countries, country_weights, 2, 4)
            )
            tagged_topics.extend(
                {"content_object": article["id"], "tag": tag.pk}
                for tag in pick(rng, topics, topic_weights, 1, 3)
            )
        with transaction.atomic():
            bulk_insert(Article, articles)
            bulk_insert(TaggedCountry, tagged_countries)
            bulk_insert(TaggedTopic, tagged_topics)
        done += size
        if done % 20_000 == 0 or done == count:
            progress(f"  {done:>8,} stories")
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(
            no_style(), [Article, TaggedCountry, TaggedTopic]
        ):
            cursor.execute(statement)
    return count / elapsed if elapsed else float("inf")


def analyze():
    """Fresh planner statistics, as a production database would have."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

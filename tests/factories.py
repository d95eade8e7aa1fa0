import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article, Country, Section, Source, Topic

FIXED_NOW = datetime.datetime(2022, 9, 16, 10, 0, tzinfo=datetime.UTC)


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")

    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True


class SectionFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Rubrik {n}")

    class Meta:
        model = Section
        skip_postgeneration_save = True


class SourceFactory(factory.django.DjangoModelFactory):
    short_name = factory.Sequence(lambda n: f"AG{n}")
    full_name = factory.LazyAttribute(lambda source: f"Agentur {source.short_name}")

    class Meta:
        model = Source
        django_get_or_create = ["short_name"]
        skip_postgeneration_save = True


class TopicFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.Sequence(lambda n: f"thema-{n}")

    class Meta:
        model = Topic
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True


def country(code):
    """Countries come from the data migration; fetch one by its ISO code."""
    return Country.objects.get(code=code)


class ArticleFactory(factory.django.DjangoModelFactory):
    headline = factory.Sequence(lambda n: f"Meldung Nummer {n}")
    standfirst = "Eine kurze Einleitung."
    body = "<p>Der Text der Meldung.</p>"
    section = factory.SubFactory(SectionFactory)
    source = factory.SubFactory(SourceFactory)
    language = "de"
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(
        lambda: timezone.now() - datetime.timedelta(hours=1)
    )

    class Meta:
        model = Article
        skip_postgeneration_save = True

    @factory.post_generation
    def countries(article, create, codes, **kwargs):
        if create and codes:
            article.countries.add(*[country(code) for code in codes])

    @factory.post_generation
    def topics(article, create, topics, **kwargs):
        if create and topics:
            article.topics.add(*topics)

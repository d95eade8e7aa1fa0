import datetime
import io
import json
import shutil
import zipfile

import pytest
import reversion
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import models
from PIL import Image
from reversion.models import Revision, Version

from articles import services
from articles.models import Article, Country, Section, Source, Topic
from articles.services.transfer import FORMAT_NAME, content_models
from tests.factories import (
    ArticleFactory,
    SectionFactory,
    SourceFactory,
    TopicFactory,
    country,
)

pytestmark = pytest.mark.django_db

MICRO = datetime.datetime(2022, 9, 16, 8, 0, 1, 123456, tzinfo=datetime.UTC)


def jpeg_bytes(colour="teal", size=(64, 48)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


@pytest.fixture
def site(editor):
    """A small site with every kind of content and history."""
    top = SectionFactory(name="BRI-Nachrichten", names={"en": "BRI News"})
    news = SectionFactory(name="Aktuelles", parent=top)
    cri = SourceFactory(short_name="CRI", homepage="https://www.cri.cn/")
    sco = TopicFactory(name="SOZ", slug="sco", names={"en": "SCO"})
    Country.objects.create(code="XK", name="Kosovo", slug="xk")
    kz = Country.objects.get(code="KZ")
    kz.slug = "kasachstan"
    kz.save()
    original = ArticleFactory(
        headline="Xi Jinping zu Staatsbesuch in Kasachstan",
        section=news,
        source=cri,
        published_at=MICRO,
        expires_at=MICRO + datetime.timedelta(days=400, microseconds=7),
        countries=["KZ", "CN", "XK"],
        topics=[sco],
        byline="Redaktion",
        is_featured=True,
        created_by=editor,
        updated_by=editor,
    )
    original.lead_image.save("xi.jpg", ContentFile(jpeg_bytes()), save=False)
    original.lead_image_alt = "Xi Jinping"
    with reversion.create_revision():
        original.save()
        reversion.set_user(editor)
    ArticleFactory(
        headline="Xi Jinping on a state visit to Kazakhstan",
        language="en",
        section=news,
        translation_of=original,
        status="draft",
        published_at=None,
    )
    services.article_trash(ArticleFactory(section=top), by=editor)
    services.article_submit(
        ArticleFactory(status="draft", published_at=None), by=editor
    )
    return original


def snapshot():
    """Every stored value of the content, users by name, and the media bytes."""
    usernames = dict(get_user_model().objects.values_list("pk", "username"))
    tables = {}
    for model in [*content_models(), Revision, Version]:
        rows = []
        for obj in model._base_manager.order_by("pk"):
            row = {}
            for field in model._meta.concrete_fields:
                value = getattr(obj, field.attname)
                if field.is_relation and field.related_model is get_user_model():
                    value = usernames.get(value)
                if isinstance(field, models.FileField):
                    value = value.name
                row[field.attname] = value
            rows.append(row)
        tables[model._meta.label_lower] = rows
    media = {
        name: default_storage.open(name).read()
        for name in Article.objects.exclude(lead_image="").values_list(
            "lead_image", flat=True
        )
    }
    return tables, media


def wipe():
    """Empty the content the way a fresh database has none."""
    Version.objects.all().delete()
    Revision.objects.all().delete()
    Article.objects.all().delete()
    for section in Section.objects.order_by("-path"):
        section.delete()
    Source.objects.all().delete()
    Topic.objects.all().delete()
    Country.objects.filter(code="XK").delete()
    Country.objects.filter(code="KZ").update(slug="kz")
    shutil.rmtree(default_storage.path("lead"), ignore_errors=True)


def export(tmp_path, *args):
    out = tmp_path / "site.zip"
    call_command("export_content", str(out), *args, stdout=io.StringIO())
    return out


def test_round_trip_changes_nothing(site, tmp_path):
    before = snapshot()
    archive = export(tmp_path, "--with-history")
    wipe()
    assert not Article.objects.exists()
    assert not default_storage.exists(site.lead_image.name)

    call_command("import_content", str(archive), stdout=io.StringIO())

    after = snapshot()
    assert after == before
    assert len(before[0]["articles.article"]) == 4
    assert len(before[0]["reversion.version"]) >= 3
    assert before[1]  # the image really travelled
    assert Article.objects.get(pk=site.pk).published_at == MICRO


def test_imported_history_still_restores(site, tmp_path, editor):
    archive = export(tmp_path, "--with-history")
    wipe()
    call_command("import_content", str(archive), stdout=io.StringIO())
    article = Article.objects.get(pk=site.pk)
    version = services.history.article_versions(article).last()
    article.countries.clear()
    services.article_restore_version(article, version=version, by=editor)
    assert set(article.countries.values_list("code", flat=True)) == {"KZ", "CN", "XK"}


def test_export_without_history_leaves_it_out(site, tmp_path):
    with zipfile.ZipFile(export(tmp_path)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["format"] == FORMAT_NAME
    assert "reversion.version" not in manifest["files"]
    assert manifest["media"] == [site.lead_image.name]


def test_export_holds_only_used_or_changed_countries(site, tmp_path):
    with zipfile.ZipFile(export(tmp_path)) as archive:
        rows = json.loads(archive.read("content/articles.country.json"))
    assert sorted(row["pk"] for row in rows) == ["CN", "KZ", "XK"]


def test_missing_author_is_recreated_without_login(site, tmp_path, editor):
    archive = export(tmp_path)
    wipe()
    editor.delete()
    call_command("import_content", str(archive), stdout=io.StringIO())
    author = Article.objects.get(pk=site.pk).created_by
    assert author.username == "editor"
    assert not author.is_active
    assert not author.has_usable_password()


def test_import_into_a_database_with_content_is_refused(site, tmp_path):
    archive = export(tmp_path)
    count = Article.objects.count()
    with pytest.raises(CommandError, match="already holds content"):
        call_command("import_content", str(archive))
    assert Article.objects.count() == count


def write_zip(path, entries):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def manifest(**overrides):
    data = {"format": FORMAT_NAME, "version": 1, "files": {}, "media": []}
    data.update(overrides)
    return json.dumps(data)


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ({"readme.txt": "hello"}, "no manifest.json"),
        ({"manifest.json": "{not json"}, "not valid JSON"),
        ({"manifest.json": manifest(format="wordpress")}, "not a newsroom"),
        ({"manifest.json": manifest(version=2)}, "newer than this site"),
        ({"manifest.json": manifest(version="1")}, "no valid format version"),
        ({"manifest.json": manifest(), "../escape.txt": "x"}, "unsafe file names"),
        ({"manifest.json": manifest(), "/etc/x": "x"}, "unsafe file names"),
        (
            {"manifest.json": manifest(files={"auth.user": "content/u.json"})},
            "unknown model",
        ),
        (
            {
                "manifest.json": manifest(
                    files={"articles.source": "content/articles.source.json"}
                ),
                "content/articles.source.json": "[{",
            },
            "not valid JSON",
        ),
        (
            {
                "manifest.json": manifest(
                    files={"articles.source": "content/articles.source.json"}
                ),
                "content/articles.source.json": '[{"pk": 1, "fields": {"x": 1}}]',
            },
            "does not know: x",
        ),
        ({"manifest.json": manifest(media=["../../evil.jpg"])}, "unsafe media"),
        ({"manifest.json": manifest(media=["lead/a.jpg"])}, "is missing"),
    ],
)
def test_foreign_or_damaged_archive_is_refused(db, tmp_path, entries, message):
    path = write_zip(tmp_path / "in.zip", entries)
    with pytest.raises(CommandError, match=message):
        call_command("import_content", str(path))
    assert not Source.objects.exists()


def test_not_a_zip_is_refused(db, tmp_path):
    path = tmp_path / "in.zip"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(CommandError, match="not a zip"):
        call_command("import_content", str(path))


def test_truncated_archive_is_refused(site, tmp_path):
    whole = export(tmp_path).read_bytes()
    wipe()
    path = tmp_path / "cut.zip"
    path.write_bytes(whole[: len(whole) - 200])
    with pytest.raises(CommandError):
        call_command("import_content", str(path))
    assert not Article.objects.exists()


def test_rows_that_do_not_fit_write_nothing(db, tmp_path):
    section = {
        "pk": 1,
        "fields": {"name": "A", "slug": "a", "path": "a", "parent": 99, "names": {}},
    }
    image = jpeg_bytes()
    path = write_zip(
        tmp_path / "in.zip",
        {
            "manifest.json": manifest(
                files={
                    "articles.source": "content/s.json",
                    "articles.section": "content/x.json",
                },
                media=["lead/a.jpg"],
            ),
            "content/s.json": json.dumps(
                [{"pk": 5, "fields": {"short_name": "CRI", "full_name": "CRI"}}]
            ),
            "content/x.json": json.dumps([section]),
            "media/lead/a.jpg": image,
        },
    )
    with pytest.raises(CommandError, match="do not fit"):
        call_command("import_content", str(path))
    assert not Source.objects.exists()
    assert not Section.objects.exists()
    assert not default_storage.exists("lead/a.jpg")


def test_a_country_tag_for_an_existing_country_is_reused(db, tmp_path):
    kz = country("KZ")
    path = write_zip(
        tmp_path / "in.zip",
        {
            "manifest.json": manifest(files={"articles.country": "content/c.json"}),
            "content/c.json": json.dumps(
                [{"pk": "KZ", "fields": {"name": kz.name, "slug": "kaz"}}]
            ),
        },
    )
    call_command("import_content", str(path), stdout=io.StringIO())
    assert Country.objects.get(code="KZ").slug == "kaz"
    assert Country.objects.count() > 200


def test_missing_archive_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="not a zip"):
        call_command("import_content", str(tmp_path / "nowhere.zip"))


def test_unknown_content_type_in_history_writes_nothing(db, tmp_path):
    revision = {
        "pk": 1,
        "fields": {"date_created": MICRO.isoformat(), "user": None, "comment": ""},
    }
    version = {
        "pk": 1,
        "fields": {
            "revision": 1,
            "object_id": "1",
            "content_type": ["nowhere", "nothing"],
            "db": "default",
            "format": "json",
            "serialized_data": "[]",
            "object_repr": "x",
        },
    }
    path = write_zip(
        tmp_path / "in.zip",
        {
            "manifest.json": manifest(
                files={
                    "reversion.revision": "content/r.json",
                    "reversion.version": "content/v.json",
                }
            ),
            "content/r.json": json.dumps([revision]),
            "content/v.json": json.dumps([version]),
        },
    )
    with pytest.raises(CommandError, match="do not fit"):
        call_command("import_content", str(path))
    assert not Revision.objects.exists()

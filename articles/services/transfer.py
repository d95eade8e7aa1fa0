"""
Moving a whole site: every row of the articles app (the countries that are
used or changed, not the whole ISO list every site has), optionally the
history, and the media files, into one zip archive and back into an empty
database. Generic over fields (model _meta), so fields added later travel
without changes here. The layout is documented in README.md.
"""

import base64
import datetime
import decimal
import importlib
import json
import uuid
import zipfile
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from articles import search
from articles.models import Article, Country

FORMAT_NAME = "newsroom-content"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
HISTORY_MODELS = ("reversion.revision", "reversion.version")

# The full ISO list comes with the migrations; only what differs travels.
_standard_countries = importlib.import_module(
    "articles.migrations.0002_countries_and_editors"
).iso_countries


class TransferError(Exception):
    """An archive that cannot be imported; nothing was written."""


# Derived from the stories and rebuilt on import, or the page cache's
# bookkeeping: never carried.
DERIVED_MODELS = (
    "articles.searchdocument",
    "articles.fulltextentry",
    "articles.pagegeneration",
)


def content_models():
    """The models whose rows are the site's content, in a stable order."""
    return [
        model
        for model in apps.get_app_config("articles").get_models(
            include_auto_created=True
        )
        if model._meta.label_lower not in DERIVED_MODELS and not model._meta.proxy
    ]


def _label(model):
    return model._meta.label_lower


def _fields(model):
    return [
        field
        for field in model._meta.concrete_fields
        if not getattr(field, "generated", False)
    ]


def _is_user(model):
    return model is get_user_model()


# Writing.


def _encode_value(value):
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _row(obj, fields, usernames, content_types):
    values = {}
    for model_field in fields:
        if model_field.is_relation:
            value = getattr(obj, model_field.attname)
            if value is not None and _is_user(model_field.related_model):
                value = usernames.get(value)
            elif value is not None and model_field.related_model is ContentType:
                value = content_types[value]
            values[model_field.name] = _encode_value(value)
        else:
            values[model_field.name] = _encode_value(model_field.value_from_object(obj))
    return {"pk": _encode_value(obj.pk), "fields": values}


def _exported_countries():
    used = set()
    for model in content_models():
        for model_field in _fields(model):
            if model_field.is_relation and model_field.related_model is Country:
                used.update(
                    model._base_manager.exclude(
                        **{f"{model_field.attname}__isnull": True}
                    ).values_list(model_field.attname, flat=True)
                )
    standard = _standard_countries()
    return [
        country
        for country in Country.objects.order_by("code")
        if country.code in used
        or standard.get(country.code) != country.name
        or country.slug != country.code.lower()
    ]


def _file_fields(model):
    return [f for f in _fields(model) if isinstance(f, models.FileField)]


def content_export(out, *, with_history=False):
    """
    Write the site's content to the zip file `out` (a path or a binary file).
    Returns the manifest.
    """
    usernames = dict(get_user_model().objects.values_list("pk", "username"))
    content_types = {
        ct.pk: [ct.app_label, ct.model] for ct in ContentType.objects.all()
    }
    model_list = content_models()
    if with_history:
        model_list += [apps.get_model(label) for label in HISTORY_MODELS]
    files, counts, media = {}, {}, set()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for model in model_list:
            label = _label(model)
            if model is Country:
                objects = _exported_countries()
            else:
                objects = model._base_manager.order_by("pk")
            fields = _fields(model)
            rows = [_row(obj, fields, usernames, content_types) for obj in objects]
            for obj in objects:
                for file_field in _file_fields(model):
                    name = getattr(obj, file_field.attname).name
                    if name:
                        media.add(name)
            files[label] = f"content/{label}.json"
            counts[label] = len(rows)
            archive.writestr(
                files[label], json.dumps(rows, ensure_ascii=False, indent=1)
            )
        for name in sorted(media):
            with default_storage.open(name, "rb") as stored:
                archive.writestr(f"media/{name}", stored.read())
        manifest = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "exported_at": timezone.now().isoformat(),
            "with_history": with_history,
            "files": files,
            "counts": counts,
            "media": sorted(media),
        }
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


# Reading.


def _safe_name(name):
    """A relative path with no way out of the folder it is unpacked into."""
    parts = name.split("/")
    return (
        bool(name)
        and not name.startswith("/")
        and "\\" not in name
        and ":" not in parts[0]
        and ".." not in parts
        and "" not in parts[:-1]
        and "\x00" not in name
    )


def _read_json(archive, name, what):
    try:
        return json.loads(archive.read(name).decode("utf-8"))
    except KeyError:
        raise TransferError(f"The archive has no {name} ({what}).") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TransferError(f"{name} is not valid JSON: {error}.") from None


@dataclass
class _Plan:
    """What an archive holds, checked, before anything is written."""

    manifest: dict
    tables: list = field(default_factory=list)  # (model, rows)
    media: dict = field(default_factory=dict)  # name -> bytes


def _check_manifest(archive):
    manifest = _read_json(archive, MANIFEST, "the manifest")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise TransferError(
            f"This is not a {FORMAT_NAME} archive: its manifest names another format."
        )
    version = manifest.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise TransferError("The manifest has no valid format version.")
    if version > FORMAT_VERSION:
        raise TransferError(
            f"The archive is in format version {version}, newer than this site "
            f"reads ({FORMAT_VERSION}). Update the site, then import again."
        )
    if not isinstance(manifest.get("files"), dict) or not isinstance(
        manifest.get("media", []), list
    ):
        raise TransferError("The manifest lists no data files.")
    return manifest


def _check_rows(model, rows, name):
    known = {model_field.name for model_field in _fields(model)}
    if not isinstance(rows, list):
        raise TransferError(f"{name} does not hold a list of rows.")
    for row in rows:
        if not (
            isinstance(row, dict)
            and "pk" in row
            and isinstance(row.get("fields"), dict)
        ):
            raise TransferError(f"{name} holds a row without pk and fields.")
        unknown = set(row["fields"]) - known
        if unknown:
            raise TransferError(
                f"{name} has fields this site does not know: {', '.join(sorted(unknown))}."
            )


def _plan(archive):
    bad = [
        info.filename for info in archive.infolist() if not _safe_name(info.filename)
    ]
    if bad:
        raise TransferError(f"The archive holds unsafe file names: {bad[0]!r}.")
    try:
        damaged = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise TransferError(f"The archive is damaged: {error}.") from None
    if damaged is not None:
        raise TransferError(f"The archive is damaged: {damaged} fails its check.")
    manifest = _check_manifest(archive)
    allowed = {_label(model): model for model in content_models()}
    allowed.update({label: apps.get_model(label) for label in HISTORY_MODELS})
    plan = _Plan(manifest)
    for label, name in manifest["files"].items():
        model = allowed.get(label)
        if model is None:
            raise TransferError(f"The archive holds rows of an unknown model: {label}.")
        if not isinstance(name, str) or not _safe_name(name):
            raise TransferError(f"The manifest names an unsafe file for {label}.")
        rows = _read_json(archive, name, label)
        _check_rows(model, rows, name)
        plan.tables.append((model, rows))
    for name in manifest.get("media", []):
        if not isinstance(name, str) or not _safe_name(name):
            raise TransferError(f"The manifest names an unsafe media file: {name!r}.")
        try:
            plan.media[name] = archive.read(f"media/{name}")
        except KeyError:
            raise TransferError(f"The media file {name} is missing.") from None
    return plan


def _users_by_name(plan):
    """Accounts named in the archive, made inactive and without password if new."""
    User = get_user_model()
    names = {
        value
        for model, rows in plan.tables
        for model_field in _fields(model)
        if model_field.is_relation and _is_user(model_field.related_model)
        for row in rows
        if (value := row["fields"].get(model_field.name))
    }
    users = dict(User.objects.filter(username__in=names).values_list("username", "pk"))
    for name in sorted(names - set(users)):
        user = User(username=name, is_active=False)
        user.set_unusable_password()
        user.save()
        users[name] = user.pk
    return users


def _instance(model, row, users):
    values = {}
    for model_field in _fields(model):
        if model_field.name not in row["fields"]:
            continue
        value = row["fields"][model_field.name]
        if model_field.is_relation:
            if value is not None and _is_user(model_field.related_model):
                value = users[value]
            elif value is not None and model_field.related_model is ContentType:
                value = ContentType.objects.get_by_natural_key(*value).pk
            else:
                value = model_field.target_field.to_python(value)
        elif isinstance(model_field, models.FileField):
            value = value or ""
        else:
            value = model_field.to_python(value)
        values[model_field.attname] = value
    values[model._meta.pk.attname] = model._meta.pk.to_python(row["pk"])
    return model(**values)


# The vocabulary every new site gets from its migrations; an archive's own
# rows replace it, so it does not make a database count as holding content.
SEEDED_MODELS = ("articles.topicalias", "articles.topic")


def _is_empty():
    return not any(
        model._base_manager.exists()
        for model in content_models()
        if model is not Country and model._meta.label_lower not in SEEDED_MODELS
    )


def content_import(source):
    """
    Recreate the content of the archive `source` (a path or a binary file)
    in an empty database. Raises TransferError, with nothing written, for a
    non-empty database or an archive that is damaged, foreign or too new.
    """
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as error:
        raise TransferError(f"This is not a zip archive: {error}.") from None
    with archive:
        plan = _plan(archive)
    if not _is_empty():
        raise TransferError(
            "The database already holds content; import only into an empty one."
        )
    imported = {}
    try:
        with transaction.atomic():
            for label in SEEDED_MODELS:
                apps.get_model(label)._base_manager.all().delete()
            users = _users_by_name(plan)
            for model, rows in plan.tables:
                for row in rows:
                    obj = _instance(model, row, users)
                    exists = (
                        model is Country and Country.objects.filter(pk=obj.pk).exists()
                    )
                    obj.save_base(raw=True, force_insert=not exists)
                imported[_label(model)] = len(rows)
            connection.check_constraints(
                table_names=[model._meta.db_table for model, _rows in plan.tables]
            )
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(
                    no_style(), [model for model, _rows in plan.tables]
                ):
                    cursor.execute(sql)
            search.index_all(Article.objects.all())
    except (
        ValidationError,
        ObjectDoesNotExist,
        DatabaseError,
        ValueError,
        TypeError,
        KeyError,
    ) as error:
        raise TransferError(f"The archive's rows do not fit: {error}") from None
    for name, data in plan.media.items():
        if default_storage.exists(name):
            default_storage.delete(name)
        default_storage.save(name, ContentFile(data))
    return imported

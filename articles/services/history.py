"""
A story's history under django-reversion: what a version held (tags
included), what changed between two versions, and restoring one as a new
version. The past is never rewritten.
"""

import difflib
import json
import re
from dataclasses import dataclass

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from articles.models import Article, Country, TaggedCountry, TaggedTopic, Topic

# What a restore leaves as it is: the workflow state, the trash and the record.
KEPT_ON_RESTORE = {
    "id",
    "status",
    "published_at",
    "expires_at",
    "deleted_at",
    "deleted_by",
    "revision",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
}

COMPARED_FIELDS = [
    ("headline", _("headline")),
    ("standfirst", _("standfirst")),
    ("body", _("body")),
    ("countries", _("countries")),
    ("topics", _("topics")),
]


def article_versions(article):
    """The versions of `article`, newest first, with who saved them."""
    return Version.objects.get_for_object(article).select_related("revision__user")


def article_version(article, version_id):
    """The version `version_id` of `article`, or None if it is not one."""
    return article_versions(article).filter(pk=version_id).first()


def _tag_versions(version):
    """The versions of the story's tag links saved with `version`."""
    article_pk = int(version.object_id)
    types = ContentType.objects.get_for_models(TaggedCountry, TaggedTopic)
    links = version.revision.version_set.filter(content_type__in=types.values())
    return [
        link for link in links if link.field_dict["content_object_id"] == article_pk
    ]


def _body_text(html):
    """The body as plain text, one paragraph a line, for comparing."""
    return strip_tags(re.sub(r"</(p|h\d|li|blockquote)>", "\n", html or "")).strip()


def _tag_names(model, pks):
    names = {tag.pk: str(tag) for tag in model.objects.filter(pk__in=pks)}
    return sorted(names.get(pk, str(pk)) for pk in pks)


def version_snapshot(version):
    """What a reader of `version` would compare: texts and tag names."""
    fields = version.field_dict
    links = _tag_versions(version)
    return {
        "headline": fields.get("headline", ""),
        "standfirst": fields.get("standfirst", ""),
        "body": _body_text(fields.get("body", "")),
        "countries": _tag_names(
            Country,
            [
                link.field_dict["tag_id"]
                for link in links
                if link._model is TaggedCountry
            ],
        ),
        "topics": _tag_names(
            Topic,
            [link.field_dict["tag_id"] for link in links if link._model is TaggedTopic],
        ),
    }


def current_snapshot(article):
    return {
        "headline": article.headline,
        "standfirst": article.standfirst,
        "body": _body_text(article.body),
        "countries": sorted(str(tag) for tag in article.countries.all()),
        "topics": sorted(str(tag) for tag in article.topics.all()),
    }


def _word_diff(old, new):
    """`old` against `new` word by word, as HTML with <del> and <ins>."""
    old_words = re.split(r"(\s+)", old)
    new_words = re.split(r"(\s+)", new)
    parts = []
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old_words[i1:i2])))
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(''.join(old_words[i1:i2]))}</del>")
        if i2 > i1 and j2 > j1:
            parts.append(" ")
        if j2 > j1:
            parts.append(f"<ins>{escape(''.join(new_words[j1:j2]))}</ins>")
    return mark_safe("".join(parts).replace("\n", "<br>"))


@dataclass
class Change:
    field: str
    label: str
    diff: str = ""
    added: tuple = ()
    removed: tuple = ()


def snapshot_changes(old, new):
    """The fields that differ between two snapshots, with what changed."""
    changes = []
    for field, label in COMPARED_FIELDS:
        if old[field] == new[field]:
            continue
        if isinstance(new[field], list):
            changes.append(
                Change(
                    field,
                    label,
                    added=tuple(name for name in new[field] if name not in old[field]),
                    removed=tuple(
                        name for name in old[field] if name not in new[field]
                    ),
                )
            )
        else:
            changes.append(
                Change(field, label, diff=_word_diff(old[field], new[field]))
            )
    return changes


@dataclass
class Conflict:
    """What others saved between the revision a form started from and now."""

    changes: list
    saved_by: object
    saved_at: object
    # False when the history does not reach back to the form's revision.
    base_known: bool = True


def stale_edit_conflict(article, *, since_revision):
    versions = list(article_versions(article)[:50])
    base = next(
        (v for v in versions if v.field_dict.get("revision") == since_revision), None
    )
    current = Article.objects.get(pk=article.pk)
    new = current_snapshot(current)
    old = version_snapshot(base) if base else dict.fromkeys(new, "")
    latest = versions[0].revision if versions else None
    return Conflict(
        changes=snapshot_changes(old, new),
        saved_by=current.updated_by,
        saved_at=latest.date_created if latest else current.updated_at,
        base_known=base is not None,
    )


def article_restore_version(article, *, version, by):
    """
    Make `version`'s text and tags the story's current state, as a new
    version. Status, times and the trash stay as they are: a restore changes
    what the story says, not whether readers see it.
    """
    if by is not None and not by.has_perm("articles.change_article"):
        raise PermissionDenied(gettext("You may not change stories."))
    if version.content_type.model_class() is not Article or version.object_id != str(
        article.pk
    ):
        raise ValueError("The version is not one of this story's.")
    stored = json.loads(version.serialized_data)[0]["fields"]
    field_values = version.field_dict
    links = _tag_versions(version)
    with reversion.create_revision():
        article = Article.objects.select_for_update().get(pk=article.pk)
        for name in stored:
            if name in KEPT_ON_RESTORE:
                continue
            field = Article._meta.get_field(name)
            value = field_values[field.attname]
            if (
                field.is_relation
                and value is not None
                and not field.related_model._base_manager.filter(pk=value).exists()
            ):
                # What it pointed to is gone; the story keeps what it has now.
                continue
            setattr(article, field.attname, value)
        article.updated_by = by
        # A slug taken by another story since then is refused, not a crash.
        article.validate_constraints()
        article.save()
        for model, tag_model in ((TaggedCountry, Country), (TaggedTopic, Topic)):
            wanted = [
                link.field_dict["tag_id"] for link in links if link._model is model
            ]
            # A tag merged away since then cannot come back; the rest do.
            existing = set(
                tag_model.objects.filter(pk__in=wanted).values_list("pk", flat=True)
            )
            model.objects.filter(content_object=article).exclude(
                tag__in=existing
            ).delete()
            present = set(
                model.objects.filter(content_object=article).values_list(
                    "tag", flat=True
                )
            )
            for tag_pk in existing - present:
                model.objects.create(content_object=article, tag_id=tag_pk)
        reversion.add_to_revision(article)
        reversion.set_user(by)
        reversion.set_comment(
            gettext("Restored the version of %(date)s.")
            % {"date": version.revision.date_created.isoformat(timespec="minutes")}
        )
    return article

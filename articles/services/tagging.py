"""
Every write to a story's tags and to the topic vocabulary, each one logged
as a TagEvent with who and when.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import (
    MERGE_PERMISSION,
    TAG_PERMISSION,
    Country,
    TagEvent,
    TaggedCountry,
    TaggedTopic,
    TagSuggestion,
    Topic,
    TopicAlias,
    TopicRedirect,
    normalize_name,
    usable_names,
)
from articles.tagging import article_text, get_matcher, vocabulary_changed


def _require(by, permission, message):
    if by is not None and not by.has_perm(permission):
        raise PermissionDenied(message)


def _require_tagger(by):
    _require(by, TAG_PERMISSION, _("You may not change the tags of stories."))


def _through(tag):
    return TaggedCountry if isinstance(tag, Country) else TaggedTopic


def _event(action, *, tag, by, article_id=None, detail=""):
    field = TagSuggestion.field_for(tag)
    return TagEvent(
        action=action,
        article_id=article_id,
        tag_name=str(tag.name if field == "topic" else tag.code),
        detail=detail,
        by=by,
        **{field: tag},
    )


def tag_events_for_change(article, *, added, removed, by):
    """Log tags a form added to or removed from `article` (it wrote them)."""
    events = [
        _event(TagEvent.Action.ADDED, tag=tag, by=by, article_id=article.pk)
        for tag in added
    ] + [
        _event(TagEvent.Action.REMOVED, tag=tag, by=by, article_id=article.pk)
        for tag in removed
    ]
    TagEvent.objects.bulk_create(events)
    # A tag added by hand settles its pending suggestion.
    for tag in added:
        TagSuggestion.objects.pending().filter(article=article).for_tag(tag).update(
            status=TagSuggestion.Status.ACCEPTED,
            decided_by=by,
            decided_at=timezone.now(),
        )


@transaction.atomic
def tag_add(tag, *, articles, by, action=TagEvent.Action.ADDED):
    """Give each of `articles` the country or topic `tag`; returns how many got it."""
    _require_tagger(by)
    through = _through(tag)
    ids = {article.pk for article in articles}
    has = set(
        through.objects.filter(tag=tag, content_object__in=ids).values_list(
            "content_object", flat=True
        )
    )
    new = sorted(ids - has)
    through.objects.bulk_create(
        [through(tag=tag, content_object_id=pk) for pk in new], ignore_conflicts=True
    )
    TagEvent.objects.bulk_create(
        [_event(action, tag=tag, by=by, article_id=pk) for pk in new]
    )
    TagSuggestion.objects.pending().filter(article__in=new).for_tag(tag).update(
        status=TagSuggestion.Status.ACCEPTED, decided_by=by, decided_at=timezone.now()
    )
    return len(new)


@transaction.atomic
def tag_remove(tag, *, articles, by):
    """Take `tag` off each of `articles`; returns how many had it."""
    _require_tagger(by)
    through = _through(tag)
    ids = {article.pk for article in articles}
    had = sorted(
        through.objects.filter(tag=tag, content_object__in=ids).values_list(
            "content_object", flat=True
        )
    )
    through.objects.filter(tag=tag, content_object__in=had).delete()
    TagEvent.objects.bulk_create(
        [_event(TagEvent.Action.REMOVED, tag=tag, by=by, article_id=pk) for pk in had]
    )
    return len(had)


def _decide(suggestion, *, status, action, by):
    """Settle a pending suggestion and log it; returns it and whether it was pending."""
    _require_tagger(by)
    suggestion = (
        TagSuggestion.objects.select_for_update(of=("self",))
        .select_related("country", "topic")
        .get(pk=suggestion.pk)
    )
    if suggestion.status != TagSuggestion.Status.PENDING:
        return suggestion, False
    suggestion.status = status
    suggestion.decided_by = by
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["status", "decided_by", "decided_at"])
    _event(
        action,
        tag=suggestion.tag,
        by=by,
        article_id=suggestion.article_id,
        detail=suggestion.matched_text,
    ).save()
    return suggestion, True


@transaction.atomic
def suggestion_accept(suggestion, *, by):
    """Make the suggested tag a tag of the story."""
    suggestion, pending = _decide(
        suggestion,
        status=TagSuggestion.Status.ACCEPTED,
        action=TagEvent.Action.ACCEPTED,
        by=by,
    )
    if pending:
        _through(suggestion.tag).objects.get_or_create(
            tag=suggestion.tag, content_object_id=suggestion.article_id
        )
    return suggestion


@transaction.atomic
def suggestion_reject(suggestion, *, by):
    """Refuse the suggested tag: it is not suggested again for this story."""
    suggestion, _pending = _decide(
        suggestion,
        status=TagSuggestion.Status.REJECTED,
        action=TagEvent.Action.REJECTED,
        by=by,
    )
    return suggestion


def suggestions_settle(*, articles, by=None):
    """
    Accept the pending suggestions of tags the stories carry already,
    however the tags came; returns how many were settled.
    """
    carried = Exists(
        TaggedCountry.objects.filter(
            content_object=OuterRef("article"), tag=OuterRef("country")
        )
    ) | Exists(
        TaggedTopic.objects.filter(
            content_object=OuterRef("article"), tag=OuterRef("topic")
        )
    )
    settled = TagSuggestion.objects.pending().filter(carried, article__in=articles)
    return settled.update(
        status=TagSuggestion.Status.ACCEPTED, decided_by=by, decided_at=timezone.now()
    )


@transaction.atomic
def article_suggest_tags(article, *, matcher=None):
    """
    Match the story's text against the vocabulary and keep its pending
    suggestions current. Tags it has and tags once rejected are left out.
    Returns the pending suggestions.
    """
    matcher = matcher or get_matcher()
    suggestions_settle(articles=[article])
    found = matcher.scan(article_text(article), article.language)
    has_countries = set(
        TaggedCountry.objects.filter(content_object=article).values_list(
            "tag", flat=True
        )
    )
    has_topics = set(
        TaggedTopic.objects.filter(content_object=article).values_list(
            "tag__slug", flat=True
        )
    )
    existing = {
        (s.country_id, s.topic.slug if s.topic_id else None): s
        for s in TagSuggestion.objects.filter(article=article).select_related("topic")
    }
    topic_ids = dict(
        Topic.objects.filter(
            slug__in=[key for kind, key in found if kind == "topic"]
        ).values_list("slug", "pk")
    )
    keep = set()
    for (kind, key), match in found.items():
        if kind == "country":
            if key in has_countries:
                continue
            ident, fields = (key, None), {"country_id": key}
        else:
            if key in has_topics or key not in topic_ids:
                continue
            ident, fields = (None, key), {"topic_id": topic_ids[key]}
        suggestion = existing.get(ident)
        if suggestion is None:
            suggestion = TagSuggestion.objects.create(
                article=article,
                matched_text=match.matched_text,
                match_count=match.count,
                **fields,
            )
        elif suggestion.status == TagSuggestion.Status.PENDING:
            suggestion.matched_text = match.matched_text
            suggestion.match_count = match.count
            suggestion.save(update_fields=["matched_text", "match_count"])
        keep.add(suggestion.pk)
    # Pending suggestions the text no longer supports, or tags given meanwhile.
    TagSuggestion.objects.pending().filter(article=article).exclude(
        pk__in=keep
    ).delete()
    return list(TagSuggestion.objects.pending().filter(article=article))


def _unused_alias_key(name):
    key = normalize_name(name) + ("*" if name.endswith("*") else "")
    return None if TopicAlias.objects.filter(normalized=key).exists() else key


def topic_alias_add(topic, *, name, language="", by):
    """Give `topic` another name; returns the alias, or None if the name is taken."""
    _require(by, "articles.add_topicalias", _("You may not add aliases."))
    name = name.strip()
    if not normalize_name(name):
        raise ValidationError(_("An alias needs a name."))
    if _unused_alias_key(name) is None:
        return None
    alias = TopicAlias.objects.create(topic=topic, name=name, language=language)
    _event(TagEvent.Action.ALIAS_ADDED, tag=topic, by=by, detail=name).save()
    vocabulary_changed()
    return alias


@transaction.atomic
def tag_rename(topic, *, name, by, language=None):
    """
    Rename `topic` (its main name, or its name in `language`); the old name
    stays an alias so stories that use it are still matched.
    """
    _require(by, "articles.change_topic", _("You may not rename topics."))
    name = name.strip()
    if not name:
        raise ValidationError(_("A topic needs a name."))
    old = usable_names(topic.names).get(language) if language else topic.name
    if old == name:
        return topic
    if language:
        topic.names = {**usable_names(topic.names), language: name}
    else:
        topic.name = name
    topic.save()
    if old and _unused_alias_key(old):
        TopicAlias.objects.create(topic=topic, name=old, language=language or "")
    _event(
        TagEvent.Action.RENAMED, tag=topic, by=by, detail=f"{old or '–'} → {name}"
    ).save()
    vocabulary_changed()
    return topic


@transaction.atomic
def tag_merge(source, *, into, by):
    """
    Merge the topic `source` into `into`: every story and suggestion moves
    over without duplicates, `source`'s names become aliases of `into`, its
    address redirects to `into`'s and its log joins `into`'s. `source` goes.
    Countries are fixed ISO concepts and are not merged.
    """
    _require(by, MERGE_PERMISSION, _("You may not merge topics."))
    if not isinstance(source, Topic) or not isinstance(into, Topic):
        raise ValidationError(_("Only topics can be merged."))
    if source.pk == into.pk:
        raise ValidationError(_("A topic cannot be merged into itself."))
    both = TaggedTopic.objects.filter(tag=into).values("content_object")
    TaggedTopic.objects.filter(tag=source, content_object__in=both).delete()
    moved = TaggedTopic.objects.filter(tag=source).update(tag=into)
    suggested = TagSuggestion.objects.filter(topic=into).values("article")
    TagSuggestion.objects.filter(topic=source, article__in=suggested).delete()
    TagSuggestion.objects.filter(topic=source).update(topic=into)
    TopicAlias.objects.filter(topic=source).update(topic=into)
    names = {
        source.name: "",
        **{n: lang for lang, n in usable_names(source.names).items()},
    }
    taken = {normalize_name(n) for n in [into.name, *usable_names(into.names).values()]}
    for name, language in names.items():
        if normalize_name(name) not in taken and _unused_alias_key(name):
            TopicAlias.objects.create(topic=into, name=name, language=language)
            taken.add(normalize_name(name))
    TopicRedirect.objects.filter(old_slug=into.slug).delete()
    TopicRedirect.objects.filter(topic=source).update(topic=into)
    TopicRedirect.objects.update_or_create(
        old_slug=source.slug, defaults={"topic": into}
    )
    TagEvent.objects.filter(topic=source).update(topic=into)
    _event(
        TagEvent.Action.MERGED,
        tag=into,
        by=by,
        detail=_("%(name)s (%(slug)s) merged in, %(count)d stories moved")
        % {"name": source.name, "slug": source.slug, "count": moved},
    ).save()
    source.delete()
    vocabulary_changed()
    return into

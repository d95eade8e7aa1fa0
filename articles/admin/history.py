"""
History in the admin: every save is a django-reversion version with who and
when; a list of versions, a comparison of any two (tags included), and a
restore that adds a version. Also the two guards against lost edits: the
notice that someone else opened the story, and the stale-save conflict.
ArticleAdmin lists HistoryAdminMixin in its bases.
"""

import reversion
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from articles import services
from articles.editorial import record_opening
from articles.services.history import (
    article_version,
    article_versions,
    current_snapshot,
    snapshot_changes,
    version_snapshot,
)

from .times import zoned_time


class HistoryAdminMixin:
    object_history_template = "admin/articles/article/history.html"
    compare_template = "admin/articles/article/compare.html"

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{name}_compare",
            ),
            path(
                "<path:object_id>/history/<int:version_id>/restore/",
                self.admin_site.admin_view(require_POST(self.restore_view)),
                name=f"{name}_restore",
            ),
            *super().get_urls(),
        ]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        if object_id and request.method == "GET":
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                extra_context["opened_by_others"] = record_opening(obj, request.user)
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            labels = [
                str(form.fields[name].label or name)
                for name in form.changed_data
                if name != "base_revision"
            ]
            comment = gettext("Changed: %(fields)s.") % {
                "fields": ", ".join(labels) or "–"
            }
        else:
            comment = gettext("Created.")
        reversion.set_comment(comment)

    def _story_or_404(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(gettext("No such story."))
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def _context(self, request, obj, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "object": obj,
            "title": title,
            "has_change_permission": self.has_change_permission(request, obj),
            **extra,
        }

    def history_view(self, request, object_id, extra_context=None):
        obj = self._story_or_404(request, object_id)
        context = self._context(
            request,
            obj,
            gettext("History: %(story)s") % {"story": obj},
            versions=article_versions(obj),
            **(extra_context or {}),
        )
        return TemplateResponse(request, self.object_history_template, context)

    def compare_view(self, request, object_id):
        obj = self._story_or_404(request, object_id)
        older = self._version_param(obj, request.GET.get("from"))
        newer = self._version_param(obj, request.GET.get("to", "current"))
        old = version_snapshot(older) if older else current_snapshot(obj)
        new = version_snapshot(newer) if newer else current_snapshot(obj)
        context = self._context(
            request,
            obj,
            gettext("Changes: %(story)s") % {"story": obj},
            older=older,
            newer=newer,
            changes=snapshot_changes(old, new),
        )
        return TemplateResponse(request, self.compare_template, context)

    def _version_param(self, obj, value):
        """A version of `obj` named in the query string; None is the current state."""
        if value in (None, "", "current"):
            return None
        if not value.isdigit():
            raise Http404(gettext("No such version."))
        version = article_version(obj, int(value))
        if version is None:
            raise Http404(gettext("No such version."))
        return version

    def restore_view(self, request, object_id, version_id):
        obj = self._story_or_404(request, object_id)
        # The story's own change permission: whoever may only tag may not
        # bring back another version's text.
        if not request.user.has_perm("articles.change_article"):
            raise PermissionDenied
        version = get_object_or_404(article_versions(obj), pk=version_id)
        try:
            services.article_restore_version(obj, version=version, by=request.user)
        except ValidationError as error:
            self.message_user(
                request,
                gettext("The version cannot be restored: %(reason)s")
                % {"reason": " ".join(error.messages)},
                messages.ERROR,
            )
            return HttpResponseRedirect(
                reverse("admin:articles_article_history", args=[obj.pk])
            )
        self.message_user(
            request,
            gettext("The version of %(date)s is restored as a new version.")
            % {"date": zoned_time(version.revision.date_created)},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse("admin:articles_article_change", args=[obj.pk])
        )

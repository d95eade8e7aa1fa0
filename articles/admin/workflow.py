"""
The editorial workflow in the admin: the transitions a user may make as
buttons and actions, the schedule shown with its zone, the trash, and the
preview link. ArticleAdmin lists WorkflowAdminMixin in its bases.
"""

from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from articles import services
from articles.models import Article
from articles.preview import preview_url
from articles.services.workflow import PUBLISH_PERMISSION, SERVICES, TRANSITIONS

from .times import zoned_time


def publication_state(article):
    """Where a story stands, in words an editor reads at a glance."""
    if article.is_in_trash:
        return gettext("in the trash since %(time)s") % {
            "time": zoned_time(article.deleted_at)
        }
    if article.is_scheduled:
        return gettext("scheduled for %(time)s") % {
            "time": zoned_time(article.published_at)
        }
    if article.status == Article.Status.PUBLISHED and article.is_expired:
        return gettext("expired at %(time)s") % {"time": zoned_time(article.expires_at)}
    if article.status == Article.Status.PUBLISHED and article.expires_at:
        return gettext("published, expires %(time)s") % {
            "time": zoned_time(article.expires_at)
        }
    return article.get_status_display()


class PublicationListFilter(admin.SimpleListFilter):
    title = _("publication")
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return [
            ("live", _("Public now")),
            ("scheduled", _("Scheduled")),
            ("expired", _("Expired")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "live":
            return queryset.filter(pk__in=Article.objects.published().values("pk"))
        if self.value() == "scheduled":
            return queryset.filter(
                status=Article.Status.PUBLISHED, published_at__gt=now
            )
        if self.value() == "expired":
            return queryset.filter(
                Q(expires_at__lte=now), status=Article.Status.PUBLISHED
            )
        return queryset


class TrashListFilter(admin.SimpleListFilter):
    """Without a choice the list leaves the trash out; "In the trash" shows it."""

    title = _("trash")
    parameter_name = "trash"

    def lookups(self, request, model_admin):
        return [("yes", _("In the trash"))]

    def choices(self, changelist):
        # The first choice, "All" elsewhere, is what the list shows by default.
        choices = list(super().choices(changelist))
        choices[0]["display"] = gettext("Not in the trash")
        yield from choices

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.in_trash()
        return queryset.not_in_trash()


def _transition_action(name):
    """An admin action that makes one transition on every story it may."""
    transition = TRANSITIONS[name]
    service = SERVICES[name]
    needs = "publish" if transition.permission == PUBLISH_PERMISSION else "change"

    @admin.action(description=transition.label, permissions=[needs])
    def action(modeladmin, request, queryset):
        done = skipped = 0
        for article in queryset:
            if not transition.allowed_from(article):
                skipped += 1
                continue
            try:
                service(article, by=request.user)
            except PermissionDenied as error:
                modeladmin.message_user(request, str(error), messages.ERROR)
                return
            done += 1
        modeladmin.message_user(
            request,
            gettext("%(action)s: %(done)d done, %(skipped)d skipped.")
            % {"action": transition.label, "done": done, "skipped": skipped},
            messages.SUCCESS if done else messages.WARNING,
        )

    action.__name__ = f"workflow_{name}"
    return action


class WorkflowAdminMixin:
    change_form_template = "admin/articles/article/change_form.html"

    def get_list_filter(self, request):
        return [
            PublicationListFilter,
            TrashListFilter,
            *super().get_list_filter(request),
        ]

    def get_readonly_fields(self, request, obj=None):
        return [
            *super().get_readonly_fields(request, obj),
            "status",
            "state",
            "preview_link",
        ]

    @admin.display(description=_("state"))
    def state(self, article):
        if article.pk is None:
            return Article.Status.DRAFT.label
        return publication_state(article)

    actions = [
        *(_transition_action(name) for name in TRANSITIONS),
        "trash_selected",
        "restore_selected",
        "purge_selected",
    ]

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        # Deleting is moving to the trash, through its own action.
        actions.pop("delete_selected", None)
        return actions

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    def has_purge_permission(self, request):
        return request.user.is_superuser

    def _bulk(self, request, queryset, service, message):
        count = 0
        try:
            for article in queryset:
                service(article, by=request.user)
                count += 1
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(request, message(count), messages.SUCCESS)

    @admin.action(
        description=_("Move the selected stories to the trash"),
        permissions=["delete"],
    )
    def trash_selected(self, request, queryset):
        self._bulk(
            request,
            queryset.not_in_trash(),
            services.article_trash,
            lambda n: (
                ngettext(
                    "%(count)d story moved to the trash.",
                    "%(count)d stories moved to the trash.",
                    n,
                )
                % {"count": n}
            ),
        )

    @admin.action(
        description=_("Restore the selected stories from the trash"),
        permissions=["change"],
    )
    def restore_selected(self, request, queryset):
        self._bulk(
            request,
            queryset.in_trash(),
            services.article_restore_from_trash,
            lambda n: (
                ngettext(
                    "%(count)d story restored from the trash.",
                    "%(count)d stories restored from the trash.",
                    n,
                )
                % {"count": n}
            ),
        )

    @admin.action(
        description=_("Delete the selected stories in the trash for good"),
        permissions=["purge"],
    )
    def purge_selected(self, request, queryset):
        self._bulk(
            request,
            queryset.in_trash(),
            services.article_purge,
            lambda n: (
                ngettext(
                    "%(count)d story deleted for good.",
                    "%(count)d stories deleted for good.",
                    n,
                )
                % {"count": n}
            ),
        )

    @staticmethod
    def _purges(request, obj):
        """Deleting a story moves it to the trash; a superuser empties it."""
        return obj.is_in_trash and request.user.is_superuser

    def delete_model(self, request, obj):
        if self._purges(request, obj):
            services.article_purge(obj, by=request.user)
        else:
            services.article_trash(obj, by=request.user)

    def get_deleted_objects(self, objs, request):
        if all(self._purges(request, obj) for obj in objs):
            return super().get_deleted_objects(objs, request)
        # The trash deletes nothing: no related rows to list or to be allowed.
        return [], {}, set(), []

    def render_delete_form(self, request, context):
        purges = self._purges(request, context["object"])
        context["purges"] = purges
        if not purges:
            context["title"] = gettext("Move to the trash?")
        return super().render_delete_form(request, context)

    def response_delete(self, request, obj_display, obj_id):
        if Article.objects.filter(pk=obj_id).exists():
            message = gettext("“%(story)s” is in the trash now.")
        else:
            message = gettext("“%(story)s” is deleted for good.")
        self.message_user(request, message % {"story": obj_display}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_article_changelist"))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.transition_name = request.POST.get("_transition") or None
        return form

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.transition_name:
            SERVICES[form.transition_name](form.instance, by=request.user)
            self.message_user(
                request,
                gettext("“%(story)s” is now: %(state)s.")
                % {"story": form.instance, "state": publication_state(form.instance)},
                messages.SUCCESS,
            )

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        obj = kwargs.get("obj")
        probe = obj if obj is not None else Article()
        context["transitions"] = services.transitions_for(probe, request.user)
        return super().render_change_form(request, context, add, change, **kwargs)

    def _stay_on_form(self, request, obj):
        return HttpResponseRedirect(
            reverse("admin:articles_article_change", args=[obj.pk])
        )

    def response_change(self, request, obj):
        if "_transition" in request.POST:
            return self._stay_on_form(request, obj)
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if "_transition" in request.POST:
            return self._stay_on_form(request, obj)
        return super().response_add(request, obj, post_url_continue)

    @admin.display(description=_("preview"))
    def preview_link(self, article):
        if article.pk is None or article.is_public or article.is_in_trash:
            return "–"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            preview_url(article),
            gettext("Preview on the site"),
        )

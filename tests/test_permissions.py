"""
The permission matrix: anonymous, moderator, editor and superuser against
every admin screen and action and every public URL. The lists are read from
the admin registry and the URL resolver, so screens added later are covered
without touching this file.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.urls import get_resolver, reverse

from tests import factories
from tests.factories import UserFactory
from tests.urlmap import public_urls, sample_story, walk

ROLES = ["anonymous", "moderator", "editor", "superuser"]

# What a moderator may do where the Moderators group is not defined yet:
# read stories, tag them and keep the vocabularies.
MODERATOR_PERMISSIONS = [
    "view_article",
    "change_article",
    "view_section",
    "view_source",
    "view_country",
    "change_country",
    "view_topic",
    "add_topic",
    "change_topic",
]


def make_user(role):
    if role == "anonymous":
        return None
    if role == "superuser":
        return UserFactory(username="root", is_staff=True, is_superuser=True)
    user = UserFactory(username=role, is_staff=True)
    if role == "editor":
        user.groups.add(Group.objects.get(name="Editors"))
    else:
        group = Group.objects.filter(name="Moderators").first()
        if group is not None:
            user.groups.add(group)
        else:
            user.user_permissions.set(
                Permission.objects.filter(
                    content_type__app_label="articles",
                    codename__in=MODERATOR_PERMISSIONS,
                )
            )
    return user


@pytest.fixture
def content(db):
    return sample_story()


def sample_object(model):
    """An instance to open in the admin: an existing one, else from a factory."""
    obj = model._default_manager.order_by("pk").first()
    if obj is None:
        factory = getattr(factories, f"{model.__name__}Factory", None)
        if factory is not None:
            obj = factory()
    return obj


def request_as(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def admin_screens(user):
    """(url, allowed, description) for each registered ModelAdmin's views."""
    request = request_as(user)
    for model, model_admin in admin.site._registry.items():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        yield (
            reverse(f"{info}_changelist"),
            model_admin.has_view_or_change_permission(request),
            f"{model.__name__} list",
        )
        yield (
            reverse(f"{info}_add"),
            model_admin.has_add_permission(request),
            f"{model.__name__} add",
        )
        obj = sample_object(model)
        if obj is None:
            continue
        for view, allowed in [
            ("change", model_admin.has_view_or_change_permission(request, obj)),
            ("delete", model_admin.has_delete_permission(request, obj)),
            ("history", model_admin.has_view_or_change_permission(request, obj)),
        ]:
            yield (
                reverse(f"{info}_{view}", args=[obj.pk]),
                allowed,
                f"{model.__name__} {view}",
            )


# Grants that go past the model permissions on purpose, and the permission
# behind each: whoever may tag changes a story's countries and topics, and
# nothing else (tested field by field in test_moderation_admin), and works
# the moderation queue.
DECLARED_GRANTS = {
    ("Article", "change"): "articles.tag_article",
    ("ModerationItem", "change"): "articles.tag_article",
}


def admin_grants_beyond_model_permissions(user):
    """ModelAdmins that allow more than the user's model permissions."""
    request = request_as(user)
    found = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        for action, granted in [
            ("add", model_admin.has_add_permission(request)),
            ("change", model_admin.has_change_permission(request)),
            ("delete", model_admin.has_delete_permission(request)),
        ]:
            codename = f"{opts.app_label}.{action}_{opts.model_name}"
            declared = DECLARED_GRANTS.get((model.__name__, action))
            backed = user.has_perm(codename) or (
                declared is not None and user.has_perm(declared)
            )
            if granted and not backed:
                found.append(f"{model.__name__}: {action}")
    return found


def client_as(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_admin_screens_follow_the_model_permissions(client, content, role):
    user = make_user(role)
    client = client_as(client, user)
    wrong = []
    for url, allowed, description in admin_screens(
        user or UserFactory(username="nobody")
    ):
        response = client.get(url)
        expected = 302 if user is None else 200 if allowed else 403
        moved_on = (
            allowed
            and response.status_code == 302
            and not response["Location"].startswith(reverse("admin:login"))
        )
        if response.status_code != expected and not moved_on:
            wrong.append(f"{description} {url}: {response.status_code} != {expected}")
        if user is None and not response["Location"].startswith(reverse("admin:login")):
            wrong.append(f"{description} {url}: not sent to the login page")
    assert wrong == []


@pytest.mark.parametrize("role", ["moderator", "editor"])
def test_no_admin_allows_more_than_the_model_permissions(content, role):
    assert admin_grants_beyond_model_permissions(make_user(role)) == []


@pytest.mark.parametrize("role", ROLES)
def test_admin_actions_run_only_for_those_allowed(client, content, role):
    user = make_user(role)
    client = client_as(client, user)
    root = UserFactory(username="actions-root", is_staff=True, is_superuser=True)
    wrong = []
    for model, model_admin in admin.site._registry.items():
        obj = sample_object(model)
        if obj is None:
            continue
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        permitted = set(model_admin.get_actions(request_as(user))) if user else set()
        for name in model_admin.get_actions(request_as(root)):
            before = model_to_dict(model._default_manager.get(pk=obj.pk))
            response = client.post(
                reverse(f"{info}_changelist"),
                {"action": name, "_selected_action": [obj.pk], "index": 0},
            )
            after = model._default_manager.filter(pk=obj.pk).first()
            if response.status_code >= 500:
                wrong.append(f"{model.__name__}.{name}: {response.status_code}")
            if name not in permitted and (
                after is None or model_to_dict(after) != before
            ):
                wrong.append(f"{model.__name__}.{name}: ran for {role}")
            if user is None and response.status_code != 302:
                wrong.append(f"{model.__name__}.{name}: anonymous not redirected")
    assert wrong == []


@pytest.mark.parametrize("role", ROLES)
def test_public_urls_answer_every_role_alike(client, content, role):
    urls = public_urls(content)
    anonymous = {url: client.get(url).status_code for url in urls}
    client = client_as(client, make_user(role))
    wrong = []
    for url in urls:
        status = client.get(url).status_code
        if status >= 500 or status in (401, 403) or status != anonymous[url]:
            wrong.append(f"{url}: {status} (anonymous: {anonymous[url]})")
    assert urls
    assert wrong == []


def test_public_urls_cover_home_story_and_tag_pages(content):
    urls = public_urls(content)
    assert reverse("articles:home") in urls
    assert content.get_absolute_url() in urls
    assert reverse("articles:country", kwargs={"slug": "kz"}) in urls


# The admin's own pages that anyone may open.
ADMIN_OPEN_PAGES = {"admin:login", "admin:logout"}


def test_every_other_admin_page_sends_anonymous_to_login(client, content):
    names = [
        name
        for name, pattern in walk(get_resolver().url_patterns)
        if name.startswith("admin:")
        and not pattern.pattern.regex.groups
        and name not in ADMIN_OPEN_PAGES
    ]
    wrong = []
    for name in names:
        response = client.get(reverse(name))
        if response.status_code != 302 or not response["Location"].startswith(
            reverse("admin:login")
        ):
            wrong.append(f"{name}: {response.status_code}")
    assert len(names) > 10
    assert wrong == []

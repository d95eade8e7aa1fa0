"""
Real-browser tests: Playwright drives Debian's Chromium against the live
server. Without /usr/bin/chromium they are skipped, and say why.
"""

import os
from importlib import import_module
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# refuses to run in it unless told that this is intended.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

# Rows that data migrations load, by module and function.
MIGRATION_DATA = [
    (
        "articles.migrations.0002_countries_and_editors",
        ["load_countries", "create_editors"],
    ),
    (
        "articles.migrations.0004_tagging_topics_and_moderators",
        ["load_topics", "create_moderators"],
    ),
]


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason=f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
    )
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(
        locale="de-DE", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _migration_data(transactional_db):
    """
    Browser tests need a live server, so each ends with a flushed database,
    which empties what the data migrations loaded (countries, topics,
    groups). Load it again, with the migrations' own code and model states.
    """
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    if Group.objects.filter(name__in=["Editors", "Moderators"]).count() == 2:
        return
    state_apps = MigrationLoader(connection).project_state().apps
    for module, functions in MIGRATION_DATA:
        migration = import_module(module)
        for function in functions:
            getattr(migration, function)(state_apps, None)


@pytest.fixture
def demo_site(_migration_data, live_server):
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    return live_server


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# refuses to run there unless told it is safe, which it is for tests.
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


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Browser tests need Debian's Chromium: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


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


@pytest.fixture(autouse=True)
def _migration_data(transactional_db):
    """
    Browser tests need a live server, so each ends with a flushed database,
    which empties what the data migrations loaded (countries, topics,
    groups). Load it again, with the migrations' own code and model states.
    """
    from importlib import import_module

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

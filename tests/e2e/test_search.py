import pytest
from playwright.sync_api import expect

from tests.factories import ArticleFactory, SourceFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SEED_BODY = (
    "<p>Der chinesische Staatspräsident Xi Jinping weilte am Mittwoch zu einem "
    "Staatsbesuch in Kasachstan.</p>"
    "<p>Nach der Begrüßungszeremonie im Präsidentenamt lud der kasachische "
    "Präsident Kassym-Jomart Tokajew Xi Jinping zum Besuch der Kunstausstellung "
    "„Kasachstan-China Millenniumsdialog“ ein.</p>"
)


def test_search_finds_the_seed_story_with_the_match_highlighted(live_server, page):
    ArticleFactory(
        headline="Xi Jinping zu Staatsbesuch in Kasachstan",
        body=SEED_BODY,
        source=SourceFactory(short_name="CRI"),
    )
    page.goto(f"{live_server.url}/de/")
    header_search = page.locator(".site-header").get_by_role("searchbox")
    header_search.fill("Kasachstans")
    header_search.press("Enter")

    expect(
        page.get_by_role("link", name="Xi Jinping zu Staatsbesuch in Kasachstan")
    ).to_be_visible()
    expect(page.locator(".card__excerpt mark").first).to_have_text("Kasachstan")
    assert "q=Kasachstans" in page.url


def test_search_page_form_searches_again(live_server, page):
    ArticleFactory(headline="Gipfel in Samarkand", body="<p>Usbekistan lädt ein.</p>")
    page.goto(f"{live_server.url}/de/search/")
    form_search = page.get_by_role("main").get_by_role("searchbox")
    form_search.fill("Samarkand")
    form_search.press("Enter")
    expect(page.get_by_role("link", name="Gipfel in Samarkand")).to_be_visible()

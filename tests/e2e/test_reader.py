import re

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.e2e

SEED_HEADLINE = "Xi Jinping zu Staatsbesuch in Kasachstan"
SERIOUS = {"serious", "critical"}


def test_reader_journey(demo_site, page):
    expect = pytest.importorskip("playwright.sync_api").expect
    page.goto(demo_site.url + "/")
    assert page.url == demo_site.url + "/de/"

    page.get_by_role("navigation", name="Rubriken").get_by_role(
        "link", name="BRI-Nachrichten"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("BRI-Nachrichten")

    page.get_by_role("link", name=SEED_HEADLINE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SEED_HEADLINE)
    expect(page.locator(".dateline")).to_have_text(
        "Freitag, 16. September 2022 Quelle : CRI"
    )

    page.locator(".story__footer").get_by_role("link", name="Kasachstan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kasachstan")
    assert page.url.endswith("/de/country/kz/")

    page.get_by_role("link", name="Stöbern").first.click()
    page.get_by_role(
        "checkbox", name="Shanghaier Organisation für Zusammenarbeit"
    ).check()
    page.get_by_label("Datum von").fill("2022-01-01")
    page.get_by_label("Datum bis").fill("2022-12-31")
    page.get_by_role("button", name="Meldungen anzeigen").click()
    results = page.locator(".browse__results")
    expect(results.get_by_role("link", name=SEED_HEADLINE)).to_be_visible()
    assert "date_from=2022-01-01" in page.url
    for date in results.locator("time").all_inner_texts():
        assert date.endswith(" 2022")

    page.get_by_role("link", name=SEED_HEADLINE).click()
    page.get_by_role("navigation", name="Sprache").get_by_role(
        "link", name="English"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Xi Jinping on state visit to Kazakhstan"
    )
    expect(page.locator(".dateline")).to_have_text(
        "Friday, 16 September 2022 Source : CRI"
    )
    assert re.search(r"/en/2022/09/16/[\w-]+/$", page.url)


PAGE_TYPES = {
    "home": "/de/",
    "home-en": "/en/",
    "section": "/de/section/bri-nachrichten/aktuelles/",
    "story": "/de/2022/09/16/xi-jinping-zu-staatsbesuch-in-kasachstan/",
    "story-image": "/de/2026/11/20/neuer-containerzug-verbindet-xian-und-almaty-in-sechs-tagen/",
    "story-en": "/en/2022/09/16/xi-jinping-on-state-visit-to-kazakhstan/",
    "country": "/de/country/kz/",
    "topic": "/en/topic/sco/",
    "browse": "/de/browse/?topics=sco&date_from=2022-01-01",
    "browse-invalid": "/de/browse/?date_from=morgen",
    "not-found": "/de/gibt-es-nicht/",
}


def test_every_page_type_passes_axe(demo_site, page, screenshot):
    axe = Axe()
    problems = {}
    for name, path in PAGE_TYPES.items():
        response = page.goto(demo_site.url + path)
        assert response.status == (404 if name == "not-found" else 200), name
        screenshot(page, name)
        violations = axe.run(page).response["violations"]
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']}"
            for v in violations
            if v["impact"] in SERIOUS
        ]
        if serious:
            problems[name] = serious
    assert not problems, problems


def test_phone_width_has_no_horizontal_scroll(demo_site, browser, screenshot):
    context = browser.new_context(
        locale="de-DE", viewport={"width": 360, "height": 740}
    )
    page = context.new_page()
    for name in ("home", "story-image", "browse"):
        page.goto(demo_site.url + PAGE_TYPES[name])
        screenshot(page, f"{name}-360px")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, name
    context.close()

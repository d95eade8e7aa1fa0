import pytest

from articles.text import make_slug, plain_text, sanitize_html, teaser
from tests.factories import ArticleFactory


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href="  javascript:alert(1)">x</a>',
        '<p onmouseover="alert(1)">x</p>',
        '<iframe src="https://example.org"></iframe>',
        "<svg><script>alert(1)</script></svg>",
        "<style>body{display:none}</style>",
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
        '<form action="https://evil.example"><input name="q"></form>',
    ],
)
def test_sanitiser_removes_attack(attack):
    cleaned = sanitize_html(attack).lower()
    for needle in (
        "<script",
        "onerror",
        "onmouseover",
        "javascript:",
        "<iframe",
        "<style",
        "data:",
        "<form",
    ):
        assert needle not in cleaned


def test_sanitiser_keeps_what_the_editor_makes():
    html = (
        "<h2>Titel</h2><p><strong>fett</strong> <em>kursiv</em> "
        '<a href="https://example.org">Link</a></p><ul><li>eins</li></ul>'
        "<blockquote><p>Zitat</p></blockquote>"
    )
    cleaned = sanitize_html(html)
    assert "<h2>Titel</h2>" in cleaned
    assert "<strong>fett</strong>" in cleaned
    assert 'href="https://example.org"' in cleaned
    assert 'rel="noopener noreferrer"' in cleaned
    assert "<li>eins</li>" in cleaned


def test_sanitiser_empties_an_empty_editor_paragraph():
    assert sanitize_html("<p></p>") == ""


def test_slug_of_a_headline_without_letters_is_not_empty():
    assert make_slug("!!!") == "story"


def test_plain_text_separates_paragraphs_with_a_space():
    body = "<p>mehr als im Vorjahr.</p><p>Die kasachische Bahn</p>"

    assert plain_text(body) == "mehr als im Vorjahr. Die kasachische Bahn"


def test_plain_text_separates_list_items_headings_and_breaks():
    body = "<h2>Zahlen</h2><ul><li>eins</li><li>zwei</li></ul><p>drei<br>vier</p>"

    assert plain_text(body) == "Zahlen eins zwei drei vier"


def test_plain_text_keeps_inline_markup_inside_words_and_decodes_entities():
    body = "<p><b>Seiden</b>straße &amp; <i>Zug</i>.</p>"

    assert plain_text(body) == "Seidenstraße & Zug."


@pytest.mark.django_db
def test_teaser_from_the_body_does_not_run_paragraphs_together():
    article = ArticleFactory(
        standfirst="", body="<p>mehr als im Vorjahr.</p><p>Die kasachische Bahn</p>"
    )

    assert teaser(article) == "mehr als im Vorjahr. Die kasachische Bahn"


@pytest.mark.django_db
def test_teaser_is_the_standfirst_when_there_is_one():
    article = ArticleFactory(standfirst="Kurz gesagt.", body="<p>Lang.</p>")

    assert teaser(article) == "Kurz gesagt."


@pytest.mark.django_db
def test_teaser_from_the_body_is_cut_after_its_words():
    article = ArticleFactory(standfirst="", body="<p>eins zwei</p><p>drei vier</p>")

    assert teaser(article, words=3) == "eins zwei drei…"


def test_slug_parts_words_at_dashes_of_every_kind():
    assert make_slug("Bahnstrecke China–Kirgisistan–Usbekistan") == (
        "bahnstrecke-china-kirgisistan-usbekistan"
    )
    assert make_slug("Zug—Bahn\u2011Hof/Halle") == "zug-bahn-hof-halle"

"""
Fuzzing with hypothesis: whatever a reader types into a URL or a query
string, and whatever bytes an import file holds, the answer is a page, a
400 or a 404, or a ParseError; never a 500 and never a stack trace.
"""

import string
from urllib.parse import quote

import pytest
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.translation import override
from hypothesis import given
from hypothesis import strategies as st

from articles.plaintext import ParseError, parse_story
from tests.urlmap import public_urls, sample_story

# Names the site's pages read, plus whatever else a client may send.
KNOWN_PARAMETERS = [
    "page", "q", "sort", "ordering", "o", "section", "country", "topic",
    "source", "language", "from", "to", "date", "year", "month", "format",
]  # fmt: skip
SEARCH_SYNTAX = "&|!():*'\"<>-+~%_\\/@#\x00"

hostile_text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=SEARCH_SYNTAX + string.ascii_letters, max_size=30),
    st.sampled_from(
        ["-1", "0", "99999999999999999999", "1e9", "NaN", "", " ", "ä" * 500]
    ),
    st.integers().map(str),
)
query_strings = st.dictionaries(
    st.one_of(st.sampled_from(KNOWN_PARAMETERS), st.text(min_size=1, max_size=12)),
    st.one_of(hostile_text, st.lists(hostile_text, max_size=3)),
    max_size=4,
)


@pytest.fixture
def site(db):
    return public_urls(sample_story())


def assert_handled(response):
    assert response.status_code < 500, response.status_code
    assert b"Traceback" not in response.content


@given(data=st.data())
def test_query_strings_never_break_a_public_page(client, site, data):
    url = data.draw(st.sampled_from(site))
    params = data.draw(query_strings)
    assert_handled(client.get(url, params))


@given(data=st.data())
def test_odd_path_segments_never_break_a_public_page(client, site, data):
    url = data.draw(st.sampled_from(site))
    # Language-prefixed patterns resolve only in their own language.
    with override(url.split("/")[1]):
        arguments = resolve(url).kwargs
    if not arguments:
        url = url + quote(data.draw(st.text(min_size=1, max_size=40))) + "/"
    else:
        value = str(data.draw(st.sampled_from(sorted(arguments.values(), key=str))))
        odd = data.draw(st.text(min_size=1, max_size=60))
        url = url.replace(value, quote(odd, safe=""), 1)
    assert_handled(client.get(url))


def reverse_or_skip(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        pytest.skip(f"{name} does not exist in this branch yet")


@given(query=hostile_text)
def test_search_box_takes_any_text(client, site, query):
    assert_handled(client.get(reverse_or_skip("articles:search"), {"q": query}))


@given(params=query_strings)
def test_browse_filters_take_any_values(client, site, params):
    assert_handled(client.get(reverse_or_skip("articles:browse"), params))


def assert_parsed_or_refused(data):
    """A story with a headline and a body, or a ParseError that says why."""
    try:
        story = parse_story(data)
    except ParseError as error:
        assert str(error)
    else:
        assert story.headline
        assert story.paragraphs


@given(data=st.binary(max_size=3000))
def test_import_parser_accepts_or_refuses_any_bytes(data):
    assert_parsed_or_refused(data)


story_lines = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "Nachrichtenverbund der Seidenstraßen-Initiative",
                "BRNN>>„Belt and Road“-Nachrichtennetzwerk>>BRI-Nachrichten>>Aktuelles",
                "Xi Jinping zu Staatsbesuch in Kasachstan",
                "Freitag, 16. September 2022 Quelle : CRI",
                "Friday, 16 September 2022 Source : CRI",
                "Montag, 31. Februar 2022 Quelle : CRI",
                ">>",
                "Der Text.",
            ]
        ),
        st.text(max_size=80),
    ),
    max_size=8,
)


@given(lines=story_lines)
def test_import_parser_accepts_or_refuses_near_stories(lines):
    assert_parsed_or_refused("\n".join(lines).encode())

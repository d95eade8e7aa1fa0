import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Topic
from articles.plaintext import parse_story
from articles.tagging import build_matcher, get_matcher, vocabulary_changed
from tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

SEED = Path(settings.BASE_DIR) / "demo" / "stories" / "000_174494c28651cc06.txt"
LABELLED = Path(__file__).parent / "data" / "tagging"


@pytest.fixture
def matcher(db):
    return build_matcher()


def countries(matcher, text, language="de"):
    return matcher.suggest(text, language)["countries"]


def topics(matcher, text, language="de"):
    return matcher.suggest(text, language)["topics"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Kasachstan", "KZ"),
        ("Kasachstans Präsident", "KZ"),
        ("die Politik Irans", "IR"),
        ("Казахстан", "KZ"),
        ("в Казахстане", "KZ"),
        ("Россия и Китай", "RU"),
    ],
)
def test_country_name_matches_with_its_inflections(matcher, text, code):
    assert code in countries(matcher, text)


@pytest.mark.parametrize(
    "text",
    [
        "der kasachische Präsident",
        "mit kasachischen Partnern",
        "ein kasachischer Händler",
        "kasachisches Getreide",
        "im kasachischem Stil",
        "die Kasachen",
    ],
)
def test_german_adjectives_and_demonyms_match_in_every_form(matcher, text):
    assert countries(matcher, text) == ["KZ"]


def test_compound_adjective_names_both_countries(matcher):
    text = "die chinesisch-kasachische Zusammenarbeit"
    assert countries(matcher, text) == ["CN", "KZ"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("die chinesischen Firmen", ["CN"]),
        ("usbekische Baumwolle", ["UZ"]),
        ("russischen Weizen", ["RU"]),
    ],
)
def test_other_core_adjectives_match(matcher, text, expected):
    assert countries(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Gipfel in Samarkand", "UZ"),
        ("von Nur-Sultan", "KZ"),
        ("nach Astana", "KZ"),
        ("in Khorgos", "KZ"),
        ("in Peking", "CN"),
        ("in Beijing", "CN"),
    ],
)
def test_cities_of_core_countries_name_their_country(matcher, text, code):
    assert countries(matcher, text) == [code]


@pytest.mark.parametrize(
    "text",
    [
        "Lesungen aus Romanen",
        "eine Perücke aus Rosshaar",
        "Perücken und Masken",
        "sie handeln schnell",
        "nur wenige",
    ],
)
def test_names_inside_other_words_do_not_match(matcher, text):
    assert matcher.suggest(text, "de") == {"countries": [], "topics": []}


def test_a_name_as_a_whole_word_matches_next_to_a_trap(matcher):
    assert countries(matcher, "Romane aus Oman und Peru") == ["OM", "PE"]


def test_case_does_not_matter_for_names(matcher):
    assert countries(matcher, "KASACHSTAN und kasachstan") == ["KZ"]


def test_acronyms_match_only_in_capitals(matcher):
    assert countries(matcher, "Let us go", "en") == []
    assert countries(matcher, "the US economy", "en") == ["US"]
    assert topics(matcher, "Die SOZ tagt") == ["sco"]
    assert topics(matcher, "soz. Wohnungsbau") == []


def test_country_names_count_in_the_story_language_only(matcher):
    # Island is Iceland in German, an island in English.
    assert countries(matcher, "Island", "de") == ["IS"]
    assert countries(matcher, "a small island", "en") == []


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("die Seidenstraßeninitiative", "bri"),
        ("die „Belt and Road“-Initiative", "bri"),
        ("die Neue Seidenstraße", "bri"),
        ("the Belt and Road Initiative", "bri"),
        ("一带一路", "bri"),
        ("Shanghaier Organisation für Zusammenarbeit", "sco"),
        ("Shanghai Cooperation Organisation", "sco"),
        ("ШОС", "sco"),
        ("grüne Energie", "green-energy"),
        ("grüner Energie", "green-energy"),
        ("erneuerbare Energien", "green-energy"),
        ("Windkraftanlagen", "green-energy"),
        ("Solarstrom", "green-energy"),
        ("künstliche Intelligenz", "digital-economy"),
        ("grenzüberschreitender elektronischer Handel", "digital-economy"),
        ("Epidemiebekämpfung", "health"),
        ("ein Staatsbesuch", "diplomacy"),
        ("Eisenbahnlinie", "connectivity"),
        ("Außenhandel", "trade"),
    ],
)
def test_topic_names_and_aliases_match(matcher, text, slug):
    assert slug in topics(matcher, text)


def test_matches_are_counted_with_what_was_found(matcher):
    found = matcher.scan("Kasachstan, Kasachstans Präsident, kasachische Kunst", "de")
    match = found[("country", "KZ")]
    assert match.count == 3
    assert match.matched_text.startswith("Kasachstan")


def test_html_tags_are_not_matched(matcher):
    text = '<p class="Oman">Kunst</p><a href="/iran/">Link</a>'
    assert countries(matcher, text) == []


def test_seed_story_suggests_the_expected_tags(matcher):
    parsed = parse_story(SEED.read_bytes())
    text = "\n".join([parsed.headline, parsed.standfirst, *parsed.paragraphs])
    found = matcher.suggest(text, parsed.language)
    assert {"CN", "KZ"} <= set(found["countries"])
    assert {"bri", "sco", "digital-economy", "green-energy"} <= set(found["topics"])


def test_matcher_is_built_once_per_process(django_assert_max_num_queries):
    first = get_matcher()
    with django_assert_max_num_queries(2):
        assert get_matcher() is first


def test_matcher_is_rebuilt_when_a_topic_is_added():
    first = get_matcher()
    TopicFactory(slug="mining", name="Bergbau")
    assert get_matcher() is not first
    assert get_matcher().suggest("Bergbau in der Mongolei", "de")["topics"] == [
        "mining"
    ]


def test_matcher_is_rebuilt_when_the_vocabulary_changes():
    first = get_matcher()
    Topic.objects.filter(slug="trade").update(name="Warenhandel")
    vocabulary_changed()
    assert get_matcher() is not first


def test_suggest_tags_prints_one_json_line_per_file(capsys):
    call_command("suggest_tags", str(SEED))
    line = json.loads(capsys.readouterr().out)
    assert line["file"] == str(SEED)
    assert {"CN", "KZ"} <= set(line["countries"])
    assert {"bri", "sco", "digital-economy", "green-energy"} <= set(line["topics"])


def test_suggest_tags_writes_nothing(django_assert_max_num_queries):
    from articles.models import Article, TagSuggestion

    call_command("suggest_tags", str(SEED))
    assert not Article.objects.exists()
    assert not TagSuggestion.objects.exists()


def test_suggest_tags_reports_a_bad_file_and_prints_the_others(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(CommandError, match="2 of 3"):
        call_command("suggest_tags", str(bad), str(SEED), str(tmp_path / "missing.txt"))
    captured = capsys.readouterr()
    assert len(captured.out.strip().splitlines()) == 1
    assert f"{bad}: error: line 1: the file is not UTF-8" in captured.err


def _scores(expected, predicted):
    true_positives = sum(len(set(expected[f]) & set(predicted[f])) for f in expected)
    found = sum(len(predicted[f]) for f in expected)
    relevant = sum(len(expected[f]) for f in expected)
    return true_positives / found, true_positives / relevant


def test_precision_and_recall_on_the_labelled_stories(matcher):
    labels = json.loads((LABELLED / "labels.json").read_text())
    assert len(labels) >= 15
    predicted = {}
    for name in labels:
        parsed = parse_story((LABELLED / name).read_bytes())
        text = "\n".join([parsed.headline, parsed.standfirst, *parsed.paragraphs])
        predicted[name] = matcher.suggest(text, parsed.language)
    for kind in ("countries", "topics"):
        precision, recall = _scores(
            {name: label[kind] for name, label in labels.items()},
            {name: found[kind] for name, found in predicted.items()},
        )
        print(f"{kind}: precision {precision:.3f}, recall {recall:.3f}")
        assert precision >= 0.9, kind
        assert recall >= 0.9, kind


def test_a_ten_thousand_word_text_is_scanned_whole(matcher):
    # Speed is measured by `make bench-tagging`; this locks in that a long
    # text is read to its end.
    parsed = parse_story(SEED.read_bytes())
    seed_words = " ".join(parsed.paragraphs).split()
    text = " ".join(seed_words[n % len(seed_words)] for n in range(10_000))
    found = matcher.scan(text + " Usbekistan", "de")
    assert ("country", "UZ") in found

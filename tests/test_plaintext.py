import datetime
from pathlib import Path

import pytest

from articles.plaintext import ParseError, parse_story

SEED = (
    Path(__file__).resolve().parent.parent
    / "demo"
    / "stories"
    / "000_174494c28651cc06.txt"
)

HEAD = (
    "Nachrichtenverbund der Seidenstraßen-Initiative\n\n"
    "BRNN>>„Belt and Road“-Nachrichtennetzwerk>>BRI-Nachrichten>>Aktuelles\n\n"
)


def story(
    dateline="Freitag, 16. September 2022 Quelle : CRI",
    headline="Ein Gipfel",
    body="Erster Absatz.\n\nZweiter Absatz.",
):
    return f"{HEAD}{headline}\n\n{dateline}\n\n{body}".encode()


def test_seed_story_parses():
    parsed = parse_story(SEED.read_bytes())
    assert parsed.site_name == "Nachrichtenverbund der Seidenstraßen-Initiative"
    assert parsed.network == ["BRNN", "„Belt and Road“-Nachrichtennetzwerk"]
    assert parsed.sections == ["BRI-Nachrichten", "Aktuelles"]
    assert parsed.headline == "Xi Jinping zu Staatsbesuch in Kasachstan"
    assert parsed.published_on == datetime.date(2022, 9, 16)
    assert parsed.source == "CRI"
    assert parsed.language == "de"
    assert len(parsed.paragraphs) == 6
    assert parsed.paragraphs[0].startswith("Der chinesische Staatspräsident")
    assert parsed.warnings == []


def test_english_dateline_parses():
    parsed = parse_story(story(dateline="Friday, 16 September 2022 Source : Xinhua"))
    assert parsed.language == "en"
    assert parsed.published_on == datetime.date(2022, 9, 16)
    assert parsed.source == "Xinhua"


def test_american_english_date_order_parses():
    parsed = parse_story(story(dateline="Friday, September 16, 2022 Source : CRI"))
    assert parsed.published_on == datetime.date(2022, 9, 16)


def test_march_with_umlaut_parses():
    parsed = parse_story(story(dateline="Mittwoch, 1. März 2023 Quelle : CRI"))
    assert parsed.published_on == datetime.date(2023, 3, 1)


def test_wrong_weekday_is_a_warning_not_an_error():
    parsed = parse_story(story(dateline="Montag, 16. September 2022 Quelle : CRI"))
    assert parsed.published_on == datetime.date(2022, 9, 16)
    [(line, warning)] = parsed.warnings
    assert line == 7
    assert "weekday" in warning


def test_windows_line_endings_and_bom_parse():
    data = b"\xef\xbb\xbf" + story().replace(b"\n", b"\r\n")
    assert parse_story(data).headline == "Ein Gipfel"


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (b"", "empty", None),
        (b"   \n\n  ", "empty", None),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary", None),
        (story().decode().encode("cp1252"), "UTF-8", 1),
        (story(dateline="Das ist keine Datumszeile"), "no dateline", None),
        (
            story(dateline="Dienstag, 31. Februar 2022 Quelle : CRI"),
            "impossible date",
            7,
        ),
        (story(dateline="Freitag, 16. Septober 2022 Quelle : CRI"), "unknown month", 7),
        (story(dateline="Freitag, 16. September 2022 Quelle : "), "no source", 7),
        (story(body=""), "no body", 7),
        (
            f"{HEAD}Freitag, 16. September 2022 Quelle : CRI\n\nText.".encode(),
            "headline is missing",
            5,
        ),
        (b"Nur eine Zeile ohne alles", "no breadcrumb", None),
        (
            b"Site\nBRNN>>\xe2\x80\x9eBelt and Road\xe2\x80\x9c-Nachrichtennetzwerk\nTitel\nFreitag, 16. September 2022 Quelle : CRI\nText",
            "no section",
            2,
        ),
        (
            b"Site\nBRNN>>>>Aktuelles\nTitel\nFreitag, 16. September 2022 Quelle : CRI\nText",
            "empty name",
            2,
        ),
        (story(headline="H" * 301), "longer than", 5),
        (story(body="Text mit \x07 Steuerzeichen"), "control characters", 9),
    ],
)
def test_bad_input_is_a_clear_error(data, message, line):
    with pytest.raises(ParseError) as error:
        parse_story(data)
    assert message in error.value.message
    if line is not None:
        assert error.value.line == line

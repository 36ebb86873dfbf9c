"""The parser: the sample's shape, every encoding we meet, and every kind of refusal."""

from __future__ import annotations

import codecs
from datetime import date
from pathlib import Path

import pytest

from newswatch.errors import (
    BinaryFile,
    EmptyFile,
    NoArticleText,
    UnsupportedEncoding,
    WhitespaceOnlyFile,
)
from newswatch.read.parse import parse
from tests.articles import PARAGRAPHS, Article

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_85c9e1f1e88d1daf.txt"


def test_the_sample_article_yields_headline_date_outlet_and_clean_body() -> None:
    parsed = parse(SEED.read_bytes())
    assert parsed.headline == "SYRIA CONFLICT: RUSSIAN WAR CRIMES CLAIM 'RHETORIC' SAYS PUTIN"
    assert parsed.published == date(2016, 10, 13)
    assert parsed.outlet == "BBC"
    assert parsed.dateline == "BBC, 13 October 2016"
    assert parsed.has_source_trailer and parsed.source_url is None
    assert parsed.paragraphs[0].startswith("President Vladimir Putin has dismissed")
    assert parsed.paragraphs[-1].startswith("Since then, the bombardment has killed")
    assert not any(p.startswith("Media caption") for p in parsed.paragraphs)
    assert parsed.debris == [
        "Media captionChildren in Aleppo face death from Syrian and Russian bombing"
    ]
    assert not any("Kaynak" in p for p in parsed.paragraphs)


def test_a_paragraph_broken_mid_sentence_is_joined_again() -> None:
    parsed = parse(SEED.read_bytes())
    joined = [p for p in parsed.paragraphs if "controlling the west and rebel" in p]
    assert joined == [joined[0]] and joined[0].endswith("rebel factions the east.")
    assert not any(p.startswith("factions the east") for p in parsed.paragraphs)


def test_a_paragraph_that_ends_a_sentence_is_not_joined_to_the_next() -> None:
    parsed = parse(
        Article.sample().but(paragraphs=["One ends here.", "lower case start."]).text().encode()
    )
    assert parsed.paragraphs == ["One ends here.", "lower case start."]


def test_source_url_is_taken_from_the_trailer() -> None:
    text = (
        Article.sample()
        .but(trailer="Kaynak/Source: https://www.bbc.co.uk/news/world-37647791")
        .text()
    )
    assert parse(text.encode()).source_url == "https://www.bbc.co.uk/news/world-37647791"


@pytest.mark.parametrize(
    ("encoding", "raw_encoding"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf-16-le"),
        ("cp1254", "cp1254"),
        ("latin-1", "latin-1"),
        ("cp1252", "cp1252"),
    ],
)
def test_each_encoding_is_detected_and_decoded(encoding: str, raw_encoding: str) -> None:
    words = {
        "cp1254": "Türkiye'de ağır yağış: İstanbul'da şiddetli fırtına",
        "latin-1": "Café owner fined £15.8m in Zürich",
        "cp1252": "“Quoted” fines of €5m – a dash",
    }.get(encoding, "Café “quoted” in Zürich for £5 – Türkiye'de İstanbul")
    article = Article.sample().but(headline=words)
    raw = article.text().encode(encoding)
    parsed = parse(raw)
    assert parsed.headline == words
    assert parsed.encoding == raw_encoding
    assert parsed.paragraphs == article.paragraphs


def test_utf16_with_bom_big_endian() -> None:
    raw = codecs.BOM_UTF16_BE + Article.sample().text().encode("utf-16-be")
    assert parse(raw).headline == Article.sample().headline


def test_crlf_and_lone_cr_line_endings_parse_like_lf() -> None:
    article = Article.sample()
    lf = parse(article.text().encode())
    assert parse(article.text("\r\n").encode()) == lf
    assert parse(article.text("\r").encode()) == lf


def test_missing_header_lines_fall_back_to_the_first_line_as_headline() -> None:
    article = Article.sample().but(date_line=None, dateline=None, trailer=None)
    parsed = parse(article.text().encode())
    assert parsed.headline == article.headline
    assert parsed.published is None and parsed.outlet is None
    assert parsed.paragraphs == article.paragraphs


def test_dateline_alone_gives_outlet_and_date() -> None:
    parsed = parse(Article.sample().but(date_line=None).text().encode())
    assert parsed.outlet == "BBC"
    assert parsed.published == date(2016, 10, 13)


def test_paragraphs_without_blank_lines_are_one_per_line() -> None:
    parsed = parse(b"Headline\nFirst paragraph.\nSecond paragraph.\n")
    assert parsed.headline == "Headline"
    assert parsed.paragraphs == ["First paragraph.", "Second paragraph."]


def test_a_few_invalid_utf8_bytes_are_replaced_and_counted_not_fatal() -> None:
    raw = "Headline – with a dash\n\nBody text é here.\n".encode() + b"\xff more\n"
    parsed = parse(raw)
    assert parsed.encoding == "utf-8" and parsed.replaced_bytes == 1
    assert "\ufffd" in parsed.paragraphs[-1]


@pytest.mark.parametrize(
    ("raw", "error", "code"),
    [
        (b"", EmptyFile, "empty"),
        (b"  \n\r\n\t \n", WhitespaceOnlyFile, "whitespace_only"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", BinaryFile, "binary"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3", BinaryFile, "binary"),
        (bytes(range(256)) * 4, BinaryFile, "binary"),
        (b"Title\n\nText \x00\x01\x02 with NULs\x00", BinaryFile, "binary"),
        (
            # Bytes no code page defines, after a UTF-8 letter: not text in any encoding.
            "Headline\n\nBody with é".encode() + b"\x81\x8d\x8f\x90\x9d" * 10,
            UnsupportedEncoding,
            "undecodable",
        ),
        (b"13.10.2016\n\nBBC, 13 October 2016\n", NoArticleText, "no_body"),
        (b"https://example.com/a\n\nwww.example.org/b\n", NoArticleText, "no_body"),
        ("RADİKAL-\n\nKaynak: http://example.com/x\n".encode(), NoArticleText, "no_body"),
    ],
)
def test_files_that_are_no_article_are_rejected_with_a_reason(
    raw: bytes, error: type, code: str
) -> None:
    with pytest.raises(error) as caught:
        parse(raw)
    assert caught.value.code == code
    named = caught.value.for_path("x/y.txt")
    # The message names the file; the stored reason does not (the path is stored beside it).
    assert str(named).startswith("x/y.txt: ") and str(named).endswith(named.reason)
    assert "x/y.txt" not in named.reason and named.advice in named.reason


@pytest.mark.parametrize(
    "line",
    [
        "FILE - In this Nov. 11, 2017 file photo, the minister leaves a cabinet meeting in "
        "Downing Street, London. (AP Photo/Matt Dunham, File)",
        "In this photo taken on Tuesday, rescue workers search the rubble of a collapsed house.",
        "Children wait for food at a camp near the border on Monday. (AP Photo/Hussein Malla)",
        "Cumhurbaşkanı, Ankara'daki törende konuştu. (Fotoğraf: AA)",
        "Fotoğraf: Reuters",
        "Photo: Getty Images",
        "Image copyright Reuters",
        "Read more: Why the pound fell against the dollar",
        "Related: Ministers meet over the budget",
        "İlgili haberler:",
        "Sign up for our daily newsletter to get the news in your inbox.",
        "Follow us on Twitter and Facebook for the latest updates.",
        "This story has been corrected to show that the vote took place on Tuesday.",
        "Contributing: Jane Doe in Washington",
        "Reporting by John Smith; Editing by Mark Heinrich",
        "© 2005 Courier Media Group",
    ],
)
def test_captions_credits_links_and_agency_notes_are_debris(line: str) -> None:
    parsed = parse(
        Article.sample().but(paragraphs=[*PARAGRAPHS[:3], line, *PARAGRAPHS[3:]]).text().encode()
    )
    assert line not in parsed.paragraphs
    assert line in parsed.debris
    assert parsed.paragraphs == PARAGRAPHS


def test_the_links_under_a_read_more_heading_are_debris_and_the_story_goes_on() -> None:
    links = [
        "Read more:",
        "Ministers meet over the budget",
        "- Pound falls against the dollar",
        "Council approves the new harbour bridge",
    ]
    paragraphs = [*PARAGRAPHS[:4], *links, *PARAGRAPHS[4:]]
    parsed = parse(Article.sample().but(paragraphs=paragraphs).text().encode())
    assert parsed.paragraphs == PARAGRAPHS
    assert parsed.debris[: len(links)] == links


@pytest.mark.parametrize(
    "paragraph",
    [
        "In this year's photo competition, the judges chose a picture of a fox in the snow.",
        "Picture the scene - Wales are camped on the England line with a minute to go.",
        "Related to this, the minister said the budget would be published on Tuesday.",
        "Copyright law changes could cost the music industry millions, the report said.",
        # Wiki markup before a paragraph of prose: no credit runs this long.
        "Image:Seal.svg|Seal of the Department of Justice ]] Wikinews has learned that an IP "
        "address of the Department of Justice has been blocked on Wikipedia after making "
        "edits to an article which were considered vandalism by the site's administrators.",
    ],
)
def test_prose_that_begins_like_a_caption_stays_in_the_body(paragraph: str) -> None:
    parsed = parse(Article.sample().but(paragraphs=[*PARAGRAPHS[:2], paragraph]).text().encode())
    assert paragraph in parsed.paragraphs

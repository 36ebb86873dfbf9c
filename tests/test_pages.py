"""Saved web pages: the article without the page around it, and what the page says of
itself (headline, outlet, time, URL); pages that hold no article are refused with a reason."""

from __future__ import annotations

import gzip
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from newswatch.errors import MisdeclaredEncoding, NoArticleText, RejectedFile
from newswatch.pipeline.run import run
from newswatch.read.formats import read_file
from newswatch.read.page import read_page
from newswatch.read.scan import FileStat
from newswatch.settings import get_settings
from tests.articles import PARAGRAPHS
from tests.pages import COOKIE_BANNER, FOOTER, NAVIGATION, RELATED, Page, error_page, index_page
from tests.runs import outcomes, query


def test_a_page_is_read_as_its_article_without_the_page_around_it() -> None:
    article = read_page(Page.sample().bytes())
    assert article.paragraphs == PARAGRAPHS
    text = article.body
    for furniture in [COOKIE_BANNER, FOOTER, *RELATED, *NAVIGATION]:
        assert furniture not in text
    assert "By Staff Reporter" not in text


def test_a_page_says_its_headline_outlet_time_and_url() -> None:
    article = read_page(Page.sample().bytes())
    assert article.headline == "Putin rejects war crimes claim over Aleppo"  # no "| Example News"
    assert article.outlet == "Example News"
    assert article.published_at == datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
    assert article.published == date(2024, 3, 1)
    assert article.source_url == "https://www.example-news.com/world/2024/03/putin-rhetoric"
    assert article.url == "https://example-news.com/world/2024/03/putin-rhetoric"


def test_a_site_without_a_name_is_its_host_without_www() -> None:
    article = read_page(Page.sample().but(site=None).bytes())
    assert article.outlet == "example-news.com"


def test_a_syndicated_copy_naming_its_original_as_canonical_keeps_its_own_url() -> None:
    page = (
        Page.sample()
        .html()
        .replace(
            '<link rel="canonical" href="https://www.example-news.com/',
            '<link rel="canonical" href="https://www.original-paper.com/',
        )
    )
    article = read_page(page.encode())
    assert article.url == "https://example-news.com/world/2024/03/putin-rhetoric"


def test_a_saved_page_without_a_canonical_url_gives_the_url_it_was_saved_from() -> None:
    saved_from = "https://www.example-news.com/world/aleppo?utm_source=rss"
    page = (
        f"<!-- saved from url=({len(saved_from):04d}){saved_from} -->\n"
        + Page.sample().but(url=None).html()
    )
    article = read_page(page.encode())
    assert article.url == "https://example-news.com/world/aleppo"


def test_an_index_page_is_refused_as_no_article() -> None:
    with pytest.raises(NoArticleText, match="index page"):
        read_page(index_page().encode())


def test_an_error_page_is_refused_as_no_article() -> None:
    with pytest.raises(NoArticleText, match="error page"):
        read_page(error_page().encode())


def test_a_page_in_an_encoding_it_does_not_declare_is_refused() -> None:
    page = Page.sample().but(headline="Café owners in Türkiye protest", charset="utf-8")
    with pytest.raises(MisdeclaredEncoding, match="declares utf-8"):
        read_page(page.html().encode("cp1252", errors="replace").replace(b"T\xfcrkiye", b"T\xfcrk"))
    declared_latin = page.but(charset="windows-1252")
    with pytest.raises(MisdeclaredEncoding, match="written in UTF-8"):
        read_page(declared_latin.bytes("utf-8"))


def test_a_page_in_the_encoding_it_declares_or_declaring_none_is_read() -> None:
    page = Page.sample().but(headline="Café owners in Türkiye protest")
    assert read_page(page.but(charset="windows-1252").bytes("cp1252")).headline == page.headline
    assert read_page(page.but(charset=None).bytes("cp1252")).headline == page.headline
    assert read_page(page.but(charset="iso-8859-9").bytes("cp1254")).headline == page.headline


def _read(path: Path) -> list:  # type: ignore[type-arg]
    stat = path.stat()
    return list(read_file(FileStat(str(path), stat.st_size, stat.st_mtime_ns), 5_000_000))


def test_the_content_decides_where_the_name_misleads(tmp_path: Path) -> None:
    saved_as_text = Page.sample().write(tmp_path, "page-saved-as.txt")
    zipped = tmp_path / "page.html.gz"
    zipped.write_bytes(gzip.compress(Page.sample().bytes()))
    plain = tmp_path / "plain.html"
    plain.write_text("Just a headline\n\n" + "\n\n".join(PARAGRAPHS) + "\n")
    for path in (saved_as_text, zipped):
        (item,) = _read(path)
        assert item.article.paragraphs == PARAGRAPHS
        assert item.article.url == "https://example-news.com/world/2024/03/putin-rhetoric"
    (item,) = _read(plain)
    assert item.article.headline == "Just a headline" and item.article.url is None


def test_a_cut_gzipped_page_is_refused(tmp_path: Path) -> None:
    zipped = tmp_path / "page.html.gz"
    zipped.write_bytes(gzip.compress(Page.sample().bytes())[:-40])
    (item,) = _read(zipped)
    assert isinstance(item.error, RejectedFile) and item.error.code == "truncated"


def test_ingesting_pages_stores_each_article_with_its_url(watched: Path, database_url: str) -> None:
    Page.sample().write(watched, "a.html")
    Page.other().write(watched, "b.htm")
    (watched / "index.html").write_text(index_page())
    (watched / "404.html").write_text(error_page())
    misdeclared = Page.sample().but(
        headline="Café, crème brûlée: élèves fêtent l’été", charset="utf-8"
    )
    (watched / "latin.html").write_bytes(misdeclared.html().encode("cp1252"))
    summary = run(get_settings(watch_dir=watched, database_url=database_url, workers=1))
    assert outcomes(summary) == {
        "a.html": "new",
        "b.htm": "new",
        "index.html": "rejected",
        "404.html": "rejected",
        "latin.html": "rejected",
    }
    reasons = {Path(r.path).name: (r.reason_code, r.reason) for r in summary.results if r.reason}
    assert "index page" in reasons["index.html"][1] and "error page" in reasons["404.html"][1]
    assert reasons["latin.html"][0] == "misdeclared_encoding"
    stored = query(database_url, "select url, source_url, outlet from versions order by id")
    assert stored == [
        (
            "https://example-news.com/world/2024/03/putin-rhetoric",
            "https://www.example-news.com/world/2024/03/putin-rhetoric",
            "Example News",
        ),
        (
            "https://example-news.com/technology/2024/03/mobile-gaming",
            "https://www.example-news.com/technology/2024/03/mobile-gaming",
            "Example News",
        ),
    ]


def test_a_box_a_site_prints_under_every_story_is_learned_as_its_furniture(
    watched: Path, database_url: str
) -> None:
    """A newsletter box inside the article block, which the extractor keeps, is printed by
    five stories of the site: from then on two stubs that share only it stay apart."""
    from tests.articles import distinct_story
    from tests.pages import story_page

    box = (
        "Sign in to get our morning briefing with the day's most important council, school and "
        "transport stories, the weather for your area, local sport results and what is on at "
        "the weekend in the town's theatres, cinemas and galleries. It is free, it arrives "
        "before breakfast every day of the week, and you can leave it whenever you want. Our "
        "reporters cover every meeting of the council and every match of the town's teams, so "
        "you will never miss a story that matters to you and your neighbours again this year."
    )
    settings = get_settings(watch_dir=watched, database_url=database_url, workers=1)
    for n in range(5):
        story_page(n).but(extra_body=[box]).write(watched, f"story-{n}.html")
    run(settings)
    for n in (101, 102):
        stub = story_page(n).but(paragraphs=distinct_story(n, 30)[:1], extra_body=[box])
        stub.write(watched, f"stub-{n}.html")
    summary = run(settings)
    assert outcomes(summary)["stub-101.html"] == "new"
    assert outcomes(summary)["stub-102.html"] == "new"

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


def test_the_headline_printed_again_above_the_text_is_not_its_first_paragraph() -> None:
    """Else an edit of the headline's number is claimed twice, as the headline's and as the
    first paragraph's."""
    from newswatch.changes.diff import diff_versions

    def page(toll: int) -> bytes:
        body = "".join(
            f"<p>{p}</p>"
            for p in [f"At least {toll} people died when the river burst its banks.", *PARAGRAPHS]
        )
        return (
            '<html><head><meta charset="utf-8"><meta property="og:site_name" content="Example News">'
            f"<title>Flood kills {toll} in valley | Example News</title></head><body>"
            f"<article><h1>Flood kills {toll} in valley</h1>{body}</article></body></html>"
        ).encode()

    before, after = read_page(page(25)), read_page(page(27))
    assert after.headline == "Flood kills 27 in valley"
    assert after.paragraphs[0] == "At least 27 people died when the river burst its banks."
    diff = diff_versions(before.headline, before.paragraphs, after.headline, after.paragraphs)
    assert len(diff.numbers) == 2, diff.numbers


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


RUSSIAN = Page(
    "Мэр Москвы объявил о новых мерах поддержки",
    [
        "Мэр Москвы в среду объявил о новых мерах поддержки малого бизнеса, которые вступят "
        "в силу с первого декабря.",
        "«Мы продолжим помогать предпринимателям», — сказал он журналистам после заседания "
        "правительства города.",
    ],
    charset=None,
)


def test_a_page_in_another_script_s_code_page_it_does_not_declare_is_refused() -> None:
    """Read in the Western code page guessed for it, it would be stored as mojibake."""
    with pytest.raises(MisdeclaredEncoding, match="names no encoding"):
        read_page(RUSSIAN.bytes("cp1251"))
    assert read_page(RUSSIAN.but(charset="windows-1251").bytes("cp1251")).headline == (
        RUSSIAN.headline
    )
    turkish = Page(
        "İstanbul'da şiddetli yağış: öğrenciler için okullar tatil",
        ["Türkiye'nin en büyük şehrinde çarşamba günü şiddetli yağış hayatı olumsuz etkiledi."],
        charset=None,
    )
    assert read_page(turkish.bytes("cp1254")).headline == turkish.headline


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


@pytest.mark.parametrize(
    "placeholder",
    [
        "0001-01-01T00:00:00Z",
        "0001-01-01T00:00:00+05:30",
        "1970-01-01T00:00:00Z",
        "9999-12-31T23:59:59-05:00",
    ],
)
def test_a_placeholder_publication_time_is_no_time(placeholder: str) -> None:
    """Sites' templates print an empty date as the year 1 (.NET's and Go's zero time), the
    Unix epoch or the year 9999: the page's other times tell, else it has none (and a run
    does not fail on one that leaves Python's range once in UTC)."""
    page = Page.sample().but(published=placeholder).html()
    article = read_page(page.encode())
    assert (article.published, article.published_at) == (None, None)
    dated = page.replace("</head>", '<meta name="pubdate" content="2019-11-19T09:00:00Z"></head>')
    assert read_page(dated.encode()).published_at == datetime(2019, 11, 19, 9, 0, tzinfo=UTC)


def _index_with_summaries(og_type: str) -> str:
    """A section front as many sites print it: each story's headline, a link, over a
    sentence of summary, which extraction keeps as if it were prose."""
    items = "".join(
        f'<article class="teaser"><h3><a href="/news/{n}">Council story number {n} takes a '
        f"new turn today</a></h3><p>Officials said on day {n} that the plan would go ahead "
        "despite objections from residents and local business owners.</p></article>"
        for n in range(12)
    )
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Local news | Example News'
        f'</title><meta property="og:type" content="{og_type}"></head><body><main>'
        f"<h1>Local news</h1>{items}</main></body></html>"
    )


@pytest.mark.parametrize("og_type", ["website", "article"])
def test_an_index_of_headlines_with_summaries_is_refused_as_no_article_text(
    og_type: str,
) -> None:
    with pytest.raises(NoArticleText, match=r"index page.*summaries of 12 headlines"):
        read_page(_index_with_summaries(og_type).encode())


def test_an_article_with_related_headlines_and_their_summaries_is_still_an_article() -> None:
    related = "".join(
        f'<div class="more"><h3><a href="/news/{n}">Another council story number {n} of the '
        f"week</a></h3><p>A summary of that other story, in one sentence of some length.</p>"
        "</div>"
        for n in range(6)
    )
    page = Page.sample().html().replace("</main>", f"<section>{related}</section></main>")
    assert read_page(page.encode()).paragraphs[: len(PARAGRAPHS)] == PARAGRAPHS


def _page_with_body_out_of_place(menu_items: int) -> str:
    """A page whose article the fast mode passes over (its text in line breaks, in a block
    named like furniture), keeping the site's menu instead."""
    menu = "".join(f'<li><a href="/s/{n}">Section {n} news</a></li>' for n in range(menu_items))
    body = "<br><br>".join(PARAGRAPHS)
    return (
        '<html><head><meta charset="utf-8"><title>Putin rejects war crimes claim</title></head>'
        f'<body><div class="content"><ul>{menu}</ul></div><div class="footer">{body}</div>'
        "</body></html>"
    )


def test_a_page_whose_fast_extraction_is_its_menu_is_read_in_trafilaturas_recall_mode() -> None:
    from trafilatura import extract

    page = _page_with_body_out_of_place(8)
    assert "Putin" not in (extract(page, fast=True) or "")  # what the fast mode keeps
    assert read_page(page.encode()).paragraphs == PARAGRAPHS


def test_a_page_whose_text_is_only_a_menu_is_refused_with_that_reason() -> None:
    menu = "".join(f"<li>Section {n} news</li>" for n in range(12))
    page = (
        '<html><head><meta charset="utf-8"><title>Sections</title></head><body>'
        f'<div class="content"><ul>{menu}</ul></div></body></html>'
    )
    with pytest.raises(NoArticleText, match=r"a menu or a list of links.*12 short lines"):
        read_page(page.encode())

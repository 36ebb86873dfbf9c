"""Scraper JSON: news-please's and trafilatura's files read with headline, outlet, URL and
time; JSON that is no article refused with what it holds."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from newswatch.pipeline.run import run
from newswatch.read.formats import read_file
from newswatch.read.page import read_page
from newswatch.read.scan import FileStat
from newswatch.settings import get_settings
from tests.articles import PARAGRAPHS
from tests.pages import Page, news_please_json, trafilatura_json
from tests.runs import outcomes, query

URL = "https://example-news.com/world/2024/03/putin-rhetoric"


def _read(path: Path) -> list:  # type: ignore[type-arg]
    stat = path.stat()
    return list(read_file(FileStat(str(path), stat.st_size, stat.st_mtime_ns), 5_000_000))


def _write(folder: Path, name: str, data: object) -> Path:
    path = folder / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_news_please_json_is_read_with_headline_outlet_url_and_time(tmp_path: Path) -> None:
    (item,) = _read(_write(tmp_path, "np.json", news_please_json(Page.sample())))
    article = item.article
    assert article.headline == "Putin rejects war crimes claim over Aleppo"
    assert article.outlet == "example-news.com"
    assert article.url == URL
    assert article.published_at == datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
    assert article.seen_at == datetime(2024, 3, 1, 12, 30, tzinfo=UTC)
    assert article.paragraphs == PARAGRAPHS


def test_trafilatura_json_is_read_with_headline_outlet_url_and_time(tmp_path: Path) -> None:
    (item,) = _read(_write(tmp_path, "tr.json", trafilatura_json(Page.sample())))
    article = item.article
    assert article.headline == "Putin rejects war crimes claim over Aleppo"  # no "| Example News"
    assert article.outlet == "Example News"
    assert article.url == URL
    assert article.published == date(2024, 3, 1) and article.published_at is None
    assert article.paragraphs == PARAGRAPHS


def test_trafilatura_s_own_json_of_a_page_names_the_outlet_the_page_names(tmp_path: Path) -> None:
    """Built by trafilatura itself, so the test holds to the keys it really writes."""
    from trafilatura import extract

    page = Page.sample()
    written = extract(page.html(), output_format="json", with_metadata=True)
    assert written is not None
    (tmp_path / "tr.json").write_text(written, encoding="utf-8")
    (item,) = _read(tmp_path / "tr.json")
    assert item.article.outlet == read_page(page.bytes()).outlet == "Example News"
    assert item.article.headline == "Putin rejects war crimes claim over Aleppo"
    assert item.article.url == URL


def test_the_two_scrapers_files_of_one_article_are_one_article(
    watched: Path, database_url: str
) -> None:
    _write(watched, "a-news-please.json", news_please_json(Page.sample()))
    _write(watched, "b-trafilatura.json", trafilatura_json(Page.sample()))
    summary = run(get_settings(watch_dir=watched, database_url=database_url, workers=1))
    assert outcomes(summary) == {"a-news-please.json": "new", "b-trafilatura.json": "unchanged"}
    assert query(database_url, "select count(*) from articles") == [(1,)]


def test_json_that_is_no_article_is_refused_with_its_keys(watched: Path, database_url: str) -> None:
    _write(watched, "config.json", {"theme": "dark", "retries": 3})
    _write(watched, "numbers.json", [1, 2, 3])
    (watched / "broken.json").write_text('{"title": "cut', encoding="utf-8")
    _write(watched, "empty.json", {**news_please_json(Page.sample()), "maintext": None})
    summary = run(get_settings(watch_dir=watched, database_url=database_url, workers=1))
    reasons = {Path(r.path).name: (r.reason_code, r.reason) for r in summary.results}
    assert (
        reasons["config.json"][0] == "not_article" and "retries, theme" in reasons["config.json"][1]
    )
    # A list with no article in it is one file refused, not one refusal per element.
    assert reasons["numbers.json"] == (
        "not_article",
        "a JSON list of 3 int, none of them an article (newswatch reads news-please and "
        "trafilatura JSON; move other JSON out of the folder)",
    )
    assert (
        reasons["broken.json"][0] == "not_article" and "not valid JSON" in reasons["broken.json"][1]
    )
    assert reasons["empty.json"][0] == "no_body"
    assert summary.counts["new"] == 0 and summary.counts["rejected"] == 4


def test_json_lines_are_an_article_a_line_and_read_on_from_where_they_were_read(
    watched: Path, database_url: str
) -> None:
    from tests.pages import story_page

    lines = watched / "feed.jsonl"
    first = [trafilatura_json(story_page(n)) for n in range(3)]
    lines.write_text("".join(json.dumps(d) + "\n" for d in first), encoding="utf-8")
    settings = get_settings(watch_dir=watched, database_url=database_url, workers=1)
    assert run(settings).counts["new"] == 3
    with lines.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(trafilatura_json(story_page(3))) + "\n")
        handle.write('{"url": "https://example-news.com/cut", "text": "half a li')
    summary = run(settings)
    assert (summary.counts["unchanged"], summary.counts["new"], summary.counts["rejected"]) == (
        3,
        1,
        1,
    )
    (cut,) = [r for r in summary.results if r.outcome.value == "rejected"]
    assert cut.reason_code == "truncated"
    with lines.open("a", encoding="utf-8") as handle:  # the last line is written to its end
        handle.write('ne that the scraper wrote out later.", "title": "Late"}\n')
    summary = run(settings)
    assert (summary.counts["unchanged"], summary.counts["new"], summary.counts["rejected"]) == (
        4,
        1,
        0,
    )


@pytest.mark.parametrize("page_first", [True, False], ids=["page-first", "json-first"])
@pytest.mark.parametrize(
    "json_url",
    [
        "https://www.example-news.com/world/2024/03/putin-rhetoric?utm_source=rss",
        "https://m.example-news.com/a/88123",  # the address the crawler was given
    ],
    ids=["same-url", "other-url-of-the-site"],
)
def test_news_please_json_and_its_page_are_one_article_of_one_named_outlet(
    watched: Path, database_url: str, page_first: bool, json_url: str
) -> None:
    page = Page.sample()
    settings = get_settings(watch_dir=watched, database_url=database_url, workers=1)
    first, second = ("page.html", "np.json") if page_first else ("np.json", "page.html")
    for name in (first, second):
        if name == "page.html":
            page.write(watched, name)
        else:
            _write(watched, name, {**news_please_json(page), "url": json_url})
        summary = run(settings)
    (result,) = [r for r in summary.results if r.path.endswith(second)]
    assert result.outcome.value in ("unchanged", "duplicate", "edited")
    assert query(database_url, "select outlet, outlet_key from articles") == [
        ("Example News", "example news")
    ]
    outlets = query(database_url, "select distinct outlet from versions")
    assert outlets == [("Example News",)] or not page_first  # a JSON first keeps its version

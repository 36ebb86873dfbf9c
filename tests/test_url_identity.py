"""The URL is the article's identity: the same URL is the same article whatever the file
is called and however much the text changed; a URL newswatch has not stored decides
nothing, and the words do as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newswatch.cli.app import app
from newswatch.pipeline.run import run
from newswatch.read.urls import article_url
from newswatch.render.escaping import JOINER
from newswatch.settings import get_settings
from newswatch.store import Store
from tests.articles import OTHER_PARAGRAPHS, PARAGRAPHS, Article, bump_mtime
from tests.pages import Page, story_page
from tests.runs import outcomes, query, whole_report


@pytest.mark.parametrize(
    ("given", "compared"),
    [
        ("http://WWW.Example.com:80/news/story/", "https://example.com/news/story"),
        ("https://example.com/news/story#comments", "https://example.com/news/story"),
        (
            "https://example.com/news/story?utm_source=rss&utm_medium=x&fbclid=1&gclid=2&id=7",
            "https://example.com/news/story?id=7",
        ),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
        ("https://example.com:443/%7Euser//page", "https://example.com/~user/page"),
        ("https://example.com:8080/a", "https://example.com:8080/a"),
        ("www.milliyet.com.tr/haber/123", "https://milliyet.com.tr/haber/123"),
        ("https://example.com/", None),
        ("https://www.example.com", None),
        ("javascript:alert(1)", None),
        ("ftp://example.com/file", None),
        ("not a url", None),
    ],
)
def test_urls_are_compared_in_one_form(given: str, compared: str | None) -> None:
    assert article_url(given) == compared


def _settings(watched: Path, database_url: str):  # type: ignore[no-untyped-def]
    return get_settings(watch_dir=watched, database_url=database_url, workers=1)


def test_a_page_saved_again_under_another_name_with_one_sentence_changed_is_an_edit(
    watched: Path, database_url: str
) -> None:
    settings = _settings(watched, database_url)
    Page.sample().write(watched, "putin.html")
    run(settings)
    changed = list(PARAGRAPHS)
    changed[3] = "The rebel-held east of the city is under heavy bombardment again tonight."
    Page.sample().but(paragraphs=changed).write(watched, "putin (1).html")
    summary = run(settings)
    assert outcomes(summary)["putin (1).html"] == "edited"
    (result,) = [r for r in summary.results if r.outcome.value == "edited"]
    assert result.version == 2
    with Store.open(database_url) as store:
        report = whole_report(summary, store, watched.parent / "reports").head
    (edit,) = report.edits
    assert edit.url == "https://www.example-news.com/world/2024/03/putin-rhetoric"
    assert [(c.kind, c.old, c.new) for c in edit.diff.changes] == [
        ("updated", PARAGRAPHS[3], changed[3])
    ]
    assert query(database_url, "select count(*) from articles") == [(1,)]


def test_a_page_saved_again_unchanged_under_another_name_is_unchanged(
    watched: Path, database_url: str
) -> None:
    settings = _settings(watched, database_url)
    Page.sample().write(watched, "putin.html")
    run(settings)
    Page.sample().write(watched, "copy of putin.html")
    assert outcomes(run(settings))["copy of putin.html"] == "unchanged"


def test_a_text_at_a_known_url_is_an_edit_however_much_it_changed(
    watched: Path, database_url: str
) -> None:
    settings = _settings(watched, database_url)
    Page.sample().write(watched, "first.html")
    run(settings)
    Page.other().but(url=Page.sample().url).write(watched, "second.html")
    summary = run(settings)
    (result,) = [r for r in summary.results if Path(r.path).name == "second.html"]
    assert result.outcome.value == "edited" and result.reason_code == "url"
    assert "words alone" in (result.reason or "")


def test_two_pages_of_one_site_are_never_one_article(watched: Path, database_url: str) -> None:
    Page.sample().write(watched, "a.html")
    Page.other().write(watched, "b.html")
    for n in range(4):
        story_page(n).write(watched, f"story-{n}.html")
    summary = run(_settings(watched, database_url))
    assert set(outcomes(summary).values()) == {"new"}
    assert query(database_url, "select count(*) from articles") == [(6,)]


def test_a_file_name_reused_for_another_page_is_not_that_pages_edit(
    watched: Path, database_url: str
) -> None:
    """A scraper saves each page it fetches as latest.html: same name, another URL."""
    settings = _settings(watched, database_url)
    page = Page.sample()
    latest = page.write(watched, "latest.html")
    run(settings)
    # The same template headline ("Live: the latest"), another page's story: by the path
    # alone (headline the same) it would be an edit.
    page.but(
        url="https://www.example-news.com/world/other-story", paragraphs=OTHER_PARAGRAPHS
    ).write(watched, "latest.html")
    bump_mtime(latest)
    summary = run(settings)
    assert outcomes(summary)["latest.html"] == "new"


def test_two_urls_of_one_outlet_can_still_be_one_article_by_their_words(
    watched: Path, database_url: str
) -> None:
    Page.sample().write(watched, "a.html")
    Page.sample().but(url=Page.sample().url + "-updated-slug").write(watched, "b.html")
    summary = run(_settings(watched, database_url))
    assert outcomes(summary) == {"a.html": "new", "b.html": "duplicate"}


def test_a_text_files_source_trailer_is_its_url(watched: Path, database_url: str) -> None:
    settings = _settings(watched, database_url)
    url = "Kaynak/Source: https://www.bbc.co.uk/news/world-middle-east-37650349?at_medium=RSS"
    Article.sample().but(trailer=url).write(watched, "a.txt")
    run(settings)
    Article.other().but(trailer=url, dateline="BBC, 13 October 2016").write(watched, "b.txt")
    summary = run(settings)
    assert outcomes(summary)["b.txt"] == "edited"
    assert query(database_url, "select distinct url from versions") == [
        ("https://bbc.co.uk/news/world-middle-east-37650349",)
    ]


def test_history_diff_story_and_export_show_the_url(
    watched: Path, database_url: str, tmp_path: Path
) -> None:
    settings = _settings(watched, database_url)
    Page.sample().write(watched, "a.html")
    run(settings)
    changed = [*PARAGRAPHS[:-1], "Since then, the bombardment has killed more than 400 people."]
    Page.sample().but(paragraphs=changed).write(watched, "b.html")
    run(settings)
    url = "https://www.example-news.com/world/2024/03/putin-rhetoric"
    cli = CliRunner()
    shown = cli.invoke(app, ["history", url, "--database-url", database_url, "--json"])
    assert shown.exit_code == 0, shown.output
    assert [v["url"] for v in json.loads(shown.output)["versions"]] == [url, url]
    # As an address bar shows it, without its scheme.
    bare = url.removeprefix("https://")
    for command in ("history", "diff", "story"):
        shown = cli.invoke(app, [command, bare, "--database-url", database_url])
        assert shown.exit_code == 0, (command, shown.output)
    for command in (["history", "1"], ["diff", "1"], ["story", "1", "--format", "md"]):
        shown = cli.invoke(app, [*command, "--database-url", database_url])
        assert shown.exit_code == 0, shown.output
        assert url in shown.output.replace("\n", "").replace("\u2060", "").replace("\\", "")
    story = cli.invoke(app, ["story", "1", "--format", "json", "--database-url", database_url])
    assert json.loads(story.output)["url"] == url
    exported = tmp_path / "export"
    done = cli.invoke(app, ["export", str(exported), "--database-url", database_url])
    assert done.exit_code == 0, done.output
    assert url in (exported / "versions.csv").read_text()


@pytest.mark.parametrize(
    ("url", "href"),
    [
        (
            'https://www.example-news.com/a(b)?q="x"&y=<z>',
            "https://www.example-news.com/a%28b%29?q=%22x%22&y=%3Cz%3E",
        ),
        ("javascript:alert(1)//https://x.com", None),
        ("data:text/html,<script>alert(1)</script>", None),
    ],
)
def test_an_articles_url_is_linked_only_as_itself(url: str, href: str | None) -> None:
    """The one link made from what a file says: an http(s) URL, nothing in it able to close
    the link or open markup; anything else inert text."""
    import re
    from html import unescape

    from markdown_it import MarkdownIt

    from newswatch.render.pages import url_html
    from newswatch.report.model import NewArticle
    from newswatch.report.summary import SummaryLines

    line = SummaryLines().new(NewArticle(article_id=1, outlet="X", headline="H", path="p", url=url))
    rendered = MarkdownIt("commonmark", {"linkify": True}).enable(["linkify"]).render(line)
    links = [unescape(h) for h in re.findall(r'<a href="([^"]*)"', rendered)]
    assert links == ([href] if href else [])
    page = url_html(url)
    assert [unescape(h) for h in re.findall(r'href="([^"]*)"', page)] == ([href] if href else [])
    assert "<script" not in rendered and "<script" not in page


@pytest.mark.parametrize(
    "url",
    [
        "https://www.example-news.com/world/2024/03/putin-rhetoric?id=7&utm_source=rss",
        "https://haber.example.com.tr/gündem/şehir_haberleri/123",
    ],
)
def test_an_articles_url_reads_as_written_in_the_text_of_its_link(url: str) -> None:
    """The default Prefect UI shows a link text's backslash escapes as they are: the text of
    the link is the address itself (with the invisible joiners all text gets)."""
    from newswatch.report.model import NewArticle
    from newswatch.report.summary import SummaryLines

    line = SummaryLines().new(NewArticle(article_id=1, outlet="X", headline="H", path="p", url=url))
    label = line[line.index(" at [") + 5 : line.index("](<")]
    assert "\\" not in label and label.replace(JOINER, "") == url


def test_markdown_in_an_articles_url_stays_out_of_the_text_of_its_link() -> None:
    import re

    from markdown_it import MarkdownIt

    from newswatch.report.model import NewArticle
    from newswatch.report.summary import SummaryLines

    url = "https://x.example/*a*/_b_/~~c~~/`d`/[e](f)<g>"
    line = SummaryLines().new(NewArticle(article_id=1, outlet="X", headline="H", path="p", url=url))
    markdown = MarkdownIt("commonmark", {"linkify": True}).enable(["linkify", "strikethrough"])
    rendered = markdown.render(line)
    assert len(re.findall(r"<a ", rendered)) == 1
    assert not re.search(r"<(em|strong|code|s|del|img)\b", rendered), rendered

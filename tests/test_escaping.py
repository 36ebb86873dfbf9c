"""Untrusted text everywhere newswatch shows it: an article, an outlet and a file name that
hold markup, links and control characters come out as text, and only as text, in every
page, picture, artifact, table and log line, all through one module (``render.escaping``)."""

from __future__ import annotations

import ast
import base64
import re
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

from linkify_it import LinkifyIt
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from newswatch.cli.app import app
from newswatch.outlets.figures import read_figures
from newswatch.outlets.table import outlets_table
from newswatch.pipeline.run import run
from newswatch.render.escaping import JOINER, cell_escape, defang, md_escape
from newswatch.report import markdown
from newswatch.report.artifacts import files_table
from newswatch.report.stories import report_pictures
from newswatch.report.stream import stream_report
from newswatch.server.addresses import article_page_key
from newswatch.settings import get_settings
from newswatch.store import Store
from tests.articles import Article, bump_mtime

SOURCE = Path(__file__).resolve().parents[1] / "src" / "newswatch"
HOSTILE = (
    '<script>alert("x")</script> [click me](http://evil.example/x) ![i](http://evil.example/i.png)'
    " www.evil.example <img src=x onerror=alert(1)> | a | b | **bold** `code` # heading"
    " <https://evil2.example/a> bob@evil3.com visit bbc.co.uk/news //evil4.com/x"
)
HEADLINE = 'SYRIA: <script>alert("h")</script> [CLAIM](http://evil.example/h) SAYS PUTIN'
OUTLET = 'Evil <b>"Outlet"</b> [o](http://evil.example/o) & Sons'
STORY_URL = 'https://evil.example/a"><script>alert(8)</script>'
"""An article's own URL that tries to close the link made of it."""
COPY_URL = "javascript:alert(9)"
"""A URL that is no web page: never linked."""
NAME = "<img src=x onerror=alert(2)> [f](javascript:alert(4)) \x07bell.txt"
"""A file name holding markup, a link and a control character (XML allows none)."""
# The V2 UI renders with remark-gfm, whose autolinks act on text after escapes; linkify-it
# is the same idea in its widest form (bare domains too): neither may find anything.
LINKIFY = LinkifyIt()

TAGS = {
    *("html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "nav"),
    *("ul", "li", "a", "table", "colgroup", "col", "tr", "th", "td", "del", "ins", "span"),
    *("b", "code", "figure", "svg", "g", "circle", "rect", "polygon", "path", "line", "text"),
}
"""Every element newswatch's pages and pictures are made of: nothing else may appear."""


def _render_gfm(markdown: str) -> str:
    return (
        MarkdownIt("commonmark", {"linkify": True})
        .enable(["table", "linkify", "strikethrough"])
        .render(markdown)
    )


def _text_of(html: str) -> str:
    return (
        re.sub(r"<[^>]+>", " ", html)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&amp;", "&")
    )


class _Page(HTMLParser):
    """An HTML page as a browser would read it: its elements, attributes and text."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str]] = []
        self.text: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes += [(name, value or "") for name, value in attrs]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _assert_inert_html(page: str) -> str:
    """The page holds only newswatch's own elements and links; returns its text as read."""
    read = _Page(page)
    assert read.tags <= TAGS, read.tags - TAGS
    assert not [name for name, _ in read.attributes if name.startswith("on")]
    # Links: to a place on the page, or an article's own http(s) page, its address
    # percent-encoded (no quote, bracket or space), opened without the page's context.
    hrefs = [value for name, value in read.attributes if name == "href"]
    assert all(h.startswith("#") or re.fullmatch(r"https?://[^\s\"'<>]+", h) for h in hrefs)
    assert page.count(' rel="noopener noreferrer nofollow"') == len(
        [h for h in hrefs if not h.startswith("#")]
    )
    for svg in re.findall(r"<svg .*?</svg>", page, re.DOTALL):
        ElementTree.fromstring(svg)  # well formed: no control character, nothing broke out
    assert "\x07" not in page
    return " ".join(read.text)


def _assert_inert_markdown(text: str, own_links: bool = True) -> str:
    """Rendered as both Prefect UIs render Markdown: no element but formatting and our own
    links and pictures, and nothing an autolinker would link; returns its text as read."""
    html = _render_gfm(text)
    for forbidden in ("<script", '<img src="x', "<code>code", "<strong>bold", "<td>b</td>"):
        assert forbidden not in html, forbidden
    links = re.findall(r'<a href="([^"]*)"', html)
    ours = [link for link in links if link.startswith("../../artifacts/")]
    pages = [link for link in links if re.fullmatch(r"https?://[^\s\"'<>]+", link)]
    assert len(ours) + len(pages) == len(links) and (own_links or not ours), links
    images = re.findall(r'<img src="([^"]*)"', html)
    assert all(image.startswith("data:image/svg+xml;base64,") for image in images)
    for image in images:
        ElementTree.fromstring(base64.b64decode(image.split(",", 1)[1]))
    seen = _text_of(html)
    assert not LINKIFY.test(seen), LINKIFY.match(seen)
    return seen.replace(JOINER, "")


def _hostile_runs(watched: Path, database_url: str):  # type: ignore[no-untyped-def]
    """Run 1: a story with a hostile headline, in a file with a hostile name. Run 2: its
    edit (a number, and a hostile paragraph), a hostile outlet's copy of it, and an empty
    file (rejected) with a hostile name."""
    settings = get_settings(watch_dir=watched, database_url=database_url, workers=1)
    story = Article.sample().but(headline=HEADLINE, trailer=f"Kaynak/Source: {STORY_URL}")
    story.write(watched, NAME)
    run(settings)
    edited = story.but(
        paragraphs=[p.replace("25 people", "27 people") for p in story.paragraphs] + [HOSTILE]
    )
    edited.write(watched, NAME)
    bump_mtime(watched / NAME)
    story.from_outlet(OUTLET).but(trailer=f"Kaynak/Source: {COPY_URL}").write(watched, "copy.txt")
    (watched / "<svg onload=alert(3)> empty.txt").write_bytes(b"")
    return run(settings)


def test_hostile_text_is_only_text_in_every_page_artifact_and_log_line(
    watched: Path, database_url: str, tmp_path: Path
) -> None:
    summary = _hostile_runs(watched, database_url)
    assert summary.counts["edited"] == 1 and summary.counts["near_duplicate"] == 1
    with Store.open(database_url) as store:
        streamed = stream_report(summary, store, tmp_path / "reports")
        figures, _ = read_figures(store)
    head, totals = streamed.head, streamed.totals

    # The report files, as the flow writes them.
    page = streamed.written["html"].read_text(encoding="utf-8")
    seen = _assert_inert_html(page)
    assert 'href="https://evil.example/a%22%3E%3Cscript%3Ealert%288%29%3C/script%3E"' in page
    assert '<script>alert("h")</script>' in seen and '<script>alert("x")</script>' in seen
    assert "onerror=alert(2)" in seen and "onload=alert(3)" in seen and OUTLET in seen
    assert "alert(8)" in seen  # the URL's text, shown as text
    _assert_inert_markdown(streamed.written["md"].read_text(encoding="utf-8"))

    # What the Prefect UIs show: the summary, every article page with its picture, the
    # descriptions, the tables and the log.
    pages = markdown.article_pages(head, 100, report_pictures(head, streamed.stories, 100))
    assert [p.key for p in pages] == [article_page_key(n, head.run.database) for n in (1, 2)]
    _assert_inert_markdown(markdown.run_markdown(head, limit=100, totals=totals))
    for page in pages:
        shown = _assert_inert_markdown(page.markdown)
        assert '<script>alert("h")</script>' in shown  # as written, for a reader
        _assert_inert_markdown(page.description, own_links=False)
    rows, description = files_table(head, 100, totals)
    rows += outlets_table(figures, summary.run_id)[0]
    for cell in [description, *(v for row in rows for v in row.values() if isinstance(v, str))]:
        html = _render_gfm(cell)
        assert not re.search(r"<(?!/?p>)", html), cell  # text in a paragraph, nothing else
        assert not LINKIFY.test(_text_of(html)), cell
    for line in markdown.log_lines(head, 100, totals=totals):
        assert not LINKIFY.test(line), line

    # A story, as a page (HTML and Markdown), with its picture.
    cli = CliRunner()
    page = cli.invoke(app, ["story", "1", "--format", "html", "--database-url", database_url])
    seen = _assert_inert_html(page.stdout)
    assert '<script>alert("x")</script>' in seen
    text = cli.invoke(app, ["story", "1", "--format", "md", "--database-url", database_url])
    _assert_inert_markdown(text.stdout)


def test_only_the_escaping_module_escapes() -> None:
    """One path for HTML: no other module escapes markup itself (``html.escape``,
    ``markupsafe``, ``xml.sax.saxutils``) or writes a character reference by hand."""
    escapers = {"html", "markupsafe", "xml.sax.saxutils"}
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        if path == SOURCE / "render" / "escaping.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = (
                    [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
                )
                found += [(path.name, n) for n in names if n in escapers]
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                found += [
                    (path.name, ref) for ref in re.findall(r"&(?:lt|gt|amp|quot);", node.value)
                ]
    assert found == []


def test_md_escape_round_trips_through_a_markdown_renderer() -> None:
    text = (
        "A *toll* of 25_000 [sic] <b>|</b> 'quoted' \"double\" “curly” 3.5% C:\\path #1 U.S. "
        "&lt; & `code` http://x.org"
    )
    html = MarkdownIt("commonmark").render(md_escape(text))
    # Exactly the text, as a paragraph: only the escaping every HTML text needs, so no
    # emphasis, link, code span, tag or character reference was formed (word joiners, which
    # keep autolinkers off, aside).
    escaped = (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )
    assert html.replace(JOINER, "") == f"<p>{escaped}</p>\n"


def test_no_escaped_text_still_linkifies() -> None:
    samples = [
        "http://evil.example/x",
        "HTTPS://EVIL.COM",
        "www.evil.com",
        "bob@evil.com",
        "mailto:a@b.com",
        "//evil.com/x",
        "ftp://x.org",
        "see bbc.co.uk/news",
        "x.it",
        "пример.рф",
        "<https://evil.example>",
        "![x](https://evil.example/i.png)",
    ]
    for sample in samples:
        assert LINKIFY.test(sample), sample  # each would be a link as written...
        for escaped in (md_escape(sample), cell_escape(sample)):  # rendered as Markdown
            text = _text_of(_render_gfm(escaped))
            assert not LINKIFY.test(text), (sample, text)  # ...and none is once escaped
            assert "<a " not in _render_gfm(escaped)
        assert not LINKIFY.test(defang(sample))  # log lines: plain text
    assert defang("3.2m and 1,400,000") == "3.2m and 1,400,000"  # numbers stay as written


def test_a_cell_keeps_an_ordinary_path_readable_and_a_hostile_one_inert() -> None:
    assert (
        cell_escape("/data/000_85c9e1f1e88d1daf.txt") == f"/data/000_85c9e1f1e88d1daf.{JOINER}txt"
    )
    html = _render_gfm(cell_escape("[x](http://e.example) **b** <img src=x> _e_"))
    assert (
        "<a " not in html and "<strong>" not in html and "<img" not in html and "<em>" not in html
    )

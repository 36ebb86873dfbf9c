"""A story's life: `newswatch story` (JSON, HTML with its picture, Markdown), the picture in
the run report, and the picture's own rules (time scale, escaping)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newswatch.cli.app import app
from newswatch.models import ChangeKind, Revert, VersionCounts
from newswatch.report.build import build_part
from newswatch.report.stories import known_diffs, report_pictures, report_stories
from newswatch.store import Store
from newswatch.store.rows import ArticleRow, VersionRow
from newswatch.store.stories import CopyRow, StoryRows
from newswatch.story.build import build_story, story_counts
from newswatch.story.model import Story, StoryCopy, StoryVersion
from newswatch.story.page import picture_markdown
from newswatch.story.timeline import (
    IMAGE_WIDTH,
    PLOT_LEFT,
    PLOT_RIGHT,
    _Scale,
    data_uri,
    timeline_svg,
)
from tests.articles import PARAGRAPHS, Article, bump_mtime
from tests.runs import whole_report
from tests.stories import ingest as _ingest
from tests.stories import seed_story, story_versions

SVG = "{http://www.w3.org/2000/svg}"


def _story(url: str, *options: str) -> str:
    result = CliRunner().invoke(app, ["story", "1", "--database-url", url, *options])
    assert result.exit_code == 0, result.output
    return result.stdout


def _svg(page: str) -> ElementTree.Element:
    """The page's one picture, parsed as XML: it must be well formed."""
    (svg,) = re.findall(r"<svg .*?</svg>", page, re.DOTALL)
    return ElementTree.fromstring(svg)


def _marks(svg: ElementTree.Element) -> list[tuple[str, ElementTree.Element]]:
    """Each mark's tooltip and shape (the legend's shapes have no tooltip)."""
    found = []
    for group in svg.iter(f"{SVG}g"):
        title = group.find(f"{SVG}title")
        shape = next(child for child in group if child.tag != f"{SVG}title")
        assert title is not None and title.text
        found.append((title.text, shape))
    return found


def _article_row(
    article_id: int, outlet: str, at: datetime, copy_of: int | None = None
) -> ArticleRow:
    return ArticleRow(
        id=article_id,
        key=f"k{article_id}",
        outlet=outlet,
        headline=f"Headline of {article_id}",
        current_version=1,
        version_count=3,
        near_duplicate_of=copy_of,
        near_duplicate_similarity=0.91 if copy_of else None,
        first_seen_at=at,
        updated_at=at,
        outlet_key=outlet.lower(),
    )


def _version_row(number: int, headline: str, paragraphs: list[str], at: datetime) -> VersionRow:
    return VersionRow(
        id=number,
        article_id=1,
        number=number,
        content_hash=f"hash{number}",
        headline=headline,
        outlet="BBC",
        published=None,
        dateline=None,
        body="\n\n".join(paragraphs),
        source_url=None,
        encoding="utf-8",
        passage_keys=b"",
        similarity_to_previous=None if number == 1 else 0.9,
        run_id=number,
        first_seen_at=at,
        line_keys=b"",
        url=None,
        published_at=None,
        outlet_key="bbc",
    )


MILITANTS = "Moscow says its strikes target only militants."


def test_a_story_is_built_from_its_rows_each_version_marked_by_what_it_changed() -> None:
    """Rows built in memory: version 2 is diffed now (a number), version 3's change is read
    from what a report stored (the headline), a revert and a copy are placed in time."""
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    toll = [p.replace("25 people", "27 people") for p in PARAGRAPHS]
    versions = [
        _version_row(1, "SYRIA CONFLICT", PARAGRAPHS, start),
        _version_row(2, "SYRIA CONFLICT", toll, start + timedelta(hours=1)),
        _version_row(3, "PUTIN REJECTS CLAIM", [*toll, MILITANTS], start + timedelta(hours=2)),
    ]
    stored = VersionCounts(
        numbers=0,
        quotes=0,
        headline=True,
        sentences_added=0,
        sentences_deleted=0,
        sentences_updated=0,
        sentences_moved=0,
    )
    revert = Revert(seen_at=start + timedelta(hours=3), from_version=3, to_version=1, path="a.txt")
    copy = CopyRow(
        _article_row(2, "Reuters", start + timedelta(minutes=90), copy_of=1),
        "\n\n".join([*toll, "Reuters contributed to this report."]),
    )
    rows = StoryRows(_article_row(1, "BBC", start), versions, [revert], [copy], {3: stored})
    story = build_story(rows, story_counts(rows))
    assert [v.changed for v in story.versions] == [[], [ChangeKind.NUMBERS], [ChangeKind.HEADLINE]]
    second = story.versions[1].counts
    assert second is not None and (second.numbers, second.sentences_updated) == (1, 1)
    assert story.versions[2].counts == stored  # read, not diffed again
    assert [v.first_seen for v in story.versions] == [v.first_seen_at for v in versions]
    assert story.reverts == [revert]
    (copied,) = story.copies
    assert (copied.outlet, copied.version_copied, copied.similarity) == ("Reuters", 2, 0.91)
    assert (story.outlet, story.copy_of) == ("BBC", None)


def test_story_json_lists_the_seeds_three_versions_what_each_changed_and_the_copy(
    watched: Path, database_url: str
) -> None:
    seed_story(watched, database_url)
    story = json.loads(_story(database_url, "--format", "json"))
    assert (story["article_id"], story["outlet"]) == (1, "BBC")
    versions = story["versions"]
    assert [v["version"] for v in versions] == [1, 2, 3]
    assert [v["changed"] for v in versions] == [[], ["numbers"], ["quotes"]]
    assert versions[0]["counts"] is None
    assert versions[1]["counts"]["numbers"] == 1 and versions[1]["counts"]["sentences_updated"] == 1
    assert versions[2]["counts"]["quotes"] == 1 and versions[2]["counts"]["numbers"] == 0
    assert all(v["first_seen"].endswith(("Z", "+00:00")) for v in versions)
    assert versions[0]["words"] > 100
    (copy,) = story["copies"]
    assert (copy["article_id"], copy["outlet"], copy["version_copied"]) == (2, "Reuters", 2)
    assert copy["similarity"] > 0.9
    assert Story.model_validate(story).versions[2].first_seen.tzinfo is not None


def test_story_html_draws_a_mark_per_version_and_a_lane_for_the_copy(
    watched: Path, database_url: str
) -> None:
    seed_story(watched, database_url)
    page = _story(database_url, "--format", "html")
    svg = _svg(page)
    marks = _marks(svg)
    versions = [(t, s) for t, s in marks if t.startswith("Version ")]
    assert [t.split(" · ")[0] for t, _ in versions] == ["Version 1", "Version 2", "Version 3"]
    assert all(" UTC" in t and "SYRIA CONFLICT" in t for t, _ in versions)
    # Version 1 is a ring; version 2 changed numbers, version 3 a quote: two colours.
    assert versions[0][1].get("fill") == "#fff"
    assert versions[1][1].get("fill") != versions[2][1].get("fill")
    copies = [(t, s) for t, s in marks if t.startswith("Reuters copy")]
    assert len(copies) == 1 and copies[0][1].tag == f"{SVG}rect" and "of version 2" in copies[0][0]
    lanes = [t.text for t in svg.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert lanes[:2] == ["BBC", "Reuters"]
    # The copy's lane sits below the article's, joined to the version it copied.
    copy_y = float(copies[0][1].get("y") or 0)
    assert copy_y > float(versions[1][1].get("cy") or 0)
    joins = [p for p in svg.iter(f"{SVG}path") if p.get("stroke") == "#009E73"]
    assert len(joins) == 1 and (joins[0].get("d") or "").startswith(f"M{versions[1][1].get('cx')} ")
    # Below the picture, every change: the page names the 27, in UTC.
    assert "<del>25</del>" in page and "<ins>27</ins>" in page
    assert "25 → 27 people dead" in page and "Times are UTC" in page
    assert page.index("<svg") < page.index("Version 1 → 2") < page.index("Version 2 → 3")
    assert "<script" not in page


def test_story_markdown_lists_versions_as_a_table_and_every_change(
    watched: Path, database_url: str
) -> None:
    seed_story(watched, database_url)
    text = _story(database_url)  # Markdown is the default
    assert "| version | first seen (UTC) |" in text
    assert re.search(r"\| 2 \| \d{4}-\d\d-\d\d \d\d:\d\d UTC \| \d+ \| 25 → 27 people dead", text)
    assert "## Version 2 → 3" in text and "### Quotes changed (1)" in text
    assert "## Copies by other outlets (1)" in text


def test_story_on_a_terminal_is_drawn_without_markdowns_backslashes(
    watched: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from rich.console import Console

    from newswatch.cli import story

    seed_story(watched, database_url)
    piped = _story(database_url)
    assert "# Article 1: SYRIA CONFLICT\\: " in piped  # Markdown, inert where it is rendered
    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=200, color_system=None)
    monkeypatch.setattr(story, "out", terminal)
    _story(database_url)
    shown = screen.getvalue()
    assert "Article 1: SYRIA CONFLICT: RUSSIAN WAR CRIMES CLAIM 'RHETORIC' SAYS PUTIN" in shown
    assert "\\" not in shown and "|---" not in shown.replace(" ", "")
    assert "25 → 27 people dead" in shown and "Copies by other outlets (1)" in shown
    # Asked for Markdown by name, a terminal gets Markdown.
    screen.truncate(0)
    assert "# Article 1: SYRIA CONFLICT\\: " in _story(database_url, "--format", "md")


def test_a_one_version_story_says_nothing_changed(watched: Path, database_url: str) -> None:
    Article.other().write(watched, "games.txt")
    _ingest(watched, database_url)
    page = _story(database_url, "--format", "html")
    marks = _marks(_svg(page))
    assert [t.split(" · ")[0] for t, _ in marks] == ["Version 1"]
    assert "One version: nothing has changed" in page
    assert "no copies by other outlets" in page


def test_a_forty_version_story_keeps_every_mark_apart_in_time_order(
    watched: Path, database_url: str
) -> None:
    for number, version in enumerate(story_versions(40), 1):
        version.write(watched, "putin.txt")
        bump_mtime(watched / "putin.txt", 10 * number)
        _ingest(watched, database_url)
    story = json.loads(_story(database_url, "--format", "json"))
    assert len(story["versions"]) == 40
    assert {k for v in story["versions"] for k in v["changed"]} == {
        "numbers",
        "quotes",
        "headline",
        "text",
    }
    svg = _svg(_story(database_url, "--format", "html"))
    shapes = [s for t, s in _marks(svg) if t.startswith("Version ")]
    places = [(float(s.get("cx") or 0), float(s.get("r") or 0)) for s in shapes]
    assert len(places) == 40
    for (x1, r1), (x2, r2) in pairwise(places):
        assert x2 - x1 >= r1 + r2, "marks overlap"
    assert places[0][0] == PLOT_LEFT and round(places[-1][0], 1) == PLOT_RIGHT


def test_a_revert_is_a_diamond_with_an_arc_back_to_the_version_it_restored(
    watched: Path, database_url: str
) -> None:
    versions = story_versions(3)
    for number, version in enumerate([*versions, versions[0]], 1):
        version.write(watched, "putin.txt")
        bump_mtime(watched / "putin.txt", 10 * number)
        _ingest(watched, database_url)
    story = json.loads(_story(database_url, "--format", "json"))
    assert len(story["versions"]) == 3
    ((revert),) = story["reverts"]
    assert (revert["from_version"], revert["to_version"]) == (3, 1)
    page = _story(database_url, "--format", "html")
    reverts = [(t, s) for t, s in _marks(_svg(page)) if t.startswith("Revert")]
    assert len(reverts) == 1 and reverts[0][1].tag == f"{SVG}polygon"
    assert reverts[0][0].startswith("Revert to version 1 (from version 3)")
    assert "Revert to version 1 (from version 3)" in page and "stroke-dasharray" in page


def test_the_run_report_draws_each_edited_or_copied_storys_picture_above_its_diff(
    watched: Path, database_url: str, tmp_path: Path
) -> None:
    summary = seed_story(watched, database_url)
    with Store.open(database_url) as store:
        report = build_part(summary, summary.changed, store, None, [], summary.copied)
        stories, unstored = report_stories(report, store, known_diffs(report))
        page = whole_report(summary, store, tmp_path).written["html"].read_text()
    assert set(stories) == {1}  # the edited article, which is also the copy's original
    # Its two edits, to store: the second from the report's own diff, the first made now.
    assert [(e.article_id, e.version, e.counts.numbers, e.counts.quotes) for e in unstored] == [
        (1, 2, 1, 0),
        (1, 3, 0, 1),
    ]
    edit, copy = page.index("id=article-1>"), page.index("id=article-2>")
    pictures = [m.start() for m in re.finditer("<figure class=timeline><svg", page)]
    assert len(pictures) == 2
    assert edit < pictures[0] < page.index("<table class=diff", edit) < copy < pictures[1]
    # The Prefect article pages: the picture as an image both UIs render.
    pictures_md = report_pictures(report, stories)
    assert set(pictures_md) == {1}
    assert pictures_md[1][0].startswith("![Time line of article 1")
    assert "](data:image/svg+xml;base64," in pictures_md[1][0]


def _hostile_story(headline: str) -> Story:
    at = datetime(2016, 10, 13, 9, 0, tzinfo=UTC)
    counts = VersionCounts(
        numbers=1,
        quotes=0,
        headline=True,
        sentences_added=0,
        sentences_deleted=0,
        sentences_updated=1,
        sentences_moved=0,
    )
    return Story(
        article_id=7,
        outlet='Evil "Outlet", <b>',
        headline=headline,
        copy_of=None,
        versions=[
            StoryVersion(version=1, first_seen=at, headline=headline, words=3),
            StoryVersion(
                version=2,
                first_seen=at + timedelta(hours=2),
                headline=headline,
                words=4,
                changed=["numbers", "headline"],
                counts=counts,
            ),
        ],
        reverts=[
            Revert(
                seen_at=at + timedelta(hours=3),
                from_version=2,
                to_version=1,
                path="/x/<script>.txt",
            )
        ],
        copies=[
            StoryCopy(
                article_id=8,
                outlet="<script>alert(1)</script>",
                headline=headline,
                first_seen=at + timedelta(hours=1),
                similarity=0.9,
                version_copied=1,
            )
        ],
    )


def test_article_text_in_the_picture_is_text_whatever_it_holds() -> None:
    from tests.test_escaping import HOSTILE

    headline = f'He said "no", then\nleft {HOSTILE} \x0b\x00 end'
    svg = timeline_svg(_hostile_story(headline))
    tree = ElementTree.fromstring(svg)  # well formed: nothing broke out of its element
    assert not [e for e in tree.iter() if e.tag in (f"{SVG}script", f"{SVG}a", f"{SVG}image")]
    assert "<script" not in svg and "<b>" not in svg and "\x00" not in svg
    titles = [t.text or "" for t in tree.iter(f"{SVG}title")]
    # Read back, the headline is there as written, on one line.
    assert any('He said "no", then left <script>alert("x")</script>' in t for t in titles)
    lanes = [t.text for t in tree.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert lanes[0] == 'Evil "Outlet", <b>' and lanes[1].startswith("<script>")
    image = picture_markdown(_hostile_story(headline))[0]
    narrow = timeline_svg(_hostile_story(headline), IMAGE_WIDTH)
    assert image.startswith("![") and data_uri(narrow) in image and "<" not in image
    assert ElementTree.fromstring(narrow).get("width") == str(IMAGE_WIDTH)


def test_the_time_scale_keeps_events_apart_and_in_order() -> None:
    start = datetime(2016, 10, 13, 9, 0, tzinfo=UTC)
    # A burst of edits within a minute, then one a week later.
    moments = [start + timedelta(seconds=s) for s in (0, 5, 10, 20)]
    moments.append(start + timedelta(days=7))
    scale = _Scale.over(moments)
    places = [scale.x(m) for m in moments]
    assert places == sorted(places) and places[0] == PLOT_LEFT
    assert round(places[-1], 6) == PLOT_RIGHT
    assert min(b - a for a, b in pairwise(places)) >= scale.gap - 1e-9
    # The quiet week still takes most of the width: time stays proportional elsewhere.
    assert places[-1] - places[-2] > 0.8 * (PLOT_RIGHT - PLOT_LEFT)
    single = _Scale.over([start])
    assert single.x(start) == (PLOT_LEFT + PLOT_RIGHT) / 2


def test_story_open_writes_the_page_into_the_reports_folder_and_opens_it(
    watched: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import webbrowser

    url = f"sqlite:///{tmp_path / 'news.db'}"
    seed_story(watched, url)
    monkeypatch.setenv("NEWSWATCH_REPORTS_DIR", str(tmp_path / "reports"))
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda uri: opened.append(uri) or True)
    result = CliRunner().invoke(app, ["story", "1", "--open", "--database-url", url])
    assert result.exit_code == 0, result.output
    page = tmp_path / "reports" / "story-1.html"
    assert opened == [page.resolve().as_uri()]
    assert "<svg" in page.read_text(encoding="utf-8")

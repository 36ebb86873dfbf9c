"""Change reports rendered from runs on fixture folders: content, escaping, files, schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from newswatch.pipeline.run import run
from newswatch.render.escaping import JOINER, md_escape
from newswatch.render.phrasing import PLAIN, summary_sentence
from newswatch.report import markdown
from newswatch.report.artifacts import files_table
from newswatch.report.model import ChangeReport, json_schema, load
from newswatch.server.addresses import article_page_key, database_key
from newswatch.settings import get_settings
from newswatch.store import Store
from tests.articles import Article, bump_mtime
from tests.runs import report_files, report_html, whole_report

ROOT = Path(__file__).resolve().parents[1]


def _report(folder: Path, database_url: str) -> ChangeReport:
    summary = run(get_settings(watch_dir=folder, database_url=database_url, workers=1))
    with Store.open(database_url) as store:
        return whole_report(summary, store, folder.parent / "reports").head


def _edit_toll(folder: Path) -> None:
    path = folder / "a.txt"
    Article.sample().but(
        headline="SYRIA CONFLICT: PUTIN REJECTS WAR CRIMES CLAIM",
        paragraphs=[
            p.replace("25 people", "27 people").replace('"rhetoric"', '"pure rhetoric"')
            for p in Article.sample().paragraphs
        ]
        + ["Moscow says its strikes target only militants."],
    ).write(folder, "a.txt")
    bump_mtime(path)


def _second_run(watched: Path, database_url: str) -> ChangeReport:
    """Run 1: two stories. Run 2: one edited, one copied by Reuters, one broken file, one new."""
    Article.sample().write(watched, "a.txt")
    Article.other().write(watched, "b.txt")
    _report(watched, database_url)
    _edit_toll(watched)
    Article.other().from_outlet("Reuters").but(
        headline="Mobile gaming to boom, analysts say",
        paragraphs=[*Article.other().paragraphs, "Prices start at 99 pounds, Reuters reports."],
    ).write(watched, "copy.txt")
    Article.sample().but(
        headline="Markets rally in Asia",
        paragraphs=["Shares rose in Tokyo on Monday.", "Traders cited strong export data."],
        dateline="AP, 15 October 2016",
    ).write(watched, "new.txt")
    (watched / "empty.txt").write_bytes(b"")
    return _report(watched, database_url)


def test_an_edit_is_reported_with_headline_numbers_quotes_and_sentences(
    watched: Path, database_url: str
) -> None:
    second = _second_run(watched, database_url)
    assert second.run.counts["edited"] == 1 and second.run.counts["unchanged"] == 1
    assert [f.outcome.value for f in second.files] == [
        "edited",
        "near_duplicate",
        "rejected",
        "new",
    ]
    (change,) = second.edits
    assert (change.from_version, change.to_version) == (1, 2)
    assert change.diff.headline_changed
    assert [str(n) for n in change.diff.numbers] == ["25 → 27 people dead"]
    # The softened quote. The headline's 'RHETORIC' went with the rewrite, but the word is
    # still said in the body ("pure rhetoric"): no quotation is gone.
    assert [(q.old, q.new, q.speaker, q.in_headline) for q in change.diff.quotes] == [
        ("rhetoric", "pure rhetoric", "He", False),
    ]
    assert change.diff.sentences["added"] == 1

    summary_md = markdown.run_markdown(second)
    assert "1 edited, 1 syndicated copy, 1 new, 1 rejected." in summary_md
    assert "| edited | 1 |" in summary_md and "Rejected files (1)" in summary_md
    # Article references link to the artifact pages, in whichever UI the reader is.
    for article_id in (1, 3):
        key = article_page_key(article_id, second.run.database)
        assert f"[{key}](../../artifacts/key/{key})" in summary_md
    article_md = markdown.article_markdown(change, second.run.run_id)
    assert "**25 → 27** people dead" in article_md
    assert "~~" in article_md and "*added (paragraph 9):*" in article_md
    assert "*changed, He:* “**pure** rhetoric”" in article_md
    assert "1 quote changed" in summary_md and "1 sentence added" in summary_md
    rendered = MarkdownIt().render(article_md)
    assert "Moscow says its strikes target only militants" in rendered
    assert "pure" in rendered and "rhetoric" in rendered

    rows, _ = files_table(second, limit=100)
    assert {r["outcome"] for r in rows} == {"edited", "near_duplicate", "rejected", "new"}


def test_two_databases_give_their_article_pages_keys_of_their_own(
    tmp_path: Path, watched: Path
) -> None:
    first = _second_run(watched, f"sqlite:///{tmp_path / 'one.db'}")
    other = tmp_path / "other"
    other.mkdir()
    second = _second_run(other, f"sqlite:///{tmp_path / 'two.db'}")
    keys = [{p.key for p in markdown.article_pages(r)} for r in (first, second)]
    assert {k.rsplit("-", 1)[0] for k in keys[0]} == {k.rsplit("-", 1)[0] for k in keys[1]}
    assert not keys[0] & keys[1]  # article 1 of each database: two pages, two histories
    assert all(k.startswith("article-") and k.count("-") == 2 for k in keys[0] | keys[1])
    # One database however its URL is written: the same key.
    spelled = (
        f"sqlite:///{tmp_path / 'one.db'}",
        f"sqlite+pysqlite:///{tmp_path}/./one.db?timeout=5",
        f"sqlite:///file:{tmp_path / 'one.db'}?mode=rwc&uri=true",
    )
    assert len({database_key(url) for url in spelled}) == 1
    servers = (
        "postgresql+psycopg://editor:secret@DB.example.org/news",
        "postgresql://reader@db.example.org:5432/news?sslmode=require",
    )
    assert len({database_key(url) for url in servers}) == 1
    assert database_key(servers[0]) != database_key(servers[0].replace("/news", "/news2"))


def test_new_articles_are_listed_by_headline(watched: Path, database_url: str) -> None:
    Article.sample().write(watched, "a.txt")
    Article.other().write(watched, "b.txt")
    first = _report(watched, database_url)
    assert [(a.outlet, a.headline) for a in first.new_articles] == [
        ("BBC", Article.sample().headline),
        ("BBC", "Mobile gaming set to explode"),
    ]
    summary = markdown.run_markdown(first)
    assert "## New articles (2)" in summary and "Mobile gaming set to explode" in summary
    assert "Nothing was" not in summary
    assert summary_sentence(first.run.counts) == "0 edited, 0 syndicated copies, 2 new, 0 rejected"
    capped = markdown.run_markdown(first, limit=1)
    assert "… and 1 more new articles" in capped


def test_a_syndicated_copy_has_its_own_page_and_the_original_lists_where_it_spread(
    watched: Path, database_url: str
) -> None:
    second = _second_run(watched, database_url)
    (link,) = second.near_duplicates
    assert (link.outlet, link.copies_outlet, link.copies_article_id) == ("Reuters", "BBC", 2)
    assert link.copies_headline == "Mobile gaming set to explode"
    assert link.copies_path is not None and link.copies_path.endswith("b.txt")
    assert link.diff is not None and link.diff.sentences["added"] == 1

    pages = {
        int(p.key.split("-")[1]): p
        for p in markdown.article_pages(second)
        if p.key == article_page_key(int(p.key.split("-")[1]), second.run.database)
    }
    assert set(pages) == {1, 2, 3}
    copy_page = pages[3].markdown
    assert "a syndicated copy of article 2" in copy_page
    assert "BBC’s “Mobile gaming set to explode”" in copy_page
    assert f"b\\.{JOINER}txt" in copy_page  # the original's file
    assert "similarity" in copy_page and "Prices start at 99 pounds" in copy_page
    assert pages[3].description.startswith('Reuters\\: \\"Mobile gaming')
    original_page = pages[2].markdown
    assert "Where this story spread (1 copy)" in original_page
    assert re.search(r"Reuters, first seen \d{4}-\d\d-\d\d \d\d:\d\d UTC", original_page)
    # Sentences for the UI's artifact list, with outlet and headline.
    assert pages[1].description == md_escape(
        'BBC: "SYRIA CONFLICT: PUTIN REJECTS WAR CRIMES CLAIM" v1 → v2, 25 → 27 people dead'
    )
    assert markdown.log_lines(second) == [
        'edited: BBC: "SYRIA CONFLICT: PUTIN REJECTS WAR CRIMES CLAIM" v1 → v2, '
        f"25 → 27 people dead ({pages[1].key})",
        'syndicated copy: Reuters: "Mobile gaming to boom, analysts say" copies BBC article 2, '
        f"similarity {link.similarity:.2f} ({pages[3].key})",
    ]


def test_the_html_report_has_a_legend_contents_labelled_rows_and_no_empty_parentheses(
    watched: Path, database_url: str
) -> None:
    second = _second_run(watched, database_url)
    page = report_html(second)
    assert (
        "<nav><h2>Contents</h2>" in page and "href=#article-1" in page and "href=#article-3" in page
    )
    assert "class=legend" in page and "table-layout:fixed" in page and "<col><col>" in page
    assert "added, paragraph 9" in page
    assert "()" not in page
    assert "<del>25</del>" in page and "<ins>27</ins>" in page
    assert "Where article 2 spread" in page


def test_a_moved_sentence_is_labelled_with_its_paragraphs(watched: Path, database_url: str) -> None:
    article = Article.sample()
    article.write(watched, "a.txt")
    _report(watched, database_url)
    moved = [article.paragraphs[3], *article.paragraphs[:3], *article.paragraphs[4:]]
    article.but(paragraphs=moved).write(watched, "a.txt")
    bump_mtime(watched / "a.txt")
    second = _report(watched, database_url)
    (change,) = second.edits
    assert "*moved (paragraph 4 → 1):*" in markdown.article_markdown(change, 2)
    page = report_html(second)
    assert "moved from paragraph 4" in page and "moved to paragraph 1" in page


def test_a_revert_is_reported_against_the_version_it_replaced(
    watched: Path, database_url: str
) -> None:
    Article.sample().write(watched, "a.txt")
    _report(watched, database_url)
    _edit_toll(watched)
    _report(watched, database_url)
    Article.sample().write(watched, "a.txt")
    bump_mtime(watched / "a.txt", 20)
    third = _report(watched, database_url)
    (change,) = third.edits
    assert change.reverted and (change.from_version, change.to_version) == (2, 1)
    assert [str(n) for n in change.diff.numbers] == ["27 → 25 people dead"]


def test_plain_text_rendering_marks_old_and_new_without_colour(
    watched: Path, database_url: str
) -> None:
    second = _second_run(watched, database_url)
    text = markdown.report_markdown(second, PLAIN)
    assert "[-25-]{+27+}" in text
    assert "{+PUTIN REJECTS+}" in text or "[-RUSSIAN-]" in text
    assert "~~" not in text and "\\" not in text.replace("\\n", "")


def test_report_files_json_schema_and_the_report_command(
    watched: Path, database_url: str, tmp_path: Path
) -> None:
    from newswatch.cli.app import app

    Article.sample().write(watched, "a.txt")
    _report(watched, database_url)
    _edit_toll(watched)
    result = _report(watched, database_url)
    folder = tmp_path / "reports"
    written = report_files(result, folder)
    assert sorted(p.name for p in written.values()) == [
        f"run-{result.run.run_id}.html",
        f"run-{result.run.run_id}.json",
        f"run-{result.run.run_id}.md",
    ]
    assert load(written["json"]).model_dump() == result.model_dump()  # the JSON holds all but
    # the per-file results of unchanged files, which the summary keeps only in memory
    page = written["html"].read_text()
    assert "<del>25</del>" in page and "<ins>27</ins>" in page  # side by side

    schema = json.loads((ROOT / "schemas" / "change-report.schema.json").read_text())
    assert schema == json_schema(), "regenerate schemas/ with `newswatch report --schema`"
    import jsonschema  # comes with Prefect

    jsonschema.validate(json.loads(written["json"].read_text()), schema)

    cli = CliRunner()
    shown = cli.invoke(app, ["report", "--reports-dir", str(folder)])
    assert shown.exit_code == 0, shown.output
    # Not a terminal: the plain rendering, old and new told apart without colour.
    assert f"newswatch run {result.run.run_id}" in shown.stdout and "[-25-]{+27+}" in shown.stdout
    as_md = cli.invoke(app, ["report", "--reports-dir", str(folder), "--format", "md"])
    assert as_md.stdout == written["md"].read_text() + "\n"
    as_json = cli.invoke(
        app, ["report", str(result.run.run_id), "--reports-dir", str(folder), "--format", "json"]
    )
    assert json.loads(as_json.stdout)["edits"][0]["diff"]["numbers"][0]["new"] == "27"
    missing = cli.invoke(app, ["report", "999", "--reports-dir", str(folder)])
    assert missing.exit_code == 2 and "no report" in missing.output
    printed = cli.invoke(app, ["report", "--schema"])
    assert json.loads(printed.stdout) == schema


def test_the_report_on_a_terminal_shows_addresses_without_word_joiners(
    watched: Path, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The joiners keep the Prefect UIs from linking article text; on a terminal they only
    break what a reader copies (a URL, the database's address)."""
    import io

    from rich.console import Console

    from newswatch.cli import output, reports
    from newswatch.cli.app import app
    from tests.pages import Page

    Page.sample().write(watched, "a.html")
    result = _report(watched, database_url)
    folder = tmp_path / "reports"
    report_files(result, folder)
    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, color_system="standard", width=300)
    monkeypatch.setattr(output, "out", terminal)
    monkeypatch.setattr(reports, "out", terminal)
    monkeypatch.delenv("NO_COLOR", raising=False)
    shown = CliRunner().invoke(app, ["report", "--reports-dir", str(folder)])
    assert shown.exit_code == 0, shown.output
    text = screen.getvalue()
    assert "\x1b[" in text and JOINER not in text
    assert "https://www.example-news.com/world/2024/03/putin-rhetoric" in text


def test_copies_and_spread_originals_go_out_ten_pages_to_an_artifact_and_edits_keyed() -> None:
    """An edit's page stays keyed (the article's history in the UI); copies' and originals'
    pages share artifacts, ten to one, in order; the summary links each to the artifact
    that holds it, with no history, and an edit to its page and history."""
    from newswatch.report.markdown import ArticlePage, PageGroup, published_pages
    from newswatch.report.summary import SummaryLines
    from newswatch.server.addresses import article_page_key

    def page(n: int, kind: str) -> ArticlePage:
        return ArticlePage(f"article-{n}", f"# Article {n}", f"sentence {n}", "", kind)

    pages = [page(n, "edited") for n in range(3)]
    pages += [page(n, "syndicated copy") for n in range(10, 22)]
    pages += [page(n, "spread") for n in range(30, 40)]
    out = published_pages(pages)
    assert [p.key for p in out[:3]] == ["article-0", "article-1", "article-2"]
    groups = out[3:]
    assert all(isinstance(g, PageGroup) and g.key is None for g in groups)
    keys = [g.keys for g in groups if isinstance(g, PageGroup)]
    assert [len(k) for k in keys] == [10, 10, 2]
    assert [k for group in keys for k in group] == [p.key for p in pages[3:]]
    first = groups[0]
    assert first.markdown.split("\n\n---\n\n") == [f"# Article {n}" for n in range(10, 20)]
    assert first.description.startswith("sentence 10; sentence 11")
    edit, copy = article_page_key(0, "sqlite:///a.db"), article_page_key(10, "sqlite:///a.db")
    line = SummaryLines(pages={edit: "e0"}, database="sqlite:///a.db", shared={copy: "g1"})
    assert line.ref(10) == f"[{copy}](../../artifacts/artifact/g1)"
    assert line.ref(0) == (
        f"[{edit}](../../artifacts/artifact/e0) ([history](../../artifacts/key/{edit}))"
    )


def test_a_copy_that_is_copied_in_the_same_run_has_one_page_saying_both(
    watched: Path, database_url: str
) -> None:
    """Reuters copies the BBC's story and AFP copies Reuters' copy, in one run: Reuters'
    article is a copy and an original that spread. One page says both, so the summary's link
    to it (a page group's, by key) finds the copy it names."""
    Article.other().write(watched, "a.txt")
    _report(watched, database_url)
    reuters = (
        Article.other()
        .from_outlet("Reuters")
        .but(
            headline="Mobile gaming to boom, analysts say",
            paragraphs=[*Article.other().paragraphs, "Prices start at 99 pounds, Reuters reports."],
        )
    )
    reuters.write(watched, "b.txt")
    reuters.from_outlet("AFP").but(
        paragraphs=[*reuters.paragraphs, "Analysts expect sales to double by 2010, AFP says."]
    ).write(watched, "c.txt")
    second = _report(watched, database_url)
    copied = {link.article_id: link.copies_article_id for link in second.near_duplicates}
    middle = next(a for a, original in copied.items() if original == 1)
    assert copied.get(max(copied)) == middle, copied  # AFP's copy is of Reuters' copy

    pages = markdown.article_pages(second)
    keys = [p.key for p in pages]
    assert len(keys) == len(set(keys)), keys
    (page,) = [p for p in pages if p.key == article_page_key(middle, second.run.database)]
    assert "a syndicated copy of article 1" in page.markdown
    assert "Where this story spread (1 copy)" in page.markdown and "AFP" in page.markdown
    (spread,) = [p for p in pages if p.kind == "spread"]
    assert f"Copied in run {second.run.run_id}." in spread.markdown


def test_a_copy_of_an_original_without_an_outlet_names_no_placeholder_owner(
    watched: Path, database_url: str
) -> None:
    """The original names no outlet (no dateline): its headline is said without one, not
    as "no outlet's"."""
    Article.other().but(dateline=None).write(watched, "a.txt")
    _report(watched, database_url)
    Article.other().from_outlet("Reuters").but(
        paragraphs=[*Article.other().paragraphs, "Prices start at 99 pounds, Reuters reports."]
    ).write(watched, "b.txt")
    second = _report(watched, database_url)
    (link,) = second.near_duplicates
    assert link.copies_outlet is None
    (page,) = [p for p in markdown.article_pages(second) if p.kind == "syndicated copy"]
    summary = markdown.run_markdown(second)
    for text in (page.markdown, summary, report_html(second)):
        assert "Mobile gaming set to explode" in text
        assert "no outlet" not in text

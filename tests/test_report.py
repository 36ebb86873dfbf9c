"""Change reports rendered from runs on fixture folders: content, escaping, files, schema."""

from __future__ import annotations

import json
from pathlib import Path

from markdown_it import MarkdownIt
from typer.testing import CliRunner

from newswatch import report, store
from newswatch.ingest import run
from newswatch.settings import get_settings
from tests.articles import Article, bump_mtime

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = (
    '<script>alert("x")</script> [click me](http://evil.example/x) ![i](http://evil.example/i.png)'
    " www.evil.example <img src=x onerror=alert(1)> | a | b | **bold** `code` # heading"
)


def _report(folder: Path, database_url: str) -> report.ChangeReport:
    summary = run(get_settings(watch_dir=folder, database_url=database_url, workers=1))
    engine = store.connect(database_url)
    try:
        return report.build_report(summary, engine)
    finally:
        engine.dispose()


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


def test_an_edit_is_reported_with_headline_numbers_quotes_and_sentences(
    watched: Path, database_url: str
) -> None:
    Article.sample().write(watched, "a.txt")
    Article.other().write(watched, "b.txt")
    _report(watched, database_url)
    _edit_toll(watched)
    Article.other().from_outlet("Reuters").write(watched, "copy.txt")
    (watched / "empty.txt").write_bytes(b"")
    second = _report(watched, database_url)

    assert second.counts["edited"] == 1 and second.counts["unchanged"] == 1
    assert [f.outcome.value for f in second.files] == ["edited", "near_duplicate", "rejected"]
    (change,) = second.edits
    assert (change.from_version, change.to_version) == (1, 2)
    assert change.diff.headline_changed
    assert [str(n) for n in change.diff.numbers] == ["25 -> 27 people dead"]
    assert change.diff.quotes[0].new == "pure rhetoric"
    assert change.diff.sentences["added"] == 1

    summary_md = report.run_markdown(second)
    assert "| edited | 1 |" in summary_md
    assert "article-1" in summary_md and "Rejected files (1)" in summary_md
    assert "copies article 2" in summary_md
    article_md = report.article_markdown(change, second.run_id)
    assert "**25 → 27** people dead" in article_md
    assert "~~" in article_md and "*added:*" in article_md
    rendered = MarkdownIt().render(article_md)
    assert "<del>" not in rendered  # strikethrough is GFM; the text itself must survive:
    assert "Moscow says its strikes target only militants" in rendered
    assert "pure rhetoric" in rendered

    rows = report.file_rows(second)
    assert {r["outcome"] for r in rows} == {"edited", "near_duplicate", "rejected"}


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
    assert [str(n) for n in change.diff.numbers] == ["27 -> 25 people dead"]


def test_article_text_cannot_inject_html_links_or_markup_into_reports(
    watched: Path, database_url: str
) -> None:
    hostile = Article.sample().but(headline="Hostile " + HOSTILE)
    hostile.write(watched, "a.txt")
    _report(watched, database_url)
    hostile.but(paragraphs=[*hostile.paragraphs, HOSTILE]).write(watched, "a.txt")
    bump_mtime(watched / "a.txt")
    result = _report(watched, database_url)
    (change,) = result.edits
    for markdown in (report.run_markdown(result), report.article_markdown(change, 1)):
        html = MarkdownIt("commonmark").enable("table").render(markdown)
        for forbidden in ("<script", "<img", "<a ", "<code>code", "<strong>bold", "<td>b</td>"):
            assert forbidden not in html, forbidden
        assert "http://" not in markdown and "www.evil" not in markdown
        # ...and a reader still sees the text as it was written.
        assert "&lt;script&gt;alert" in html
        assert "[click me](http" in html.replace("&#58;", ":").replace("&#47;", "/")
    page = report.render_html(result)
    assert "<script" not in page and "<img" not in page and "&lt;script&gt;" in page


def test_md_escape_round_trips_through_a_markdown_renderer() -> None:
    text = (
        "A *toll* of 25_000 [sic] <b>|</b> 'quoted' \"double\" “curly” 3.5% C:\\path #1 "
        "&lt; & `code` http://x.org"
    )
    html = MarkdownIt("commonmark").render(report.md_escape(text))
    # Exactly the text, as a paragraph: only the escaping every HTML text needs, so no
    # emphasis, link, code span, tag or character reference was formed.
    escaped = (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )
    assert html == f"<p>{escaped}</p>\n"


def test_report_files_json_schema_and_the_report_command(
    watched: Path, database_url: str, tmp_path: Path
) -> None:
    from newswatch.cli import app

    Article.sample().write(watched, "a.txt")
    _report(watched, database_url)
    _edit_toll(watched)
    result = _report(watched, database_url)
    folder = tmp_path / "reports"
    written = report.write_files(result, folder)
    assert sorted(p.name for p in written.values()) == [
        f"run-{result.run_id}.html",
        f"run-{result.run_id}.json",
        f"run-{result.run_id}.md",
    ]
    assert report.load(written["json"]) == result
    page = written["html"].read_text()
    assert "<del>25</del>" in page and "<ins>27</ins>" in page  # side by side

    schema = json.loads((ROOT / "schemas" / "change-report.schema.json").read_text())
    assert schema == report.json_schema(), "regenerate schemas/ with `newswatch report --schema`"
    import jsonschema  # comes with Prefect

    jsonschema.validate(json.loads(written["json"].read_text()), schema)

    cli = CliRunner()
    shown = cli.invoke(app, ["report", "--reports-dir", str(folder), "--format", "md"])
    assert shown.exit_code == 0, shown.output
    assert f"newswatch run {result.run_id}" in shown.stdout
    as_json = cli.invoke(
        app, ["report", str(result.run_id), "--reports-dir", str(folder), "--format", "json"]
    )
    assert json.loads(as_json.stdout)["edits"][0]["diff"]["numbers"][0]["new"] == "27"
    missing = cli.invoke(app, ["report", "999", "--reports-dir", str(folder)])
    assert missing.exit_code == 2 and "no report" in missing.output
    printed = cli.invoke(app, ["report", "--schema"])
    assert json.loads(printed.stdout) == schema

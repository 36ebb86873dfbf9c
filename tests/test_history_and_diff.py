"""`newswatch history` and `newswatch diff` read what ingest stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newswatch.cli.app import app
from newswatch.pipeline.run import run
from newswatch.settings import get_settings
from tests.articles import PARAGRAPHS, Article, bump_mtime


def _two_versions(watched: Path, url: str) -> Path:
    path = Article.sample().write(watched, "a.txt")
    run(get_settings(watch_dir=watched, database_url=url, workers=1))
    Article.sample().but(
        headline="Putin dismisses claims",
        paragraphs=[p.replace("total of 25 people", "total of 27 people") for p in PARAGRAPHS],
    ).write(watched, "a.txt")
    bump_mtime(path)
    run(get_settings(watch_dir=watched, database_url=url, workers=1))
    return path


def test_history_lists_versions_with_their_files(watched: Path, database_url: str) -> None:
    path = _two_versions(watched, database_url)
    result = CliRunner().invoke(app, ["history", "1", "--database-url", database_url, "--json"])
    assert result.exit_code == 0, result.output
    history = json.loads(result.stdout)
    assert [v["version"] for v in history["versions"]] == [1, 2]
    assert history["current_version"] == 2
    assert history["versions"][1]["sightings"][0]["path"] == str(path.resolve())
    assert history["versions"][1]["sightings"][0]["outcome"] == "edited"


def test_diff_json_and_terminal_output_show_the_changed_number(
    watched: Path, database_url: str
) -> None:
    path = _two_versions(watched, database_url)
    as_json = CliRunner().invoke(app, ["diff", str(path), "--database-url", database_url, "--json"])
    assert as_json.exit_code == 0, as_json.output
    diff = json.loads(as_json.stdout)
    assert (diff["from"], diff["to"]) == (1, 2)
    ((number),) = diff["numbers"]
    assert (number["old"], number["new"], number["context"]) == ("25", "27", "people dead")
    shown = CliRunner().invoke(
        app, ["diff", "1", "--from", "1", "--to", "2", "--database-url", database_url]
    )
    # Not a terminal: plain text, old and new told apart without colour.
    assert "**25 → 27** people dead" not in shown.stdout
    assert "25 → 27 people dead" in shown.stdout and "[-25-]{+27+}" in shown.stdout
    assert "Putin dismisses claims" in " ".join(shown.stdout.split())


def test_unknown_article_or_version_is_a_clear_error(watched: Path, database_url: str) -> None:
    _two_versions(watched, database_url)
    missing = CliRunner().invoke(app, ["history", "99", "--database-url", database_url])
    assert missing.exit_code == 2 and "no article" in missing.output
    for option, value in (("--from", "7"), ("--from", "0"), ("--to", "3")):
        bad = CliRunner().invoke(app, ["diff", "1", option, value, "--database-url", database_url])
        assert bad.exit_code == 2, bad.output
        assert bad.output == f"error: {option} {value}: article 1 has versions 1 to 2.\n"


def test_a_one_version_diff_says_so_and_history_times_carry_their_zone(
    watched: Path, database_url: str
) -> None:
    Article.sample().write(watched, "a.txt")
    run(get_settings(watch_dir=watched, database_url=database_url, workers=1))
    single = CliRunner().invoke(app, ["diff", "1", "--database-url", database_url])
    assert single.exit_code == 0, single.output
    assert "has one version: nothing to compare" in single.stdout
    assert "1 -> 1" not in single.stdout and "1 → 1" not in single.stdout
    history = CliRunner().invoke(app, ["history", "1", "--database-url", database_url])
    assert " UTC" in history.stdout


def test_diff_is_coloured_on_a_terminal_and_plain_with_no_color(
    watched: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from rich.console import Console

    from newswatch.cli import articles, output

    _two_versions(watched, database_url)
    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, color_system="standard")
    monkeypatch.setattr(output, "out", terminal)
    monkeypatch.setattr(articles, "out", terminal)
    monkeypatch.delenv("NO_COLOR", raising=False)
    coloured = CliRunner().invoke(app, ["diff", "1", "--database-url", database_url])
    assert coloured.exit_code == 0, coloured.output
    assert "\x1b[" in screen.getvalue() and "[-25-]" not in screen.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    plain = CliRunner().invoke(app, ["diff", "1", "--database-url", database_url])
    assert "[-25-]{+27+}" in plain.stdout and "\x1b[" not in plain.stdout


def test_history_of_a_warc_lists_the_articles_it_holds_and_diff_says_which_to_give(
    watched: Path, database_url: str
) -> None:
    from tests.pages import Capture, story_page, write_warc

    url = "https://www.example-news.com/local/story-{}"
    warc = write_warc(
        watched / "crawl.warc.gz",
        [Capture(url.format(n), story_page(n).but(url=None).bytes()) for n in range(3)],
    )
    summary = run(get_settings(watch_dir=watched, database_url=database_url, workers=1))
    ids = [r.article_id for r in summary.results]
    cli = CliRunner()
    listed = cli.invoke(app, ["history", str(warc), "--database-url", database_url, "--json"])
    assert listed.exit_code == 0, listed.output
    held = json.loads(listed.stdout)["articles"]
    assert [a["article_id"] for a in held] == ids
    assert [a["url"] for a in held] == [url.format(n) for n in range(3)]
    offsets = [int(r.path.rsplit("#", 1)[1]) for r in summary.results]
    assert [a["offsets"] for a in held] == [[o] for o in offsets]
    text = cli.invoke(app, ["history", str(warc), "--database-url", database_url])
    assert text.exit_code == 0 and "holds 3 articles" in text.stdout
    for command in ("diff", "story"):
        refused = cli.invoke(app, [command, str(warc), "--database-url", database_url])
        assert refused.exit_code == 2
        assert f"holds 3 articles ({', '.join(map(str, ids))})" in refused.output
        assert f"newswatch {command} {ids[0]}" in refused.output
    # One record of it, by its path: that article's history.
    one = cli.invoke(
        app, ["history", summary.results[1].path, "--database-url", database_url, "--json"]
    )
    assert one.exit_code == 0 and json.loads(one.stdout)["article_id"] == ids[1]

"""The Prefect flow and the CLI that runs it, against a real temporary Prefect server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.articles import Article

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_server")]


def test_the_flow_ingests_a_folder_in_batches(watched: Path, tmp_path: Path) -> None:
    from flows.ingest import ingest_flow

    for i in range(5):
        Article.sample().but(
            headline=f"Story number {i}", paragraphs=[f"Paragraph {i} {w}." for w in "abc"]
        ).write(watched, f"{i}.txt")
    url = f"sqlite:///{tmp_path / 'flow.db'}"
    summary = ingest_flow(str(watched), url)
    assert summary.counts["new"] == 5
    again = ingest_flow(str(watched), url)
    assert again.counts["unchanged"] == 5 and again.counts["new"] == 0


def test_cli_ingest_json_prints_one_object_per_file(watched: Path, tmp_path: Path) -> None:
    from newswatch.cli import app

    Article.sample().write(watched, "a.txt")
    (watched / "empty.txt").write_bytes(b"")
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = CliRunner().invoke(app, ["ingest", str(watched), "--database-url", url, "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    by_name = {Path(line["path"]).name: line for line in lines}
    assert by_name["a.txt"]["outcome"] == "new" and by_name["a.txt"]["version"] == 1
    assert by_name["empty.txt"]["outcome"] == "rejected"
    assert "empty" in by_name["empty.txt"]["reason"]
    assert set(by_name["a.txt"]) >= {
        "path",
        "outcome",
        "article_id",
        "version",
        "matched_article_id",
        "similarity",
        "reason",
    }


def test_cli_refuses_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    from newswatch.cli import app

    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "is not a folder" in " ".join(result.output.split())

"""The Prefect flow and the CLI that runs it, against a real temporary Prefect server."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newswatch.server.addresses import article_page_key
from tests.articles import Article
from tests.runs import query

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


def test_the_flow_writes_batches_matched_in_worker_processes_in_their_order(
    watched: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches go to two worker processes, several at once, and are written in order: the
    first file of a text is the new one, whichever batch finished matching first."""
    from flows.ingest import ingest_flow

    monkeypatch.setenv("NEWSWATCH_WORKERS", "2")
    monkeypatch.setenv("NEWSWATCH_BATCH_SIZE", "70")  # above the size a worker gets
    for i in range(280):
        Article.sample().but(
            headline=f"Story number {i}",
            paragraphs=[f"Only story {i} says {w} {i}." for w in "abc"],
        ).write(watched, f"{i // 70}/{i:03d}.txt")
    Article.sample().write(watched, "0/000-original.txt")
    Article.sample().write(watched, "3/999-copy.txt")
    url = f"sqlite:///{tmp_path / 'workers.db'}"
    summary = ingest_flow(str(watched), url)
    outcomes = {Path(r.path).name: r.outcome.value for r in summary.results}
    assert outcomes["000-original.txt"] == "new" and outcomes["999-copy.txt"] == "duplicate"
    assert summary.counts["new"] == 281 and summary.write_lock_seconds > 0


def test_cli_ingest_json_prints_one_object_per_file(watched: Path, tmp_path: Path) -> None:
    from newswatch.cli.app import app

    Article.sample().write(watched, "a.txt")
    (watched / "empty.txt").write_bytes(b"")
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = CliRunner().invoke(app, ["ingest", str(watched), "--database-url", url, "--json"])
    assert result.exit_code == 0, result.output
    # stdout is JSON lines only; the summary went to stderr.
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert "Run 1" in result.stderr and "outcome" in result.stderr
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


def test_cli_ingest_prints_its_summary_on_stdout_and_where_to_review_the_run(
    watched: Path, tmp_path: Path
) -> None:
    from prefect.client.orchestration import get_client

    from newswatch.cli.app import app

    Article.sample().write(watched, "a.txt")
    url = f"sqlite:///{tmp_path / 'news.db'}"
    result = CliRunner().invoke(app, ["ingest", str(watched), "--database-url", url])
    assert result.exit_code == 0, result.output
    assert "Ingesting" in result.stderr and "Ingesting" not in result.stdout
    assert "Run 1" in result.stdout and "new" in result.stdout
    review = re.search(r"Review it: (http://\S+)/runs/flow-run/([0-9a-f-]{36})", result.stdout)
    assert review, result.stdout
    with get_client(sync_client=True) as client:
        flow_run = client.read_flow_run(review.group(2))
    assert flow_run.state is not None and flow_run.state.is_completed()
    # The report belongs to its database: beside it, and found through it.
    report_file = tmp_path / "news-reports" / "run-1.md"
    assert f"Report: {report_file}" in result.stdout
    assert report_file.is_file()
    found = CliRunner().invoke(app, ["report", "--database-url", url, "--format", "path"])
    assert found.exit_code == 0, found.output
    assert found.stdout.strip() == str(report_file.with_suffix(".html"))


def test_two_databases_keep_their_own_reports(watched: Path, tmp_path: Path) -> None:
    from flows.ingest import ingest_flow

    Article.sample().write(watched, "a.txt")
    first = f"sqlite:///{tmp_path / 'one.db'}"
    second = f"sqlite:///{tmp_path / 'two.db'}"
    ingest_flow(str(watched), first)
    Article.other().write(watched, "b.txt")
    ingest_flow(str(watched), second)
    # Both are run 1 of their database; neither report overwrote the other.
    one = json.loads((tmp_path / "one-reports" / "run-1.json").read_text())
    two = json.loads((tmp_path / "two-reports" / "run-1.json").read_text())
    assert one["run"]["counts"]["new"] == 1 and two["run"]["counts"]["new"] == 2


def test_cli_refuses_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    from newswatch.cli.app import app

    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "is not a folder" in " ".join(result.output.split())


# --- reports as artifacts, read back through the Prefect API ----------------------------------


def _artifacts(flow_run_id):  # type: ignore[no-untyped-def]
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
    return {a.key or f"(unkeyed {a.type})": a for a in found}


def _run_flow(watched: Path, url: str, reports: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from flows.ingest import ingest_flow

    monkeypatch.setenv("NEWSWATCH_REPORTS_DIR", str(reports))
    state = ingest_flow(str(watched), url, return_state=True)
    assert state.is_completed(), state
    return state.result(), state.state_details.flow_run_id


def test_each_run_publishes_its_report_as_artifacts_and_files(
    watched: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'artifacts.db'}"
    reports = tmp_path / "reports"
    Article.sample().write(watched, "putin.txt")
    Article.other().write(watched, "games.txt")
    first, first_id = _run_flow(watched, url, reports, monkeypatch)
    assert first.counts["new"] == 2
    published = _artifacts(first_id)
    assert {"newswatch-run-summary", "newswatch-files"} <= set(published)
    assert "| new | 2 |" in published["newswatch-run-summary"].data

    # A journalist's nightmare: the toll is quietly changed, a quote softened, the
    # headline rewritten; a wire copy appears; a broken file lands in the folder.
    from tests.test_report import _edit_toll

    _edit_toll(watched)
    Article.other().from_outlet("Reuters").write(watched, "wire.txt")
    (watched / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    second, second_id = _run_flow(watched, url, reports, monkeypatch)
    assert second.counts["edited"] == 1
    published = _artifacts(second_id)
    edited_article = next(r.article_id for r in second.results if r.outcome == "edited")
    article_key = article_page_key(edited_article, second.database)
    assert article_key in published
    diff = published[article_key].data
    assert "**25 → 27** people dead" in diff
    assert "“**pure** rhetoric”" in diff and "Headline" in diff
    summary = published["newswatch-run-summary"].data
    assert "Edited articles (1)" in summary and "Syndicated copies (1)" in summary
    assert "Rejected files (1)" in summary and "binary" in summary
    # Findable: a named run, sentences for descriptions, a page for the copy.
    from prefect.client.orchestration import get_client

    from newswatch.render.escaping import md_escape

    with get_client(sync_client=True) as client:
        assert client.read_flow_run(second_id).name == (
            f"newswatch run {second.run_id}: {watched.resolve()}"
        )
    assert published["newswatch-run-summary"].description == md_escape(
        f"Run {second.run_id}: 1 edited, 1 syndicated copy, 0 new, 1 rejected"
    )
    assert published[article_key].description.startswith('BBC\\: \\"SYRIA CONFLICT')
    copy_id = next(r.article_id for r in second.results if r.outcome == "near_duplicate")
    copy_key = article_page_key(copy_id, second.database)
    # The copy's page and its original's go out together, one unkeyed artifact: a copy's
    # page has no history of runs to keep.
    group = published["(unkeyed markdown)"]
    assert copy_key not in published
    assert "a syndicated copy of article" in group.data
    assert "Where this story spread" in group.data
    # Each reference goes to this run's page of the article: an edit's with the article's
    # history beside, a copy's to the artifact that holds its page.
    page = published[article_key].id
    assert (
        f"[{article_key}](../../artifacts/artifact/{page}) "
        f"([history](../../artifacts/key/{article_key}))"
    ) in summary
    assert f"[{copy_key}](../../artifacts/artifact/{group.id}) " in summary
    assert f"artifacts/key/{copy_key}" not in summary
    # A progress artifact followed the run's batches to the end.
    assert published["(unkeyed progress)"].data == 100.0
    table = published["newswatch-files"].data
    rows = json.loads(table) if isinstance(table, str) else table
    assert {row["outcome"] for row in rows} == {"edited", "near_duplicate", "rejected"}
    # Each story's picture, as an image both UIs render, above its diff; and the outlets
    # the run saw, with their figures.
    assert diff.index("](data:image/svg+xml;base64,") < diff.index("## Headline")
    assert "](data:image/svg+xml;base64," in group.data
    outlets = published["newswatch-outlets"].data
    outlets = json.loads(outlets) if isinstance(outlets, str) else outlets
    by_outlet = {row["outlet"]: row for row in outlets}
    assert set(by_outlet) == {"BBC", "Reuters"}  # the rejected file has no outlet
    assert (by_outlet["BBC"]["edits"], by_outlet["BBC"]["edits: numbers"]) == (1, "100%")
    assert by_outlet["BBC"]["copied by others"] == 1
    assert "<figure class=timeline><svg" in (reports / f"run-{second.run_id}.html").read_text()
    # What the edit changed is stored, so later runs' figures need not diff it again.
    edited_id = next(r.article_id for r in second.results if r.outcome == "edited")
    assert query(url, "SELECT article_id, version, numbers_changed FROM edits") == [
        (edited_id, 2, 1)
    ]

    files = sorted(p.name for p in reports.iterdir())
    assert files == sorted(
        f"run-{s.run_id}.{ext}" for s in (first, second) for ext in ("md", "json", "html")
    )


def test_a_database_password_never_reaches_prefect(tmp_path: Path, watched: Path) -> None:
    from flows.ingest import ingest_flow
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from pydantic import SecretStr

    Article.sample().write(watched, "a.txt")
    # Nothing listens on port 9: the run fails, and its failure is logged.
    url = "postgresql+psycopg://newsroom:s3cret-pw@127.0.0.1:9/news"
    state = ingest_flow(str(watched), SecretStr(url), return_state=True)
    assert state.is_failed()
    flow_run_id = state.state_details.flow_run_id
    from prefect.logging.handlers import APILogHandler

    APILogHandler().flush()
    with get_client(sync_client=True) as client:
        flow_run = client.read_flow_run(flow_run_id)
        for _ in range(50):  # logs reach the server in batches
            logs = client.read_logs(
                log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id]))
            )
            if logs:
                break
            time.sleep(0.2)
    assert logs, "the failure should have been logged"
    stored = (
        json.dumps(flow_run.parameters)
        + json.dumps([log.message for log in logs])
        + str(state.message)
    )
    assert "s3cret-pw" not in stored
    assert flow_run.parameters["database_url"] == "**********"


def test_the_flow_runs_its_batches_on_a_dask_cluster(
    watched: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.ingest import configured_flow

    from newswatch.settings import get_settings

    for i in range(6):
        Article.sample().but(
            headline=f"Dask story {i}", paragraphs=[f"Only in story {i}: {w} {i}." for w in "abc"]
        ).write(watched, f"{i}.txt")
    Article.sample().write(watched, "z-one.txt")
    Article.sample().write(watched, "z-two.txt")
    url = f"sqlite:///{tmp_path / 'dask.db'}"
    monkeypatch.setenv("NEWSWATCH_REPORTS_DIR", str(tmp_path / "reports"))
    settings = get_settings(database_url=url, task_runner="dask", batch_size=2, workers=2)
    flow = configured_flow(settings)
    assert type(flow.task_runner).__name__ == "DaskTaskRunner"
    monkeypatch.setenv("NEWSWATCH_TASK_RUNNER", "dask")
    monkeypatch.setenv("NEWSWATCH_BATCH_SIZE", "2")
    summary = flow(str(watched), url)
    assert summary.counts["new"] == 7 and summary.counts["duplicate"] == 1
    assert len(summary.results) == 8


def test_served_deployment_runs_on_demand_and_overlapping_runs_ingest_each_file_once(
    watched: Path, tmp_path: Path
) -> None:
    """`newswatch serve` in its own process; `prefect deployment run` twice at once."""
    import os
    import subprocess
    import sys

    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL
    from sqlalchemy import create_engine, text

    for i in range(40):
        Article.sample().but(
            headline=f"Served story {i}",
            paragraphs=[f"Story {i} only: {w} {i} {w}." for w in "abcd"],
        ).write(watched, f"{i:02d}.txt")
    url = f"sqlite:///{tmp_path / 'served.db'}"
    reports = tmp_path / "reports"
    env = {
        **os.environ,
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),
        "NEWSWATCH_REPORTS_DIR": str(reports),
        "NEWSWATCH_BATCH_SIZE": "5",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "newswatch.cli.app",
            "serve",
            str(watched),
            "--cron",
            "0 0 1 1 *",
            "--database-url",
            url,
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        with get_client(sync_client=True) as client:
            deadline = time.monotonic() + 90
            while True:
                try:
                    deployment = client.read_deployment_by_name("newswatch-ingest/watch")
                    break
                except Exception:
                    assert server.poll() is None, server.stdout.read() if server.stdout else ""
                    assert time.monotonic() < deadline, "the deployment never appeared"
                    time.sleep(0.5)
            assert deployment.global_concurrency_limit is not None
            assert deployment.global_concurrency_limit.limit == 1
            runs = [run_deployment("newswatch-ingest/watch", timeout=0) for _ in range(2)]
            deadline = time.monotonic() + 180
            while True:
                states = [client.read_flow_run(r.id).state for r in runs]
                if all(s is not None and s.is_final() for s in states):
                    break
                assert time.monotonic() < deadline, states
                time.sleep(0.5)
        assert all(s.is_completed() for s in states if s is not None), states
    finally:
        server.terminate()
        server.wait(timeout=30)
    engine = create_engine(url)
    with engine.connect() as conn:
        stored = conn.execute(text("select count(*), count(distinct path) from sightings")).one()
        counted = conn.execute(text("select sum(new), sum(unchanged) from runs")).one()
    engine.dispose()
    assert tuple(stored) == (40, 40)  # each file ingested once, by one of the runs
    assert tuple(counted) == (40, 40)  # ...and found unchanged by the other
    assert len(list(reports.glob("run-*.json"))) == 2

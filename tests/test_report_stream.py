"""The report written a chunk of files at a time is the report built whole, and what the
UI and events are given of it (its head) is what they would take from the whole."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from newswatch.models import FileResult, Outcome, RunSummary
from newswatch.notify import events
from newswatch.pipeline.run import run
from newswatch.report import markdown
from newswatch.report.artifacts import files_table
from newswatch.report.model import ChangeReport
from newswatch.report.stream import StreamedReport, stream_report
from newswatch.settings import get_settings
from newswatch.spool import ResultSpool
from newswatch.store import Store
from tests.articles import Article, bump_mtime, distinct_story
from tests.runs import whole_report


def _story(n: int) -> Article:
    toll = ["Officials said 25 people were hurt in the crash."] if n == 3 else []
    return Article(f"Story {n} of the council", distinct_story(n, 160) + toll)


def _two_runs(watched: Path, database_url: str) -> RunSummary:
    """Run 1: four stories. Run 2: three of them edited (a toll only in the last file),
    two copied by other outlets, one new story and one empty file."""
    settings = get_settings(watch_dir=watched, database_url=database_url, workers=1)
    for n in range(4):
        _story(n).write(watched, f"{n}.txt")
    run(settings)
    for n, change in ((0, "reworded"), (1, "reworded"), (3, "number")):
        story = _story(n)
        if change == "number":
            paragraphs = [p.replace("25 people", "27 people") for p in story.paragraphs]
        else:
            reworded = story.paragraphs[0] + " The mayor declined to comment."
            paragraphs = [reworded, *story.paragraphs[1:]]
        story.but(paragraphs=paragraphs).write(watched, f"{n}.txt")
        bump_mtime(watched / f"{n}.txt")
    for n, outlet in ((1, "Reuters"), (2, "AP")):
        _story(n).from_outlet(outlet).write(watched, f"copy-{n}.txt")
    _story(9).write(watched, "new.txt")
    (watched / "empty.txt").write_bytes(b"")
    return run(settings)


def test_a_report_written_a_file_at_a_time_is_the_report_built_whole(
    watched: Path, database_url: str, tmp_path: Path
) -> None:
    summary = _two_runs(watched, database_url)
    assert summary.counts["edited"] == 3 and summary.counts["near_duplicate"] == 2
    with Store.open(database_url) as store:
        whole_report(summary, store, tmp_path / "whole")
        streamed = stream_report(summary, store, tmp_path / "streamed", chunk=1)
    for suffix in ("json", "md", "html"):
        name = f"run-{summary.run_id}.{suffix}"
        assert (tmp_path / "streamed" / name).read_text() == (
            tmp_path / "whole" / name
        ).read_text(), suffix
    # Only the three files are left: the parts are gone.
    assert sorted(p.name for p in (tmp_path / "streamed").iterdir()) == [
        f"run-{summary.run_id}.{s}" for s in ("html", "json", "md")
    ]
    assert streamed.totals.edits == 3 and streamed.totals.near_duplicates == 2
    assert streamed.outlets == {"BBC", "Reuters", "AP"}


def _whole_and_streamed(
    watched: Path, database_url: str, folder: Path, chunk: int
) -> tuple[ChangeReport, StreamedReport]:
    """The second run's report built whole, and streamed keeping one of each list."""
    summary = _two_runs(watched, database_url)
    with Store.open(database_url) as store:
        whole = whole_report(summary, store, folder / "whole").head
        return whole, stream_report(summary, store, folder, keep=1, events=1, chunk=chunk)


def test_the_head_of_a_streamed_report_gives_the_ui_what_the_whole_would(
    watched: Path, database_url: str, tmp_path: Path
) -> None:
    whole, streamed = _whole_and_streamed(watched, database_url, tmp_path, chunk=2)
    head, totals = streamed.head, streamed.totals
    assert len(head.edits) == 1 and totals.edits == 3
    # The summary artifact, the files table, the log and the pages, capped at one.
    assert markdown.run_markdown(head, limit=1, totals=totals) == markdown.run_markdown(
        whole, limit=1
    )
    assert "… and 2 more edited articles" in markdown.run_markdown(head, 1, totals=totals)
    assert files_table(head, 1, totals) == files_table(whole, 1)
    assert markdown.log_lines(head, 1, totals=totals) == markdown.log_lines(whole, 1)
    assert [p.key for p in markdown.article_pages(head, 1)] == [
        p.key for p in markdown.article_pages(whole, 1)
    ]


def test_a_changed_number_in_the_last_chunk_still_gets_the_one_event(
    watched: Path, database_url: str, tmp_path: Path
) -> None:
    whole, streamed = _whole_and_streamed(watched, database_url, tmp_path, chunk=1)
    sent = events.for_report(streamed.alerting, 1, totals=streamed.totals)
    expected = events.for_report(whole, 1)
    assert [e.model_dump(exclude={"id", "occurred"}) for e in sent] == [
        e.model_dump(exclude={"id", "occurred"}) for e in expected
    ]
    (edit,) = [e for e in sent if e.event.endswith("edited")]
    assert edit.resource["newswatch.changed.numbers"] == "true"
    assert sent[-1].payload.edited == 3  # type: ignore[union-attr]


def test_a_spool_gives_back_each_batch_as_added_and_survives_a_copy() -> None:
    first = [
        FileResult(path="b.txt", outcome=Outcome.NEW, article_id=2, version=1),
        FileResult(path="a.txt", outcome=Outcome.REJECTED, reason="empty", reason_code="empty"),
    ]
    second = [
        FileResult(
            path="c.txt",
            outcome=Outcome.EDITED,
            article_id=2,
            version=2,
            similarity=0.91,
            reverted=True,
        )
    ]
    spool = ResultSpool()
    spool.add(first)
    spool.add([])
    spool.add(second)
    assert list(spool.batches()) == [first, second]
    assert len(spool) == 3 and spool.counts == {"new": 1, "rejected": 1, "edited": 1}
    assert list(pickle.loads(pickle.dumps(spool))) == [*first, *second]
    spool.close()


def test_the_diffs_worker_processes_make_are_the_diffs_the_report_would_make(
    watched: Path, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each worker process diffs its batch's edits and copies once the batch is written,
    and stores what each edit changed; the report takes those diffs and the copies' bases,
    makes none itself, and reads the same as one that diffs everything in the report's
    process."""
    from newswatch.pipeline.run import ingest_run
    from newswatch.pipeline.workers import Workers
    from newswatch.report import build
    from newswatch.report.diffs import write_diffs
    from newswatch.story import build as story_build

    class DiffingWorkers(Workers):
        after_batch = write_diffs

    settings = get_settings(watch_dir=watched, database_url=database_url, workers=2)
    for n in range(70):
        _story(n).write(watched, f"{n:03}.txt")
    run(settings.model_copy(update={"workers": 1}))
    for n in (3, 40, 69):
        story = _story(n)
        reworded = story.paragraphs[0] + " The mayor declined to comment."
        story.but(paragraphs=[reworded, *story.paragraphs[1:]]).write(watched, f"{n:03}.txt")
        bump_mtime(watched / f"{n:03}.txt")
    _story(5).from_outlet("Reuters").write(watched, "copy-5.txt")
    for n in range(100, 170):  # a batch large enough for the worker processes
        _story(n).write(watched, f"{n:03}.txt")
    with Store.open(database_url) as store:
        summary = ingest_run(store, settings, runner=DiffingWorkers)
        assert summary.counts["edited"] == 3 and summary.counts["near_duplicate"] == 1
        folder = summary.diffs_folder
        assert folder is not None and list(folder.glob("*.json"))

        def not_here(*_: object) -> None:
            raise AssertionError("the report diffed what a worker process had diffed")

        with monkeypatch.context() as patched:
            patched.setattr(build, "diff_stored", not_here)
            patched.setattr(build, "copy_base", not_here)
            patched.setattr(story_build, "diff_stored", not_here)  # the edits are stored
            taken = stream_report(summary, store, tmp_path / "workers", chunk=2)
        assert not folder.exists()
        made_here = whole_report(summary.with_diffs(None), store, tmp_path / "here")
    assert taken.totals.edits == 3 and taken.totals.near_duplicates == 1
    for suffix in ("json", "md", "html"):
        name = f"run-{summary.run_id}.{suffix}"
        assert (tmp_path / "workers" / name).read_text() == (
            tmp_path / "here" / name
        ).read_text(), suffix
    assert made_here.head.edits[0].diff == taken.head.edits[0].diff


class _Publisher:
    """What a Prefect server would be given, kept in lists."""

    flow_run_id = "run"
    lost = False

    def __init__(self) -> None:
        self.artifacts: list[tuple[str | None, str]] = []

    def pages(self, pages, task_run=None):  # type: ignore[no-untyped-def]
        self.artifacts += [(p.key, p.markdown) for p in pages]
        return [f"id-{len(self.artifacts) - len(pages) + i}" for i in range(len(pages))]

    def markdown(self, key: str, markdown: str, description: str) -> str:
        self.artifacts.append((key, markdown))
        return "summary"

    def table(self, key: str, rows: object, description: str) -> None:
        pass

    def alive(self, what: str) -> bool:
        return False  # no events

    def page_url(self, artifact_id: str) -> str:
        return f"http://ui/{artifact_id}"


class _Sender:
    def __init__(self, publisher: _Publisher) -> None:
        self.publisher, self.handed = publisher, 0
        self.made: list[tuple[object, str]] = []

    def send(self, pages) -> None:  # type: ignore[no-untyped-def]
        self.handed += 1
        self.made += zip(pages, self.publisher.pages(pages), strict=True)

    def created(self) -> list[tuple[object, str]]:
        return self.made


@pytest.mark.parametrize("limit", [100, 1])
def test_pages_go_out_as_the_report_is_built_and_the_ui_gets_the_same_pages(
    watched: Path, database_url: str, tmp_path: Path, limit: int
) -> None:
    """Each chunk's edits' pages are handed over as the chunk is done, and the copies' and
    originals' pages once the head holds every edit and copy it shows (with a limit of
    one: at the first copy; of a hundred: never, so at the end); what the UI is given in
    the end, pages and summary, is what it gets when all go out at the end."""
    from newswatch.notify.publication import EarlyPages, Publication
    from newswatch.server.addresses import article_page_key

    summary = _two_runs(watched, database_url)
    given: list[list[tuple[str | None, str]]] = []
    for early_pages in (False, True):
        publisher = _Publisher()
        sender = _Sender(publisher)
        early = EarlyPages(sender, limit) if early_pages else None  # type: ignore[arg-type]
        with Store.open(database_url) as store:
            streamed = stream_report(
                summary,
                store,
                tmp_path / str(early_pages),
                keep=limit,
                chunk=1,
                after_chunk=early.add if early else None,
            )
        if early is not None:
            # Before the report was done: one hand-over per chunk that added an edit the
            # head shows, and one of the group, once the head was full.
            handed = {100: [3, 3], 1: [2, 2]}[limit]
            assert [sender.handed, len(publisher.artifacts)] == handed
        Publication(streamed, [], limit, 100, early).send(publisher, lambda line: None)  # type: ignore[arg-type]
        given.append(publisher.artifacts)
    late, early_given = given
    assert early_given == late
    keys = [key for key, _ in late]
    edits = min(limit, 3)
    assert keys[:edits] == [
        article_page_key(c.article_id, summary.database) for c in streamed.head.edits[:edits]
    ]
    assert keys[edits:] == [None, "newswatch-run-summary"]  # the copies' and originals' pages


def test_a_database_too_busy_for_a_workers_diffs_leaves_them_to_the_report(
    tmp_path: Path,
) -> None:
    """The batch is stored already when its worker diffs it: a busy database there is no
    failure, and no diff file is left, so the report diffs the batch itself."""
    from sqlalchemy.exc import OperationalError

    from newswatch.report.diffs import write_diffs

    class Busy:
        def reading(self) -> object:
            raise OperationalError("BEGIN", {}, Exception("database is locked"))

    result = FileResult(path="a.txt", outcome=Outcome.EDITED, article_id=1, version=2)
    write_diffs(Busy(), 1, 0, [result], tmp_path)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []

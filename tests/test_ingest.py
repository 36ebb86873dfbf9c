"""Ingest runs end to end (without Prefect): each outcome, the re-run, what is stored."""

from __future__ import annotations

import json
from pathlib import Path

from newswatch.pipeline.plan import plan
from newswatch.pipeline.run import run
from newswatch.read.scan import scan
from newswatch.settings import get_settings
from newswatch.store import Store, masked_url
from tests.articles import Article, bump_mtime, distinct_story
from tests.runs import outcomes as _outcomes
from tests.runs import query as _query


def _run(folder: Path, database_url: str):  # type: ignore[no-untyped-def]
    return run(get_settings(watch_dir=folder, database_url=database_url, workers=1))


def test_first_run_stores_new_articles_and_a_rerun_reports_every_file_unchanged(
    watched: Path, database_url: str
) -> None:
    Article.sample().write(watched, "a.txt")
    Article.other().write(watched, "sub/b.txt")
    first = _run(watched, database_url)
    assert _outcomes(first) == {"a.txt": "new", "b.txt": "new"}
    assert first.counts["new"] == 2
    second = _run(watched, database_url)
    assert _outcomes(second) == {"a.txt": "unchanged", "b.txt": "unchanged"}
    assert [r.version for r in second.results] == [1, 1]
    assert _query(database_url, "select count(*) from versions") == [(2,)]
    assert _query(database_url, "select new, unchanged from runs order by id") == [(2, 0), (0, 2)]


def test_a_changed_file_becomes_a_new_version_of_the_same_article(
    watched: Path, database_url: str
) -> None:
    path = Article.sample().write(watched, "a.txt")
    first = _run(watched, database_url)
    edited = Article.sample().but(
        paragraphs=[p.replace("25 people", "27 people") for p in Article.sample().paragraphs]
    )
    edited.write(watched, "a.txt")
    bump_mtime(path)
    result = _run(watched, database_url).results[0]
    assert result.outcome == "edited"
    assert result.article_id == first.results[0].article_id
    assert result.version == 2
    assert 0.95 < (result.similarity or 0) < 1
    assert _query(
        database_url, "select number, body like '%27 people dead%' from versions order by number"
    ) == [
        (1, False),
        (2, True),
    ]
    assert _query(database_url, "select current_version, version_count from articles") == [(2, 2)]


def test_whitespace_only_changes_and_touches_are_unchanged(
    watched: Path, database_url: str
) -> None:
    path = Article.sample().write(watched, "a.txt")
    _run(watched, database_url)
    bump_mtime(path)
    assert _outcomes(_run(watched, database_url)) == {"a.txt": "unchanged"}
    Article.sample().write(watched, "a.txt", newline="\r\n")
    bump_mtime(path, 20)
    assert _outcomes(_run(watched, database_url)) == {"a.txt": "unchanged"}
    assert _query(database_url, "select count(*) from versions") == [(1,)]


def test_a_new_path_with_a_known_text_is_a_duplicate(watched: Path, database_url: str) -> None:
    Article.sample().write(watched, "a.txt")
    first = _run(watched, database_url)
    Article.sample().write(watched, "copy.txt", encoding="utf-16")
    result = next(r for r in _run(watched, database_url).results if r.path.endswith("copy.txt"))
    assert result.outcome == "duplicate"
    assert result.article_id == first.results[0].article_id and result.version == 1
    assert _query(database_url, "select count(*) from versions") == [(1,)]


def test_a_watched_folder_moved_and_ingested_again_is_unchanged_file_for_file(
    tmp_path: Path, watched: Path, database_url: str
) -> None:
    from datetime import UTC, datetime

    from tests.pages import Capture, story_page, write_warc

    Article.sample().write(watched, "a.txt")
    Article.other().write(watched, "sub/b.txt")
    story_page(3).write(watched, "page.html")
    (watched / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00")  # refused, and moved too
    url = "https://www.example-news.com/local/2024/03/story-1"
    write_warc(  # two captures of one URL: a second reading must not call the first a revert
        watched / "captures.warc.gz",
        [
            Capture(url, story_page(1).but(url=None).bytes(), datetime(2024, 3, 1, tzinfo=UTC)),
            Capture(url, story_page(2).but(url=None).bytes(), datetime(2024, 3, 2, tzinfo=UTC)),
        ],
    )
    first = _run(watched, database_url)
    assert sorted(r.outcome.value for r in first.results) == [
        "edited",
        "new",
        "new",
        "new",
        "new",
        "rejected",
    ]
    versions = {Path(r.path).name: (r.article_id, r.version) for r in first.results}
    moved = watched.rename(tmp_path / "renamed")
    again = _run(moved, database_url)
    assert {Path(r.path).name: r.outcome.value for r in again.results} == dict.fromkeys(
        versions, "unchanged"
    )
    assert not any(r.reverted for r in again.results)
    assert {Path(r.path).name: (r.article_id, r.version) for r in again.results} == versions
    assert _query(database_url, "select count(*) from versions") == [(5,)]
    refusal = next(r for r in again.results if r.path.endswith("broken.txt"))
    assert refusal.reason_code == "binary"  # why it holds no article, kept
    # Recorded at their new paths: the next run reads nothing.
    third = _run(moved, database_url)
    assert third.counts["unchanged"] == 6
    assert _query(database_url, "select count(*) from sightings") == [(12,)]
    assert _query(
        database_url, f"select outcome, reason_code from files where path like '{moved}%broken%'"
    ) == [("rejected", "binary")]


def test_duplicates_within_one_run_are_recognised(watched: Path, database_url: str) -> None:
    Article.sample().write(watched, "a.txt")
    Article.sample().write(watched, "b.txt", newline="\r\n")
    assert _outcomes(_run(watched, database_url)) == {"a.txt": "new", "b.txt": "duplicate"}


def test_a_verbatim_copy_from_another_outlet_is_a_linked_near_duplicate(
    watched: Path, database_url: str
) -> None:
    Article.sample().write(watched, "bbc.txt")
    Article.sample().from_outlet("Hurriyet Daily News").write(watched, "copy.txt")
    summary = _run(watched, database_url)
    original, copy = (
        next(r for r in summary.results if r.path.endswith(n)) for n in ("bbc.txt", "copy.txt")
    )
    assert copy.outcome == "near_duplicate"
    assert copy.matched_article_id == original.article_id
    assert copy.article_id != original.article_id
    assert _query(database_url, "select outlet, near_duplicate_of from articles order by id") == [
        ("BBC", None),
        ("Hurriyet Daily News", original.article_id),
    ]


def test_bad_files_are_rejected_with_reasons_and_the_run_goes_on(
    watched: Path, database_url: str
) -> None:
    Article.sample().write(watched, "good.txt")
    (watched / "empty.txt").write_bytes(b"")
    (watched / "blank.txt").write_bytes(b"\n  \n")
    (watched / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (watched / "huge.txt").write_bytes(b"x" * 20_000)
    summary = run(
        get_settings(watch_dir=watched, database_url=database_url, max_file_bytes=10_000, workers=1)
    )
    assert _outcomes(summary) == {
        "good.txt": "new",
        "empty.txt": "rejected",
        "blank.txt": "rejected",
        "image.txt": "rejected",
        "huge.txt": "rejected",
    }
    stored = dict(
        _query(database_url, "select path, reason_code from files where outcome = 'rejected'")
    )
    assert {Path(p).name: c for p, c in stored.items()} == {
        "empty.txt": "empty",
        "blank.txt": "whitespace_only",
        "image.txt": "binary",
        "huge.txt": "too_large",
    }
    reasons = _query(
        database_url, "select path, reason from sightings where reason_code = 'too_large'"
    )
    # The reason says what is wrong and what to do; the path is stored beside it.
    assert reasons[0][0].endswith("huge.txt") and "20,000 bytes" in reasons[0][1]
    assert "huge.txt" not in reasons[0][1]


def test_a_rejected_file_that_is_fixed_is_ingested(watched: Path, database_url: str) -> None:
    path = watched / "later.txt"
    path.write_bytes(b"")
    assert _outcomes(_run(watched, database_url)) == {"later.txt": "rejected"}
    Article.sample().write(watched, "later.txt")
    bump_mtime(path)
    assert _outcomes(_run(watched, database_url)) == {"later.txt": "new"}


def test_hidden_files_readmes_and_other_extensions_are_not_ingested(
    watched: Path, database_url: str
) -> None:
    Article.sample().write(watched, "a.txt")
    Article.other().write(watched, ".hidden.txt")
    Article.other().write(watched, "README.TXT")
    Article.other().write(watched, "notes.md")
    assert _outcomes(_run(watched, database_url)) == {"a.txt": "new"}


def test_ingest_keeps_every_version_and_the_sightings_history(
    watched: Path, database_url: str
) -> None:
    path = Article.sample().write(watched, "a.txt")
    _run(watched, database_url)
    for n, number in enumerate(["27", "29"], start=1):
        Article.sample().but(
            paragraphs=[
                p.replace("25 people", f"{number} people") for p in Article.sample().paragraphs
            ]
        ).write(watched, "a.txt")
        bump_mtime(path, 10 * n)
        _run(watched, database_url)
    with Store.open(database_url) as store:
        versions = store.article_versions(1)
        seen = store.sightings_by_version(1)
    assert [v.number for v in versions] == [1, 2, 3]
    assert [(s.outcome, n) for n, listed in seen.items() for s in listed] == [
        ("new", 1),
        ("edited", 2),
        ("edited", 3),
    ]


def test_run_summary_masks_a_database_password() -> None:
    assert (
        masked_url("postgresql://news:s3cret@db:5432/watch")
        == "postgresql://news:***@db:5432/watch"
    )
    assert "s3cret" not in json.dumps(masked_url("postgresql+psycopg://u:s3cret@h/d"))
    # A URL SQLAlchemy cannot parse (a port that is not a number) is masked all the same.
    assert masked_url("postgresql://news:s3cret@db:port/watch") == (
        "postgresql://news:***@db:port/watch"
    )


def test_the_folder_and_the_records_are_merged_in_one_order_whatever_the_names(
    watched: Path, database_url: str
) -> None:
    """The plan walks the folder and reads the recorded files both in path order and merges
    them: names that sort differently by case, accent, or a folder beside a file of its
    name must all be found again (PostgreSQL's collation would order them otherwise)."""
    names = ["a.txt", "a/x.txt", "a-b.txt", "a b.txt", "B.txt", "é.txt", "Z/z.txt", "z.txt"]
    for n, name in enumerate(names):
        Article.sample().but(headline=f"Story {n}", paragraphs=distinct_story(n)).write(
            watched, name
        )
    first = _run(watched, database_url)
    assert first.counts["new"] == len(names)
    walked = [f.path for f in scan(watched).files]
    assert walked == sorted(walked) and len(walked) == len(names)
    Article.sample().but(headline="Story late", paragraphs=distinct_story(99)).write(
        watched, "a/w.txt"
    )
    settings = get_settings(watch_dir=watched, database_url=database_url, settle_seconds=0)
    with Store.open(database_url) as store:
        planned = plan(store, settings)
    # Only the new file is read; every other is skipped by its record.
    assert [Path(f.path).relative_to(watched.resolve()).as_posix() for f in planned.to_read] == [
        "a/w.txt"
    ]
    assert len(planned.skipped) == len(names)
    assert [path for path, _ in planned.skipped] == sorted(path for path, _ in planned.skipped)

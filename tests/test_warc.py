"""WARC archives as crawlers write them (built here with warcio): a page a record, each
record's target URI its URL; a growing archive read on from where it was read; a cut or
odd archive refused with a reason, its readable records kept."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from newswatch.pipeline.run import ingest_run, run
from newswatch.read.urls import article_url
from newswatch.settings import get_settings
from newswatch.store import Store
from tests.pages import Capture, Page, story_page, write_warc
from tests.runs import outcomes, query


def _settings(watched: Path, database_url: str):  # type: ignore[no-untyped-def]
    return get_settings(watch_dir=watched, database_url=database_url, workers=1)


def _captures(count: int, start: int = 0) -> list[Capture]:
    return [
        Capture(
            f"https://www.example-news.com/local/2024/03/story-{n}?utm_source=feed",
            story_page(n).but(url=None).bytes(),
        )
        for n in range(start, start + count)
    ]


def test_a_warc_of_20_pages_each_record_gzipped_gives_20_articles_with_their_urls(
    watched: Path, database_url: str
) -> None:
    warc = write_warc(watched / "crawl.warc.gz", _captures(20))
    summary = run(_settings(watched, database_url))
    assert summary.counts["new"] == 20 and summary.counts["rejected"] == 0
    assert all(r.path.startswith(f"{warc}#") for r in summary.results)
    urls = {row[0] for row in query(database_url, "select url from versions")}
    assert urls == {f"https://example-news.com/local/2024/03/story-{n}" for n in range(20)}
    seen = query(database_url, "select distinct first_seen_at from versions")
    assert len(seen) == 1 and str(seen[0][0]).startswith("2024-03-01 12:00:00")


def test_two_captures_of_one_url_are_one_article_with_two_versions(
    watched: Path, database_url: str
) -> None:
    url = "https://www.example-news.com/world/2024/03/putin-rhetoric"
    first = Page.sample().but(url=None)
    rewritten = Page.other().but(url=None, headline="A wholly rewritten page")  # no words shared
    write_warc(
        watched / "captures.warc.gz",
        [
            Capture(url, first.bytes(), at=datetime(2024, 3, 1, 12, tzinfo=UTC)),
            Capture(url + "#top", rewritten.bytes(), at=datetime(2024, 3, 1, 18, tzinfo=UTC)),
        ],
    )
    summary = run(_settings(watched, database_url))
    assert sorted(r.outcome.value for r in summary.results) == ["edited", "new"]
    edited = next(r for r in summary.results if r.outcome.value == "edited")
    assert edited.reason_code == "url" and edited.version == 2
    rows = query(database_url, "select article_id, number, url from versions order by number")
    assert [r[:2] for r in rows] == [(rows[0][0], 1), (rows[0][0], 2)]
    assert {r[2] for r in rows} == {article_url(url)}


def test_a_growing_warc_is_read_again_only_from_where_it_was_read(
    watched: Path, database_url: str
) -> None:
    warc = write_warc(watched / "crawl.warc.gz", _captures(3))
    settings = _settings(watched, database_url)
    run(settings)
    write_warc(warc, _captures(2, start=3), append=True)
    summary = run(settings)
    assert sorted(summary.counts.items()) == sorted(
        {**dict.fromkeys(summary.counts, 0), "unchanged": 3, "new": 2}.items()
    )
    # The three records read before were not read again: no second sighting of them.
    sightings = query(database_url, "select path, count(*) from sightings group by path")
    assert sorted(n for _, n in sightings) == [1, 1, 1, 1, 1]
    again = run(settings)
    assert (
        again.counts["unchanged"] == 5 and len(query(database_url, "select * from sightings")) == 5
    )


def test_a_cut_warc_keeps_its_whole_records_and_reads_the_rest_once_it_is_whole(
    watched: Path, database_url: str
) -> None:
    whole = write_warc(watched.parent / "whole.warc.gz", _captures(4)).read_bytes()
    warc = watched / "crawl.warc.gz"
    warc.write_bytes(whole[: len(whole) - 300])
    settings = _settings(watched, database_url)
    summary = run(settings)
    assert summary.counts["new"] == 3 and summary.counts["rejected"] == 1
    (cut,) = [r for r in summary.results if r.outcome.value == "rejected"]
    assert cut.reason_code == "truncated"
    warc.write_bytes(whole)
    summary = run(settings)
    assert summary.counts["new"] == 1 and summary.counts["unchanged"] == 3
    assert summary.counts["rejected"] == 0


def test_records_that_are_no_article_are_refused_with_what_they_are(
    watched: Path, database_url: str
) -> None:
    write_warc(
        watched / "mixed.warc",
        [
            *_captures(1),
            Capture(
                "https://www.example-news.com/logo.png", b"\x89PNG...", content_type="image/png"
            ),
            Capture("https://www.example-news.com/old", b"", status="301 Moved Permanently"),
        ],
        gzip=False,
    )
    summary = run(_settings(watched, database_url))
    found = sorted((r.outcome.value, r.reason_code or "", r.reason or "") for r in summary.results)
    assert [f[:2] for f in found] == [
        ("new", ""),
        ("rejected", "no_body"),
        ("rejected", "not_html"),
    ]
    assert "image/png" in found[2][2] and "301" in found[1][2]


def test_a_warc_gzipped_as_one_stream_is_refused_with_what_to_do(
    watched: Path, database_url: str
) -> None:
    import gzip

    plain = write_warc(watched.parent / "plain.warc", _captures(3), gzip=False).read_bytes()
    (watched / "one-stream.warc.gz").write_bytes(gzip.compress(plain))
    summary = run(_settings(watched, database_url))
    refused = [r for r in summary.results if r.outcome.value == "rejected"]
    assert summary.counts["new"] == 0 and len(refused) == 1
    assert "one stream" in (refused[0].reason or "")
    assert "warcio recompress" in (refused[0].reason or "")


def test_a_warc_and_a_saved_page_of_one_url_are_one_article(
    watched: Path, database_url: str
) -> None:
    write_warc(watched / "crawl.warc.gz", _captures(1))
    story_page(0).write(watched, "saved.html")
    summary = run(_settings(watched, database_url))
    assert outcomes(summary)["saved.html"] == "unchanged"
    assert len(query(database_url, "select id from articles")) == 1


def test_progress_counts_a_warc_as_the_one_file_it_is(watched: Path, database_url: str) -> None:
    write_warc(watched / "crawl.warc.gz", _captures(5))
    Page.sample().write(watched, "page.html")
    heard: list[tuple[int, int | None]] = []
    run(
        _settings(watched, database_url),
        progress=lambda done, total=None: heard.append((done, total)),
    )
    assert heard[0] == (0, 2) and sum(done for done, _ in heard) == 2


def test_the_runs_batch_count_counts_a_warc_as_the_one_file_it_is(
    watched: Path, database_url: str
) -> None:
    """What the flow's progress artifact shows: never more files done than to read."""
    write_warc(watched / "crawl.warc.gz", _captures(5))
    Page.sample().write(watched, "page.html")
    heard: list[tuple[int, int]] = []
    with Store.open(database_url) as store:
        ingest_run(
            store,
            _settings(watched, database_url),
            on_batch=lambda done, total: heard.append((done, total)),
        )
    assert heard[-1] == (2, 2) and all(done <= total for done, total in heard), heard


def test_captures_of_one_url_are_versions_in_the_order_they_were_seen_not_written(
    watched: Path, database_url: str
) -> None:
    url = "https://www.example-news.com/local/2024/03/story-1"
    texts = [story_page(n).but(url=None).bytes() for n in (1, 2, 3)]
    captures = [  # a merged WARC: the latest capture first
        Capture(url, texts[2], at=datetime(2024, 3, 3, tzinfo=UTC)),
        Capture(url, texts[0], at=datetime(2024, 3, 1, tzinfo=UTC)),
        Capture(url, texts[1], at=datetime(2024, 3, 2, tzinfo=UTC)),
    ]
    write_warc(watched / "merged.warc.gz", captures)
    summary = run(_settings(watched, database_url))
    rows = query(database_url, "select number, first_seen_at, body from versions order by number")
    assert [str(r[1])[:10] for r in rows] == ["2024-03-01", "2024-03-02", "2024-03-03"]
    for row, n in zip(rows, (1, 2, 3), strict=True):
        assert story_page(n).paragraphs[0] in row[2]
    assert query(database_url, "select current_version from articles") == [(3,)]
    # Listed in the order of the file, by offset (as --json prints them).
    offsets = [int(r.path.rsplit("#", 1)[1]) for r in summary.results]
    assert offsets == sorted(offsets) and len(offsets) == 3
    assert [r.version for r in summary.results] == [3, 1, 2]


def test_results_list_a_warcs_records_in_offset_order_when_they_are_unchanged_too(
    watched: Path, database_url: str
) -> None:
    warc = write_warc(watched / "crawl.warc.gz", _captures(12))
    settings = _settings(watched, database_url)
    run(settings)
    write_warc(warc, _captures(3, start=12), append=True)
    summary = run(settings)
    offsets = [int(r.path.rsplit("#", 1)[1]) for r in summary.results]
    assert offsets == sorted(offsets) and len(offsets) == 15

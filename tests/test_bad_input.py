"""Bad input never stops a run and never loses a good file: each case stores a clear reason."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newswatch.errors import FileTooLarge, RejectedFile
from newswatch.match.fingerprint import fingerprint
from newswatch.pipeline.batch import ingest_files
from newswatch.pipeline.plan import plan
from newswatch.pipeline.run import run
from newswatch.read import scan
from newswatch.read.parse import parse
from newswatch.settings import get_settings
from newswatch.store import Store
from tests.articles import Article, bump_mtime
from tests.runs import outcomes as _outcomes
from tests.runs import query as _query


def _settings(folder: Path, database_url: str, **overrides: object):  # type: ignore[no-untyped-def]
    return get_settings(watch_dir=folder, database_url=database_url, workers=1, **overrides)


def test_a_200_mb_file_is_refused_by_the_size_limit_before_it_is_read(
    watched: Path, database_url: str
) -> None:
    Article.sample().write(watched, "good.txt")
    with open(watched / "huge.txt", "wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: takes no disk
    started = time.perf_counter()
    summary = run(_settings(watched, database_url))
    assert time.perf_counter() - started < 30
    assert _outcomes(summary) == {"good.txt": "new", "huge.txt": "rejected"}
    huge = next(r for r in summary.results if r.path.endswith("huge.txt"))
    assert huge.reason_code == "too_large"
    assert "209,715,200 bytes" in (huge.reason or "")
    assert "NEWSWATCH_MAX_FILE_BYTES" in (huge.reason or "")


def test_the_size_check_happens_before_opening_the_file() -> None:
    # A path that does not exist: if read_bytes opened it, this would be FileVanished.
    ghost = scan.FileStat("/nonexistent/huge.txt", 200 * 1024 * 1024, 0)
    with pytest.raises(FileTooLarge):
        scan.read_bytes(ghost, 5_000_000)


def test_a_file_that_changed_size_since_the_scan_is_read_whole_up_to_the_limit(
    tmp_path: Path,
) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(b"x" * 100)
    listed = scan.FileStat(str(path), 100, 0)
    assert scan.read_bytes(listed, 1000) == b"x" * 100
    path.write_bytes(b"y" * 700)  # grew after the scan: read whole all the same
    assert scan.read_bytes(listed, 1000) == b"y" * 700
    path.write_bytes(b"z" * 40)  # shrank
    assert scan.read_bytes(listed, 1000) == b"z" * 40
    path.write_bytes(b"w" * 1001)  # grew past the limit
    with pytest.raises(FileTooLarge, match="grew past"):
        scan.read_bytes(listed, 1000)


def test_a_file_deleted_between_listing_and_reading_is_reported_and_the_batch_goes_on(
    watched: Path, database_url: str
) -> None:
    Article.sample().write(watched, "stays.txt")
    doomed = Article.other().write(watched, "doomed.txt")
    settings = _settings(watched, database_url)
    with Store.open(database_url) as store:
        the_plan = plan(store, settings)
        doomed.unlink()  # after the listing, before the read
        results = ingest_files(store, the_plan.run_id, list(the_plan.to_read), settings)
    by_name = {Path(r.path).name: r for r in results}
    assert by_name["stays.txt"].outcome == "new"
    assert by_name["doomed.txt"].outcome == "rejected"
    assert by_name["doomed.txt"].reason_code == "vanished"
    assert "disappeared" in (by_name["doomed.txt"].reason or "")
    Article.other().write(watched, "doomed.txt")  # it comes back: nothing is lost
    assert _outcomes(run(settings))["doomed.txt"] == "new"


def test_an_unreadable_file_is_rejected_and_ingested_once_readable(
    watched: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    Article.sample().write(watched, "good.txt")
    locked = Article.other().write(watched, "locked.txt")
    locked.chmod(0)
    if os.access(locked, os.R_OK):
        # Running as root, where modes do not stop reads: make os.open fail as it would.
        real_open = os.open

        def denying_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
            if str(file).endswith("locked.txt"):
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(scan.os, "open", denying_open)
    summary = run(_settings(watched, database_url))
    assert _outcomes(summary) == {"good.txt": "new", "locked.txt": "rejected"}
    rejected = next(r for r in summary.results if r.path.endswith("locked.txt"))
    assert rejected.reason_code == "unreadable"
    assert "permission denied" in (rejected.reason or "")
    monkeypatch.undo()
    locked.chmod(0o644)
    bump_mtime(locked)
    assert _outcomes(run(_settings(watched, database_url)))["locked.txt"] == "new"


def test_names_with_spaces_newlines_and_non_utf8_bytes_are_ingested_and_skipped_after(
    watched: Path, database_url: str
) -> None:
    Article.sample().write(watched, "with spaces.txt")
    Article.other().write(watched, "new\nline.txt")
    raw_name = os.path.join(os.fsencode(watched), b"caf\xe9-\xff.txt")
    with open(raw_name, "wb") as handle:
        handle.write(Article.sample().from_outlet("Le Monde").text().encode())
    first = run(_settings(watched, database_url))
    assert sorted(_outcomes(first).values()) == ["near_duplicate", "new", "new"]
    stored = sorted(p for (p,) in _query(database_url, "select path from files"))
    assert any(p.endswith("caf\\xe9-\\xff.txt") for p in stored)
    assert any(p.endswith("new\nline.txt") for p in stored)
    assert any(p.endswith("with spaces.txt") for p in stored)
    again = run(_settings(watched, database_url))
    assert set(_outcomes(again).values()) == {"unchanged"}


def test_links_leaving_the_folder_are_not_followed_and_loops_end(
    watched: Path, database_url: str, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = Article.other().but(headline="Private draft never to be ingested")
    secret.write(outside, "draft.txt")
    Article.sample().write(watched, "inside.txt")
    (watched / "file-link.txt").symlink_to(outside / "draft.txt")
    (watched / "dir-link").symlink_to(outside, target_is_directory=True)
    (watched / "sub").mkdir()
    (watched / "sub" / "loop").symlink_to(watched, target_is_directory=True)
    (watched / "inner-link.txt").symlink_to(watched / "inside.txt")
    summary = run(_settings(watched, database_url))
    outcomes = _outcomes(summary)
    # A link that stays inside is followed: the same text twice, one new and one duplicate.
    assert sorted([outcomes["inside.txt"], outcomes["inner-link.txt"]]) == ["duplicate", "new"]
    assert outcomes["file-link.txt"] == outcomes["dir-link"] == "rejected"
    codes = {Path(r.path).name: r.reason_code for r in summary.results}
    assert codes["file-link.txt"] == codes["dir-link"] == "outside_folder"
    headlines = [h for (h,) in _query(database_url, "select headline from versions")]
    assert "Private draft never to be ingested" not in headlines


def test_invalid_byte_sequences_are_rejected_or_repaired_never_fatal(
    watched: Path, database_url: str
) -> None:
    good = Article.sample().text().encode()
    (watched / "few-bad-bytes.txt").write_bytes(good.replace(b"Putin", b"Put\x81n", 1))
    (watched / "garbage.txt").write_bytes(bytes(range(128, 256)) * 40)
    (watched / "nul.txt").write_bytes(good[:200] + b"\x00" * 50 + good[200:])
    summary = run(_settings(watched, database_url))
    outcomes = _outcomes(summary)
    assert outcomes["few-bad-bytes.txt"] == "new"
    assert outcomes["garbage.txt"] == "rejected"
    assert outcomes["nul.txt"] == "rejected"
    assert {r.reason_code for r in summary.results if r.outcome == "rejected"} <= {
        "binary",
        "undecodable",
    }


# --- the parser under arbitrary input -------------------------------------------------------


def _parse_or_reject(data: bytes) -> None:
    try:
        article = parse(data)
    except RejectedFile as rejection:
        assert rejection.code and rejection.reason
        return
    assert article.paragraphs and all(p.strip() for p in article.paragraphs)
    assert article.title.strip()  # the headline, or the body's first words
    fingerprint(article)  # whatever parses must also fingerprint


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_the_parser_raises_nothing_but_documented_rejections_on_arbitrary_bytes(
    data: bytes,
) -> None:
    _parse_or_reject(data)


_line = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=120
) | st.sampled_from(
    ["13.10.2016", "BBC, 13 October 2016", "Kaynak/Source:", "Media caption x", "", "32.13.2016"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_line, max_size=30),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1254", "latin-1"]),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_the_parser_survives_article_shaped_text_in_every_encoding(
    lines: list[str], encoding: str, newline: str
) -> None:
    data = newline.join(lines).encode(encoding, errors="replace")
    _parse_or_reject(data)


def test_a_worker_process_that_dies_does_not_stop_the_run(watched: Path, database_url: str) -> None:
    from newswatch.pipeline.batch import Batch
    from newswatch.pipeline.workers import Workers

    for n in range(70):  # enough files for the worker pool to be used
        Article.sample().but(
            headline=f"Story {n}", paragraphs=[f"Only story {n} says {w} {n}." for w in "abc"]
        ).write(watched, f"{n:02d}.txt")
    settings = get_settings(watch_dir=watched, database_url=database_url, workers=2)
    with Store.open(database_url) as store:
        the_plan = plan(store, settings)
        workers = Workers(store, settings, the_plan.run_id)
        try:
            pool = workers._start()
            pool.submit(int).result()  # the worker processes are up
            for process in list(pool._processes.values()):
                process.kill()
            results = workers.submit(Batch(0, list(the_plan.to_read))).result()
        finally:
            workers.close()
    assert [r.outcome.value for r in results] == ["new"] * 70


def test_a_reader_that_fails_unexpectedly_rejects_that_file_or_record_and_the_run_goes_on(
    watched: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newswatch.read import formats, page, warc
    from tests.pages import Capture, story_page, write_warc

    def faulty(read):  # type: ignore[no-untyped-def]
        def reader(raw: bytes, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
            if b"story number 2 " in raw or b"Putin" in raw:
                raise KeyError("a fault the reader never meant to raise")
            return read(raw, *args, **kwargs)

        return reader

    monkeypatch.setattr(page, "read_page", faulty(page.read_page))
    monkeypatch.setattr(warc, "read_page", faulty(warc.read_page))
    monkeypatch.setattr(formats, "parse", faulty(formats.parse))
    story_page(1).write(watched, "good.html")
    story_page(2).write(watched, "bad.html")
    Article.sample().write(watched, "bad.txt")
    Article.other().write(watched, "good.txt")
    write_warc(
        watched / "crawl.warc.gz",
        [
            Capture(f"https://example-news.com/local/story-{n}", story_page(n).bytes())
            for n in (3, 2, 4)
        ],
    )
    summary = run(_settings(watched, database_url))
    by_name = {Path(r.path).name: r for r in summary.results}
    rejected = sorted(n for n, r in by_name.items() if r.outcome == "rejected")
    records = sorted((n for n in by_name if "#" in n), key=lambda n: int(n.split("#")[1]))
    assert rejected == sorted(["bad.html", "bad.txt", records[1]])  # the WARC's second record
    for name in rejected:
        assert by_name[name].reason_code == "reader_fault"
        assert "KeyError" in (by_name[name].reason or "")
        assert "a fault the reader never meant to raise" in (by_name[name].reason or "")
    assert summary.counts["new"] == 4
    assert _query(database_url, "select count(*) from versions") == [(4,)]


_JAPANESE = (
    "<html><head><title>改造したスマートフォンの販売で男性を逮捕</title></head><body><article>"
    "<h1>改造したスマートフォンの販売で男性を逮捕</h1>"
    "<p>警察は、不正に改造したスマートフォンを販売したとして、商標法違反の疑いで二十代の男性を"
    "逮捕したと発表しました。</p><p>報道によると、販売されたのは機能制限を解除した端末で、"
    "男性は容疑を認めているということです。</p></article></body></html>"
)
_RUSSIAN = (
    "<html><head><title>Правительство объявило новые меры</title></head><body><article>"
    "<h1>Правительство объявило новые меры</h1><p>Президент заявил сегодня, что "
    "правительство примет новые меры поддержки экономики в ближайшие месяцы.</p><p>По его "
    "словам, решение будет принято после консультаций с регионами.</p></article></body></html>"
)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (_JAPANESE, "shift_jis"),
        (_JAPANESE, "euc_jp"),
        (_JAPANESE.replace("スマートフォン", "手机"), "gb2312"),
        (_RUSSIAN, "cp1251"),
        (_RUSSIAN, "koi8_r"),
    ],
)
@pytest.mark.parametrize("name", ["page.html", "article.txt"])
def test_a_file_in_another_scripts_encoding_it_does_not_name_is_refused_saying_so(
    watched: Path, database_url: str, text: str, encoding: str, name: str
) -> None:
    if name.endswith(".txt"):  # the text as an aggregator's file would hold it
        text = re.sub(r"<[^>]+>", "\n", text.split("<body>")[1])
    (watched / name).write_bytes(text.encode(encoding, errors="ignore"))
    Article.sample().write(watched, "good.txt")
    summary = run(_settings(watched, database_url))
    by_name = {Path(r.path).name: r for r in summary.results}
    assert by_name["good.txt"].outcome == "new"
    refused = by_name[name]
    assert refused.outcome == "rejected"
    reason = refused.reason or ""
    assert "not UTF-8 and names no encoding" in reason
    assert "another script's encoding" in reason and "Shift_JIS" in reason
    assert _query(database_url, "select count(*) from versions") == [(1,)]


def test_a_fault_fingerprinting_one_text_refuses_that_file_only(
    watched: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newswatch.pipeline import prepare

    real = prepare.fingerprints

    def faulty(articles):  # type: ignore[no-untyped-def]
        if any("PUTIN" in a.headline.upper() for a in articles):
            raise ValueError("a fault in hashing this text")
        return real(articles)

    monkeypatch.setattr(prepare, "fingerprints", faulty)
    Article.sample().write(watched, "putin.txt")
    Article.other().write(watched, "games.txt")
    summary = run(_settings(watched, database_url))
    by_name = {Path(r.path).name: r for r in summary.results}
    assert by_name["games.txt"].outcome == "new"
    assert by_name["putin.txt"].outcome == "rejected"
    assert by_name["putin.txt"].reason_code == "reader_fault"
    assert "ValueError: a fault in hashing this text" in (by_name["putin.txt"].reason or "")

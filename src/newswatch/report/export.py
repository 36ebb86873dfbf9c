"""The research export (``newswatch export``): every version, every aligned sentence pair
between consecutive versions with its NewsEdits action, and every syndicated copy.

Streamed end to end: versions come from the store in article and number order
(``store.export``), each is written as it arrives and aligned with the one before it
(``changes.alignment``), and only that one is kept. Memory stays flat whatever the number
of versions. Two formats, one set of columns (:data:`TABLES`): ``newsedits`` is CSV with a
header, named as the NewsEdits data (Spangher et al. 2022) names them where it has the
column; ``jsonl`` is one JSON object a line, named as newswatch names them. ``SCHEMA.md``
beside the files says what each column holds.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, TextIO

from newswatch.changes.alignment import align_sentences
from newswatch.match.similarity import most_alike
from newswatch.read.text import outlet_key, sentences
from newswatch.report.sentences import aware
from newswatch.store import Connection, Store
from newswatch.store.export import StreamedVersion, bodies, stream_copies, stream_versions

Format = Literal["newsedits", "jsonl"]
ACTIONS = {
    "unchanged": "unchanged",
    "moved": "refactor",
    "updated": "edit",
    "added": "addition",
    "deleted": "deletion",
}
"""newswatch's sentence kinds -> the NewsEdits edit actions."""


@dataclass(frozen=True)
class Column:
    newsedits: str
    jsonl: str
    meaning: str


@dataclass(frozen=True)
class Table:
    name: str
    rows: str
    columns: tuple[Column, ...]


TABLES = (
    Table(
        "versions",
        "one row per version of an article",
        (
            Column("entry_id", "article_id", "newswatch's article id"),
            Column("source", "outlet", "the outlet, as its dateline names it (empty: none)"),
            Column("version", "version", "the version's number, from 1"),
            Column("created", "first_seen", "when newswatch first saw it (ISO 8601, UTC)"),
            Column("title", "headline", "its headline (empty: the text has none)"),
            Column(
                "url",
                "url",
                "the article's URL as the file gives it: a page's canonical URL, a WARC "
                "record's target, a JSON's `url`, a text's `Kaynak/Source:` trailer (empty: none)",
            ),
            Column("num_versions", "version_count", "the article's number of versions"),
            Column("summary", "text", "its text, paragraphs separated by a blank line"),
        ),
    ),
    Table(
        "sentence_edits",
        "one row per sentence of two consecutive versions of an article: a pair of "
        "aligned sentences, or one sentence added or deleted",
        (
            Column("entry_id", "article_id", "newswatch's article id"),
            Column("source", "outlet", "the outlet"),
            Column("version_x", "from_version", "the older version's number"),
            Column("version_y", "to_version", "the newer version's number (version_x + 1)"),
            Column(
                "sent_idx_x",
                "from_index",
                "the sentence's place in the older version's text, from 0 (empty: added)",
            ),
            Column(
                "sent_idx_y",
                "to_index",
                "its place in the newer version's text, from 0 (empty: deleted)",
            ),
            Column(
                "action",
                "action",
                "unchanged, refactor (moved), edit (reworded), addition or deletion",
            ),
            Column(
                "similarity",
                "similarity",
                "word similarity of the pair, 0-1 (rapidfuzz Indel; empty: addition, deletion)",
            ),
            Column("sentence_x", "from_sentence", "the older sentence (empty: addition)"),
            Column("sentence_y", "to_sentence", "the newer sentence (empty: deletion)"),
        ),
    ),
    Table(
        "copies",
        "one row per syndicated copy: an article another outlet's article closely copies",
        (
            Column("entry_id", "article_id", "the copy's article id"),
            Column("source", "outlet", "the copy's outlet"),
            Column("created", "first_seen", "when newswatch first saw the copy (ISO 8601, UTC)"),
            Column("copies_entry_id", "copies_article_id", "the original's article id"),
            Column("copies_source", "copies_outlet", "the original's outlet"),
            Column(
                "copies_version",
                "copies_version",
                "the original's version the copy is most like",
            ),
            Column("similarity", "similarity", "how alike the copy and the original were, 0-1"),
        ),
    ),
)


def file_name(table: Table, fmt: Format) -> str:
    return f"{table.name}.{'csv' if fmt == 'newsedits' else 'jsonl'}"


def schema_tables() -> str:
    """What each file holds, column by column (``SCHEMA.md``, mirrored in docs/reports.md)."""
    lines: list[str] = []
    for table in TABLES:
        lines += [
            f"### {table.name}",
            "",
            f"`{table.name}.csv` (newsedits) or `{table.name}.jsonl` (jsonl): {table.rows}.",
            "",
            "| CSV column (newsedits) | JSON field (jsonl) | holds |",
            "| --- | --- | --- |",
            *(f"| `{c.newsedits}` | `{c.jsonl}` | {c.meaning} |" for c in table.columns),
            "",
        ]
    return "\n".join(lines)


SCHEMA_NOTES = """\
CSV files are RFC 4180: a header row, fields quoted where they hold a comma, a quote or a
line break, quotes doubled; UTF-8. A JSON lines file holds one object a line, with null
where a CSV field is empty. Text is as newswatch stored it (repaired, never shortened):
open the CSV files with a CSV reader (pandas, R, csvkit) rather than a spreadsheet, which
may read a cell that starts with `=` as a formula.

Sentences are split as `newswatch diff` splits them (headline excluded). Sentence edits
are aligned as `newswatch diff` aligns them: unchanged sentences by rapidfuzz Indel over
the two sentence sequences, a sentence found elsewhere in the newer version is a refactor,
a deleted and an added sentence whose words are at least half alike are one edit, the
rest additions and deletions (the actions of NewsEdits, Spangher et al. 2022).
"""


def schema_markdown(fmt: Format, header: str) -> str:
    return (
        f"# newswatch export ({fmt})\n\n{header}\n\n{SCHEMA_NOTES}\n## Files\n\n{schema_tables()}"
    )


class _Writer:
    """One table's file: CSV (NewsEdits names) or JSON lines (newswatch names)."""

    def __init__(self, stream: TextIO, table: Table, fmt: Format) -> None:
        self.stream, self.table, self.fmt, self.rows = stream, table, fmt, 0
        self.csv = csv.writer(stream) if fmt == "newsedits" else None
        if self.csv is not None:
            self.csv.writerow([c.newsedits for c in table.columns])
        self.fields = [c.jsonl for c in table.columns]

    def write(self, *values: Any) -> None:
        self.rows += 1
        if self.csv is not None:
            self.csv.writerow(["" if v is None else v for v in values])
        else:
            self.stream.write(
                json.dumps(dict(zip(self.fields, values, strict=True)), ensure_ascii=False) + "\n"
            )


def _when(moment: datetime) -> str:
    return aware(moment).isoformat()


@dataclass(frozen=True)
class Filters:
    since: datetime | None = None
    outlet: str | None = None

    def keeps(self, outlet: str | None) -> bool:
        return self.outlet is None or (
            outlet is not None and outlet_key(outlet) == outlet_key(self.outlet)
        )

    def recent(self, moment: datetime) -> bool:
        return self.since is None or aware(moment) >= self.since


def _split(body: str) -> list[str]:
    return [s for paragraph in body.split("\n\n") for s in sentences(paragraph)]


def _versions_and_edits(
    versions: Iterator[StreamedVersion], filters: Filters, versions_out: _Writer, edits: _Writer
) -> None:
    previous: tuple[StreamedVersion, list[str]] | None = None
    for version in versions:
        if not filters.keeps(version.outlet):
            continue
        if filters.recent(version.first_seen_at):
            versions_out.write(
                version.article_id,
                version.outlet,
                version.number,
                _when(version.first_seen_at),
                version.headline,
                version.source_url,
                version.version_count,
                version.body,
            )
        split = _split(version.body) if version.version_count > 1 else []
        if (
            previous is not None
            and previous[0].article_id == version.article_id
            and previous[0].number == version.number - 1
            and filters.recent(version.first_seen_at)
        ):
            old = previous[1]
            for pair in align_sentences(old, split):
                edits.write(
                    version.article_id,
                    version.outlet,
                    previous[0].number,
                    version.number,
                    pair.old,
                    pair.new,
                    ACTIONS[pair.kind],
                    None if pair.similarity is None else round(pair.similarity, 4),
                    old[pair.old] if pair.old is not None else None,
                    split[pair.new] if pair.new is not None else None,
                )
        previous = (version, split)


def _copies(conn: Connection, filters: Filters, out: _Writer) -> None:
    """Each copy, with the original's version it is most like (``most_alike``, as the run
    report says): only an original with several versions needs texts, read once for all
    its copies, which come one after another."""
    texts: dict[int, str] = {}
    texts_of: int | None = None
    for copy in stream_copies(conn, filters.since):
        if not (filters.keeps(copy.outlet) or filters.keeps(copy.copies_outlet)):
            continue
        version = 1
        if copy.copies_version_count > 1:
            if texts_of != copy.copies_article_id:
                texts, texts_of = bodies(conn, copy.copies_article_id), copy.copies_article_id
            own = bodies(conn, copy.article_id, [1]).get(1, "")
            version = most_alike(texts, own) or 1
        out.write(
            copy.article_id,
            copy.outlet,
            _when(copy.first_seen_at),
            copy.copies_article_id,
            copy.copies_outlet,
            version,
            copy.similarity,
        )


def write_export(
    store: Store,
    directory: Path,
    fmt: Format,
    filters: Filters,
    header: Callable[[dict[str, int]], str],
) -> dict[str, int]:
    """Write the three tables and ``SCHEMA.md`` into ``directory``; rows per table.

    Each file is written beside its final name and renamed when every file is complete,
    so an export that fails leaves no half file under a final name.
    """
    directory.mkdir(parents=True, exist_ok=True)
    paths = {t.name: directory / file_name(t, fmt) for t in TABLES}
    partial = {name: path.with_name(path.name + ".partial") for name, path in paths.items()}
    try:
        with ExitStack() as files, store.reading() as conn:
            writers = {
                t.name: _Writer(
                    files.enter_context(partial[t.name].open("w", encoding="utf-8", newline="")),
                    t,
                    fmt,
                )
                for t in TABLES
            }
            _versions_and_edits(
                stream_versions(conn, touched_since=filters.since),
                filters,
                writers["versions"],
                writers["sentence_edits"],
            )
            _copies(conn, filters, writers["copies"])
            counts = {name: writer.rows for name, writer in writers.items()}
        schema = directory / "SCHEMA.md"
        schema.with_name("SCHEMA.md.partial").write_text(
            schema_markdown(fmt, header(counts)), encoding="utf-8"
        )
        for name, path in paths.items():
            partial[name].replace(path)
        schema.with_name("SCHEMA.md.partial").replace(schema)
    finally:
        for leftover in [*partial.values(), directory / "SCHEMA.md.partial"]:
            leftover.unlink(missing_ok=True)
    return counts

"""The research export (``newswatch export``): every version, every aligned sentence pair
between consecutive versions with its NewsEdits action, and every syndicated copy.

Streamed end to end: versions come from the store in article and number order
(``store.streams``), each is written as it arrives and aligned with the one before it
(``changes.alignment``), and only that one is kept. Memory stays flat whatever the number
of versions. Two formats, one set of columns (``tables.TABLES``): ``newsedits`` is CSV with a
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
from typing import Any, TextIO

from newswatch.changes.alignment import align_sentences
from newswatch.export.tables import ACTIONS, TABLES, Table, file_name, schema_markdown
from newswatch.match.similarity import most_alike
from newswatch.read.text import sentences
from newswatch.render.formats import Format
from newswatch.store import Reading, Store
from newswatch.store.streams import StreamedVersion


class _Writer:
    """One table's file: CSV (NewsEdits names) or JSON lines (newswatch names)."""

    def __init__(self, stream: TextIO, table: Table, fmt: Format) -> None:
        self.stream, self.table, self.fmt, self.rows = stream, table, fmt, 0
        self.csv = csv.writer(stream) if fmt is Format.NEWSEDITS else None
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
    return moment.isoformat()


@dataclass(frozen=True)
class Filters:
    since: datetime | None = None
    outlet_key: str | None = None
    """The outlet asked for (``--outlet``), by its key (``read.text.outlet_key``)."""

    def keeps(self, key: str | None) -> bool:
        """Whether an article of the outlet with this key is exported."""
        return self.outlet_key is None or key == self.outlet_key

    def recent(self, moment: datetime) -> bool:
        return self.since is None or moment >= self.since


def _split(body: str) -> list[str]:
    return [s for paragraph in body.split("\n\n") for s in sentences(paragraph)]


def _versions_and_edits(
    versions: Iterator[StreamedVersion], filters: Filters, versions_out: _Writer, edits: _Writer
) -> None:
    previous: tuple[StreamedVersion, list[str]] | None = None
    for version in versions:
        if not filters.keeps(version.outlet_key):
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


def _copies(tx: Reading, filters: Filters, out: _Writer) -> None:
    """Each copy, with the original's version it is most like (``most_alike``, as the run
    report says): only an original with several versions needs texts, read once for all
    its copies, which come one after another."""
    texts: dict[int, str] = {}
    texts_of: int | None = None
    for copy in tx.stream_copies(filters.since):
        if not (filters.keeps(copy.outlet_key) or filters.keeps(copy.copies_outlet_key)):
            continue
        version = 1
        if copy.copies_version_count > 1:
            if texts_of != copy.copies_article_id:
                texts, texts_of = tx.bodies(copy.copies_article_id), copy.copies_article_id
            own = tx.bodies(copy.article_id, [1]).get(1, "")
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
        with ExitStack() as files, store.reading() as tx:
            writers = {
                t.name: _Writer(
                    files.enter_context(partial[t.name].open("w", encoding="utf-8", newline="")),
                    t,
                    fmt,
                )
                for t in TABLES
            }
            _versions_and_edits(
                tx.stream_versions(touched_since=filters.since),
                filters,
                writers["versions"],
                writers["sentence_edits"],
            )
            _copies(tx, filters, writers["copies"])
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

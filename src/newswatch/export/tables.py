"""The research export's files and columns: three tables, named as NewsEdits names its
columns (CSV, ``newsedits``) or as newswatch names them (JSON lines, ``jsonl``), and the
``SCHEMA.md`` that says what each column holds (mirrored in docs/reports.md)."""

from __future__ import annotations

from dataclasses import dataclass

from newswatch.render.formats import Format

FORMATS = (Format.NEWSEDITS, Format.JSONL)
"""The export's formats: CSV under NewsEdits' names (the default), JSON lines."""
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
    return f"{table.name}.{'csv' if fmt is Format.NEWSEDITS else 'jsonl'}"


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

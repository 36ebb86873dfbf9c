"""`newswatch export`: versions, sentence edits with NewsEdits actions, and copies, in CSV
and JSON lines, from the seed's story (ingested once for the session), and the same from
PostgreSQL."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from newswatch.changes.alignment import align_sentences
from newswatch.cli.app import app
from newswatch.export.tables import TABLES, schema_tables
from tests.articles import Article, bump_mtime
from tests.stories import ingest as _ingest
from tests.stories import seed_story

DOCS = Path(__file__).resolve().parents[1] / "docs" / "reports.md"


def _cli(*arguments: str) -> str:
    result = CliRunner().invoke(app, list(arguments))
    assert result.exit_code == 0, result.output
    return result.stdout


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def _jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_export_newsedits_writes_an_edit_row_with_25_in_one_text_and_27_in_the_other(
    seeded: str, tmp_path: Path
) -> None:
    folder = tmp_path / "export"
    _cli("export", str(folder), "--format", "newsedits", "--database-url", seeded)
    assert sorted(p.name for p in folder.iterdir()) == [
        "SCHEMA.md",
        "copies.csv",
        "sentence_edits.csv",
        "versions.csv",
    ]
    versions = _csv(folder / "versions.csv")
    assert [(r["entry_id"], r["source"], r["version"]) for r in versions] == [
        ("1", "BBC", "1"),
        ("1", "BBC", "2"),
        ("1", "BBC", "3"),
        ("2", "Reuters", "1"),
    ]
    assert versions[0]["created"].endswith("+00:00") and versions[0]["num_versions"] == "3"
    assert versions[0]["title"].startswith("SYRIA CONFLICT")
    assert "\n\n" in versions[0]["summary"] and "total of 25 people" in versions[0]["summary"]
    edits = _csv(folder / "sentence_edits.csv")
    assert list(edits[0]) == [c.newsedits for c in TABLES[1].columns]
    toll = [
        r
        for r in edits
        if r["action"] == "edit" and "25" in r["sentence_x"] and "27" in r["sentence_y"]
    ]
    assert len(toll) == 1 and (toll[0]["version_x"], toll[0]["version_y"]) == ("1", "2")
    assert toll[0]["sent_idx_x"] == toll[0]["sent_idx_y"] and 0 < float(toll[0]["similarity"]) < 1
    by_pair = {(r["version_x"], r["version_y"]) for r in edits}
    assert by_pair == {("1", "2"), ("2", "3")}
    # Every sentence of both versions once: the unchanged ones too, with both indices.
    first_pair = [r for r in edits if r["version_x"] == "1"]
    assert sorted(int(r["sent_idx_y"]) for r in first_pair if r["sent_idx_y"]) == list(
        range(len(first_pair))
    )
    assert {r["action"] for r in first_pair} == {"unchanged", "edit"}
    (copy,) = _csv(folder / "copies.csv")
    assert (copy["entry_id"], copy["source"], copy["copies_entry_id"]) == ("2", "Reuters", "1")
    assert (copy["copies_source"], copy["copies_version"]) == ("BBC", "2")
    schema = (folder / "SCHEMA.md").read_text(encoding="utf-8")
    assert f"Rows: versions 4, sentence_edits {len(edits)}, copies 1." in schema
    assert schema_tables() in schema


def test_export_jsonl_holds_the_same_rows_under_newswatchs_own_names(
    seeded: str, tmp_path: Path
) -> None:
    _cli("export", str(tmp_path / "csv"), "--database-url", seeded)
    _cli("export", str(tmp_path / "jsonl"), "--format", "jsonl", "--database-url", seeded)
    for table in TABLES:
        rows = _csv(tmp_path / "csv" / f"{table.name}.csv")
        objects = _jsonl(tmp_path / "jsonl" / f"{table.name}.jsonl")
        assert len(rows) == len(objects) > 0
        assert list(objects[0]) == [c.jsonl for c in table.columns]
        for row, item in zip(rows, objects, strict=True):
            for column in table.columns:
                value = item[column.jsonl]
                assert row[column.newsedits] == ("" if value is None else str(value))


def test_every_database_exports_the_same_rows(
    seeded: str, watched: Path, database_url: str, tmp_path: Path
) -> None:
    """The seed's story ingested again (on PostgreSQL too, where it is set up) exports the
    rows the seeded database does, times aside: the store streams the same either way."""
    seed_story(watched, database_url)
    for name, url in (("seeded", seeded), ("fresh", database_url)):
        _cli("export", str(tmp_path / name), "--format", "jsonl", "--database-url", url)
    for table in TABLES:
        rows = [
            [{k: v for k, v in row.items() if k != "first_seen"} for row in _jsonl(path)]
            for path in (tmp_path / n / f"{table.name}.jsonl" for n in ("seeded", "fresh"))
        ]
        assert rows[0] == rows[1] and rows[0], table.name


def test_export_filters_by_outlet_and_date(seeded: str, tmp_path: Path) -> None:
    reuters = tmp_path / "reuters"
    _cli("export", str(reuters), "--outlet", "REUTERS", "--database-url", seeded)
    assert [r["source"] for r in _csv(reuters / "versions.csv")] == ["Reuters"]
    assert _csv(reuters / "sentence_edits.csv") == []
    assert len(_csv(reuters / "copies.csv")) == 1  # a copy made by Reuters
    assert "--outlet REUTERS" in (reuters / "SCHEMA.md").read_text()
    later = tmp_path / "later"
    _cli("export", str(later), "--since", "2999-01-01T00:00+03:00", "--database-url", seeded)
    assert all(_csv(later / f"{t.name}.csv") == [] for t in TABLES)


def test_article_text_is_quoted_so_a_hostile_headline_breaks_no_csv_or_json_line(
    watched: Path, database_url: str, tmp_path: Path
) -> None:
    from tests.test_escaping import HOSTILE

    hostile = Article.sample().but(headline="Hostile " + HOSTILE)
    hostile.write(watched, "a.txt")
    _ingest(watched, database_url)
    hostile.but(paragraphs=[*hostile.paragraphs, HOSTILE]).write(watched, "a.txt")
    bump_mtime(watched / "a.txt")
    _ingest(watched, database_url)
    # A headline holding what CSV has to quote: a quote, a comma, a line break.
    headline = 'He said "no", <script>alert(1)</script>\nthen, "left"'
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE versions SET headline = :h WHERE number = 2"), {"h": headline})
    engine.dispose()
    for fmt, read in (("newsedits", _csv), ("jsonl", _jsonl)):
        folder = tmp_path / fmt
        _cli("export", str(folder), "--format", fmt, "--database-url", database_url)
        suffix = "csv" if fmt == "newsedits" else "jsonl"
        versions = read(folder / f"versions.{suffix}")
        assert len(versions) == 2
        title = "title" if fmt == "newsedits" else "headline"
        body = "summary" if fmt == "newsedits" else "text"
        assert versions[1][title] == headline
        assert HOSTILE in str(versions[1][body]) and '<script>alert("x")</script>' in str(
            versions[0][body]
        )
        edits = read(folder / f"sentence_edits.{suffix}")
        added = [e for e in edits if e["action"] == "addition"]
        assert [e["sentence_y" if fmt == "newsedits" else "to_sentence"] for e in added] == [
            HOSTILE
        ]
    page = _cli("story", "1", "--format", "html", "--database-url", database_url)
    assert "<script" not in page and "&lt;script&gt;" in page


def test_bad_input_is_one_line_and_exit_status_2(seeded: str, tmp_path: Path) -> None:
    full = tmp_path / "full"
    full.mkdir()
    (full / "notes.txt").write_text("mine")
    cases = [
        (["story", "99"], "no article 99"),
        (["story", "1", "--format", "pdf"], "--format is md, html or json"),
        (["export", str(full)], "is not empty"),
        (["export", str(full / "notes.txt")], "is a file, not a folder"),
        (["export", str(tmp_path / "new"), "--since", "yesterday"], "is not a date"),
        (["outlets", "--since", "13/10/2016"], "is not a date"),
        (["export", str(tmp_path / "new"), "--format", "xlsx"], "--format is newsedits or jsonl"),
        (["export", str(tmp_path / "new"), "--outlet", "Reuter"], "no outlet 'Reuter' in"),
    ]
    for arguments, message in cases:
        result = CliRunner().invoke(app, [*arguments, "--database-url", seeded])
        assert result.exit_code == 2, (arguments, result.output)
        assert message in result.output and len(result.output.strip().splitlines()) == 1
        assert "Traceback" not in result.output
    assert not (tmp_path / "new").exists()
    assert [p.name for p in full.iterdir()] == ["notes.txt"]  # nothing written, nothing lost
    _cli("export", str(full), "--force", "--database-url", seeded)
    assert sorted(p.name for p in full.iterdir()) == [
        "SCHEMA.md",
        "copies.csv",
        "notes.txt",
        "sentence_edits.csv",
        "versions.csv",
    ]


@pytest.mark.parametrize("command", [["story", "1"], ["outlets"], ["export", "OUT"]])
def test_a_database_without_newswatch_tables_gets_the_line_history_gets(
    command: list[str], tmp_path: Path
) -> None:
    empty = tmp_path / "typo.db"
    empty.touch()
    arguments = [str(tmp_path / "out") if a == "OUT" else a for a in command]
    url = f"sqlite:///{empty}"
    result = CliRunner().invoke(app, [*arguments, "--database-url", url])
    history = CliRunner().invoke(app, ["history", "1", "--database-url", url])
    assert result.exit_code == history.exit_code == 2
    assert result.output == history.output and "holds no newswatch tables" in result.output
    assert empty.stat().st_size == 0 and not (tmp_path / "out").exists()


def test_the_docs_mirror_the_exports_schema() -> None:
    assert schema_tables() in DOCS.read_text(encoding="utf-8")


@given(
    st.lists(st.sampled_from(["A b.", "C d.", "E f g.", "A b c.", "H."]), max_size=8),
    st.lists(st.sampled_from(["A b.", "C d.", "E f g.", "A b x.", "Z."]), max_size=8),
)
def test_every_sentence_of_both_versions_is_aligned_once(old: list[str], new: list[str]) -> None:
    pairs = align_sentences(old, new)
    assert sorted(p.old for p in pairs if p.old is not None) == list(range(len(old)))
    assert sorted(p.new for p in pairs if p.new is not None) == list(range(len(new)))
    for pair in pairs:
        if pair.kind in ("unchanged", "moved"):
            assert pair.old is not None and pair.new is not None
            assert old[pair.old] == new[pair.new]
        elif pair.kind == "updated":
            assert pair.similarity is not None and pair.similarity >= 0.5
        else:
            assert (pair.old is None) == (pair.kind == "added")
    news = [p.new for p in pairs if p.new is not None]
    assert news == sorted(news)  # in the new version's reading order

"""No file passed over in silence: a file newswatch does not read is counted as skipped and
named in every run (summary, ``--json``, report); hidden and temporary files are not."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newswatch.cli.ingest import _print_run
from newswatch.pipeline.run import run
from newswatch.settings import get_settings
from newswatch.store import Store
from tests.articles import Article
from tests.runs import whole_report


def _folder(watched: Path) -> None:
    Article.sample().write(watched, "story.txt")
    (watched / "scan.pdf").write_bytes(b"%PDF-1.7\n...")
    (watched / "notes.docx").write_bytes(b"PK\x03\x04...")
    for temporary in ("page.html.part", "video.crdownload", "~$notes.docx", ".hidden.txt"):
        (watched / temporary).write_bytes(b"half written")


def test_a_pdf_and_a_docx_are_counted_skipped_and_named(
    watched: Path, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _folder(watched)
    summary = run(get_settings(watch_dir=watched, database_url=database_url, workers=1))
    assert summary.counts["skipped"] == 2 and summary.counts["new"] == 1
    _print_run(summary, as_json=True)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    skipped = {Path(x["path"]).name: x["reason"] for x in lines if x["outcome"] == "skipped"}
    assert skipped == {"scan.pdf": "unsupported type .pdf", "notes.docx": "unsupported type .docx"}
    _print_run(summary, as_json=False)
    printed = " ".join(capsys.readouterr().out.split())  # the console wraps long lines
    assert "skipped" in printed and "scan.pdf: unsupported type .pdf" in printed
    with Store.open(database_url) as store:
        written = whole_report(summary, store, watched.parent / "reports").written
    markdown = written["md"].read_text()
    listed = markdown.replace("\u2060", "").replace("\\", "")  # as a Markdown renderer shows it
    assert "## Skipped (2)" in listed and "notes.docx: unsupported type .docx" in listed


def test_skipped_files_are_named_again_by_every_run(watched: Path, database_url: str) -> None:
    _folder(watched)
    settings = get_settings(watch_dir=watched, database_url=database_url, workers=1)
    run(settings)
    again = run(settings)
    assert again.counts["skipped"] == 2 and again.counts["unchanged"] == 1
    assert [Path(f.path).name for f in again.skipped_files] == ["notes.docx", "scan.pdf"]


def test_the_files_to_read_are_configurable(watched: Path, database_url: str) -> None:
    _folder(watched)
    (watched / "page.html").write_text("<html><body><p>Not read this time.</p></body></html>")
    settings = get_settings(
        watch_dir=watched, database_url=database_url, workers=1, include="*.TXT, *.pdf"
    )
    summary = run(settings)
    reasons = {Path(f.path).name: f.reason for f in summary.skipped_files}
    assert reasons == {
        "notes.docx": "unsupported type .docx",
        "page.html": "not included by NEWSWATCH_INCLUDE",
    }
    assert summary.counts["new"] == 1 and summary.counts["rejected"] == 1  # the .pdf: binary


def test_a_folder_of_text_files_never_loads_the_page_readers(tmp_path: Path) -> None:
    """The readers of pages, WARCs and JSON cost nothing where there are none."""
    folder = tmp_path / "texts"
    folder.mkdir()
    Article.sample().write(folder, "a.txt")
    code = (
        "import sys\n"
        "from newswatch.pipeline.run import run\n"
        "from newswatch.settings import get_settings\n"
        f"s = get_settings(watch_dir={str(folder)!r}, database_url={f'sqlite:///{tmp_path}/db'!r},"
        " workers=1, settle_seconds=0)\n"
        "assert run(s).counts['new'] == 1\n"
        "print(sorted(m for m in ('trafilatura', 'warcio', 'lxml') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert done.stdout.strip() == "[]"

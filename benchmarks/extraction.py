"""How well newswatch stores a web page's article, against the extractors it weighed.

    .venv/bin/python benchmarks/extraction.py

Reads ``../shared/corpus/web_pages`` (skips with a message when it is absent): 100 real
pages as news sites served them, with the article body a person marked (scrapinghub's
article-extraction benchmark). The metric is that benchmark's (its ``evaluate.py``): the
word 4-shingles of the marked body against those of the extracted text, precision and
recall per page (each page's counts normalised, so a long article weighs no more than a
short one), averaged over the pages, and F1 of the two averages.

- **newswatch**: the pages ingested as ``.html`` files into a fresh SQLite database, as a
  user would (``pipeline.run``), and the body stored for each scored. Pages/s is CPU time
  of reading a page (``read.page.read_page``: decoding, metadata, extraction, the body
  rules), the ingest's matching and writing aside.
- **the extractors weighed**, each as the public benchmark runs it, on the page decoded as
  UTF-8: trafilatura (``extract``, comments off), readability-lxml (``Document.summary``,
  as text), newspaper4k and resiliparse (``extract_plain_text``, main content). They are
  not newswatch's dependencies: the ones not installed are said so (``pip install -e
  ".[bench]"`` installs them).

The pages are split in a fixed way, printed: the first 50 keys in sorted order are the
**tune** half, on which every rule and threshold of ``read/page.py`` was set; the other 50
are the **report** half, which nothing was set on. Both are printed, and all 100.

URLs: of the pages as ``.html`` files (their canonical URL or ``og:url``), as a browser's
"Save page as" writes them (the ``saved from url`` mark it puts first), and as records of a
WARC (their ``WARC-Target-URI``), how many store the URL the benchmark gives for the page
(compared as ``read.urls.article_url`` writes URLs).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"
PAGES = SHARED / "web_pages"
TUNE = 50
"""The first this many keys (sorted) are the tune half; the rest the report half."""

_TOKEN = re.compile(r"\w+")
Counts = tuple[float, float, float]


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Word n-grams as the benchmark's ``evaluate.py`` makes them."""
    tokens = _TOKEN.findall(text or "")
    return Counter(
        tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n]
    )


def page_counts(true: str, predicted: str) -> Counts:
    """True positives, false positives and false negatives of one page, normalised."""
    wanted, found = shingles(true), shingles(predicted)
    tp = fp = fn = 0.0
    for key in wanted.keys() | found.keys():
        a, b = wanted.get(key, 0), found.get(key, 0)
        tp, fp, fn = tp + min(a, b), fp + max(0, b - a), fn + max(0, a - b)
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def scores(rows: list[Counts]) -> tuple[float, float, float]:
    """(F1, precision, recall) over pages, as ``evaluate.py`` averages them."""

    def precision(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else 0.0 if tp == fp == 0 else tp / (tp + fp)

    def recall(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else 0.0 if tp == fn == 0 else tp / (tp + fn)

    p = statistics.mean(precision(*r) for r in rows if r[0] + r[1] > 0)
    r = statistics.mean(recall(*r) for r in rows if r[0] + r[2] > 0)
    return (2 * p * r / (p + r) if p + r else 0.0), p, r


def _trafilatura(page: str) -> str:
    import trafilatura

    return trafilatura.extract(page, include_comments=False) or ""


def _readability(page: str) -> str:
    import lxml.html
    from readability import Document

    return str(lxml.html.fromstring(Document(page).summary()).text_content())


def _newspaper(page: str) -> str:
    import newspaper

    article = newspaper.Article("https://example.invalid/")
    article.download(input_html=page)
    article.parse()
    return str(article.text)


def _resiliparse(page: str) -> str:
    from resiliparse.extract.html2text import extract_plain_text

    return str(extract_plain_text(page, main_content=True))


EXTRACTORS: dict[str, tuple[str, Callable[[str], str]]] = {
    "trafilatura": ("trafilatura", _trafilatura),
    "readability-lxml": ("readability", _readability),
    "newspaper4k": ("newspaper", _newspaper),
    "resiliparse": ("resiliparse", _resiliparse),
}


def stored_by_newswatch(pages: dict[str, bytes], how: str) -> dict[str, tuple[str, str | None]]:
    """Each page's stored body and URL after ingesting the pages ``how``: as ``html``
    files, as a browser ``saved`` them, or as records of a ``warc``."""
    from sqlalchemy import create_engine, text

    from newswatch.pipeline.run import run
    from newswatch.settings import get_settings

    truth = json.loads((PAGES / "ground-truth.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="newswatch-extraction-") as scratch:
        folder = Path(scratch) / "pages"
        folder.mkdir()
        if how == "warc":
            _write_warc(folder / "pages.warc.gz", pages, truth)
        for key, raw in pages.items() if how != "warc" else ():
            if how == "saved":  # what Chrome's and Internet Explorer's "Save page as" put first
                url = truth[key]["url"]
                raw = f"<!-- saved from url=({len(url):04d}){url} -->\n".encode() + raw
            (folder / f"{key}.html").write_bytes(raw)
        database = f"sqlite:///{scratch}/newswatch.db"
        settings = get_settings(
            watch_dir=folder, database_url=database, settle_seconds=0, workers=1
        )
        summary = run(settings)
        engine = create_engine(database)
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "select f.path, v.body, v.url from files f "
                    "left join versions v on v.id = f.version_id"
                )
            ).all()
        engine.dispose()
    by_path = {path: (body or "", url) for path, body, url in rows}
    if how == "warc":
        keys = {path: key for path, key in _warc_paths(summary, pages)}
        return {keys[path]: stored for path, stored in by_path.items() if path in keys}
    return {Path(path).stem: stored for path, stored in by_path.items()}


def _write_warc(path: Path, pages: dict[str, bytes], truth: dict[str, dict[str, str]]) -> None:
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for key, raw in pages.items():
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    truth[key]["url"],
                    "response",
                    payload=io.BytesIO(raw),
                    http_headers=headers,
                    warc_headers_dict={"WARC-Record-ID": f"<urn:uuid:{key[:32]}>"},
                )
            )


def _warc_paths(summary: object, pages: dict[str, bytes]) -> list[tuple[str, str]]:
    """The parts' paths in the order of the records: the order the pages were written."""
    paths = sorted(
        (r.path for r in summary.results),  # type: ignore[attr-defined]
        key=lambda p: int(p.rpartition("#")[2]),
    )
    return list(zip(paths, pages, strict=True))


def main() -> int:
    if not (PAGES / "ground-truth.json").is_file():
        print(f"skipped: the pages are not at {PAGES} (benchmarks read ../shared/corpus)")
        return 0
    from newswatch.read.page import read_page
    from newswatch.read.urls import article_url

    truth = json.loads((PAGES / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)
    pages = {k: gzip.decompress((PAGES / "html" / f"{k}.html.gz").read_bytes()) for k in keys}
    halves = {"tune": keys[:TUNE], "report": keys[TUNE:], "all": keys}
    print(
        f"{len(keys)} pages of {PAGES} (real pages, a person's marked body); tune: the first "
        f"{TUNE} keys sorted ({keys[0][:8]}..{keys[TUNE - 1][:8]}), report: the other "
        f"{len(keys) - TUNE} ({keys[TUNE][:8]}..{keys[-1][:8]})"
    )
    print(f"{'':20}" + "".join(f"{h + ' F1   P     R':>22}" for h in halves) + f"{'pages/s':>10}")

    f1s: dict[str, list[float]] = {}

    def line(name: str, texts: dict[str, str], per_second: float) -> None:
        cells = []
        for half in halves.values():
            f1, p, r = scores([page_counts(truth[k]["articleBody"], texts[k]) for k in half])
            cells.append(f"{f1:>10.3f} {p:.3f} {r:.3f}")
            f1s.setdefault(name, []).append(f1)
        print(f"{name:20}" + "".join(cells) + f"{per_second:>10.1f}")

    stored = stored_by_newswatch(pages, "html")
    started = time.process_time()
    for raw in pages.values():
        with contextlib.suppress(Exception):  # a refused page scores as an empty text
            read_page(raw)
    seconds = time.process_time() - started
    line("newswatch (stored)", {k: stored.get(k, ("", None))[0] for k in keys}, len(keys) / seconds)
    for name, (module, extract) in EXTRACTORS.items():
        try:
            __import__(module)
        except ImportError:
            print(f"{name:20}not installed (pip install -e '.[bench]')")
            continue
        texts, started = {}, time.process_time()
        for key in keys:
            try:
                texts[key] = extract(pages[key].decode("utf-8"))
            except Exception:
                texts[key] = ""
        line(name, texts, len(keys) / (time.process_time() - started))

    ours = f1s["newswatch (stored)"]
    for name, theirs in f1s.items():
        if name != "newswatch (stored)":
            gaps = ", ".join(
                f"{h} {a - b:+.4f}" for h, a, b in zip(halves, ours, theirs, strict=True)
            )
            print(f"  newswatch's F1 minus {name}'s: {gaps}")
    print("\nURLs stored that are the page's own (compared as read.urls.article_url writes them):")
    ways = {"html": stored, "saved": stored_by_newswatch(pages, "saved")}
    ways["warc"] = stored_by_newswatch(pages, "warc")
    names = {
        "html": ".html files as served (canonical URL, og:url, JSON-LD)",
        "saved": ".html as a browser saves them (its 'saved from url' mark)",
        "warc": "records of a WARC (WARC-Target-URI)",
    }
    for how, found in ways.items():
        cells = []
        for half_keys in halves.values():
            right = sum(
                1 for k in half_keys if found.get(k, ("", None))[1] == article_url(truth[k]["url"])
            )
            cells.append(f"{right}/{len(half_keys)}")
        print(f"  {names[how]:58}" + "".join(f"{c:>9}" for c in cells) + "   (tune, report, all)")
    same = all(ways["warc"].get(k, ("",))[0] == stored[k][0] for k in keys)
    print(f"  the text stored from the WARC is the text stored from the .html files: {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

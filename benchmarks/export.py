"""The research export and the outlet figures at scale: time and peak memory.

    .venv/bin/pip install -e ".[bench]"
    .venv/bin/python benchmarks/export.py [--n 100000]

Builds (once, cached in benchmarks/out/) the scale corpus of benchmarks/scalecorpus.py at
10,000 and N files from ../shared/corpus/bbc, each ingested without Prefect into its own
SQLite database, and a one-article database as the baseline. Then, for each, runs as a child
process (one at a time, so each peak is its own):

- ``newswatch export DIR --format newsedits`` and ``--format jsonl``;
- ``newswatch outlets --json``: on the database as ingested, every edit is diffed against
  the version before it; then on a copy in which every edit's changes are stored (as each
  run's report stores its own), nothing is;

and, in this process, the pictures a cold run's report draws at N: the story of every
edited article and of every original that was copied, read with every diff computed, then
drawn as SVG (time, and the SVG's size in ``run-N.html``);

and prints each one's wall time and peak resident memory (the child's own high-water mark,
``VmHWM``, so Linux only). The export streams: its peak stays near that of the one-article
database, whatever N.

Skips with a message when ../shared/corpus is absent.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1] / "shared" / "corpus" / "bbc"
NEWSWATCH = Path(sys.executable).with_name("newswatch")


def database(n: int) -> tuple[str, int]:
    """A database of the n-file scale corpus (built and ingested once), and its versions."""
    from sqlalchemy import create_engine, text

    from newswatch.pipeline.run import run
    from newswatch.settings import get_settings

    path = HERE / "out" / f"export-{n}.db"
    url = f"sqlite:///{path}"
    if not path.is_file():
        folder = HERE / "out" / f"scale-{n}"
        if n == 1:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "one.txt").write_text(
                "A headline\n\n13.10.2016\n\nBBC, 13 October 2016\n\nOne paragraph of text "
                "that is long enough to be an article. It has two sentences.\n",
                encoding="utf-8",
            )
        else:
            sys.path.insert(0, str(HERE))
            import scalecorpus  # type: ignore[import-not-found]

            scalecorpus.build(SHARED, folder, n)
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        run(
            get_settings(
                watch_dir=folder,
                database_url=f"sqlite:///{partial}",
                settle_seconds=0,
                reports_dir=Path(tempfile.mkdtemp(prefix="newswatch-bench-reports-")),
            )
        )
        partial.replace(path)
    engine = create_engine(url)
    with engine.connect() as conn:
        versions = int(conn.execute(text("SELECT count(*) FROM versions")).scalar_one())
    engine.dispose()
    return url, versions


def measured(arguments: list[str]) -> tuple[float, float]:
    """Seconds and peak resident MiB of one ``newswatch`` child process.

    The peak is the child's own high-water mark (``VmHWM``), read until it exits: the
    ``ru_maxrss`` that ``wait4`` reports starts from this process's size at the fork.
    """
    started = time.perf_counter()
    peak_kib = 0
    with tempfile.TemporaryFile() as output:
        child = subprocess.Popen([str(NEWSWATCH), *arguments], stdout=output, stderr=output)
        status = Path(f"/proc/{child.pid}/status")
        while child.poll() is None:
            try:
                for line in status.read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak_kib = max(peak_kib, int(line.split()[1]))
            except (OSError, ValueError):
                pass
            time.sleep(0.01)
        seconds = time.perf_counter() - started
        if child.returncode != 0:
            output.seek(0)
            raise RuntimeError(f"newswatch {' '.join(arguments)} failed: {output.read()!r}")
    return seconds, peak_kib / 1024


def store_every_edit(url: str) -> None:
    """What a report stores for each of its edits, for every edit of the database."""
    from newswatch.outlets.figures import read_figures
    from newswatch.store import Store

    with Store.open(url, create=False) as store:
        _, unstored = read_figures(store)
        store.save_edits(unstored)


def pictures(url: str) -> str:
    """The stories of every edited or copied article, read and drawn."""
    from newswatch.store import Store
    from newswatch.story.build import read_stories
    from newswatch.story.timeline import timeline_svg

    with Store.open(url, create=False) as store:
        with store.reading() as tx:
            edited = {i for (i,) in tx.query("SELECT id FROM articles WHERE version_count > 1")}
            copied = {
                i
                for (i,) in tx.query(
                    "SELECT near_duplicate_of FROM articles WHERE near_duplicate_of > 0"
                )
            }
        started = time.perf_counter()
        stories = [story for story, _ in read_stories(store, edited | copied)]
        read = time.perf_counter() - started
        started = time.perf_counter()
        size = sum(len(timeline_svg(story)) for story in stories)
        drawn = time.perf_counter() - started
    return (
        f"{len(stories):,} stories ({len(edited):,} edited, {len(copied):,} copied): read with "
        f"every diff {read:.1f} s, drawn {drawn:.1f} s, {size / 2**20:.0f} MiB of SVG"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()
    if not SHARED.is_dir():
        print(f"skipped: the BBC corpus is not at {SHARED} (benchmarks read ../shared/corpus)")
        return 0
    sizes = sorted({1, 10_000, args.n})
    rows = []
    work = Path(tempfile.mkdtemp(prefix="newswatch-export-bench-"))
    try:
        for n in sizes:
            started = time.perf_counter()
            url, versions = database(n)
            built = time.perf_counter() - started
            for name, arguments in (
                ("export newsedits", ["export", str(work / f"{n}-csv"), "--format", "newsedits"]),
                ("export jsonl", ["export", str(work / f"{n}-jsonl"), "--format", "jsonl"]),
                ("outlets --json", ["outlets", "--json"]),
            ):
                seconds, peak = measured([*arguments, "--database-url", url])
                rows.append((n, versions, name, seconds, peak))
            copy = work / f"{n}-stored.db"
            shutil.copy(url.removeprefix("sqlite:///"), copy)
            store_every_edit(f"sqlite:///{copy}")
            seconds, peak = measured(["outlets", "--json", "--database-url", f"sqlite:///{copy}"])
            rows.append((n, versions, "outlets, stored", seconds, peak))
            copy.unlink()
            written = sum(p.stat().st_size for p in (work / f"{n}-csv").iterdir())
            print(
                f"  {n:>7,} files, {versions:>7,} versions (database ready in {built:.0f} s), "
                f"CSV export {written / 2**20:,.0f} MiB",
                flush=True,
            )
            shutil.rmtree(work / f"{n}-csv")
            shutil.rmtree(work / f"{n}-jsonl")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"newswatch export and outlets: {os.cpu_count()} cores, SQLite")
    print(f"  pictures at {args.n:,} files: {pictures(database(args.n)[0])}")
    print(f"  {'files':>7}  {'versions':>8}  {'command':<18} {'seconds':>8}  {'peak MiB':>8}")
    for n, versions, name, seconds, peak in rows:
        print(f"  {n:>7,}  {versions:>8,}  {name:<18} {seconds:>8.1f}  {peak:>8.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Ingest at scale: N articles (default 100,000) through the Prefect flow, on this machine.

    .venv/bin/pip install -e ".[bench]"
    .venv/bin/python benchmarks/scale.py [--n 100000] [--mixed] [--database-url URL]

Builds (once, cached in benchmarks/out/, in a process of its own) a folder of N articles
from ../shared/corpus/bbc, about 10% edited versions and 5% syndicated copies among them
(see scalecorpus.py; ``--mixed`` draws the stories from the BBC and the Turkish texts),
starts a local Prefect server, and measures in one run:

- a plain datasketch MinHash + MinHashLSH pass over the same files (read, shingle, hash,
  query, insert: the fingerprint-only tool a user would otherwise reach for), in its own
  process;
- newswatch's cold ingest through the flow (parse, fingerprint, match, store, report), and
  how long its batches held the database's write lock;
- the cost per article as the database grows (over the files just before 10k, 30k, 100k
  and N);
- a re-run with nothing changed (and how long walking the folder and reading the records
  take of it), and one after 1% of the files were edited;
- peak memory of the ingest (this process and its worker processes, not the server);
- the whole ``newswatch ingest`` process on the BBC corpus, fresh database and server up,
  against datasketch's pass over the same files;
- scale-out: one ingest process with one worker on a folder, then two on two folders at
  once into one database (without Prefect: the store's part);
- PostgreSQL against SQLite at 10,000 articles through the flow, back to back, cold and
  with a tenth of the files edited (a database ``--postgres-url`` names, which it wipes;
  skipped when no server answers).

Skips with a message when ../shared/corpus is absent.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1] / "shared" / "corpus" / "bbc"


def datasketch_pass(folder: Path) -> None:
    """The baseline, run as its own process: prints files and seconds."""
    from datasketch import MinHash, MinHashLSH

    files = sorted(folder.rglob("*.txt"))
    started = time.perf_counter()
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    for index, path in enumerate(files):
        words = path.read_bytes().decode("utf-8", "replace").lower().split()
        shingles = {" ".join(words[k : k + 3]).encode() for k in range(max(1, len(words) - 2))}
        minhash = MinHash(num_perm=128)
        minhash.update_batch(list(shingles))
        lsh.query(minhash)
        lsh.insert(str(index), minhash)
    print(len(files), time.perf_counter() - started)


def datasketch_process(folder: Path) -> tuple[int, float]:
    """:func:`datasketch_pass` in a process of its own: files, and seconds."""
    out = subprocess.run(
        [sys.executable, __file__, "--datasketch-only", str(folder)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return int(out[0]), float(out[1])


def ingest_pass(folder: str, database_url: str) -> None:
    """One ingest process with one worker, without Prefect (scale-out): prints files and
    seconds, from its first file to its last."""
    from newswatch.pipeline.run import run
    from newswatch.settings import get_settings

    settings = get_settings(
        watch_dir=folder, database_url=database_url, workers=1, settle_seconds=0
    )
    started = time.perf_counter()
    summary = run(settings)
    print(len(summary.results), time.perf_counter() - started)


def _ingest_processes(pairs: list[tuple[Path, str]]) -> tuple[int, float]:
    """Ingest processes started at once; files in all, and seconds until the last ends."""
    started = time.perf_counter()
    processes = [
        subprocess.Popen(
            [sys.executable, __file__, "--ingest-only", str(folder), url],
            stdout=subprocess.PIPE,
            text=True,
        )
        for folder, url in pairs
    ]
    files = 0
    for process in processes:
        out, _ = process.communicate()
        if process.returncode:
            raise RuntimeError(f"an ingest process failed ({process.returncode})")
        files += int(out.split()[0])
    return files, time.perf_counter() - started


def scale_out(scalecorpus: Any, work: Path) -> dict[str, str]:
    """One process with one worker on folder A, then two such on A and B at once, into one
    database: how far a database scales with its writers."""
    a, b = (HERE / "out" / f"scaleout-{name}" for name in "ab")
    scalecorpus.build(SHARED, a, 10_000, seed=21)
    scalecorpus.build(SHARED, b, 10_000, seed=22)
    alone, alone_seconds = _ingest_processes([(a, f"sqlite:///{work / 'alone.db'}")])
    shared = f"sqlite:///{work / 'shared.db'}"
    together, together_seconds = _ingest_processes([(a, shared), (b, shared)])
    single, combined = alone / alone_seconds, together / together_seconds
    return {
        "scale-out: one process, one worker": f"{single:,.0f} articles/s (folder A, 10,000)",
        "scale-out: two processes, one database": (
            f"{combined:,.0f} articles/s together (folders A and B, 20,000): "
            f"{combined / single:.2f} x one process"
        ),
    }


def postgres_against_sqlite(scalecorpus: Any, work: Path) -> dict[str, str]:
    """10,000 articles through the flow into PostgreSQL and into SQLite, back to back."""
    from flows.ingest import ingest_flow
    from pydantic import SecretStr
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    folder = HERE / "out" / "scale-10000"
    scalecorpus.build(SHARED, folder, 10_000)
    url = make_url(POSTGRES_URL)
    try:
        admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            if not conn.exec_driver_sql(
                "SELECT 1 FROM pg_database WHERE datname = %s", (url.database,)
            ).first():
                conn.exec_driver_sql(f'CREATE DATABASE "{url.database}"')
        admin.dispose()
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        engine.dispose()
    except Exception as exc:  # no server, or not ours to wipe: say so, measure the rest
        return {"PostgreSQL vs SQLite at 10,000": f"skipped: {type(exc).__name__}"}
    databases = (("SQLite", f"sqlite:///{work / 'ten.db'}"), ("PostgreSQL", str(POSTGRES_URL)))
    rates, edits = {}, {}
    for name, database in databases:
        started = time.perf_counter()
        summary = ingest_flow(str(folder), SecretStr(database))
        rates[name] = len(summary.results) / (time.perf_counter() - started)
        rates[name + " lock"] = summary.write_lock_seconds / len(summary.results)
    # An edit-heavy run: a tenth of the files edited since, into both databases.
    changed = scalecorpus.change_some(folder, 0.10)
    try:
        for name, database in databases:
            started = time.perf_counter()
            summary = ingest_flow(str(folder), SecretStr(database))
            edits[name] = time.perf_counter() - started
            edits[name + " lock"] = summary.write_lock_seconds / len(changed)
    finally:
        (folder / "manifest.json").unlink(missing_ok=True)
    return {
        "PostgreSQL vs SQLite at 10,000": (
            f"{rates['PostgreSQL']:,.0f} vs {rates['SQLite']:,.0f} articles/s through the flow: "
            f"{rates['PostgreSQL'] / rates['SQLite']:.2f} x; write lock "
            f"{rates['PostgreSQL lock'] * 1e6:,.0f} vs {rates['SQLite lock'] * 1e6:,.0f} µs an article"
        ),
        f"PostgreSQL vs SQLite, {len(changed):,} of them edited": (
            f"{edits['PostgreSQL']:.1f} vs {edits['SQLite']:.1f} s through the flow: "
            f"{edits['SQLite'] / edits['PostgreSQL']:.2f} x; write lock "
            f"{edits['PostgreSQL lock'] * 1e6:,.0f} vs {edits['SQLite lock'] * 1e6:,.0f} µs a file"
        ),
    }


def whole_process_bbc(work: Path) -> dict[str, str]:
    """``newswatch ingest`` on the BBC corpus as a user runs it (a fresh database, the
    Prefect server already up), against datasketch's pass over the same files."""
    files, datasketch = datasketch_process(SHARED)
    command = [
        str(Path(sys.executable).with_name("newswatch")),
        "ingest",
        str(SHARED),
        "--database-url",
        f"sqlite:///{work / 'bbc.db'}",
    ]
    started = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True)
    seconds = time.perf_counter() - started
    return {
        f"whole process, {files:,} BBC files": (
            f"newswatch ingest {seconds:.2f} s vs datasketch's pass {datasketch:.2f} s: "
            f"{seconds / datasketch:.2f} x"
        )
    }


class PeakMemory:
    """Sum of resident memory of this process and its children but the excluded ones."""

    def __init__(self, exclude: set[int]) -> None:
        import psutil

        self.process = psutil.Process()
        self.exclude = exclude
        self.peak = 0
        self.running = True
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        import psutil

        while self.running:
            total = 0
            try:
                total = self.process.memory_info().rss
                for child in self.process.children(recursive=True):
                    if child.pid not in self.exclude:
                        with contextlib.suppress(psutil.Error):
                            total += child.memory_info().rss
            except psutil.Error:
                pass
            self.peak = max(self.peak, total)
            time.sleep(0.05)

    def stop(self) -> int:
        self.running = False
        self.thread.join()
        return self.peak


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_prefect_server(home: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_UI_API_URL": api,
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("prefect")),
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{api}/health", timeout=2) as response:
                if response.status == 200:
                    return server, api
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("the Prefect server did not become healthy in 90 s")


def _walk_seconds(folder: Path) -> float:
    """The folder walked in path order (``read.scan.scan_files``), as a re-run walks it."""
    from newswatch.read.scan import ScanResult, scan_files

    started = time.perf_counter()
    for _ in scan_files(folder, ScanResult()):
        pass
    return time.perf_counter() - started


def _records_seconds(folder: Path, database_url: str) -> float:
    """The folder's recorded files read in path order, as a re-run reads them."""
    from newswatch.store import Store

    with Store.open(database_url) as store:
        started = time.perf_counter()
        for _ in store.known_files_in_order(os.path.realpath(folder) + os.sep):
            pass
        return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    parser.add_argument("--skip-datasketch", action="store_true")
    parser.add_argument("--skip-scale-out", action="store_true")
    parser.add_argument(
        "--skip-postgres", action="store_true", help="skip PostgreSQL vs SQLite at 10,000"
    )
    parser.add_argument(
        "--postgres-url",
        default="postgresql+psycopg://postgres@127.0.0.1:5432/newswatch_bench",
        help="a database the benchmark may wipe (created when the server allows)",
    )
    parser.add_argument("--datasketch-only", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--ingest-only", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--build-only", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--mixed",
        action="store_true",
        help="distinct stories drawn from the BBC and the 1150haber Turkish texts",
    )
    args = parser.parse_args()
    if args.datasketch_only:
        datasketch_pass(args.datasketch_only)
        return 0
    if args.ingest_only:
        ingest_pass(*args.ingest_only)
        return 0
    global POSTGRES_URL
    POSTGRES_URL = args.postgres_url
    if not SHARED.is_dir():
        print(f"skipped: the BBC corpus is not at {SHARED} (benchmarks read ../shared/corpus)")
        return 0

    sys.path.insert(0, str(HERE))
    import scalecorpus  # type: ignore[import-not-found]

    if args.build_only:
        print(json.dumps(scalecorpus.build(SHARED, args.build_only, args.n, mixed=args.mixed)))
        return 0
    folder = HERE / "out" / f"scale-{'mixed-' if args.mixed else ''}{args.n}"
    started = time.perf_counter()
    # In its own process: the memory the generator frees stays in a process's heap, and
    # this one's is measured.
    built = subprocess.run(
        [sys.executable, __file__, "--n", str(args.n), "--build-only", str(folder)]
        + (["--mixed"] if args.mixed else []),
        capture_output=True,
        text=True,
        check=True,
    )
    kinds = json.loads(built.stdout.splitlines()[-1])
    print(f"corpus: {args.n:,} files in {folder} {kinds} ({time.perf_counter() - started:.0f} s)")

    work = Path(tempfile.mkdtemp(prefix="newswatch-scale-"))
    database_url = args.database_url or f"sqlite:///{work / 'scale.db'}"
    server, api = start_prefect_server(work / "prefect")
    os.environ.update(
        {
            "PREFECT_API_URL": api,
            "PREFECT_LOGGING_LEVEL": "WARNING",
            "NEWSWATCH_REPORTS_DIR": str(work / "reports"),
            "NEWSWATCH_SETTLE_SECONDS": "0",
        }
    )
    figures: dict[str, str] = {}
    try:
        if not args.skip_datasketch:
            ds_files, ds_seconds = datasketch_process(folder)
            figures["datasketch"] = f"{ds_files / ds_seconds:,.0f} articles/s ({ds_seconds:.1f} s)"

        from flows.ingest import ingest_flow
        from pydantic import SecretStr

        from newswatch.pipeline.progress import progress_reporting
        from newswatch.pipeline.run import run

        if database_url.startswith("postgresql"):
            from sqlalchemy import create_engine

            engine = create_engine(database_url)
            with engine.begin() as conn:
                conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
            engine.dispose()

        marks: list[tuple[int, float]] = []
        done = 0

        def hook(files_done: int, _total: int | None = None) -> None:
            nonlocal done
            done += files_done
            marks.append((done, time.perf_counter()))

        memory = PeakMemory(exclude={server.pid})
        with progress_reporting(hook):
            started = time.perf_counter()
            marks.append((0, started))
            cold = ingest_flow(str(folder), SecretStr(database_url))
            cold_seconds = time.perf_counter() - started
        cold_peak = memory.stop()
        rate = args.n / cold_seconds
        figures["cold ingest"] = (
            f"{rate:,.0f} articles/s ({cold_seconds:.1f} s through the flow) {cold.counts}"
        )
        if not args.skip_datasketch:
            figures["ratio newswatch / datasketch"] = f"{rate / (ds_files / ds_seconds):.2f}"
        locked = cold.write_lock_seconds / args.n
        figures["time under the write lock"] = (
            f"{locked * 1e6:,.0f} µs an article ({cold.write_lock_seconds:.1f} s in all): "
            f"one database absorbs up to {1 / locked:,.0f} articles/s"
        )

        def cost_at(n: int) -> float:
            """Seconds per article over the batches that end in (n - window, n], the window
            a twentieth of n, and at least 5,000 files (a few batches: one batch's timing
            alone is noise)."""
            window = max(5000, n // 20)
            inside = [(f, t) for f, t in marks if n - window <= f <= n]
            before = [(f, t) for f, t in marks if f <= n - window] or [marks[0]]
            (f0, t0), (f1, t1) = before[-1], inside[-1]
            return (t1 - t0) / max(1, f1 - f0)

        points = [n for n in (10_000, 30_000, 100_000, args.n) if n <= args.n]
        costs = {n: cost_at(n) for n in sorted(set(points))}
        for n in costs:
            figures[f"cost per article at {n:,}"] = (
                f"{costs[n] * 1e6:,.0f} us (files {max(0, n - max(5000, n // 20)):,}..{n:,})"
            )
        if 10_000 in costs and args.n > 10_000:
            figures[f"cost at {args.n:,} / cost at 10,000"] = f"{costs[args.n] / costs[10_000]:.2f}"

        started = time.perf_counter()
        again = ingest_flow(str(folder), SecretStr(database_url))
        figures["re-run, nothing changed"] = (
            f"{time.perf_counter() - started:.2f} s through the flow "
            f"(unchanged {again.counts['unchanged']:,})"
        )
        core_started = time.perf_counter()
        from newswatch.settings import get_settings

        run(get_settings(watch_dir=folder, database_url=database_url))
        figures["re-run, nothing changed, without Prefect"] = (
            f"{time.perf_counter() - core_started:.2f} s (scan, one query, report)"
        )
        figures["  of which: walking the folder"] = f"{_walk_seconds(folder):.2f} s"
        figures["  of which: reading the records"] = (
            f"{_records_seconds(folder, database_url):.2f} s"
        )

        changed = scalecorpus.change_some(folder, 0.01)
        started = time.perf_counter()
        after = ingest_flow(str(folder), SecretStr(database_url))
        figures["re-run after 1% changed"] = (
            f"{time.perf_counter() - started:.2f} s through the flow ({len(changed):,} files "
            f"changed: edited {after.counts['edited']:,}, new {after.counts['new']:,})"
        )
        figures["peak memory"] = (
            f"{cold_peak / 2**20:,.0f} MiB (ingest process and its workers, sampled); "
            f"ru_maxrss {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB"
        )
        expected = f"truth: ~{kinds['edit']:,} edits, ~{kinds['copy']:,} copies"
        figures["outcomes"] = (
            f"edited {cold.counts['edited']:,}, near_duplicate {cold.counts['near_duplicate']:,},"
            f" new {cold.counts['new']:,} ({expected})"
        )
        if not args.skip_datasketch:
            figures.update(whole_process_bbc(work))
        if not args.skip_scale_out:
            figures.update(scale_out(scalecorpus, work))
        if not args.skip_postgres:
            figures.update(postgres_against_sqlite(scalecorpus, work))
    finally:
        server.terminate()
        server.wait(timeout=30)
        # The 1%-changed files no longer match the cached corpus: rebuild it next time.
        (folder / "manifest.json").unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)

    from newswatch.store import masked_url

    print(
        f"newswatch scale benchmark: N = {args.n:,}, {os.cpu_count()} cores, "
        f"{masked_url(database_url).split('///')[0]}"
    )
    width = max(len(k) for k in figures)
    for name, value in figures.items():
        print(f"  {name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

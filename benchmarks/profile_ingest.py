"""Where an article's time goes: CPU per stage across every process, and wall time per phase.

    .venv/bin/pip install -e ".[bench]" py-spy
    .venv/bin/python benchmarks/profile_ingest.py [--n 20000] [--mixed] [--python OTHER/.venv/bin/python]

Builds (or reuses) the corpus of ``benchmarks/scale.py`` for N, starts a Prefect server,
then runs ``newswatch ingest`` on the folder as a user does (a fresh SQLite database, the
server already up, two workers) while py-spy samples every process: the ingest process,
its worker processes and the Prefect server. Each thread's samples are scaled to the CPU
time the thread used (psutil, read every 0.1 s; the ingest process's total from
``wait4``), so a sample counts what its thread really spent, not how often it was caught
runnable on a busy machine. A sample's time goes to the innermost newswatch function on
its stack (time in a library is charged to the newswatch function that called it), and
that function's module to a stage (:data:`STAGES`).

``--python`` (repeatable) names the interpreters to compare, e.g. main's venv and this
one's: their runs alternate (A B A B with ``--repeat 2``) against the same server and
corpus, and the tables give each one's median. The code each runs is the newswatch its
venv has installed; this script only starts it.

Prints, per interpreter: CPU µs an article per stage (all processes), wall seconds per
phase of the run, the newswatch functions and the leaf functions with the most CPU, and
the run's outcome counts (which must not differ between interpreters).

Skips with a message when ../shared/corpus is absent or py-spy is not installed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1] / "shared" / "corpus" / "bbc"

# --- the stages -------------------------------------------------------------------------------

# (module path under newswatch/ or flows/, function or "" for any): the stage of a sample
# whose stack holds such a frame. The first rule that any frame of the stack matches wins,
# so a frame deep in the stack names a stage its callers belong to only by this order: text
# folding inside fingerprinting is fingerprint hashing, sentence splitting inside the report
# is the report.
STAGES: list[tuple[str, str, str]] = [
    ("server/publish.py", "", "Prefect artifacts and events"),
    ("notify/publication.py", "", "Prefect artifacts and events"),
    ("notify/events.py", "publish", "Prefect artifacts and events"),
    ("report/artifacts.py", "", "Prefect artifacts and events"),
    ("changes/numbers.py", "", "number, quotation and date reading"),
    ("changes/quotes.py", "", "number, quotation and date reading"),
    ("changes/quantities.py", "", "number, quotation and date reading"),
    ("changes/number_words.py", "", "number, quotation and date reading"),
    ("changes/dates.py", "", "number, quotation and date reading"),
    ("changes/context.py", "", "number, quotation and date reading"),
    ("changes/verify.py", "", "number, quotation and date reading"),
    ("read/quotations.py", "", "number, quotation and date reading"),
    ("report/", "", "report building and streaming"),
    ("render/", "", "report building and streaming"),
    ("story/", "", "report building and streaming"),
    ("outlets/", "", "report building and streaming"),
    ("changes/", "", "report building and streaming"),
    ("flows/ingest.py", "publish_report", "report building and streaming"),
    ("store/passages.py", "merge_if_due", "passage-index merge"),
    ("store/passages.py", "refresh", "passage-index merge"),
    ("spool.py", "", "result spool"),
    ("pipeline/rows.py", "", "write transaction"),
    ("store/writer.py", "", "write transaction"),
    ("store/rows.py", "", "write transaction"),
    ("match/fingerprint.py", "raw_hash", "raw and content hashes"),
    ("match/fingerprint.py", "content_hash", "raw and content hashes"),
    ("match/fingerprint.py", "line_keys", "fingerprint: line keys"),
    ("match/fingerprint.py", "word_hashes", "fingerprint: word hashing and winnowing"),
    ("match/fingerprint.py", "passage_keys", "fingerprint: word hashing and winnowing"),
    ("match/fingerprint.py", "keys_of_texts", "fingerprint: word hashing and winnowing"),
    ("match/fingerprint.py", "", "fingerprint: normalising the text"),
    ("read/scan.py", "read_bytes", "reading files"),
    ("read/encoding.py", "", "decode"),
    ("read/repair.py", "", "parse"),
    ("read/parse.py", "", "parse"),
    ("read/text.py", "", "tokenising"),
    ("match/similarity.py", "_words", "tokenising"),
    ("match/similarity.py", "_sorted_sentence_words", "tokenising"),
    ("match/similarity.py", "_once", "tokenising"),
    ("match/similarity.py", "", "comparing texts (rapidfuzz)"),
    ("store/snapshot.py", "", "candidate lookup"),
    ("store/passages.py", "", "candidate lookup"),
    ("match/catalog.py", "", "candidate lookup"),
    ("match/index.py", "", "candidate lookup"),
    ("match/", "", "matching rules"),
    ("pipeline/decide.py", "", "matching rules"),
    ("pipeline/plan.py", "", "plan: folder walk and recorded files"),
    ("read/scan.py", "", "plan: folder walk and recorded files"),
    ("pipeline/", "", "batch hand-out and turns"),
    ("store/", "", "other database work"),
    ("flows/", "", "Prefect inside the ingest process"),
    ("server/", "", "Prefect inside the ingest process"),
    ("cli/", "", "command line (progress bar, output)"),
    ("", "", "other newswatch code"),
]
IMPORTS = "imports and worker start"
PREFECT_HERE = "Prefect inside the ingest process"
SERVER = "Prefect server"
CLOCK = "(this profile's phase clock)"
OTHER = "other (no newswatch frame)"

_NEWSWATCH = re.compile(r"(?:^|/)(?:src/newswatch|site-packages/newswatch|newswatch)/(.+)$")
_FLOWS = re.compile(r"(?:^|/)(flows/[^/]+\.py)$")


def newswatch_module(filename: str) -> str | None:
    """``read/parse.py`` for a frame of newswatch, ``flows/ingest.py`` for the flows; None
    for any other code."""
    if "site-packages" in filename and "/newswatch/" not in filename:
        return None
    if found := _NEWSWATCH.search(filename):
        return found.group(1)
    if found := _FLOWS.search(filename):
        return found.group(1)
    return None


@dataclass(frozen=True)
class Frame:
    function: str
    filename: str

    @property
    def module(self) -> str | None:
        return newswatch_module(self.filename)

    def label(self) -> str:
        module = self.module
        if module:
            return f"{module}:{self.function}"
        short = re.sub(r"^.*?(?:site-packages|lib/python3\.\d+)/", "", self.filename)
        return f"{short}:{self.function}"


def stage_of(stack: list[Frame], server: bool) -> str:
    """The stage a sample's time goes to; ``stack`` runs from the outermost frame in."""
    if server:
        return SERVER
    if any(f.function.endswith("phase_clock") for f in stack):
        return CLOCK
    if any("importlib._bootstrap" in f.filename for f in stack):
        return IMPORTS
    ours = [(f.module, f.function) for f in stack if f.module]
    for prefix, function, stage in STAGES:
        for module, name in ours:
            if module.startswith(prefix) and (  # type: ignore[union-attr]
                not function or name == function or name.endswith("." + function)
            ):
                return stage
    names = " ".join(f.filename for f in stack)
    if "multiprocessing" in names or "concurrent/futures" in names:
        return IMPORTS if "forkserver" in names and "_serve_one" not in names else OTHER
    if "/prefect/" in names:
        return PREFECT_HERE
    return OTHER


def charged_function(stack: list[Frame]) -> str:
    """The innermost newswatch function: library time below it is charged to it."""
    for frame in reversed(stack):
        if frame.module:
            return frame.label()
    return stack[-1].label() if stack else "?"


# --- one profiled ingest ------------------------------------------------------------------------


@dataclass
class Run:
    python: str
    stages: dict[str, float] = field(default_factory=dict)
    """CPU seconds per stage."""
    functions: Counter[str] = field(default_factory=Counter)
    by_stage: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    leaves: Counter[str] = field(default_factory=Counter)
    phases: dict[str, float] = field(default_factory=dict)
    wall: float = 0.0
    measured_cpu: float = 0.0
    """All CPU of the ingest (wait4: process and workers) and the server's in the window."""
    outcomes: dict[str, int] = field(default_factory=dict)
    files: int = 0


class ThreadClock:
    """CPU seconds of every thread of a process tree, read every 0.1 s (the last value a
    thread was seen with is kept: a thread that ends loses at most 0.1 s)."""

    def __init__(self, root: int) -> None:
        import psutil

        self.root = psutil.Process(root)
        self.threads: dict[tuple[int, int], float] = {}
        self.processes: dict[int, float] = {}
        self.base_threads: dict[tuple[int, int], float] = {}
        self.base_processes: dict[int, float] = {}
        self.running = True
        self.read()
        self.base_threads, self.base_processes = dict(self.threads), dict(self.processes)
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def read(self) -> None:
        import psutil

        with contextlib.suppress(psutil.Error):
            tree = [self.root, *self.root.children(recursive=True)]
            for process in tree:
                with contextlib.suppress(psutil.Error):
                    times = process.cpu_times()
                    self.processes[process.pid] = times.user + times.system
                    for thread in process.threads():
                        self.threads[(process.pid, thread.id)] = (
                            thread.user_time + thread.system_time
                        )

    def _loop(self) -> None:
        while self.running:
            time.sleep(0.1)
            self.read()

    def stop(self) -> None:
        self.running = False
        self.thread.join()
        self.read()

    def used(self) -> tuple[dict[tuple[int, int], float], dict[int, float]]:
        """CPU per thread and per process since this clock started."""
        threads = {k: v - self.base_threads.get(k, 0.0) for k, v in self.threads.items()}
        processes = {k: v - self.base_processes.get(k, 0.0) for k, v in self.processes.items()}
        return threads, processes


def start_spy(pid: int, out: Path, rate: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            str(Path(sys.executable).with_name("py-spy")),
            "record",
            "--pid",
            str(pid),
            "--subprocesses",
            "--nonblocking",
            "--format",
            "speedscope",
            "--rate",
            str(rate),
            "--output",
            str(out),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


_PROFILE_NAME = re.compile(r"Process (\d+) Thread (\d+)")


def read_speedscope(path: Path) -> dict[tuple[int, int], list[tuple[list[Frame], float]]]:
    """Samples per (process, thread): each a stack (outermost first) and its weight."""
    data = json.loads(path.read_text())
    frames = [Frame(f["name"], f.get("file") or "") for f in data["shared"]["frames"]]
    out: dict[tuple[int, int], list[tuple[list[Frame], float]]] = {}
    for profile in data["profiles"]:
        found = _PROFILE_NAME.match(profile["name"])
        if not found:
            continue
        key = (int(found.group(1)), int(found.group(2)))
        samples = out.setdefault(key, [])
        for stack, weight in zip(profile["samples"], profile["weights"], strict=True):
            # py-spy puts the process's command line first, as a frame with no file.
            frames_in = [frames[i] for i in stack if frames[i].filename]
            samples.append((frames_in, float(weight)))
    return {key: _busy(stacks) for key, stacks in out.items()}


# A thread caught in these is waiting, whatever py-spy saw of its state (a thread woken and
# waiting for the GIL looks runnable): its CPU goes to its other samples.
_WAITING = {
    ("selectors.py", "select"),
    ("threading.py", "wait"),
    ("threading.py", "_wait_for_tstate_lock"),
    ("connection.py", "_recv"),
    ("connection.py", "recv"),
    ("connection.py", "poll"),
    ("connection.py", "_poll"),
    ("queue.py", "get"),
    ("queues.py", "get"),
    ("subprocess.py", "_communicate"),
}


def _waiting(stack: list[Frame]) -> bool:
    if not stack:
        return True
    leaf = stack[-1]
    return (leaf.filename.rsplit("/", 1)[-1], leaf.function.rsplit(".", 1)[-1]) in _WAITING


def _busy(
    stacks: list[tuple[list[Frame], float]],
) -> list[tuple[list[Frame], float]]:
    """A thread's samples without those where it waited; all of them if it only waited."""
    busy = [(stack, w) for stack, w in stacks if not _waiting(stack)]
    return busy or stacks


def attribute(
    run: Run,
    samples: dict[tuple[int, int], list[tuple[list[Frame], float]]],
    threads: dict[tuple[int, int], float],
    processes: dict[int, float],
    server: bool,
) -> float:
    """Spread each thread's CPU over its samples (and each process's CPU no thread was seen
    with over that process's samples); returns the CPU attributed."""
    weight_of: dict[int, float] = defaultdict(float)
    for (pid, _), stacks in samples.items():
        weight_of[pid] += sum(w for _, w in stacks)
    attributed = 0.0
    for pid in weight_of:
        seen = sum(v for key, v in threads.items() if key[0] == pid and key in samples)
        rest = max(0.0, processes.get(pid, seen) - seen)
        for key, stacks in ((k, s) for k, s in samples.items() if k[0] == pid):
            weight = sum(w for _, w in stacks) or 1.0
            cpu = threads.get(key, 0.0) + rest * weight / weight_of[pid]
            for stack, w in stacks:
                share = cpu * w / weight
                run.stages[stage_of(stack, server)] = (
                    run.stages.get(stage_of(stack, server), 0.0) + share
                )
                if not server:
                    run.functions[charged_function(stack)] += share
                    run.by_stage[stage_of(stack, server)][charged_function(stack)] += share
                    if stack:
                        run.leaves[stack[-1].label()] += share
            attributed += cpu
    return attributed


def profile_once(
    python: str,
    folder: Path,
    api: str,
    work: Path,
    rate: int,
    server: int,
    stored: Path | None = None,
) -> Run:
    """One ``newswatch ingest`` of ``folder`` by ``python``'s newswatch, profiled, into a
    fresh database or a copy of ``stored``."""
    run = Run(python)
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    if stored is not None:
        shutil.copyfile(stored, work / "newswatch.db")
    marks = work / "marks.json"
    env = {
        **os.environ,
        "PREFECT_API_URL": api,
        "PREFECT_HOME": str(work / "prefect-client"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "NEWSWATCH_SETTLE_SECONDS": "0",
        "NEWSWATCH_REPORTS_DIR": str(work / "reports"),
    }
    child = subprocess.Popen(
        [
            python,
            __file__,
            "--child",
            str(marks),
            "--",
            "ingest",
            str(folder),
            "--database-url",
            f"sqlite:///{work / 'newswatch.db'}",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=work,
    )
    spies = [start_spy(child.pid, work / "ingest.json", rate)] if rate else []
    time.sleep(1.5)  # py-spy attached and sampling before the first import
    ingest_clock = ThreadClock(child.pid)
    server_clock = ThreadClock(server)
    started = time.monotonic()
    assert child.stdin is not None
    child.stdin.write(b"go\n")
    child.stdin.close()
    reader = threading.Thread(target=lambda: setattr(run, "_out", child.stdout.read()))  # type: ignore[union-attr]
    reader.start()
    errors = child.stderr.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(child.pid, 0)
    ended = time.monotonic()
    child.returncode = os.waitstatus_to_exitcode(status)
    reader.join()
    ingest_clock.stop()
    server_clock.stop()
    for spy in spies:
        spy.send_signal(signal.SIGINT)
    for spy in spies:
        try:
            spy.wait(timeout=60)
        except subprocess.TimeoutExpired:
            spy.kill()
    if child.returncode:
        raise RuntimeError(
            f"newswatch ingest failed ({child.returncode}): {errors.decode()[-2000:]}"
        )
    out = getattr(run, "_out", b"").decode()
    run.outcomes = {
        m.group(1): int(m.group(2))
        for m in re.finditer(
            r"^\s*(new|edited|duplicate|near_duplicate|unchanged|rejected|deferred)\s*[│|]?\s*(\d+)\s*$",
            out,
            re.M,
        )
    }
    run.files = sum(v for k, v in run.outcomes.items() if k != "unchanged")
    run.wall = ended - started

    threads, processes = ingest_clock.used()
    # Every process of the tree, each read to its last 0.1 s; wait4 (the process and the
    # children it reaped) when it says more. The worker processes are the forkserver's
    # children, which an ingest that ends with os._exit never reaps.
    ingest_cpu = max(sum(processes.values()), usage.ru_utime + usage.ru_stime)
    seen = 0.0
    if rate:
        seen = attribute(run, read_speedscope(work / "ingest.json"), threads, processes, False)
    if ingest_cpu > seen:
        run.stages["(CPU no sample was seen for)"] = ingest_cpu - seen
    server_cpu = sum(server_clock.used()[1].values())
    run.stages[SERVER] = server_cpu
    run.measured_cpu = max(ingest_cpu, seen) + server_cpu
    run.phases = phases(json.loads(marks.read_text()) if marks.exists() else {}, started, ended)
    return run


PHASES = [
    ("imports and flow start", "start", "ingest_run"),
    ("plan, workers and the first batch", "ingest_run", "first_batch"),
    ("the other batches", "first_batch", "ingest_run_end"),
    ("the report (built, stored, written)", "ingest_run_end", "stream_report_end"),
    ("Prefect artifacts and events", "stream_report_end", "publish_report_end"),
    ("exit", "publish_report_end", "end"),
]


def phases(marks: dict[str, float], started: float, ended: float) -> dict[str, float]:
    marks = {"start": started, **marks, "end": ended}
    out = {}
    for name, begin, end in PHASES:
        if begin in marks and end in marks:
            out[name] = marks[end] - marks[begin]
    return out


# --- inside the profiled process ----------------------------------------------------------------


def child(marks_path: str, argv: list[str]) -> None:
    """Wait for the word, then be ``newswatch`` with ``argv``, noting when each phase ends.

    The phases are read off the running threads' stacks every 50 ms (no newswatch code is
    changed), and the first batch from the progress hook the command installs.
    """
    sys.stdin.readline()
    sys.path.pop(0)  # the benchmarks folder: not for newswatch
    marks: dict[str, float] = {"go": time.monotonic()}

    def save() -> None:
        Path(marks_path).write_text(json.dumps(marks))

    import newswatch.pipeline.progress as progress

    original = progress.progress_reporting
    done = [0]

    @contextlib.contextmanager
    def recording(hook):  # type: ignore[no-untyped-def]
        def both(files: int, total: int | None = None) -> None:
            if total is None:
                done[0] += files
                if done[0] >= 2000 and "first_batch" not in marks:
                    marks["first_batch"] = time.monotonic()
                    save()
            hook(files, total)

        with original(both):
            yield

    progress.progress_reporting = recording  # type: ignore[assignment]
    watched = {"ingest_run", "stream_report", "publish_report"}

    def phase_clock() -> None:
        present: set[str] = set()
        while True:
            now = time.monotonic()
            found = set()
            for frame in sys._current_frames().values():
                f = frame
                while f is not None:
                    if f.f_code.co_name in watched:
                        found.add(f.f_code.co_name)
                    f = f.f_back
            changed = False
            for name in found - present:
                marks.setdefault(name, now)
                changed = True
            for name in present - found:
                marks[f"{name}_end"] = now
                changed = True
            present = found
            if changed:
                save()
            time.sleep(0.05)

    threading.Thread(target=phase_clock, daemon=True).start()
    from newswatch.cli.app import main as newswatch_main

    sys.argv = ["newswatch", *argv]
    newswatch_main()


# --- the table ----------------------------------------------------------------------------------


def median_runs(runs: list[Run]) -> Run:
    merged = Run(runs[0].python)
    for name in {k for r in runs for k in r.stages}:
        merged.stages[name] = statistics.median(r.stages.get(name, 0.0) for r in runs)
    for name in {k for r in runs for k in r.phases}:
        merged.phases[name] = statistics.median(r.phases.get(name, 0.0) for r in runs)
    for r in runs:
        for stage, functions in r.by_stage.items():
            merged.by_stage[stage].update({k: v / len(runs) for k, v in functions.items()})
        merged.functions.update({k: v / len(runs) for k, v in r.functions.items()})
        merged.leaves.update({k: v / len(runs) for k, v in r.leaves.items()})
    merged.wall = statistics.median(r.wall for r in runs)
    merged.measured_cpu = statistics.median(r.measured_cpu for r in runs)
    merged.outcomes = runs[0].outcomes
    merged.files = runs[0].files
    return merged


def stored_before(
    corpus: Path,
    count: int,
    pythons: list[str],
    work: Path,
    api: str,
    kept: Path | None = None,
) -> tuple[Path, list[Path | None]]:
    """A folder whose first ``count`` files each interpreter's newswatch has ingested
    through the flow (unprofiled; its reports store their diffs, as a run's do) into a
    database of its own, and which then holds the rest of ``corpus`` too, as hard links:
    the folder and the databases to profile. With ``kept`` (a database file), every
    interpreter starts from that one, built by the first if it is not there yet: filling
    100,000 files takes minutes, and versions that store the same results fill it alike."""
    files = sorted(corpus.rglob("*.txt"))
    # A kept database records its files' paths: its folder is kept beside it.
    folder = work / "articles" if kept is None else kept.with_name(f"{kept.stem}-articles")
    if kept is not None and kept.exists() and folder.is_dir():
        return folder, [kept for _ in pythons]
    if kept is not None:
        shutil.rmtree(folder, ignore_errors=True)
        kept.unlink(missing_ok=True)

    def link(paths: list[Path]) -> None:
        for path in paths:
            target = folder / path.relative_to(corpus)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, target)

    link(files[:count])
    databases: list[Path | None] = []
    for index, python in enumerate(pythons[:1] if kept is not None else pythons):
        database = kept if kept is not None else work / f"stored-{index}.db"
        subprocess.run(
            [
                python,
                "-c",
                "import sys; from flows.ingest import ingest_flow; "
                "ingest_flow(sys.argv[1], sys.argv[2])",
                str(folder),
                f"sqlite:///{database}",
            ],
            check=True,
            cwd=work,
            capture_output=True,
            env={
                **os.environ,
                "PREFECT_API_URL": api,
                "PREFECT_LOGGING_LEVEL": "WARNING",
                "NEWSWATCH_SETTLE_SECONDS": "0",
                "NEWSWATCH_REPORTS_DIR": str(work / f"stored-{index}-reports"),
            },
        )
        databases.append(database)
    link(files[count:])
    if kept is not None:
        return folder, [kept for _ in pythons]
    return folder, databases


def datasketch_cpu(folder: Path) -> float:
    """CPU seconds of ``scale.py``'s datasketch pass over ``folder``, in a process of its own."""
    process = subprocess.Popen(
        [sys.executable, str(HERE / "scale.py"), "--datasketch-only", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    _, _, usage = os.wait4(process.pid, 0)
    return usage.ru_utime + usage.ru_stime


def print_tables(
    labels: list[str], groups: list[list[Run]], n: int, datasketch: list[float], detail: bool
) -> None:
    merged = [median_runs(g) for g in groups]
    width = 44
    head = "".join(f"{label:>14}" for label in labels)
    print(f"\nCPU µs an article, all processes (median of {len(groups[0])} run(s) each)")
    print(f"  {'stage':<{width}}{head}")
    order = sorted(
        {k for m in merged for k in m.stages},
        key=lambda k: -max(m.stages.get(k, 0) for m in merged),
    )
    for name in order:
        cells = "".join(f"{m.stages.get(name, 0.0) / n * 1e6:>14,.0f}" for m in merged)
        print(f"  {name:<{width}}{cells}")
    cells = "".join(f"{m.measured_cpu / n * 1e6:>14,.0f}" for m in merged)
    print(f"  {'all CPU, measured (every process, server)':<{width}}{cells}")
    if datasketch:
        ds = statistics.median(datasketch) / n
        cells = "".join(f"{m.measured_cpu / n / ds:>14.2f}" for m in merged)
        print(f"  {'  / datasketch MinHash + LSH':<{width}}{cells}")
        each = ", ".join(f"{d / n * 1e6:,.0f}" for d in datasketch)
        print(f"  datasketch MinHash(128) + MinHashLSH, one process: CPU µs an article {each}")
    for label, group in zip(labels, groups, strict=True):
        totals = ", ".join(f"{r.measured_cpu / n * 1e6:,.0f}" for r in group)
        walls = ", ".join(f"{r.wall:.1f}" for r in group)
        print(f"  {label}: each run's CPU µs an article {totals}; wall s {walls}")
    if detail:
        print("\nthe functions in each stage, µs an article")
        for name in order[:16]:
            for label, m in zip(labels, merged, strict=True):
                parts = m.by_stage.get(name, Counter()).most_common(4)
                listed = "; ".join(f"{f} {v / n * 1e6:,.0f}" for f, v in parts)
                print(f"  {name} [{label}]: {listed}")
    print("\nwall seconds per phase")
    print(f"  {'phase':<{width}}{head}")
    for name, _, _ in PHASES:
        cells = "".join(f"{m.phases.get(name, float('nan')):>14.2f}" for m in merged)
        print(f"  {name:<{width}}{cells}")
    cells = "".join(f"{m.wall:>14.2f}" for m in merged)
    print(f"  {'the whole command':<{width}}{cells}")
    for title, attr in (
        ("newswatch functions, library time they called included", "functions"),
        ("leaf functions (self time)", "leaves"),
    ):
        for label, m in zip(labels, merged, strict=True):
            print(f"\ntop {title}, µs an article: {label}")
            for name, value in getattr(m, attr).most_common(14):
                print(f"  {value / n * 1e6:>8,.1f}  {name}")
    print()
    for label, m in zip(labels, merged, strict=True):
        print(f"outcomes {label}: {m.outcomes}")


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[4:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="files to ingest (profiled)")
    parser.add_argument(
        "--stored",
        type=int,
        default=0,
        help="files ingested before, unprofiled: the cost of N more files at this size",
    )
    parser.add_argument(
        "--keep-stored",
        type=Path,
        help="with --stored: the filled database to start every run from, kept between "
        "invocations (filled by the first --python if absent)",
    )
    parser.add_argument("--mixed", action="store_true", help="scale.py's --mixed corpus")
    parser.add_argument(
        "--python",
        action="append",
        help="an interpreter whose newswatch to profile (repeatable; default: this one)",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs per interpreter, alternating")
    parser.add_argument(
        "--skip-datasketch", action="store_true", help="no datasketch pass between runs"
    )
    parser.add_argument("--detail", action="store_true", help="the top functions of each stage")
    parser.add_argument("--save", type=Path, help="write every run's figures to this JSON file")
    parser.add_argument(
        "--rate", type=int, default=100, help="py-spy samples a second (0: no py-spy)"
    )
    args = parser.parse_args()
    if not SHARED.is_dir():
        print(f"skipped: the BBC corpus is not at {SHARED} (benchmarks read ../shared/corpus)")
        return 0
    if not Path(sys.executable).with_name("py-spy").exists():
        print("skipped: py-spy is not installed in this venv (pip install py-spy)")
        return 0
    sys.path.insert(0, str(HERE))
    import scale  # type: ignore[import-not-found]

    total = args.stored + args.n
    folder = HERE / "out" / f"scale-{'mixed-' if args.mixed else ''}{total}"
    subprocess.run(
        [sys.executable, str(HERE / "scale.py"), "--n", str(total), "--build-only", str(folder)]
        + (["--mixed"] if args.mixed else []),
        check=True,
        capture_output=True,
    )
    pythons = [os.path.abspath(p) for p in args.python or [sys.executable]]
    labels = [Path(p).absolute().parents[2].name or p for p in pythons]
    if len(set(labels)) < len(labels):
        labels = [f"{chr(65 + i)}" for i in range(len(pythons))]
    # A profile stopped with SIGTERM still stops its server and removes its folder.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    work = Path(tempfile.mkdtemp(prefix="newswatch-profile-", dir=HERE / "out"))
    stored: list[Path | None] = [None for _ in pythons]
    server, api = scale.start_prefect_server(work / "prefect")
    groups: list[list[Run]] = [[] for _ in pythons]
    datasketch: list[float] = []
    try:
        if args.stored:
            folder, stored = stored_before(
                folder, args.stored, pythons, work, api, args.keep_stored
            )
            args.skip_datasketch = True  # its pass is over the whole folder
        for path in folder.rglob("*.txt"):  # in the page cache: no run reads from the disk
            path.read_bytes()
        for repeat in range(args.repeat):
            if not args.skip_datasketch:
                datasketch.append(datasketch_cpu(folder))
            for index, python in enumerate(pythons):
                run = profile_once(
                    python,
                    folder,
                    api,
                    work / f"run-{repeat}-{index}",
                    args.rate,
                    server.pid,
                    stored[index],
                )
                groups[index].append(run)
                print(
                    f"run {repeat + 1} {labels[index]}: {run.wall:.1f} s, "
                    f"{run.measured_cpu / max(1, run.files) * 1e6:,.0f} µs CPU an article, "
                    f"{run.outcomes}",
                    flush=True,
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    n = groups[0][0].files or args.n
    into = f"SQLite holding {args.stored:,} files before" if args.stored else "fresh SQLite"
    print(
        f"\nnewswatch profile: `newswatch ingest` of {n:,} files (scale.py's corpus, "
        f"{'mixed' if args.mixed else 'BBC'}), {into}, Prefect server up, "
        f"{os.cpu_count()} cores, py-spy {args.rate} Hz"
    )
    for label, python in zip(labels, pythons, strict=True):
        print(f"  {label}: {python}")
    print_tables(labels, groups, n, datasketch, args.detail)
    if args.save:
        args.save.write_text(
            json.dumps(
                {
                    "n": n,
                    "datasketch_cpu": datasketch,
                    "runs": {
                        label: [
                            {
                                "stages": r.stages,
                                "phases": r.phases,
                                "wall": r.wall,
                                "cpu": r.measured_cpu,
                                "outcomes": r.outcomes,
                                "by_stage": {k: dict(v) for k, v in r.by_stage.items()},
                            }
                            for r in group
                        ]
                        for label, group in zip(labels, groups, strict=True)
                    },
                },
                indent=1,
            )
        )
    if len({json.dumps(g[0].outcomes, sort_keys=True) for g in groups}) > 1:
        print("OUTCOMES DIFFER between interpreters")
    return 0


if __name__ == "__main__":
    sys.exit(main())

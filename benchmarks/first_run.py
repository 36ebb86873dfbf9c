"""A new user's first run, on a loaded machine, and how fast a no-change run answers.

1. Clones this repository into a temporary folder and gives it a new, empty home folder
   (so ``PREFECT_HOME`` is a new user's ``~/.prefect``, with no Prefect setting changed).
2. Starts two CPU-bound processes, then runs the README's quick-start command twice: the
   first must report 1 ``new``, the second 1 ``unchanged``. Prints both times.
3. Stops the burners and times ``python -c "import prefect"`` against a no-change
   ``newswatch ingest seeds/`` (against the server the quick start left running), back to
   back, several times each; the no-change run should take at most twice as long.
4. Times each bad database input of the README's errors table and counts its lines.
5. Checks the clone's checkout is clean, stops the server the quick start started and
   removes every temporary folder, whatever happened.

    .venv/bin/python benchmarks/first_run.py [--rounds 7] [--skip-load]
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _quick_start_command() -> str:
    """The README's quick-start command, exactly as written there."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Quick start") :]
    return re.search(r"```bash\n(.+?)\n```", section, re.DOTALL).group(1).strip()  # type: ignore[union-attr]


def _environment(home: Path) -> dict[str, str]:
    """A new user's environment: a fresh home, no Prefect or newswatch setting, no venv."""
    keep = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PREFECT_", "NEWSWATCH_")) and key not in ("VIRTUAL_ENV",)
    }
    venv_bin = str(Path(sys.executable).parent)
    keep["PATH"] = os.pathsep.join(
        part for part in keep.get("PATH", "").split(os.pathsep) if part != venv_bin
    )
    keep["HOME"] = str(home)
    return keep


def _timed(
    command: list[str] | str, cwd: Path, env: dict[str, str]
) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    done = subprocess.run(
        command,
        cwd=cwd,
        env=env,
        shell=isinstance(command, str),
        capture_output=True,
        text=True,
        timeout=1800,
    )
    return time.perf_counter() - started, done


def _count(outcome: str, summary: str) -> int | None:
    found = re.search(rf"^\s*{outcome}\s*│\s*(\d+)", summary, re.MULTILINE)
    return int(found.group(1)) if found else None


def _burners(count: int) -> list[subprocess.Popen[bytes]]:
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7, help="back-to-back timing rounds")
    parser.add_argument("--skip-load", action="store_true", help="no CPU burners")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="newswatch-first-run-"))
    clone, home = workdir / "newswatch", workdir / "home"
    home.mkdir()
    env = _environment(home)
    burners: list[subprocess.Popen[bytes]] = []
    ok = True
    try:
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        command = _quick_start_command()
        print(f"clone: {clone}\nquick start: {command}")

        burners = [] if args.skip_load else _burners(2)
        print(f"load: {len(burners)} CPU-bound processes beside it ({os.cpu_count()} cores)")
        for attempt, expected in ((1, "new"), (2, "unchanged")):
            seconds, done = _timed(command, clone, env)
            count = _count(expected, done.stdout)
            passed = done.returncode == 0 and count == 1
            ok &= passed
            print(
                f"quick start #{attempt}: {seconds:6.1f} s, exit {done.returncode}, "
                f"{expected} = {count} -> {'ok' if passed else 'FAILED'}"
            )
            for line in done.stderr.splitlines():
                if "Prefect server" in line or "error" in line.lower():
                    print(f"    {line.strip()}")
            if not passed:
                print(done.stdout[-2000:], done.stderr[-3000:], sep="\n")
                return 1
        for burner in burners:
            burner.kill()
            burner.wait()
        burners = []

        python = clone / ".venv" / "bin" / "python"
        newswatch = clone / ".venv" / "bin" / "newswatch"
        imports, ingests = [], []
        for _ in range(args.rounds):
            imports.append(_timed([str(python), "-c", "import prefect"], clone, env)[0])
            seconds, done = _timed([str(newswatch), "ingest", "seeds/"], clone, env)
            ok &= done.returncode == 0 and _count("unchanged", done.stdout) == 1
            ingests.append(seconds)
        ratio = statistics.median(ingests) / statistics.median(imports)
        others = ", ".join(f"{load:.2f}" for load in os.getloadavg())
        print(
            f"no load of ours (load average {others}), {args.rounds} rounds back to back:\n"
            f"  python -c 'import prefect'  median {statistics.median(imports):.2f} s "
            f"({', '.join(f'{s:.2f}' for s in imports)})\n"
            f"  newswatch ingest seeds/     median {statistics.median(ingests):.2f} s "
            f"({', '.join(f'{s:.2f}' for s in ingests)})\n"
            f"  ratio {ratio:.2f} (goal: at most 2.00) -> {'ok' if ratio <= 2 else 'OVER'}"
        )
        ok &= ratio <= 2

        print("bad inputs (exit status, lines, seconds):")
        secret = "s3cret-pw"
        for arguments in (
            ["ingest", "seeds/", "--database-url", "foo://x"],
            ["ingest", "seeds/", "--database-url", "not a url"],
            ["ingest", "seeds/", "--database-url", f"postgresql+pg8000://u:{secret}@h/d"],
            [
                "ingest",
                "seeds/",
                "--database-url",
                f"postgresql+psycopg://u:{secret}@127.0.0.1:9/d",
            ],
            [
                "history",
                "1",
                "--database-url",
                f"postgresql+psycopg://u:{secret}@no-host.invalid/d",
            ],
            ["history", "1", "--database-url", "sqlite:///typo.db"],
            ["diff", "1", "--database-url", "sqlite:///typo.db"],
        ):
            seconds, done = _timed([str(newswatch), *arguments], clone, env)
            output = (done.stdout + done.stderr).strip()
            lines = len(output.splitlines())
            clean = (
                done.returncode == 2
                and lines <= 5
                and seconds < 10
                and "Traceback" not in output
                and secret not in output
            )
            ok &= clean
            print(
                f"  {done.returncode} {lines} {seconds:4.1f}s {shlex.join(arguments)}: {output[:110]}"
            )
        ok &= not (clone / "typo.db").exists()

        status = subprocess.run(
            ["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True, check=True
        ).stdout
        print(f"checkout after the quick start: {status or 'clean'}")
        ok &= not status
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()
        newswatch = clone / ".venv" / "bin" / "newswatch"
        if newswatch.exists():
            stopped = subprocess.run(
                [str(newswatch), "server", "stop"],
                cwd=clone,
                env=env,
                capture_output=True,
                text=True,
            )
            print(f"cleanup: {stopped.stdout.strip() or stopped.stderr.strip()}")
        shutil.rmtree(workdir, ignore_errors=True)
        print(f"cleanup: removed {workdir}")
    print("result:", "ok" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

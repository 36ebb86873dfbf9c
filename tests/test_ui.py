"""The Prefect UI, headless: an edited article's artifact page shows its diff, and only as text.

Needs Chromium (Debian package ``chromium``); skips, saying so, where it is missing. Starts
its own ``prefect server start`` (the UI is part of it) on a free loopback port.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.articles import Article, bump_mtime

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.prefect,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="Chromium is not installed (Debian package 'chromium'): the UI test needs a "
        "headless browser to render the Prefect UI's artifact page",
    ),
]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def ui_server(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_API_URL": api,
        "PREFECT_SERVER_UI_API_URL": api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
    }
    server = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{api}/health", timeout=2):
                    break
            except OSError:
                assert server.poll() is None, "prefect server exited"
                assert time.monotonic() < deadline, "prefect server not healthy in 90 s"
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}", env
    finally:
        server.terminate()
        server.wait(timeout=30)


def _ingest(folder: Path, database: Path, env: dict[str, str]) -> None:
    done = subprocess.run(
        [str(BIN / "newswatch"), "ingest", str(folder), "--database-url", f"sqlite:///{database}"],
        env={**env, "NEWSWATCH_REPORTS_DIR": str(database.parent / "reports")},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr


def test_the_artifact_page_in_the_prefect_ui_shows_the_diff_as_text(
    ui_server: tuple[str, dict[str, str]], watched: Path, tmp_path: Path
) -> None:
    base, env = ui_server
    database = tmp_path / "ui.db"
    Article.sample().write(watched, "putin.txt")
    _ingest(watched, database, env)
    hostile = '<img src=x onerror="document.title=1"> [click](http://evil.example)'
    Article.sample().but(
        paragraphs=[p.replace("25 people", "27 people") for p in Article.sample().paragraphs]
        + [f"Readers wrote {hostile} below the story."]
    ).write(watched, "putin.txt")
    bump_mtime(watched / "putin.txt")
    _ingest(watched, database, env)

    request = urllib.request.Request(
        f"{base}/api/artifacts/latest/filter",
        data=json.dumps({"artifacts": {"key": {"any_": ["article-1"]}}}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        (artifact,) = json.load(response)
    page = f"{base}/artifacts/artifact/{artifact['latest_id']}"
    dom = ""
    for _ in range(3):  # the UI is a single-page app: give it time to fetch and render
        dom = subprocess.run(
            [
                str(CHROMIUM),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--virtual-time-budget=20000",
                "--dump-dom",
                page,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout
        if "people dead" in dom:
            break
    assert "Article 1: version 1 → 2" in dom
    assert "25 → 27" in dom and "people dead" in dom
    # The UI's renderer marks struck-through and bold words with these classes.
    assert 'markdown-renderer__text--del">25<' in dom
    assert 'markdown-renderer__text--strong">27<' in dom
    # The hostile text is shown, not obeyed: no image element, no link to it.
    assert "onerror=" in dom.replace("&quot;", '"')
    assert '<img src="x"' not in dom and 'href="http://evil.example' not in dom

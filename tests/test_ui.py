"""The Prefect UI, headless: an edited article's artifact page shows its diff, and only as text.

Needs Chromium (Debian package ``chromium``); skips, saying so, where it is missing. Starts
its own ``prefect server start`` (the UI is part of it) on a free loopback port.
"""

from __future__ import annotations

import base64
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.articles import Article, bump_mtime
from tests.browser import dom, needs_chromium, png_size, screenshot

pytestmark = [pytest.mark.prefect, needs_chromium]
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
    # The CLI's own logging settings, not the test session's: its run log must reach the UI.
    cli_env = {k: v for k, v in env.items() if not k.startswith("PREFECT_LOGGING_")}
    done = subprocess.run(
        [str(BIN / "newswatch"), "ingest", str(folder), "--database-url", f"sqlite:///{database}"],
        env={**cli_env, "NEWSWATCH_REPORTS_DIR": str(database.parent / "reports")},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr


def _api(base: str, path: str, body: dict) -> list[dict]:  # type: ignore[type-arg]
    request = urllib.request.Request(
        f"{base}/api/{path}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return list(json.load(response))


HOSTILE = (
    '<img src=x onerror="document.title=1"> [click](http://evil.example/a) '
    "<https://evil.example/b> ![x](https://evil.example/c.png) https://evil.example/d "
    "www.evil.example bob@evil.example"
)
TIMELINE = "data:image/svg+xml;base64,"
UIS = {"default": "", "V2": "/v2"}  # the V2 UI ("Switch to V2 UI") lives under /v2


def _links_and_images(dom: str) -> tuple[list[str], list[str]]:
    return re.findall(r'<a [^>]*href="([^"]*)"', dom), re.findall(r'<img [^>]*src="([^"]*)"', dom)


def test_both_prefect_uis_show_reports_as_text_with_links_only_to_artifact_pages(
    ui_server: tuple[str, dict[str, str]], watched: Path, tmp_path: Path
) -> None:
    base, env = ui_server
    database = tmp_path / "ui.db"
    Article.sample().write(watched, "putin.txt")
    Article.other().write(watched, "games.txt")
    _ingest(watched, database, env)
    Article.sample().but(
        paragraphs=[p.replace("25 people", "27 people") for p in Article.sample().paragraphs]
        + [f"Readers wrote {HOSTILE} below the story."]
    ).write(watched, "putin.txt")
    bump_mtime(watched / "putin.txt")
    Article.other().from_outlet("Reuters").but(
        paragraphs=[*Article.other().paragraphs, f"Comments: {HOSTILE}"]
    ).write(watched, "wire.txt")
    _ingest(watched, database, env)

    latest = {
        a["key"]: a
        for a in _api(base, "artifacts/latest/filter", {"artifacts": {"key": {"like_": "%"}}})
    }
    described = {a["description"]: key for key, a in latest.items()}
    edit_key = next(k for d, k in described.items() if "SYRIA CONFLICT" in d)
    # Findable: the run is named, the Logs tab tells the story (the CLI's own log settings).
    (run,) = _api(base, "flow_runs/filter", {"flow_runs": {"name": {"like_": "newswatch run 2:%"}}})
    # The copy's page and its original's share one unkeyed artifact of the run.
    (group,) = [
        a
        for a in _api(
            base, "artifacts/filter", {"artifacts": {"flow_run_id": {"any_": [run["id"]]}}}
        )
        if a["type"] == "markdown" and not a["key"]
    ]
    assert (
        group["description"].startswith("Reuters") and "spread to Reuters" in group["description"]
    )
    assert run["name"] == f"newswatch run 2: {watched.resolve()}"
    logs = [
        log["message"]
        for log in _api(base, "logs/filter", {"logs": {"flow_run_id": {"any_": [run["id"]]}}})
    ]
    edit_page = f"{base}/artifacts/artifact/{latest[edit_key]['latest_id']}"
    assert any(
        m.startswith('edited: BBC: "SYRIA CONFLICT')
        and "25 → 27 people dead" in m
        and m.endswith(edit_page)
        for m in logs
    ), logs
    assert any(m.startswith("syndicated copy: Reuters: ") for m in logs), logs

    pages = {
        "article": (latest[edit_key]["latest_id"], "people dead"),
        "original": (group["id"], "Where this story spread"),
        "copy": (group["id"], "a syndicated copy of article"),
        "summary": (latest["newswatch-run-summary"]["latest_id"], "Syndicated copies"),
    }
    for ui, prefix in UIS.items():
        doms = {
            name: dom(f"{base}{prefix}/artifacts/artifact/{artifact_id}", ready)
            for name, (artifact_id, ready) in pages.items()
        }
        for name, page in doms.items():
            assert pages[name][1] in page, (ui, name)
            links, images = _links_and_images(page)
            # Nothing from article text became a link or an image: the report's only links
            # are ours, to artifact pages; the rest are the UI's navigation and Prefect's site.
            foreign = [
                h
                for h in links
                if not h.startswith(
                    ("/", "../../artifacts/key/article-", "../../artifacts/artifact/")
                )
                and not re.match(r"https://(www\.)?prefect\.io/", h)
            ]
            assert not foreign, (ui, name, foreign)
            # The only images are the stories' pictures, made here, holding text only.
            assert all(i.startswith(TIMELINE) for i in images), (ui, name, images)
            for image in images:
                svg = base64.b64decode(image.removeprefix(TIMELINE)).decode()
                assert ElementTree.fromstring(svg).tag.endswith("svg") and "<script" not in svg
            assert (
                'onerror="document.title=1"' not in page.replace("&quot;", '"').split("onerror=")[0]
            )
        article, summary = doms["article"], doms["summary"]
        # Each story's picture: an image both UIs render (inline SVG they would drop).
        for name in ("article", "copy", "original"):
            assert f'src="{TIMELINE}' in doms[name], (ui, name)
        assert TIMELINE not in summary
        shot = screenshot(
            f"{base}{prefix}/artifacts/artifact/{pages['article'][0]}",
            tmp_path / f"prefect-{ui.lower()}-ui-article-page.png",
        )
        assert png_size(shot) == (1400, 1600)
        assert "25 → 27" in article, ui
        struck = 'markdown-renderer__text--del">25<' if ui == "default" else "<del>25</del>"
        assert struck in article, ui
        # The hostile text is there to read, as text.
        assert "onerror=" in article.replace("&quot;", '"'), ui
        # Links go to this run's pages of the articles: an edit's, and its history; a
        # copy's, the artifact that holds it.
        assert f'href="../../artifacts/artifact/{latest[edit_key]["latest_id"]}"' in summary, ui
        assert f'href="../../artifacts/key/{edit_key}"' in summary, ui
        assert f'href="../../artifacts/artifact/{group["id"]}"' in summary, ui
        assert "Reuters, first seen" in doms["original"] and " UTC" in doms["original"], ui

"""Headless Chromium for the tests that look at pages: a page's DOM once rendered, and a
screenshot of it. Tests that need it skip, saying why, where Chromium is not installed.

Screenshots go to the test's temporary folder; with ``NEWSWATCH_TEST_SCREENSHOTS`` set they
are also copied there, for a person to look at.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (Debian package 'chromium'): this test renders pages "
    "in a headless browser",
)
_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--virtual-time-budget=20000",
]


def dom(page: str, ready: str, size: str = "1400,2400") -> str:
    """The page's DOM once a single-page app has fetched and rendered ``ready``."""
    found = ""
    for _ in range(3):
        found = subprocess.run(
            [str(CHROMIUM), *_FLAGS, f"--window-size={size}", "--dump-dom", page],
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout
        if ready in found:
            break
    return found


def screenshot(page: str, path: Path, size: str = "1400,1600") -> Path:
    """A PNG of the page (a single-page app gets its virtual time to render first)."""
    subprocess.run(
        [str(CHROMIUM), *_FLAGS, f"--window-size={size}", f"--screenshot={path}", page],
        capture_output=True,
        timeout=120,
    )
    assert path.is_file() and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", path
    if folder := os.environ.get("NEWSWATCH_TEST_SCREENSHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(folder) / path.name)
    return path


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the PNG's header."""
    header = path.read_bytes()[16:24]
    return int.from_bytes(header[:4], "big"), int.from_bytes(header[4:], "big")

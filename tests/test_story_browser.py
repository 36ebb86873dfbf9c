"""`newswatch story --format html` in headless Chromium, for stories of 1, 3 and 40 versions:
the picture renders inline, with a mark per version, and fits the page."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, update
from typer.testing import CliRunner

from newswatch.cli.app import app
from newswatch.store.schema import articles, sightings, versions
from tests.articles import Article, bump_mtime
from tests.browser import dom, needs_chromium, png_size, screenshot
from tests.stories import ingest as _ingest
from tests.stories import seed_story, story_versions

pytestmark = needs_chromium


def _spread_over_two_days(url: str) -> None:
    """Runs in a test follow each other within milliseconds; a newsroom's edits come over
    hours. Give article 1's versions, its revert and its copies such times, so the picture
    shows what a reader would see (bursts, quiet spells, a second day)."""
    rng = random.Random(4)
    at = datetime(2016, 10, 13, 8, 5, tzinfo=UTC)
    engine = create_engine(url)
    with engine.begin() as conn:
        numbers = conn.execute(
            select(versions.c.id).where(versions.c.article_id == 1).order_by(versions.c.number)
        ).scalars()
        for version_id in list(numbers):
            conn.execute(
                update(versions).where(versions.c.id == version_id).values(first_seen_at=at)
            )
            at += timedelta(minutes=rng.choice([3, 7, 12, 25, 40, 90, 180]))
        conn.execute(update(sightings).where(sightings.c.reverted).values(seen_at=at))
        copies = conn.execute(select(articles.c.id).where(articles.c.near_duplicate_of == 1))
        for index, copy_id in enumerate(list(copies.scalars())):
            seen = datetime(2016, 10, 13, 9, 0, tzinfo=UTC) + timedelta(hours=5 * index)
            conn.execute(
                update(articles).where(articles.c.id == copy_id).values(first_seen_at=seen)
            )
    engine.dispose()


def _forty(watched: Path, url: str) -> None:
    """Forty versions, a revert, and copies by three outlets of three different versions."""
    texts = story_versions(40)
    for number, version in enumerate(texts, 1):
        version.write(watched, "putin.txt")
        bump_mtime(watched / "putin.txt", 10 * number)
        _ingest(watched, url)
    for outlet, source in (("Reuters", 1), ("AP", 20), ("Anadolu Ajansı", 39)):
        Article.sample().from_outlet(outlet).but(
            paragraphs=[*texts[source].paragraphs, f"{outlet} contributed to this report."]
        ).write(watched, f"{outlet}.txt")
        _ingest(watched, url)
    texts[37].write(watched, "putin.txt")  # back to version 38: a revert
    bump_mtime(watched / "putin.txt", 500)
    _ingest(watched, url)


def _one(watched: Path, url: str) -> None:
    Article.sample().write(watched, "putin.txt")
    _ingest(watched, url)


@pytest.mark.parametrize(("versions_wanted", "build"), [(1, _one), (3, seed_story), (40, _forty)])
def test_the_story_page_renders_its_picture_in_a_browser(
    versions_wanted: int,
    build,
    watched: Path,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    url = f"sqlite:///{tmp_path / 'story.db'}"
    build(watched, url)
    _spread_over_two_days(url)
    result = CliRunner().invoke(app, ["story", "1", "--format", "html", "--database-url", url])
    assert result.exit_code == 0, result.output
    page = tmp_path / f"story-{versions_wanted}-versions.html"
    page.write_text(result.stdout, encoding="utf-8")
    rendered = dom(page.as_uri(), "</svg>")
    # Chromium parsed the picture as SVG: its marks are elements, each with its tooltip.
    assert rendered.count("<title>Version ") == versions_wanted
    assert "first seen (UTC)" in rendered and "<script" not in rendered
    if versions_wanted > 1:
        assert rendered.count("copy (article ") >= 1
    shot = screenshot(page.as_uri(), tmp_path / f"story-{versions_wanted}-versions.png")
    assert png_size(shot) == (1400, 1600)

"""Stories written by code and ingested: the seed's story (three versions and another
outlet's copy), and a story of many versions with every kind of edit, each distinct."""

from __future__ import annotations

import re
from pathlib import Path

from newswatch.models import RunSummary
from newswatch.pipeline.run import run
from newswatch.settings import get_settings
from tests.articles import UPDATE_PARAGRAPHS, Article, bump_mtime

_TOLL = re.compile(r"a total of \d+ people dead")
_QUOTE = re.compile(r'"rhetoric[^"]*"')


def story_versions(count: int) -> list[Article]:
    """``count`` versions of the sample: by turns a number, a quote, the headline or a
    paragraph changes, so every kind of mark appears and no two versions are equal."""
    versions = [Article.sample()]
    for number in range(2, count + 1):
        last = versions[-1]
        turn = number % 4
        if turn == 0:
            changed = last.but(
                paragraphs=[
                    _TOLL.sub(f"a total of {25 + number} people dead", p) for p in last.paragraphs
                ]
            )
        elif turn == 1:
            extra = UPDATE_PARAGRAPHS[number % len(UPDATE_PARAGRAPHS)]
            changed = last.but(paragraphs=[*last.paragraphs, f"Update {number}: {extra}"])
        elif turn == 2:
            changed = last.but(headline=f"SYRIA CONFLICT: ALEPPO UPDATE {number}")
        else:
            changed = last.but(
                paragraphs=[_QUOTE.sub(f'"rhetoric, number {number}"', p) for p in last.paragraphs]
            )
        versions.append(changed)
    return versions


def ingest(watched: Path, url: str) -> RunSummary:
    """One run over the folder, without Prefect."""
    return run(get_settings(watch_dir=watched, database_url=url, workers=1))


def seed_story(watched: Path, url: str) -> RunSummary:
    """The seed's article in three versions (25 → 27 people dead, then a quote changed),
    and Reuters' copy of its second version. Returns the last run's summary."""
    first = Article.sample()
    first.write(watched, "putin.txt")
    ingest(watched, url)
    second = first.but(paragraphs=[p.replace("25 people", "27 people") for p in first.paragraphs])
    second.write(watched, "putin.txt")
    bump_mtime(watched / "putin.txt")
    ingest(watched, url)
    third = second.but(
        paragraphs=[p.replace('"rhetoric"', '"pure rhetoric"') for p in second.paragraphs]
    )
    third.write(watched, "putin.txt")
    bump_mtime(watched / "putin.txt", 20)
    first.from_outlet("Reuters").but(
        paragraphs=[*second.paragraphs, "Reuters contributed to this report."]
    ).write(watched, "wire.txt")
    return ingest(watched, url)

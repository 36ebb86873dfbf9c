"""The stories a run's report draws: of every article it edited and every original it found
copied, with the edits diffed on the way, and their pictures for the Prefect UI."""

from __future__ import annotations

from collections.abc import Mapping

from newswatch.changes.diff import VersionDiff
from newswatch.models import Edit
from newswatch.report.model import ChangeReport
from newswatch.store import Store
from newswatch.story.build import Known, read_stories
from newswatch.story.model import Story
from newswatch.story.page import picture_markdown


def known_diffs(report: ChangeReport) -> dict[tuple[int, int, int], VersionDiff]:
    """The diffs a run's report has just made between consecutive versions."""
    return {
        (c.article_id, c.from_version, c.to_version): c.diff
        for c in report.edits
        if c.to_version == c.from_version + 1
    }


def report_stories(
    report: ChangeReport, store: Store, known: Known | None = None
) -> tuple[dict[int, Story], list[Edit]]:
    """The story of every article the run edited, and of every original it found copied;
    and the edits diffed on the way that ``edits`` lacks (the flow stores them)."""
    wanted = {c.article_id for c in report.edits}
    wanted |= {n.copies_article_id for n in report.near_duplicates}
    stories, unstored = {}, []
    for story, edits in read_stories(store, wanted, known):
        stories[story.article_id] = story
        unstored += edits
    return stories, unstored


def report_pictures(
    report: ChangeReport, stories: Mapping[int, Story], limit: int | None = None
) -> dict[int, list[str]]:
    """The pictures of the stories whose pages a run publishes (``limit`` edits and copies,
    as ``markdown.article_pages`` caps them), by article id."""
    edits = report.edits[:limit] if limit is not None else report.edits
    copies = report.near_duplicates[:limit] if limit is not None else report.near_duplicates
    wanted = {c.article_id for c in edits} | {n.copies_article_id for n in copies}
    return {i: picture_markdown(stories[i]) for i in sorted(wanted) if i in stories}

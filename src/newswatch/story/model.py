"""A story's life as data: every version of one article with what changed in it, its
reverts, and its copies by other outlets.

:class:`Story` is what ``newswatch story --format json`` prints, and what the time line
(``timeline``) draws; ``build`` makes one from the store's rows.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from newswatch.models import ChangeKind, Revert, VersionCounts


class StoryVersion(BaseModel):
    version: int
    first_seen: datetime
    headline: str = Field(description="The headline, or the first words of a text with none.")
    words: int
    changed: list[ChangeKind] = Field(
        default_factory=list,
        description="What changed from the version before: numbers, quotes, headline, or "
        "text only (empty for version 1).",
    )
    counts: VersionCounts | None = Field(default=None, description="None for version 1.")
    similarity_to_previous: float | None = None
    url: str | None = Field(default=None, description="The URL its text gave, if any.")


class StoryCopy(BaseModel):
    article_id: int
    outlet: str | None
    headline: str
    first_seen: datetime
    similarity: float | None
    version_copied: int | None = Field(description="The original's version it is most like.")


class Story(BaseModel):
    """One article's life: ``newswatch story --format json``."""

    article_id: int
    outlet: str | None
    headline: str
    copy_of: int | None = Field(description="The article this one copies, when it is a copy.")
    url: str | None = Field(default=None, description="The URL of its latest text that gave one.")
    versions: list[StoryVersion]
    reverts: list[Revert] = Field(default_factory=list)
    copies: list[StoryCopy] = Field(default_factory=list)

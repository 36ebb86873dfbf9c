"""A story's life as data: every version of one article with what changed in it, its
reverts, and its copies by other outlets.

:class:`Story` is what ``newswatch story --format json`` prints, and what the time line
(``timeline``) draws; ``build`` makes one from the store's rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

ChangeKind = Literal["numbers", "quotes", "headline", "text"]
KINDS: tuple[ChangeKind, ...] = ("numbers", "quotes", "headline", "text")
"""Most telling first: a version's mark takes the colour of the first kind it changed."""


class VersionCounts(BaseModel):
    """How much a version changed from the one before it."""

    numbers: int = Field(description="Numbers changed (25 → 27 people dead is one).")
    quotes: int = Field(description="Quotations added, removed or reworded.")
    headline: bool = Field(description="The headline changed.")
    sentences_added: int
    sentences_deleted: int
    sentences_updated: int
    sentences_moved: int

    @property
    def size(self) -> int:
        """Sentences that changed, and the headline: what a mark's size shows."""
        return (
            self.sentences_added
            + self.sentences_deleted
            + self.sentences_updated
            + self.sentences_moved
            + int(self.headline)
        )


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


class StoryRevert(BaseModel):
    """A text seen again that equals an earlier version (no new version is stored)."""

    seen_at: datetime
    from_version: int | None
    to_version: int
    path: str


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
    versions: list[StoryVersion]
    reverts: list[StoryRevert] = Field(default_factory=list)
    copies: list[StoryCopy] = Field(default_factory=list)

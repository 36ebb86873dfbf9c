"""An article's plain record: each version, when it was first seen, and every reading of a
file that showed it (``newswatch history``; ``--format json`` prints this model)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from newswatch.models import Sighting
from newswatch.store.rows import ArticleRow, VersionRow


class VersionHistory(BaseModel):
    version: int
    headline: str
    url: str | None = Field(description="The URL its text gave, if any.")
    first_seen_at: datetime
    similarity_to_previous: float | None
    sightings: list[Sighting] = Field(description="The readings that showed it, oldest first.")


class ArticleHistory(BaseModel):
    """``newswatch history --format json``."""

    article_id: int
    outlet: str | None
    current_version: int
    near_duplicate_of: int | None = Field(description="The article this one copies, if any.")
    versions: list[VersionHistory]


def article_history(
    article: ArticleRow, versions: list[VersionRow], seen: dict[int, list[Sighting]]
) -> ArticleHistory:
    """The record of an article from its stored rows (``Store.sightings_by_version``)."""
    return ArticleHistory(
        article_id=article.id,
        outlet=article.outlet,
        current_version=article.current_version,
        near_duplicate_of=article.near_duplicate_of,
        versions=[
            VersionHistory(
                version=v.number,
                headline=v.headline,
                url=v.source_url,
                first_seen_at=v.first_seen_at,
                similarity_to_previous=v.similarity_to_previous,
                sightings=seen.get(v.number, []),
            )
            for v in versions
        ],
    )

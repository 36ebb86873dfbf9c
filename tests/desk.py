"""Matching alone, no database: files decided one after another against an in-memory
catalog, as one batch decides its files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from newswatch.match.catalog import MemoryCatalog
from newswatch.match.fingerprint import fingerprint
from newswatch.match.rules import Thresholds, decide
from newswatch.models import Outcome
from newswatch.read.parse import parse
from tests.articles import Article


@dataclass
class Placed:
    outcome: Outcome
    article_id: int | None
    version: int | None
    matched_article_id: int | None
    reverted: bool
    reason: str | None


class Desk:
    """Matching alone: each file decided against what was placed before it, in memory."""

    def __init__(
        self, thresholds: Thresholds | None = None, catalog: MemoryCatalog | None = None
    ) -> None:
        self.catalog = catalog or MemoryCatalog()
        self.thresholds = thresholds or Thresholds()
        self.paths: dict[str, int] = {}
        self.placed = 0

    def file(self, name: str, article: Article | str, seen_at: datetime | None = None) -> Placed:
        """Decide a file; ``seen_at``: when it is first seen (the rewrite rule's window)."""
        raw = (article.text() if isinstance(article, Article) else article).encode()
        parsed = parse(raw)
        fp = fingerprint(parsed)
        verdict = decide(
            parsed,
            fp,
            self.catalog,
            path_article_id=self.paths.get(name),
            thresholds=self.thresholds,
            seen_at=seen_at,
        )
        placement = self.catalog.place(verdict, parsed, fp, self.placed, seen_at)
        self.placed += 1
        if placement.article_id is not None:
            self.paths[name] = placement.article_id
        return Placed(
            verdict.outcome,
            placement.article_id,
            placement.number,
            verdict.matched.article_id if verdict.matched else None,
            verdict.reverted,
            verdict.reason,
        )

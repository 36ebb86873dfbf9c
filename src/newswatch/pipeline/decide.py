"""What to do with each file of a batch, given the catalog: skip, touch, reject or match.

Deciding places each verdict in the catalog with placeholder ids, so a copy later in the
same batch finds the story an earlier file created. When other writers committed meanwhile,
:func:`recheck` decides again only the files their commits may change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum

from newswatch.match.catalog import MemoryCatalog, Placement
from newswatch.match.fingerprint import line_keys
from newswatch.match.identity import decide
from newswatch.match.rules import Thresholds, Verdict, host_named, plausible
from newswatch.models import KnownFile, Outcome
from newswatch.pipeline.prepare import Prepared, Refused
from newswatch.pipeline.progress import ProgressHook
from newswatch.store import Delta
from newswatch.times import utc_now


class Action(Enum):
    SKIP = "skip"
    """Stored by another run since this one planned: nothing to do."""
    TOUCH = "touch"
    """The same bytes with a new stat (a ``touch``, a copy): remember the stat. With a
    ``seen`` of another path, the file moved there (``batch.moved_files``): recorded at its
    new path as the same version."""
    REJECT = "reject"
    MATCH = "match"


@dataclass(slots=True)
class Decision:
    position: int
    item: Prepared | Refused
    seen: KnownFile | None
    action: Action
    verdict: Verdict | None = None
    placement: Placement | None = None

    def relies_on(self) -> set[int]:
        """Ids (stored or placeholder) of the articles and versions its verdict names."""
        verdict = self.verdict
        if verdict is None:
            return set()
        ids = {verdict.article_id, verdict.version_id}
        if verdict.matched is not None:
            ids |= {verdict.matched.article_id, verdict.matched.version_id}
        return {i for i in ids if i is not None}


def decide_file(
    position: int,
    item: Prepared | Refused,
    seen: KnownFile | None,
    catalog: MemoryCatalog,
    thresholds: Thresholds,
    seen_at: datetime | None = None,
) -> Decision:
    """What to do with one file, given its recorded state (or that of the file it was
    moved from) and the catalog; ``seen_at`` is when the batch reads it (the rewrite rule's
    window counts from it)."""
    file = item.file
    same_bytes = seen is not None and seen.raw_hash == item.raw_hash
    same_stat = seen is not None and (seen.path, seen.size, seen.mtime_ns) == (
        file.path,
        file.size,
        file.mtime_ns,
    )
    if same_bytes and same_stat:
        return Decision(position, item, seen, Action.SKIP)
    if same_bytes and seen and seen.path != file.path and seen.outcome is Outcome.REJECTED:
        return Decision(position, item, seen, Action.TOUCH)  # a refused file, moved
    if isinstance(item, Refused):
        return Decision(position, item, seen, Action.REJECT)
    if same_bytes and seen and seen.outcome != Outcome.REJECTED:
        return Decision(position, item, seen, Action.TOUCH)
    seen_at = item.article.seen_at or seen_at or utc_now()
    verdict = decide(
        item.article,
        item.fingerprint,
        catalog,
        path_article_id=seen.article_id if seen else None,
        thresholds=thresholds,
        seen_at=seen_at,
    )
    item = with_named_outlet(item, verdict)
    placement = catalog.place(verdict, item.article, item.fingerprint, position, seen_at)
    return Decision(position, item, seen, Action.MATCH, verdict, placement)


JOINS = (Outcome.EDITED, Outcome.DUPLICATE, Outcome.UNCHANGED)
"""Verdicts that make a text one of a known article."""


def with_named_outlet(item: Prepared, verdict: Verdict) -> Prepared:
    """A text whose outlet is only its host (news-please's JSON), joined to an article
    whose text names the site (a page's ``og:site_name``), under that name: one article
    of one outlet, whichever of the two was read first. Its line keys follow the outlet."""
    matched, article = verdict.matched, item.article
    if (
        verdict.outcome not in JOINS
        or matched is None
        or not matched.outlet
        or matched.outlet_key == article.outlet_key
        or not host_named(article.outlet_key, article.url)
        or host_named(matched.outlet_key, matched.url)
    ):
        return item
    named = article.model_copy(update={"outlet": matched.outlet, "outlet_key": matched.outlet_key})
    keys = line_keys(named.outlet_key, named.paragraphs)
    return replace(item, article=named, fingerprint=replace(item.fingerprint, line_keys=keys))


def decide_batch(
    prepared: Sequence[Prepared | Refused],
    known: dict[str, KnownFile],
    catalog: MemoryCatalog,
    thresholds: Thresholds,
    progress: ProgressHook | None = None,
) -> list[Decision]:
    decisions = []
    now = utc_now()
    for position, item in enumerate(prepared):
        decisions.append(
            decide_file(position, item, known.get(item.file.path), catalog, thresholds, now)
        )
        if progress is not None:
            progress(1)
    return decisions


def recheck(
    decisions: list[Decision],
    catalog: MemoryCatalog,
    known: dict[str, KnownFile],
    delta: Delta,
    thresholds: Thresholds,
) -> tuple[list[Decision], int]:
    """Decide again the files that what other writers committed (``delta``, already in the
    catalog) may change; keep every other decision. Returns the decisions and how many
    files were decided again.

    A file is decided again when its recorded state moved, when the delta holds its text,
    a version of its path's article or of the article it matched, or a version it shares
    enough passages with, and when it relied on a new article or version of this batch that
    was itself decided again.
    """
    catalog.drop_placed()
    now = utc_now()
    redone: set[int] = set()
    moved: set[int] = set()  # placeholders of files decided again
    out: list[Decision] = []
    for old in decisions:
        item, path = old.item, old.item.file.path
        seen = known.get(path)
        if seen != old.seen or _touched(old, delta, catalog, thresholds) or old.relies_on() & moved:
            new = decide_file(old.position, item, seen, catalog, thresholds, now)
            redone.add(old.position)
            if new.placement != old.placement and old.placement is not None:
                moved |= {old.placement.article_id or 0, old.placement.version_id or 0} - {0}
        elif old.action is Action.MATCH:
            assert old.verdict is not None and isinstance(item, Prepared)
            placement = catalog.place(
                old.verdict, item.article, item.fingerprint, old.position, now
            )
            new = Decision(old.position, item, seen, Action.MATCH, old.verdict, placement)
        else:
            new = old
        out.append(new)
    return out, len(redone)


def _touched(
    decision: Decision, delta: Delta, catalog: MemoryCatalog, thresholds: Thresholds
) -> bool:
    if decision.action is not Action.MATCH:
        return False
    item = decision.item
    assert isinstance(item, Prepared)
    fp = item.fingerprint
    if fp.content_hash in delta.hashes or item.article.url in delta.urls:
        return True
    articles = {decision.seen.article_id} if decision.seen else set()
    articles |= decision.relies_on()
    if articles & delta.articles:
        return True
    if not delta.versions:
        return False
    shared = catalog.index.shared(fp.keys)
    found = [(catalog.versions[v], n) for v, n in shared.items() if v in delta.versions]
    return bool(found and plausible(found, catalog.open_keys(fp.keys), thresholds))

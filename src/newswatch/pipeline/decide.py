"""What to do with each file of a batch, given the catalog: skip, touch, reject or match.

Deciding places each verdict in the catalog with placeholder ids, so a copy later in the
same batch finds the story an earlier file created. When other writers committed meanwhile,
:func:`recheck` decides again only the files their commits may change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from newswatch.match.catalog import MemoryCatalog, Placement
from newswatch.match.identity import decide
from newswatch.match.rules import Thresholds, Verdict, plausible
from newswatch.models import KnownFile, Outcome
from newswatch.pipeline.prepare import Prepared, Refused
from newswatch.pipeline.progress import ProgressHook
from newswatch.store import Delta
from newswatch.times import utc_now


class Action(Enum):
    SKIP = "skip"
    """Stored by another run since this one planned: nothing to do."""
    TOUCH = "touch"
    """The same bytes with a new stat (a ``touch``, a copy): remember the stat."""
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
    """What to do with one file, given its recorded state and the catalog; ``seen_at``
    is when the batch reads it (the rewrite rule's window counts from it)."""
    file = item.file
    same_bytes = seen is not None and seen.raw_hash == item.raw_hash
    if same_bytes and seen and (seen.size, seen.mtime_ns) == (file.size, file.mtime_ns):
        return Decision(position, item, seen, Action.SKIP)
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
    placement = catalog.place(verdict, item.article, item.fingerprint, position, seen_at)
    return Decision(position, item, seen, Action.MATCH, verdict, placement)


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

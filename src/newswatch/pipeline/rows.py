"""A batch's decisions -> the rows it writes, and the results it reports.

Built before the write lock is taken, with placeholder ids (negative numbers) for the
articles and versions the batch creates; :func:`to_results` puts in the real ids the writer
gave them.
"""

from __future__ import annotations

from datetime import datetime

from newswatch.errors import RejectedFile
from newswatch.match.catalog import MemoryCatalog, Placement
from newswatch.match.rules import Verdict, host_named
from newswatch.models import FileResult, KnownFile, Outcome, unchanged
from newswatch.pipeline.decide import JOINS, Action, Decision
from newswatch.pipeline.prepare import Prepared, Refused
from newswatch.read.scan import FileStat
from newswatch.store import ArticleUpdate, BatchWrite, article_key, real_id
from newswatch.store.rows import ArticleRow, FileRow, SightingRow, VersionRow


def to_write(
    decisions: list[Decision],
    catalog: MemoryCatalog,
    run_id: int,
    at: datetime,
    sequence: int | None = None,
) -> BatchWrite:
    """The rows a batch's decisions make, with placeholder ids for what it creates."""
    batch = BatchWrite(run_id, at, sequence)
    headlines: dict[int, str] = {}
    named: dict[int, tuple[str, str | None]] = {}
    for decision in decisions:
        item, action = decision.item, decision.action
        if action is Action.SKIP:
            continue
        if action is Action.TOUCH:
            seen = decision.seen
            assert seen is not None
            if seen.path == item.file.path:
                batch.touched.append(item.file)
            else:  # moved or renamed: the same version, recorded at its new path
                _record_moved(batch, item.file, item.raw_hash, seen)
            continue
        if action is Action.REJECT:
            assert isinstance(item, Refused)
            record_rejected(batch, item.file, item.raw_hash, item.error)
            continue
        assert isinstance(item, Prepared) and decision.verdict and decision.placement
        verdict, placement, article = decision.verdict, decision.placement, item.article
        if placement.new_article:
            near = (
                verdict.matched.article_id
                if verdict.outcome is Outcome.NEAR_DUPLICATE and verdict.matched
                else None
            )
            assert placement.article_id is not None
            batch.articles.append(
                ArticleRow(
                    id=placement.article_id,
                    key=article_key(article.outlet_key, item.fingerprint.content_hash, article.url),
                    outlet=article.outlet,
                    headline=article.title,
                    current_version=1,
                    version_count=1,
                    near_duplicate_of=near,
                    near_duplicate_similarity=verdict.similarity if near else None,
                    first_seen_at=article.seen_at or at,
                    updated_at=at,
                    outlet_key=article.outlet_key,
                )
            )
        if placement.new_version:
            assert placement.version_id is not None and placement.article_id is not None
            batch.versions.append(
                VersionRow(
                    id=placement.version_id,
                    article_id=placement.article_id,
                    number=placement.number or 1,
                    content_hash=item.fingerprint.content_hash,
                    headline=article.headline,
                    outlet=article.outlet,
                    published=article.published,
                    dateline=article.dateline,
                    body=article.body,
                    source_url=article.source_url,
                    encoding=article.encoding,
                    passage_keys=item.fingerprint.packed_keys,
                    similarity_to_previous=None if placement.new_article else verdict.similarity,
                    run_id=run_id,
                    first_seen_at=article.seen_at or at,
                    line_keys=item.fingerprint.packed_line_keys,
                    url=article.url,
                    published_at=article.published_at,
                    outlet_key=article.outlet_key,
                )
            )
        if verdict.outcome is Outcome.EDITED and placement.article_id is not None:
            headlines[placement.article_id] = article.title
        if names_outlet(decision) and placement.article_id is not None and article.outlet:
            named[placement.article_id] = (article.outlet, article.outlet_key)
        _record_decided(batch, item.file, item.raw_hash, decision)
    for article_id, (name, key) in named.items():
        if article_id >= 0:
            batch.outlet_names[article_id] = (name, key)
        else:  # an article this batch creates
            index = next(i for i, row in enumerate(batch.articles) if row.id == article_id)
            batch.articles[index] = batch.articles[index]._replace(outlet=name, outlet_key=key)
    for article_id, headline in headlines.items():
        state = catalog.articles[article_id]
        if article_id >= 0:
            batch.article_updates[article_id] = ArticleUpdate(state.current, state.count, headline)
        else:  # an article this batch creates, edited in the same batch
            index = next(i for i, row in enumerate(batch.articles) if row.id == article_id)
            batch.articles[index] = batch.articles[index]._replace(
                current_version=state.current, version_count=state.count, headline=headline
            )
    return batch


def names_outlet(decision: Decision) -> bool:
    """Whether the text names the outlet of an article it joins that was known only by its
    host (``decide.with_named_outlet`` is the other way round): the article takes the name."""
    verdict, item = decision.verdict, decision.item
    matched = verdict.matched if verdict else None
    if verdict is None or matched is None or not isinstance(item, Prepared):
        return False
    article = item.article
    return (
        verdict.outcome in JOINS
        and matched.outlet_key != article.outlet_key
        and host_named(matched.outlet_key, matched.url)
        and not host_named(article.outlet_key, article.url)
    )


def _rejected(path: str, error: RejectedFile) -> FileResult:
    return FileResult(
        path=path, outcome=Outcome.REJECTED, reason=error.reason, reason_code=error.code
    )


def record_rejected(
    batch: BatchWrite, file: FileStat, digest: str | None, error: RejectedFile
) -> FileResult:
    """The rows of a refused file, and its result."""
    result = _rejected(file.path, error)
    _record(
        batch,
        file,
        digest,
        Outcome.REJECTED,
        reason_code=result.reason_code,
        reason=result.reason,
    )
    return result


def _record_moved(batch: BatchWrite, file: FileStat, digest: str | None, seen: KnownFile) -> None:
    """A file moved or renamed: seen again unchanged, and recorded at its new path as it was
    at its old one (the same version, or the same refusal and its reason)."""
    _record(
        batch,
        file,
        digest,
        Outcome.UNCHANGED,
        article_id=seen.article_id,
        version_id=seen.version_id,
    )
    if seen.outcome is Outcome.REJECTED:
        batch.files[file.path] = batch.files[file.path]._replace(
            outcome=Outcome.REJECTED, reason_code=seen.reason_code, reason=seen.reason
        )


def _record_decided(batch: BatchWrite, file: FileStat, digest: str, decision: Decision) -> None:
    assert decision.verdict and decision.placement
    verdict, placement = decision.verdict, decision.placement
    _record(
        batch,
        file,
        digest,
        verdict.outcome,
        article_id=placement.article_id,
        version_id=placement.version_id,
        matched=_matched_article(verdict, placement),
        similarity=_rounded(verdict.similarity),
        reverted=verdict.reverted,
        reason=verdict.reason,
        reason_code=verdict.reason_code,
    )


def _record(
    batch: BatchWrite,
    file: FileStat,
    digest: str | None,
    outcome: Outcome,
    *,
    article_id: int | None = None,
    version_id: int | None = None,
    matched: int | None = None,
    similarity: float | None = None,
    reverted: bool = False,
    reason_code: str | None = None,
    reason: str | None = None,
) -> None:
    """A sighting (history) and the file's current state (for the next run's skip). A
    rejection's reason stays with the file; a link's reason (a rewrite's evidence) is the
    sighting's: it says why this reading was linked, not what the file is."""
    batch.sightings.append(
        SightingRow(
            run_id=batch.run_id,
            path=file.path,
            size=file.size,
            mtime_ns=file.mtime_ns,
            raw_hash=digest,
            seen_at=batch.at,
            outcome=outcome,
            article_id=article_id,
            version_id=version_id,
            matched_article_id=matched,
            similarity=similarity,
            reverted=reverted,
            reason_code=reason_code,
            reason=reason,
        )
    )
    batch.files[file.path] = FileRow(
        path=file.path,
        size=file.size,
        mtime_ns=file.mtime_ns,
        raw_hash=digest,
        outcome=outcome,
        article_id=article_id,
        version_id=version_id,
        reason_code=reason_code if outcome is Outcome.REJECTED else None,
        reason=reason if outcome is Outcome.REJECTED else None,
        first_seen_at=batch.at,
        updated_at=batch.at,
        run_id=batch.run_id,
    )


def _matched_article(verdict: Verdict, placement: Placement) -> int | None:
    matched = verdict.matched.article_id if verdict.matched else None
    if matched == placement.article_id and verdict.outcome is Outcome.UNCHANGED:
        return None
    return matched


def _rounded(similarity: float | None) -> float | None:
    return round(similarity, 4) if similarity is not None else None


def to_results(decisions: list[Decision], ids: dict[int, int]) -> list[FileResult]:
    """One result per file, with the real ids of what the batch created."""
    results = []
    for decision in decisions:
        item = decision.item
        if decision.action in (Action.SKIP, Action.TOUCH):
            assert decision.seen is not None
            results.append(unchanged(item.file.path, decision.seen))
        elif decision.action is Action.REJECT:
            assert isinstance(item, Refused)
            results.append(_rejected(item.file.path, item.error))
        else:
            assert decision.verdict and decision.placement
            verdict, placement = decision.verdict, decision.placement
            results.append(
                FileResult(
                    path=item.file.path,
                    outcome=verdict.outcome,
                    article_id=real_id(ids, placement.article_id),
                    version=placement.number,
                    matched_article_id=real_id(ids, _matched_article(verdict, placement)),
                    similarity=_rounded(verdict.similarity),
                    reverted=verdict.reverted,
                    reason=verdict.reason,
                    reason_code=verdict.reason_code,
                )
            )
    return results

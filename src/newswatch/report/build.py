"""Some of a run's files + the stored versions they touched -> that part of its
:class:`ChangeReport` (``stream.stream_report`` builds a run's report a chunk at a time).

Every edit is diffed against the version before it (a revert against the version current
before the run); every syndicated copy against the original's version it was made from.
"""

from __future__ import annotations

from collections.abc import Collection

from newswatch.changes.diff import VersionDiff, diff_stored
from newswatch.models import FileResult, Outcome, RunSummary
from newswatch.read.parse import title_from_body
from newswatch.report.diffs import DiffFolder, copy_base, edit_from, key_of
from newswatch.report.model import (
    ArticleChange,
    ChangeReport,
    NearDuplicateLink,
    NewArticle,
    Spread,
    SpreadCopy,
)
from newswatch.store import Store
from newswatch.store.rows import ArticleRow, VersionRow


def build_part(
    summary: RunSummary,
    changed: list[FileResult],
    store: Store,
    flow_run_id: str | None,
    unpublished: list[int],
    copied: Collection[int],
    made: DiffFolder | None = None,
) -> ChangeReport:
    """The report of ``changed``, some of the run's files: load the versions their edits
    and copies point at, and diff each edit and copy (taking the diffs the worker
    processes ``made``). ``copied``: the articles the run found copied in its other
    files; an edit of one lists where it spread."""
    edited = [r for r in changed if r.outcome is Outcome.EDITED and r.article_id]
    copies = [r for r in changed if r.outcome is Outcome.NEAR_DUPLICATE and r.article_id]
    created = [r for r in changed if r.outcome is Outcome.NEW and r.article_id]
    originals = sorted(
        {r.matched_article_id for r in copies if r.matched_article_id}
        | {r.article_id for r in edited if r.article_id and r.article_id in copied}
    )
    wanted = {r.article_id for r in edited} | {r.article_id for r in copies} | set(originals)
    ids = {i for i in wanted if i is not None}
    with store.reading() as tx:
        texts = tx.versions_of(ids)
        heads = tx.articles_by_id(ids)
        reverted = {r.article_id for r in edited if r.reverted and r.article_id}
        before = tx.numbers_before_run(reverted, summary.run_id) if reverted else {}
        new_heads = tx.headlines_of({r.article_id for r in created if r.article_id})
        new_urls = tx.urls_of(new_heads)
        copied = tx.copies_of(originals)
        held = set(originals) | {c.id for listed in copied.values() for c in listed}
        files = tx.a_file_of(held)
    spread = _spread(originals, heads, copied, files)
    edits = [
        change
        for result in edited
        if (change := _edit(result, texts.get(result.article_id or 0, {}), before, made))
        is not None
    ]
    paths = {s.article_id: s.path for s in spread}
    links = [_copy(result, heads, texts, paths, made) for result in copies]
    diffs = [e.diff for e in edits] + [link.diff for link in links if link.diff is not None]
    return ChangeReport(
        run=summary,
        flow_run_id=flow_run_id,
        files=changed,
        edits=edits,
        near_duplicates=links,
        new_articles=[
            NewArticle(
                article_id=r.article_id,
                outlet=new_heads[r.article_id][0],
                headline=new_heads[r.article_id][1],
                path=r.path,
                url=new_urls.get(r.article_id),
            )
            for r in created
            if r.article_id in new_heads
        ],
        spread=spread,
        unpublished_runs=unpublished,
        claims_withheld=sum(d.claims_withheld for d in diffs),
    )


def _diff(
    made: DiffFolder | None,
    path: str,
    new: VersionRow,
    old: VersionRow,
) -> VersionDiff:
    """A worker's diff of the two versions where it made one, else diffed here."""
    found = made.take(key_of(new, old), path) if made is not None else None
    return found if found is not None else diff_stored(old, new)


def _edit(
    result: FileResult,
    texts: dict[int, VersionRow],
    before: dict[int, int],
    made: DiffFolder | None = None,
) -> ArticleChange | None:
    assert result.article_id is not None and result.version is not None
    to_number = result.version
    from_number = edit_from(result, texts, before)
    if from_number not in texts or to_number not in texts:
        return None
    new = texts[to_number]
    return ArticleChange(
        article_id=result.article_id,
        outlet=new.outlet,
        path=result.path,
        from_version=from_number,
        to_version=to_number,
        reverted=result.reverted,
        similarity=result.similarity,
        diff=_diff(made, result.path, new, texts[from_number]),
        title=new.headline or title_from_body(new.body.split("\n\n")),
        reason=result.reason,
        url=new.source_url,
    )


def _copy(
    result: FileResult,
    heads: dict[int, ArticleRow],
    texts: dict[int, dict[int, VersionRow]],
    paths: dict[int, str | None],
    made: DiffFolder | None = None,
) -> NearDuplicateLink:
    assert result.article_id is not None
    own = heads.get(result.article_id)
    original_id = result.matched_article_id or 0
    original = heads.get(original_id)
    original_texts = texts.get(original_id, {})
    copy_text = texts.get(result.article_id, {}).get(result.version or 1)
    base = None
    if made is not None and copy_text is not None and original_texts:
        base = made.base(copy_text, max(original_texts), result.path)
    if base is None:
        base = copy_base(original_texts, copy_text)
    diff = None
    if base is not None and copy_text is not None:
        diff = _diff(made, result.path, copy_text, original_texts[base])
    return NearDuplicateLink(
        path=result.path,
        article_id=result.article_id,
        outlet=own.outlet if own else None,
        headline=own.headline if own else "",
        copies_article_id=original_id,
        copies_outlet=original.outlet if original else None,
        similarity=result.similarity,
        copies_headline=original.headline if original else "",
        copies_path=paths.get(original_id),
        copies_version=base,
        diff=diff,
        url=copy_text.source_url if copy_text else None,
    )


def _spread(
    originals: list[int],
    heads: dict[int, ArticleRow],
    copies: dict[int, list[ArticleRow]],
    paths: dict[int, str],
) -> list[Spread]:
    """Each original's copies from other outlets, oldest first, with a file of each."""
    return [
        Spread(
            article_id=original,
            outlet=heads[original].outlet if original in heads else None,
            headline=heads[original].headline if original in heads else "",
            path=paths.get(original),
            copies=[
                SpreadCopy(
                    article_id=copy.id,
                    outlet=copy.outlet,
                    headline=copy.headline,
                    path=paths.get(copy.id),
                    first_seen_at=copy.first_seen_at,
                    similarity=copy.near_duplicate_similarity,
                )
                for copy in copies.get(original, [])
            ],
        )
        for original in originals
    ]

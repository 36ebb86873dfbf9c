"""The report's diffs, made in the worker process that decided the batch, as soon as the
batch is written: the run's report then only reads them back and renders, and no diffing
is left for one core once the batches are done.

    diff_batch   a written batch's results -> each edit's and copy's diff (worker side)
    write_diffs  the step the flow's worker processes run after each batch
    DiffFolder   a run's folder of them, a file per batch, read back in batch order

An edit is diffed against the version before it (a revert against the version current
before the run), a copy against the original's version most like it: what
``report.build`` diffs. A diff is keyed by the two versions it compares, so the report
uses one only where it compares the same two, and a copy's base only while the original
has no newer version; any other (a copy whose original a later batch edited, a batch
ingested in the main process or on a Dask machine) it diffs itself. Results are the same
either way. What each edit changed goes into ``edits`` from the worker too, so the
stories the report draws find it stored.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from newswatch.changes.diff import VersionDiff, diff_stored
from newswatch.match.similarity import most_alike
from newswatch.models import Edit, FileResult, Outcome
from newswatch.store import RETRYABLE, Store
from newswatch.store.rows import VersionRow
from newswatch.story.build import counts_of

DiffKey = tuple[int, int, int, int]
"""(new article, its version, old article, its version): the two texts a diff compares."""


def edit_from(result: FileResult, texts: dict[int, VersionRow], before: dict[int, int]) -> int:
    """The version an edit is diffed against: the one before it, or for a revert the one
    current before the run."""
    assert result.article_id is not None and result.version is not None
    to_number = result.version
    if result.reverted:
        return before.get(result.article_id, max(texts, default=to_number))
    return max((n for n in texts if n < to_number), default=to_number)


def copy_base(original: dict[int, VersionRow], copy: VersionRow | None) -> int | None:
    """The original's version a copy is diffed against: the one most like it."""
    if copy is None:
        return None
    return most_alike({n: v.body for n, v in original.items()}, copy.body)


@dataclass
class BatchDiffs:
    """What a batch's worker made for the report."""

    diffs: dict[DiffKey, str] = field(default_factory=dict)
    """Each edit's and copy's diff, as JSON."""
    bases: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    """(copy, its version) -> (the original's version it was diffed against, the
    original's newest version then): the base holds while the original has no newer one."""
    edits: list[Edit] = field(default_factory=list)
    """What each edit to a next version changed (the ``edits`` table's rows)."""


def diff_batch(store: Store, run_id: int, results: Iterable[FileResult]) -> BatchDiffs:
    """Every edit's and copy's diff among a written batch's results."""
    edited = [r for r in results if r.outcome is Outcome.EDITED and r.article_id and r.version]
    copies = [r for r in results if r.outcome is Outcome.NEAR_DUPLICATE and r.article_id]
    made = BatchDiffs()
    if not edited and not copies:
        return made
    ids = {r.article_id for r in edited} | {r.article_id for r in copies}
    ids |= {r.matched_article_id for r in copies if r.matched_article_id}
    with store.reading() as tx:
        texts = tx.versions_of({i for i in ids if i is not None})
        reverted = {r.article_id for r in edited if r.reverted and r.article_id}
        before = tx.numbers_before_run(reverted, run_id) if reverted else {}
    for result in edited:
        assert result.article_id is not None and result.version is not None
        own = texts.get(result.article_id, {})
        old = edit_from(result, own, before)
        if old in own and result.version in own:
            diff = diff_stored(own[old], own[result.version])
            made.diffs[key_of(own[result.version], own[old])] = diff.model_dump_json()
            if result.version == old + 1:
                made.edits.append(Edit(result.article_id, result.version, counts_of(diff)))
    for result in copies:
        assert result.article_id is not None
        original_id = result.matched_article_id or 0
        original = texts.get(original_id, {})
        copy = texts.get(result.article_id, {}).get(result.version or 1)
        base = copy_base(original, copy)
        if base is not None and copy is not None:
            made.diffs[key_of(copy, original[base])] = _json(copy, original[base])
            made.bases[(copy.article_id, copy.number)] = (base, max(original))
    return made


def write_diffs(
    store: Store, run_id: int, sequence: int, results: list[FileResult], folder: Path
) -> None:
    """After a batch is written, in its worker process: its diffs into the run's folder,
    and what each edit changed into ``edits``, where the report's stories read it. The
    batch is stored already: a database too busy for this leaves the diffs to the report."""
    try:
        made = diff_batch(store, run_id, results)
        store.save_edits(made.edits)
    except RETRYABLE:
        return
    DiffFolder(folder).write(sequence, max(r.path for r in results), made)


def key_of(new: VersionRow, old: VersionRow) -> DiffKey:
    return (new.article_id, new.number, old.article_id, old.number)


def _json(new: VersionRow, old: VersionRow) -> str:
    return diff_stored(old, new).model_dump_json()


class DiffFolder:
    """A run's diffs made in worker processes: a file per batch (``<sequence>.json``).

    Batches and the report's chunks both follow the run's files in path order, so the
    report reads the batch files in order as it asks for diffs, and each diff is dropped
    once taken: what it holds at a time is about a batch's diffs.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or Path(tempfile.mkdtemp(prefix="newswatch-diffs-"))
        self._loaded: dict[DiffKey, str] = {}
        self._bases: dict[tuple[int, int], tuple[int, int]] = {}
        self._next = 0
        self._reached = ""
        """The last path of the batches read so far."""

    def write(self, sequence: int, last_path: str, made: BatchDiffs) -> None:
        """One batch's diffs (from its worker process); ``last_path``: the batch's last
        file, so the report knows where the batch ends."""
        batch = {
            "last": last_path,
            "diffs": [[*key, diff] for key, diff in made.diffs.items()],
            "bases": [[*copy, *base] for copy, base in made.bases.items()],
        }
        temporary = self.path / f".{sequence}.json"
        temporary.write_text(json.dumps(batch), encoding="utf-8")
        os.replace(temporary, self.path / f"{sequence}.json")

    def take(self, key: DiffKey, path: str) -> VersionDiff | None:
        """The diff of these two versions, for the result of the file at ``path``, if a
        worker made it; else None. Batch files are read up to the one that holds ``path``."""
        self._load_to(path, lambda: key in self._loaded)
        found = self._loaded.pop(key, None)
        return None if found is None else VersionDiff.model_validate_json(found)

    def base(self, copy: VersionRow, newest: int, path: str) -> int | None:
        """The original's version the worker diffed ``copy`` against, if the original's
        newest version is still the one it saw (``newest``); else None."""
        wanted = (copy.article_id, copy.number)
        self._load_to(path, lambda: wanted in self._bases)
        base, seen = self._bases.pop(wanted, (None, None))
        return base if seen == newest else None

    def _load_to(self, path: str, found: Callable[[], bool]) -> None:
        while not found() and self._reached < path and self._load_next():
            pass

    def _load_next(self) -> bool:
        """Load the next batch's file; False once none is left."""
        numbers = sorted(int(p.stem) for p in self.path.glob("*.json") if p.stem.isdigit())
        numbers = [n for n in numbers if n >= self._next]
        if not numbers:
            return False
        file = self.path / f"{numbers[0]}.json"
        batch = json.loads(file.read_text(encoding="utf-8"))
        for *key, diff in batch["diffs"]:
            self._loaded[(key[0], key[1], key[2], key[3])] = diff
        for copy, version, base, newest in batch["bases"]:
            self._bases[(copy, version)] = (base, newest)
        self._reached = max(self._reached, batch["last"])
        file.unlink()
        self._next = numbers[0] + 1
        return True

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)

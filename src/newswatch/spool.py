"""A run's file results on disk, a batch to a record: a run keeps none of them in memory.

:class:`Spool` is the temporary file of pickled records under it (the plan's files to read
use it too: ``pipeline.plan``).

A million-file run makes a million results; as pydantic models they take about 1.2 KB
each, so a run that kept them would need more than a gigabyte before its report began.
Each batch's results are pickled as plain tuples into a temporary file (about 100 bytes
a result) and read back a batch at a time, in the order they were added, by the report and
by ``newswatch ingest --json``. What stays in memory is a record's offset per batch and
the run's counts.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from newswatch.models import OUTCOME_OF, FileResult, Outcome


def _row(result: FileResult) -> tuple[Any, ...]:
    return (
        result.path,
        result.outcome.value,
        result.article_id,
        result.version,
        result.matched_article_id,
        result.similarity,
        result.reason,
        result.reason_code,
        result.reverted,
    )


def _result(row: tuple[Any, ...]) -> FileResult:
    # Built by pydantic-core's validator, in Rust: 1.5 µs a result, where model_construct,
    # which skips validation in Python, took 3.2.
    path, outcome, article_id, version, matched, similarity, reason, code, reverted = row
    return FileResult(
        path=path,
        outcome=OUTCOME_OF[outcome],
        article_id=article_id,
        version=version,
        matched_article_id=matched,
        similarity=similarity,
        reason=reason,
        reason_code=code,
        reverted=reverted,
    )


class Spool:
    """Records (lists of plain tuples) pickled into a temporary file, read back in order.

    Bound: one record in memory while adding or reading. The file is deleted when the
    spool is closed or collected.
    """

    def __init__(self) -> None:
        # Open as long as the spool lives: closed by close(), or when collected.
        self._file = tempfile.TemporaryFile(prefix="newswatch-spool-")  # noqa: SIM115
        self._records: list[tuple[int, int]] = []
        self._end = 0
        self._lock = threading.Lock()

    def _add_rows(self, rows: list[tuple[Any, ...]]) -> None:
        data = pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)
        with self._lock:
            os.pwrite(self._file.fileno(), data, self._end)
            self._records.append((self._end, len(data)))
            self._end += len(data)

    def _rows(self) -> Iterator[list[tuple[Any, ...]]]:
        """Each record as added (a reader may run while records are still added)."""
        position = 0
        while position < len(self._records):
            start, size = self._records[position]
            yield pickle.loads(os.pread(self._file.fileno(), size, start))
            position += 1

    def close(self) -> None:
        self._file.close()


class RowSpool(Spool):
    """Items appended one at a time, kept on disk ``RECORD`` to a record; subclasses say
    how an item becomes a plain row (:meth:`_row`) and back (:meth:`_item`)."""

    RECORD = 1000

    def __init__(self, items: Iterable[Any] = ()) -> None:
        super().__init__()
        self._count = 0
        self._pending: list[tuple[Any, ...]] = []
        for item in items:
            self.append(item)

    def _row(self, item: Any) -> tuple[Any, ...]:
        raise NotImplementedError

    def _item(self, row: tuple[Any, ...]) -> Any:
        raise NotImplementedError

    def append(self, item: Any) -> None:
        self._pending.append(self._row(item))
        self._count += 1
        if len(self._pending) >= self.RECORD:
            self._add_rows(self._pending)
            self._pending = []

    def __len__(self) -> int:
        return self._count

    def items(self) -> Iterator[Any]:
        """Every item, in the order appended."""
        if self._pending:
            self._add_rows(self._pending)
            self._pending = []
        for rows in self._rows():
            yield from map(self._item, rows)

    def __getstate__(self) -> dict[str, Any]:
        return {"items": list(self.items())}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["items"])  # type: ignore[misc]


class ResultSpool(Spool):
    """A run's results, a batch to a record (see the module)."""

    def __init__(self, results: Iterable[FileResult] = ()) -> None:
        super().__init__()
        self.counts: Counter[str] = Counter()
        self.copied: set[int] = set()
        """The articles copied in these results (near duplicates' originals): a report
        written in chunks lists where each spread beside its edits in any chunk."""
        first = list(results)
        if first:
            self.add(first)

    def add(self, results: list[FileResult]) -> None:
        if not results:
            return
        self._add_rows([_row(r) for r in results])
        self.counts.update(r.outcome.value for r in results)
        self.copied.update(
            r.matched_article_id
            for r in results
            if r.outcome is Outcome.NEAR_DUPLICATE and r.matched_article_id
        )

    def __len__(self) -> int:
        return sum(self.counts.values())

    def batches(self) -> Iterator[list[FileResult]]:
        """Each batch as it was added."""
        for rows in self._rows():
            yield [_result(row) for row in rows]

    def __iter__(self) -> Iterator[FileResult]:
        for batch in self.batches():
            yield from batch

    def __getstate__(self) -> dict[str, Any]:
        # Copied or pickled (Prefect may copy a flow's return value): the copy holds the
        # results themselves.
        return {"results": list(self)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["results"])  # type: ignore[misc]

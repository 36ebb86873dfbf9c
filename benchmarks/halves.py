"""The fixed tune/report split of the real Wikinews edits, one definition for every benchmark.

Rules and thresholds are set on the tune half; the figures quoted are the report half's.
The split is by article (``doc_id``), so all revisions of one article fall on one side:
doc_ids sorted as text, the first half (rounded up) to tune on, the rest to report on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

Item = TypeVar("Item")


def split_by_doc(
    items: Sequence[Item], doc_id: Callable[[Item], str], unit: str = "edits"
) -> tuple[list[Item], list[Item], str]:
    """The tune half, the report half, and a line that says how they were split."""
    ids = sorted({doc_id(item) for item in items})
    tune_ids = set(ids[: (len(ids) + 1) // 2])
    report_ids = set(ids) - tune_ids
    tune = [item for item in items if doc_id(item) in tune_ids]
    report = [item for item in items if doc_id(item) not in tune_ids]
    told = (
        f"split by doc_id, sorted as text: tune = {len(tune_ids)} docs ({ids[0]} … "
        f"{max(tune_ids)}, {len(tune)} {unit}), report = {len(report_ids)} docs "
        f"({min(report_ids)} … {ids[-1]}, {len(report)} {unit})"
    )
    return tune, report, told

"""The one pairing every diff step uses: best first, each side at most once.

Sentences (``diff``), quantities (``numbers``) and quotations (``quotes``) are each paired
this way: every candidate pair is scored, and pairs are taken from the highest score down,
skipping any whose old or new side is already taken. Greedy rather than optimal
(Hungarian) matching: the candidates are a handful per sentence, and a reader expects the
most alike two to go together even when another assignment would score more in all.
"""

from __future__ import annotations

from collections.abc import Iterable


def best_first(
    scored: Iterable[tuple[float, int, int]], minimum: float | None = None
) -> list[tuple[int, int, float]]:
    """``(old index, new index, score)`` pairs from ``(score, old index, new index)``
    candidates, highest score first (ties: the later indices first); candidates scoring
    below ``minimum`` are never paired."""
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    pairs = []
    for score, i, j in sorted(scored, reverse=True):
        if minimum is not None and score < minimum:
            break
        if i in taken_old or j in taken_new:
            continue
        taken_old.add(i)
        taken_new.add(j)
        pairs.append((i, j, score))
    return pairs

"""Which sentence of one version became which sentence of the next: the one alignment the
diff (``diff.py``) and the research export (``newswatch export``) share.

rapidfuzz's Indel opcodes over the two sentence sequences give the *unchanged* sentences.
Of what is left, a sentence deleted in one place and inserted in another is *moved*; a
deleted and an inserted sentence still alike on their words (Indel similarity at least
``UPDATED_SIMILARITY``) are one *updated* sentence, paired most alike first
(``pairing.best_first``); the rest are *added* or *deleted*. These are the sentence actions
of NewsEdits (Spangher et al., NAACL 2022): unchanged, refactor (moved), edit (updated),
addition and deletion.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz.distance import Indel

from newswatch.changes.pairing import best_first
from newswatch.read.text import words

UPDATED_SIMILARITY = 0.5

Kind = Literal["unchanged", "moved", "updated", "added", "deleted"]


@dataclass(frozen=True, slots=True)
class SentencePair:
    """One sentence of either version, and what became of it."""

    kind: Kind
    old: int | None
    """Its index among the old version's sentences (from 0); None for an added one."""
    new: int | None
    """Its index among the new version's sentences (from 0); None for a deleted one."""
    similarity: float | None = None
    """Word similarity of an updated pair (1.0 for unchanged and moved ones)."""


def align_sentences(old: Sequence[str], new: Sequence[str]) -> list[SentencePair]:
    """Every sentence of both versions, once each, in the new version's reading order (a
    deleted sentence just before the place it left)."""
    placed: list[tuple[float, SentencePair]] = []
    deleted: list[int] = []
    inserted: list[int] = []
    for op in Indel.opcodes(list(old), list(new)):
        if op.tag == "equal":
            placed += [
                (float(j), SentencePair("unchanged", i, j, 1.0))
                for i, j in zip(
                    range(op.src_start, op.src_end), range(op.dest_start, op.dest_end), strict=True
                )
            ]
            continue
        deleted += range(op.src_start, op.src_end)
        inserted += range(op.dest_start, op.dest_end)

    # Moved: the same sentence deleted in one place and inserted in another.
    still_inserted = list(inserted)
    still_deleted = []
    for i in deleted:
        twin = next((j for j in still_inserted if new[j] == old[i]), None)
        if twin is None:
            still_deleted.append(i)
            continue
        still_inserted.remove(twin)
        placed.append((float(twin), SentencePair("moved", i, twin, 1.0)))

    # Updated: pair what is left by word similarity, most alike first.
    old_words = [words(old[i]) for i in still_deleted]  # once each, not once per pair
    new_words = [words(new[j]) for j in still_inserted]
    pairs = best_first(
        (
            (Indel.normalized_similarity(wa, wb), a, b)
            for a, wa in enumerate(old_words)
            for b, wb in enumerate(new_words)
        ),
        minimum=UPDATED_SIMILARITY,
    )
    for a, b, score in pairs:
        i, j = still_deleted[a], still_inserted[b]
        placed.append((float(j), SentencePair("updated", i, j, score)))
    paired_old = {a for a, _, _ in pairs}
    paired_new = {b for _, b, _ in pairs}
    placed += [
        (i - 0.5, SentencePair("deleted", i, None))
        for a, i in enumerate(still_deleted)
        if a not in paired_old
    ]
    placed += [
        (float(j), SentencePair("added", None, j))
        for b, j in enumerate(still_inserted)
        if b not in paired_new
    ]
    placed.sort(key=lambda item: item[0])  # stable: equal places keep the order above
    return [pair for _, pair in placed]

"""How alike two article texts are, measured with rapidfuzz (no difflib anywhere).

Measured on words, not characters: any two English news texts share so many letters that
character-level Indel similarity sits near 0.6 even for different stories (the BBC corpus
has distinct stories on one subject at 0.72), while on words they fall to 0.45-0.65 and
edits of one story stay above 0.76 (``benchmarks/matching.py`` prints the spread).

Two numbers are kept:

- ``ratio``: normalised Indel similarity of the word sequences (1 - distance / total
  length), the larger of the texts as they are and of their sentences sorted, so an edit
  that moves paragraphs about still scores as the same text;
- ``containment``: the share of the shorter text's words that the longer one holds in
  passages of at least ``PASSAGE_WORDS`` words in a row (the equal runs of the Indel
  alignment, on the texts as they are or on their sorted sentences). Near 1 when one text
  is a part of the other (a partial copy) or the other is it plus additions (an update that
  grew), whatever the ratio. Counting only runs is what keeps distinct stories apart: any
  two texts share scattered words ("the", "said"), so the plain longest common subsequence
  reached 0.80 of the shorter text for distinct BBC stories on one subject; in runs of four
  words they share at most 0.73 (background paragraphs a follow-up story repeats).

Both are measured on each text with its own repetition counted once (``text.counted_once``:
a paragraph, or a sentence of eight words or more, said a second time), so a caption
repeated as its image's alt text weighs what it weighs once.

Both come from bit-parallel Indel computations (Hyyrö 2004) in rapidfuzz. The sorted and
run-counting variants are computed only when the plain ratio does not settle the question.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Indel

from newswatch.read.text import counted_once, fold, sentences, words

__all__ = [
    "Similarity",
    "compare",
    "headline_similarity",
    "letters_similarity",
    "most_alike",
    "sentences",
    "words",
]

PASSAGE_WORDS = 4
_SETTLED_RATIO = 0.98


@dataclass(frozen=True, slots=True)
class Similarity:
    ratio: float
    containment: float
    shorter_words: int
    """Length of the shorter text in words: containment means little for a short text."""


def compare(a: str, b: str, *, containment_needed_below: float = 1.0) -> Similarity:
    """Similarity of two texts; see the module docstring.

    ``containment_needed_below``: a ratio at or above it decides the matter, so the
    containment (an alignment, dearer than a distance) is not computed then.
    """
    wa, wb = _words(a), _words(b)
    shorter = min(len(wa), len(wb))
    if not shorter:
        same = float(wa == wb)
        return Similarity(same, same, 0)
    ratio = Indel.normalized_similarity(wa, wb)
    if ratio >= _SETTLED_RATIO:
        return Similarity(ratio, 1.0, shorter)
    sa, sb = _sorted_sentence_words(a), _sorted_sentence_words(b)
    ratio = max(ratio, Indel.normalized_similarity(sa, sb))
    if ratio >= containment_needed_below:
        return Similarity(ratio, ratio, shorter)
    in_passages = _words_in_passages(wa, wb)
    if in_passages < shorter:
        in_passages = max(in_passages, _words_in_passages(sa, sb))
    return Similarity(ratio, in_passages / shorter, shorter)


def most_alike(texts: Mapping[int, str], text: str) -> int | None:
    """Which of the numbered texts is most like ``text`` (ties: the highest number).

    The version of an original that a syndicated copy was made from: the original may have
    been edited since, and the copy's changes are against its source.
    """
    if len(texts) <= 1:
        return next(iter(texts), None)
    return max(texts, key=lambda number: (compare(texts[number], text).ratio, number))


def letters_similarity(a: str, b: str) -> float:
    """Indel similarity of the two texts' letters (folded, their own repetition counted
    once): what spelling and grammar fixes leave nearly whole while they break words."""
    return Indel.normalized_similarity(fold(_once(a)), fold(_once(b)))


def headline_similarity(a: str, b: str) -> float:
    """Case-insensitive: 'SYRIA CONFLICT' and 'Syria conflict' are the same headline."""
    return Indel.normalized_similarity(fold(a), fold(b))


def _words_in_passages(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    """Words of the alignment's equal runs that are at least ``PASSAGE_WORDS`` long."""
    found = 0
    for op in Indel.opcodes(a, b):
        if op.tag == "equal" and op.src_end - op.src_start >= PASSAGE_WORDS:
            found += op.src_end - op.src_start
    return found


# A file is compared with each of its candidates, a version with each file it may match:
# the same text comes back a few times in a row, so its words are kept for a while.
@lru_cache(maxsize=64)
def _words(text: str) -> tuple[str, ...]:
    return tuple(words(_once(text)))


@lru_cache(maxsize=64)
def _sorted_sentence_words(text: str) -> tuple[str, ...]:
    ordered = sorted(s for p in _once(text).split("\n") for s in sentences(p))
    return tuple(words("\n".join(ordered)))  # one regex pass: words never span the joins


@lru_cache(maxsize=64)
def _once(text: str) -> str:
    """The text with its own repetition counted once (lines are paragraphs here)."""
    lines = text.split("\n")
    kept = counted_once(lines)
    return text if kept is lines else "\n".join(kept)

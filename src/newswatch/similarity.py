"""How alike two article texts are, measured with rapidfuzz (no difflib anywhere).

Measured on words, not characters: any two English news texts share so many letters that
character-level Indel similarity sits near 0.6 even for different stories (the BBC corpus
has distinct stories on one subject at 0.72), while on words they fall to 0.45-0.65 and
edits of one story stay above 0.76 (``benchmarks/matching.py`` prints the spread).

Two numbers are kept:

- ``ratio``: normalised Indel similarity of the word sequences (1 - distance / total
  length), the larger of the texts as they are and of their sentences sorted, so an edit
  that moves paragraphs about still scores as the same text;
- ``containment``: the longest common word subsequence over the shorter text's length:
  near 1 when one text is the other plus additions (a story extended with reader comments,
  a copy with the syndicator's boilerplate), whatever the ratio.

Both come from bit-parallel Indel computations (Hyyrö 2004) in rapidfuzz: one on the
texts as they are, and one on the sorted sentences only when the first falls short.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Indel

from newswatch.text import fold, sentences, words

__all__ = ["Similarity", "compare", "headline_similarity", "sentences", "words"]


@dataclass(frozen=True, slots=True)
class Similarity:
    ratio: float
    containment: float
    shorter_words: int
    """Length of the shorter text in words: containment means little for a short text."""


def compare(a: str, b: str) -> Similarity:
    """Similarity of two bodies; see the module docstring."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return Similarity(float(wa == wb), float(wa == wb), 0)
    distance = Indel.distance(wa, wb)
    total = len(wa) + len(wb)
    ratio = 1 - distance / total
    common = (total - distance) / 2
    containment = common / min(len(wa), len(wb))
    if ratio < 0.98:
        sa, sb = _sorted_sentence_words(a), _sorted_sentence_words(b)
        ratio = max(ratio, Indel.normalized_similarity(sa, sb))
    return Similarity(ratio, containment, min(len(wa), len(wb)))


def headline_similarity(a: str, b: str) -> float:
    """Case-insensitive: 'SYRIA CONFLICT' and 'Syria conflict' are the same headline."""
    return Indel.normalized_similarity(fold(a), fold(b))


def _sorted_sentence_words(text: str) -> list[str]:
    ordered = sorted(s for p in text.split("\n") for s in sentences(p))
    return words("\n".join(ordered))  # one regex pass: words never span the joins

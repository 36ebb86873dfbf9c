"""What changed between two versions, at headline, paragraph, sentence and word level.

All alignment uses rapidfuzz's Indel opcodes over sequences (paragraphs, sentences,
words), never difflib. Sentences that vanish from one place and reappear elsewhere are
*moved* (with the paragraphs they left and joined); a deleted and an inserted sentence that
are still alike (word similarity at least ``UPDATED_SIMILARITY``) are one *updated*
sentence (``alignment.py``), diffed word by word, punctuation being a token of its own. Numbers (see
``numbers.py``) and quotations (``quotes.py``) that changed are called out, since those are
what silent rewrites touch.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Literal, Protocol

from pydantic import BaseModel, Field
from rapidfuzz.distance import Indel

from newswatch.changes.alignment import UPDATED_SIMILARITY, align_sentences
from newswatch.changes.numbers import NumberChange, number_changes
from newswatch.changes.quotes import quotations, quote_changes
from newswatch.changes.verify import Version, verify_claims
from newswatch.read.text import is_turkish, sentences

__all__ = [
    "UPDATED_SIMILARITY",
    "NumberChange",
    "QuoteChange",
    "SentenceChange",
    "VersionDiff",
    "WordChange",
]

# A word (with inner apostrophes, hyphens, and the separators of a number: can't, rebel-held,
# 1,400,000, 3.2m) or one punctuation mark.
_TOKEN_SPLIT = re.compile(r"(\w+(?:['’.,\-]\w+)*|[^\w\s])")


class WordChange(BaseModel):
    op: Literal["equal", "replace", "insert", "delete"]
    old: str = ""
    new: str = ""
    space: bool = Field(
        default=True, description="White space separates this run from the one before it."
    )
    old_space: bool | None = Field(
        default=None,
        description="In the old text, where it differs from ``space``: whether white space "
        "separates this run from the one before it there.",
    )


class SentenceChange(BaseModel):
    kind: Literal["added", "deleted", "updated", "moved"]
    old: str | None = None
    new: str | None = None
    similarity: float | None = None
    words: list[WordChange] = Field(default_factory=list)
    old_paragraph: int | None = Field(default=None, description="Paragraph it was in (from 1).")
    new_paragraph: int | None = Field(default=None, description="Paragraph it is in (from 1).")


class QuoteChange(BaseModel):
    """A quotation removed (``new`` is None), added (``old`` is None) or reworded."""

    old: str | None = None
    new: str | None = None
    speaker: str | None = Field(default=None, description="Who said it, as the text names them.")
    words: list[WordChange] = Field(default_factory=list, description="A reworded one's diff.")
    in_headline: bool = False


class VersionDiff(BaseModel):
    headline_old: str
    headline_new: str
    headline_words: list[WordChange] = Field(default_factory=list)
    paragraphs: dict[str, int]
    sentences: dict[str, int]
    changes: list[SentenceChange]
    numbers: list[NumberChange]
    quotes: list[QuoteChange]
    claims_withheld: int = Field(
        default=0,
        description="Number and quotation changes found but not borne out by the two texts "
        "(changes/verify.py), and so not stated.",
    )

    @property
    def headline_changed(self) -> bool:
        return self.headline_old != self.headline_new

    @property
    def notable(self) -> bool:
        """Numbers, quotes or the headline changed: what alerts are for, so what events
        go to first when they are capped."""
        return bool(self.numbers or self.quotes or self.headline_changed)


class StoredText(Protocol):
    """A stored version's text, as any of the store's rows holds it."""

    @property
    def headline(self) -> str: ...
    @property
    def body(self) -> str: ...
    @property
    def encoding(self) -> str: ...


def diff_stored(old: StoredText, new: StoredText) -> VersionDiff:
    """Two stored versions' diff: their paragraphs are the body's blank-line-separated
    blocks, as ``parse`` stored them."""
    return diff_versions(
        old.headline,
        old.body.split("\n\n"),
        new.headline,
        new.body.split("\n\n"),
        old.encoding,
        new.encoding,
    )


def diff_versions(
    old_headline: str,
    old_paragraphs: list[str],
    new_headline: str,
    new_paragraphs: list[str],
    old_encoding: str | None = None,
    new_encoding: str | None = None,
) -> VersionDiff:
    """Everything that changed; the encodings tell a Turkish text (cp1254) from others."""
    old_sentences = [(i, s) for i, p in enumerate(old_paragraphs, 1) for s in sentences(p)]
    new_sentences = [(i, s) for i, p in enumerate(new_paragraphs, 1) for s in sentences(p)]
    changes, unchanged = _sentence_changes(old_sentences, new_sentences)
    counts = {kind: 0 for kind in ("added", "deleted", "updated", "moved")}
    for change in changes:
        counts[change.kind] += 1
    counts["unchanged"] = unchanged
    aligned = [(old_headline, new_headline)] + [
        (c.old or "", c.new or "") for c in changes if c.kind == "updated"
    ]
    aligned = [(a, b) for a, b in aligned if a != b]
    numbers = []
    old_turkish = new_turkish = False
    if aligned:  # the locale matters only where numbers are compared
        old_turkish = is_turkish(f"{old_headline} {' '.join(old_paragraphs[:3])}", old_encoding)
        new_turkish = is_turkish(f"{new_headline} {' '.join(new_paragraphs[:3])}", new_encoding)
        numbers = [n for a, b in aligned for n in number_changes(a, b, old_turkish, new_turkish)]
    quotes = _quote_changes(old_headline, old_paragraphs, new_headline, new_paragraphs)
    # The last guard: each claim checked against the two texts; what fails is counted.
    verified = verify_claims(
        numbers,
        quotes,
        Version(old_headline, old_paragraphs, old_turkish, [s for _, s in old_sentences]),
        Version(new_headline, new_paragraphs, new_turkish, [s for _, s in new_sentences]),
    )
    return VersionDiff(
        headline_old=old_headline,
        headline_new=new_headline,
        headline_words=word_diff(old_headline, new_headline)
        if old_headline != new_headline
        else [],
        paragraphs=_paragraph_counts(old_paragraphs, new_paragraphs),
        sentences=counts,
        changes=changes,
        numbers=verified.numbers,
        quotes=verified.quotes,
        claims_withheld=verified.withheld,
    )


def word_diff(old: str, new: str) -> list[WordChange]:
    """Word-level opcodes; runs of equal words are kept so a reader sees the context."""
    # One split per text gives the tokens (odd places) and the white space before each
    # (even places), so a run's text as written is a slice of it, spaces included.
    a, b = _TOKEN_SPLIT.split(old), _TOKEN_SPLIT.split(new)
    result: list[WordChange] = []
    for op in Indel.opcodes(a[1::2], b[1::2]):
        old_spaced = _spaced(a, op.src_start)
        spaced = old_spaced if op.tag == "delete" else _spaced(b, op.dest_start)
        result.append(
            WordChange(
                op=op.tag,
                old="".join(a[2 * op.src_start + 1 : 2 * op.src_end]),
                new="".join(b[2 * op.dest_start + 1 : 2 * op.dest_end]),
                space=spaced,
                old_space=old_spaced if op.tag == "equal" and old_spaced != spaced else None,
            )
        )
    return _merge_replacements(result)


def _spaced(parts: list[str], index: int) -> bool:
    """Whether white space comes before token ``index`` (after the first token)."""
    return index > 0 and (2 * index >= len(parts) or parts[2 * index] != "")


def _merge_replacements(changes: list[WordChange]) -> list[WordChange]:
    """Indel has no substitution: a delete next to an insert is one replacement."""
    merged: list[WordChange] = []
    for change in changes:
        previous = merged[-1] if merged else None
        if previous and {previous.op, change.op} == {"delete", "insert"}:
            inserted = change if change.op == "insert" else previous
            deleted = previous if inserted is change else change
            merged[-1] = WordChange(
                op="replace",
                old=previous.old or change.old,
                new=previous.new or change.new,
                space=inserted.space,
                old_space=deleted.space if deleted.space != inserted.space else None,
            )
        else:
            merged.append(change)
    return merged


def _paragraph_counts(old: list[str], new: list[str]) -> dict[str, int]:
    counts = {"added": 0, "deleted": 0, "changed": 0, "unchanged": 0}
    for op in Indel.opcodes(old, new):
        size_old, size_new = op.src_end - op.src_start, op.dest_end - op.dest_start
        if op.tag == "equal":
            counts["unchanged"] += size_old
        elif op.tag == "delete":
            counts["deleted"] += size_old
        elif op.tag == "insert":
            counts["added"] += size_new
    # Indel pairs a deletion with an insertion as a change where both sides are present.
    paired = min(counts["added"], counts["deleted"])
    counts["changed"] = paired
    counts["added"] -= paired
    counts["deleted"] -= paired
    return counts


Placed = tuple[int, str]
"""A sentence with the paragraph (from 1) it stands in."""


def _sentence_changes(old: list[Placed], new: list[Placed]) -> tuple[list[SentenceChange], int]:
    """The changed sentences (``alignment.align_sentences``), and how many are unchanged."""
    changes: list[SentenceChange] = []
    unchanged = 0
    for pair in align_sentences([s for _, s in old], [s for _, s in new]):
        before = old[pair.old] if pair.old is not None else None
        after = new[pair.new] if pair.new is not None else None
        if pair.kind == "unchanged":
            unchanged += 1
        elif pair.kind == "moved" and before and after:
            changes.append(
                SentenceChange(
                    kind="moved",
                    old=before[1],
                    new=after[1],
                    old_paragraph=before[0],
                    new_paragraph=after[0],
                )
            )
        elif pair.kind == "updated" and before and after:
            changes.append(
                SentenceChange(
                    kind="updated",
                    old=before[1],
                    new=after[1],
                    similarity=round(pair.similarity or 0.0, 3),
                    words=word_diff(before[1], after[1]),
                    old_paragraph=before[0],
                    new_paragraph=after[0],
                )
            )
        elif pair.kind == "deleted" and before:
            changes.append(SentenceChange(kind="deleted", old=before[1], old_paragraph=before[0]))
        elif after:
            changes.append(SentenceChange(kind="added", new=after[1], new_paragraph=after[0]))
    return changes, unchanged


def _changed(paragraphs: list[str], common: Counter[str]) -> set[int]:
    """Indices of the paragraphs not in ``common`` (each common one counted once)."""
    left = Counter(common)
    changed = set()
    for index, paragraph in enumerate(paragraphs):
        if left[paragraph] > 0:
            left[paragraph] -= 1
        else:
            changed.add(index)
    return changed


def _quote_changes(
    old_headline: str, old_paragraphs: list[str], new_headline: str, new_paragraphs: list[str]
) -> list[QuoteChange]:
    # A paragraph found unchanged on both sides holds the same quotations on both, which
    # would cancel: only the others are read (most of an edit's paragraphs are unchanged).
    common = Counter(old_paragraphs) & Counter(new_paragraphs)
    old = quotations(old_headline, old_paragraphs, _changed(old_paragraphs, common))
    new = quotations(new_headline, new_paragraphs, _changed(new_paragraphs, common))
    if [q.key for q in old] == [q.key for q in new]:
        return []  # the common case, and no pairing to do
    result = []
    for before, after in quote_changes(old, new):
        either = after or before
        assert either is not None
        result.append(
            QuoteChange(
                old=before.text if before else None,
                new=after.text if after else None,
                speaker=(after.speaker if after else None) or (before.speaker if before else None),
                words=word_diff(before.text, after.text) if before and after else [],
                in_headline=either.paragraph == 0,
            )
        )
    return result

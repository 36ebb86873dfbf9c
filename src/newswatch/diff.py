"""What changed between two versions, at headline, paragraph, sentence and word level.

All alignment uses rapidfuzz's Indel opcodes over sequences (paragraphs, sentences,
words), never difflib. Sentences that vanish from one place and reappear elsewhere are
*moved*; a deleted and an inserted sentence that are still alike (word similarity at least
``UPDATED_SIMILARITY``) are one *updated* sentence, diffed word by word. Numbers and
quotations that changed are called out, since those are what silent rewrites touch.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, Field
from rapidfuzz.distance import Indel

from newswatch.similarity import sentences, words

UPDATED_SIMILARITY = 0.5
_TOKEN = re.compile(r"\S+")
_NUMBER = re.compile(r"\d")
_QUOTE = re.compile(r"[\"“”]([^\"“”]{8,}?)[\"“”]")


class WordChange(BaseModel):
    op: Literal["equal", "replace", "insert", "delete"]
    old: str = ""
    new: str = ""


class SentenceChange(BaseModel):
    kind: Literal["added", "deleted", "updated", "moved"]
    old: str | None = None
    new: str | None = None
    similarity: float | None = None
    words: list[WordChange] = Field(default_factory=list)


class NumberChange(BaseModel):
    old: str
    new: str
    context: str = Field(description="The words after the number in the new text.")

    def __str__(self) -> str:
        return f"{self.old} -> {self.new} {self.context}".rstrip()


class QuoteChange(BaseModel):
    old: str | None = None
    new: str | None = None


class VersionDiff(BaseModel):
    headline_old: str
    headline_new: str
    headline_words: list[WordChange] = Field(default_factory=list)
    paragraphs: dict[str, int]
    sentences: dict[str, int]
    changes: list[SentenceChange]
    numbers: list[NumberChange]
    quotes: list[QuoteChange]

    @property
    def headline_changed(self) -> bool:
        return self.headline_old != self.headline_new


def diff_versions(
    old_headline: str, old_paragraphs: list[str], new_headline: str, new_paragraphs: list[str]
) -> VersionDiff:
    old_sentences = [s for p in old_paragraphs for s in sentences(p)]
    new_sentences = [s for p in new_paragraphs for s in sentences(p)]
    changes, unchanged = _sentence_changes(old_sentences, new_sentences)
    counts = {kind: 0 for kind in ("added", "deleted", "updated", "moved")}
    for change in changes:
        counts[change.kind] += 1
    counts["unchanged"] = unchanged
    numbers = [n for c in changes if c.kind == "updated" for n in _number_changes(c.words)]
    headline_words = word_diff(old_headline, new_headline)
    numbers = _number_changes(headline_words) + numbers
    return VersionDiff(
        headline_old=old_headline,
        headline_new=new_headline,
        headline_words=headline_words if old_headline != new_headline else [],
        paragraphs=_paragraph_counts(old_paragraphs, new_paragraphs),
        sentences=counts,
        changes=changes,
        numbers=numbers,
        quotes=_quote_changes(" ".join(old_paragraphs), " ".join(new_paragraphs)),
    )


def render_words(
    changes: list[WordChange],
    kept: Callable[[str], str],
    removed: Callable[[str], str],
    added: Callable[[str], str],
) -> str:
    """A word diff as one line of text, each kind of run wrapped by its own formatter."""
    parts = []
    for change in changes:
        if change.op == "equal":
            parts.append(kept(change.new))
            continue
        if change.old:
            parts.append(removed(change.old))
        if change.new:
            parts.append(added(change.new))
    return " ".join(parts)


def word_diff(old: str, new: str) -> list[WordChange]:
    """Word-level opcodes; runs of equal words are kept so a reader sees the context."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    result: list[WordChange] = []
    for op in Indel.opcodes(a, b):
        result.append(
            WordChange(
                op=op.tag,
                old=" ".join(a[op.src_start : op.src_end]),
                new=" ".join(b[op.dest_start : op.dest_end]),
            )
        )
    return _merge_replacements(result)


def _merge_replacements(changes: list[WordChange]) -> list[WordChange]:
    """Indel has no substitution: a delete next to an insert is one replacement."""
    merged: list[WordChange] = []
    for change in changes:
        previous = merged[-1] if merged else None
        if previous and {previous.op, change.op} == {"delete", "insert"}:
            old = previous.old or change.old
            new = previous.new or change.new
            merged[-1] = WordChange(op="replace", old=old, new=new)
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


def _sentence_changes(old: list[str], new: list[str]) -> tuple[list[SentenceChange], int]:
    deleted: list[tuple[int, str]] = []
    inserted: list[tuple[int, str]] = []
    unchanged = 0
    for op in Indel.opcodes(old, new):
        if op.tag == "equal":
            unchanged += op.src_end - op.src_start
            continue
        deleted += [(i, old[i]) for i in range(op.src_start, op.src_end)]
        inserted += [(j, new[j]) for j in range(op.dest_start, op.dest_end)]

    changes: list[tuple[float, SentenceChange]] = []
    # Moved: the same sentence deleted in one place and inserted in another.
    remaining_inserted = list(inserted)
    still_deleted = []
    for i, sentence in deleted:
        twin = next((item for item in remaining_inserted if item[1] == sentence), None)
        if twin is None:
            still_deleted.append((i, sentence))
            continue
        remaining_inserted.remove(twin)
        changes.append((twin[0], SentenceChange(kind="moved", old=sentence, new=sentence)))

    # Updated: pair what is left by word similarity, most alike first.
    old_words = [words(a) for _, a in still_deleted]  # once each, not once per pair
    new_words = [words(b) for _, b in remaining_inserted]
    pairs = sorted(
        (
            (Indel.normalized_similarity(wa, wb), ai, bi)
            for ai, wa in enumerate(old_words)
            for bi, wb in enumerate(new_words)
        ),
        reverse=True,
    )
    used_old: set[int] = set()
    used_new: set[int] = set()
    for score, ai, bi in pairs:
        if score < UPDATED_SIMILARITY:
            break
        if ai in used_old or bi in used_new:
            continue
        used_old.add(ai)
        used_new.add(bi)
        (_, a), (position, b) = still_deleted[ai], remaining_inserted[bi]
        changes.append(
            (
                position,
                SentenceChange(
                    kind="updated", old=a, new=b, similarity=round(score, 3), words=word_diff(a, b)
                ),
            )
        )
    for ai, (position, a) in enumerate(still_deleted):
        if ai not in used_old:
            changes.append((position - 0.5, SentenceChange(kind="deleted", old=a)))
    for bi, (position, b) in enumerate(remaining_inserted):
        if bi not in used_new:
            changes.append((position, SentenceChange(kind="added", new=b)))
    changes.sort(key=lambda item: item[0])
    return [change for _, change in changes], unchanged


def _number_changes(word_changes: list[WordChange]) -> list[NumberChange]:
    found: list[NumberChange] = []
    for index, change in enumerate(word_changes):
        if change.op != "replace":
            continue
        if not (_NUMBER.search(change.old) or _NUMBER.search(change.new)):
            continue
        following = next((c.new for c in word_changes[index + 1 :] if c.op == "equal"), "").split()
        context_words: list[str] = []
        for word in following[:3]:
            context_words.append(word.rstrip(".,;:!?\"'”’"))
            if word[-1] in ".,;:!?\"'”’":
                break
        context = " ".join(context_words)
        found.append(
            NumberChange(
                old=change.old.strip(".,;:"), new=change.new.strip(".,;:"), context=context
            )
        )
    return found


def _quote_changes(old: str, new: str) -> list[QuoteChange]:
    old_quotes = [q.strip() for q in _QUOTE.findall(old)]
    new_quotes = [q.strip() for q in _QUOTE.findall(new)]
    gone = [q for q in old_quotes if q not in new_quotes]
    came = [q for q in new_quotes if q not in old_quotes]
    result: list[QuoteChange] = []
    for quote in gone:
        scored = [(Indel.normalized_similarity(words(quote), words(q)), q) for q in came]
        score, best = max(scored, default=(0.0, None))
        if best is not None and score >= UPDATED_SIMILARITY:
            came.remove(best)
            result.append(QuoteChange(old=quote, new=best))
        else:
            result.append(QuoteChange(old=quote))
    result += [QuoteChange(new=q) for q in came]
    return result

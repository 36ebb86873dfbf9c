"""The last guard: every number and quotation change is checked against the two texts
before anything states it.

The diff finds changes sentence by sentence and pairs them; this reads each claim back
against the whole of both versions, by rules that do not depend on how it was found:

- a number claim ``old -> new``: the old text reads as a quantity in the old version and
  the new one in the new version; they are not one quantity written two ways (a separator
  swapped, a number that became a range's start or end: ``numbers.same``); the old
  quantity has become rarer and the new one commoner, counted as quantities (a value and
  the noun it counts) over each whole version: a number that moved to another sentence
  did not change;
- a quotation's words are compared folded, with marks, spaces and punctuation ignored, so a
  quotation that differs only in case or punctuation is no change. One claimed *added*
  is false if its words are said anywhere in the old version (quoted or not: a phrase
  quoted again, or narration put in marks, is no new quotation), one claimed *removed* if
  its words are said anywhere in the new version, and one claimed *changed* if its words
  did not change, or if its old words are still said in the new version and its new words
  were already said in the old (a mark moved, the words stayed). This needs no pairing of
  marks, so a stray mark that misled the pairing cannot mislead the check;
- and a quotation claimed *added* stands as a quotation in the new version, one *removed*
  in the old, and one *changed* has its old words stand as a quotation less often than
  before and its new words more often.

"Stands as a quotation" is read as leniently as people type: the quotation's words with a
quote mark right before and after them, whatever spaces and punctuation lie between
(``" huge "``, ``next , "``), and whichever mark. A claim that fails is dropped and
counted (``claims_withheld``), never shown: a report must not state a change that did not
happen, and what it does not state no event or alert can repeat.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Generic, Protocol, TypeVar

from newswatch.changes.numbers import NumberChange, has_number, same
from newswatch.changes.quantities import Quantity, quantities
from newswatch.read.quotations import QUOTE_MARKS
from newswatch.read.text import fold, sentences, words


class QuoteClaim(Protocol):
    @property
    def old(self) -> str | None: ...

    @property
    def new(self) -> str | None: ...


Quote = TypeVar("Quote", bound=QuoteClaim)

_ANY_MARK = re.compile(f"[{re.escape(QUOTE_MARKS)}]")
_WORD = re.compile(r"\w+")


@dataclass
class Version:
    """One version's text as the verifier reads it."""

    headline: str
    paragraphs: list[str]
    turkish: bool = False
    split: list[str] | None = None
    """The paragraphs' sentences, when the caller has them already."""
    _read: dict[int, list[Quantity]] = field(default_factory=dict, init=False, repr=False)

    @cached_property
    def texts(self) -> Counter[str]:
        """The headline and the sentences of the paragraphs, each with how often it stands."""
        split = self.split
        if split is None:
            split = [sentence for text in self.paragraphs for sentence in sentences(text)]
        return Counter([self.headline, *split]) if self.headline else Counter(split)

    def quantities(self, other: Version) -> list[Quantity]:
        """The quantities (ranges once, as ranges) of the sentences this version holds more
        often than ``other``: a sentence in both adds as much to each side of a count, so
        only the ones an edit touched are read."""
        if id(other) not in self._read:
            own = self.texts - other.texts
            self._read[id(other)] = [
                q
                for text, times in own.items()
                if has_number(text, self.turkish)
                for q in quantities(text, self.turkish) * times
            ]
        return self._read[id(other)]

    @cached_property
    def folded(self) -> str:
        """All its text, headline first, folded."""
        return fold(" \n ".join((self.headline, *self.paragraphs)))

    @cached_property
    def said(self) -> str:
        """All its words, folded, each between spaces: where a quotation's words may be
        said (built only for words that may be there: see ``_said``)."""
        return f" {' '.join(_WORD.findall(self.folded))} "

    @cached_property
    def marked(self) -> list[_Paragraph]:
        """The paragraphs (headline first) that hold a quote mark: only there can words
        stand as a quotation."""
        return [
            _Paragraph(fold(t)) for t in (self.headline, *self.paragraphs) if _ANY_MARK.search(t)
        ]


class _Paragraph:
    """A folded paragraph's words, where each stands, and where each word occurs."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def spans(self) -> list[tuple[int, int]]:
        return [m.span() for m in _WORD.finditer(self.text)]

    @cached_property
    def words(self) -> list[str]:
        return [self.text[start:end] for start, end in self.spans]

    @cached_property
    def at(self) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for i, word in enumerate(self.words):
            found.setdefault(word, []).append(i)
        return found


@dataclass
class Verified(Generic[Quote]):
    numbers: list[NumberChange] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    withheld: int = 0


def verify_claims(
    numbers: Sequence[NumberChange], quotes: Sequence[Quote], old: Version, new: Version
) -> Verified[Quote]:
    """The claims borne out by the two texts, and how many were not."""
    result: Verified[Quote] = Verified()
    for change in numbers:
        if number_holds(change, old, new):
            result.numbers.append(change)
        else:
            result.withheld += 1
    for quote in quotes:
        if quote_holds(quote, old, new):
            result.quotes.append(quote)
        else:
            result.withheld += 1
    return result


def number_holds(change: NumberChange, old: Version, new: Version) -> bool:
    # Counted over the sentences that differ: one in both versions adds as much to each.
    old_only, new_only = old.quantities(new), new.quantities(old)
    before = _written_as(change.old, old_only)
    after = _written_as(change.new, new_only)
    return any(
        not same(a, b)
        and _count(a, old_only) > _count(a, new_only)
        and _count(b, new_only) > _count(b, old_only)
        for a in before
        for b in after
    )


def _written_as(text: str, found: list[Quantity]) -> list[Quantity]:
    """The quantities (or range ends) written as ``text`` in a version."""
    return [q for top in found for q in (top, *(top.ends or ())) if q.text == text]


def _count(quantity: Quantity, found: list[Quantity]) -> int:
    """How often a quantity stands in a version: the same value counting the same thing
    (``seven schools`` and ``7 people`` are two quantities, and a number whose noun is not
    read counts nothing known)."""
    return sum(1 for q in found if same(quantity, q) and _counted(quantity) == _counted(q))


def _counted(quantity: Quantity) -> str:
    """What it counts, as its noun's first word: ``people dead`` and ``people`` agree."""
    return fold(quantity.noun.split()[0]) if quantity.noun else ""


def quote_holds(quote: QuoteClaim, old: Version, new: Version) -> bool:
    if quote.old is None and quote.new is None:
        return False
    if quote.old is None or quote.new is None:
        text = quote.new if quote.old is None else quote.old
        assert text is not None
        key = words(text)
        own, other = (new, old) if quote.old is None else (old, new)
        # In the other version the words may open a longer quotation, or one whose closing
        # mark is typed elsewhere: that quotation is not gone, at most reworded.
        return (
            bool(key)
            and not _said(key, other)
            and _stands(key, own) > _stands(key, other, opened=True)
        )
    before, after = words(quote.old), words(quote.new)
    return (
        before != after
        and not (_said(before, new) and _said(after, old))
        and _stands(before, old) > _stands(before, new)
        and _stands(after, new) > _stands(after, old)
    )


def _said(key: list[str], version: Version) -> bool:
    """Whether the words are said anywhere in the version, in or out of quote marks. A
    quotation that is new has words the other version lacks: its longest word, looked for in
    the folded text, most often tells at once."""
    if max(key, key=len) not in version.folded:
        return False
    return f" {' '.join(key)} " in version.said


def _stands(key: list[str], version: Version, opened: bool = False) -> int:
    """How often the words stand as a quotation: a mark before them (spaces and punctuation
    between), and after them a mark, the paragraph's end (a quotation that runs on), or no
    mark in the rest of the paragraph (a quotation typed without its closing mark);
    ``opened``: whatever follows. Marks between the words are skipped: ``it 's`` is typed,
    not quoted."""
    count = 0
    size = len(key)
    rarest = sorted(set(key), key=len, reverse=True)[:3]
    for paragraph in version.marked if key else ():
        if not all(word in paragraph.text for word in rarest):
            continue  # most paragraphs: read no further
        text, spans = paragraph.text, paragraph.spans
        for i in paragraph.at.get(key[0], ()):
            if paragraph.words[i : i + size] != key:
                continue
            before = text[spans[i - 1][1] if i else 0 : spans[i][0]]
            if not _ANY_MARK.search(before):
                continue
            last = i + size - 1
            after = text[spans[last][1] : spans[last + 1][0] if last + 1 < len(spans) else None]
            count += (
                opened
                or _ANY_MARK.search(after) is not None
                or last + 1 == len(spans)
                or not _ANY_MARK.search(text, spans[last][1])
            )
    return count

"""The last guard: every number and quotation change is checked against the two texts
before anything states it.

The diff finds changes sentence by sentence and pairs them; this reads each claim back
against the whole of both versions, by rules that do not depend on how it was found:

- a number claim ``old -> new``: the old text reads as a quantity in the old version and
  the new one in the new version; they are not one quantity written two ways (a separator
  swapped, a number that became a range's start or end: ``numbers.same``); the old
  quantity has become rarer and the new one commoner, counted as quantities over each
  whole version (a number that moved to another sentence did not change);
- a quotation claimed *added* never stands as a quotation in the old version, one claimed
  *removed* never stands in the new one (a quotation said twice, once by each of two
  people, may lose one of its two places: it stands fewer times than before), and one
  claimed *changed* differs in its words, its old words stand as a quotation less often
  than before and its new words more often.

"Stands as a quotation" is read as leniently as people type: the quotation's words with a
quote mark right before and after them, whatever spaces and punctuation lie between
(``" huge "``, ``next , "``), and whichever mark. A claim that fails is dropped and
counted (``claims_withheld``), never shown: a report must not state a change that did not
happen, and what it does not state no event or alert can repeat.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Generic, Protocol, TypeVar

from newswatch.changes.numbers import NumberChange, has_number, same
from newswatch.changes.quantities import Quantity, quantities
from newswatch.read.text import fold, sentences, words


class QuoteClaim(Protocol):
    @property
    def old(self) -> str | None: ...

    @property
    def new(self) -> str | None: ...


Quote = TypeVar("Quote", bound=QuoteClaim)

# A word, or a quote mark; an apostrophe between two letters is part of no quotation.
_QUOTE_TOKEN = re.compile(r"\w+|[\"“”„«»‘‹›]|(?<!\w)['’]|['’](?!\w)")
_MARK = "\x00"
_PARAGRAPH = "\x01"


@dataclass
class Version:
    """One version's text as the verifier reads it."""

    headline: str
    paragraphs: list[str]
    turkish: bool = False

    @cached_property
    def quantities(self) -> list[Quantity]:
        """Every quantity of the version (ranges once, as ranges)."""
        found: list[Quantity] = []
        for text in (self.headline, *self.paragraphs):
            for sentence in sentences(text) if text else ():
                if has_number(sentence, self.turkish):
                    found += quantities(sentence, self.turkish)
        return found

    @cached_property
    def quote_tokens(self) -> list[str]:
        """Words and marks (one token for any mark), paragraph by paragraph."""
        tokens: list[str] = []
        for text in (self.headline, *self.paragraphs):
            tokens.append(_PARAGRAPH)
            tokens += [
                _MARK if not (t[0].isalnum() or t[0] == "_") else t
                for t in _QUOTE_TOKEN.findall(fold(text))
            ]
        tokens.append(_PARAGRAPH)
        return tokens


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
    before = _written_as(change.old, old.quantities)
    after = _written_as(change.new, new.quantities)
    return any(
        not same(a, b)
        and _count(a, old.quantities) > _count(a, new.quantities)
        and _count(b, new.quantities) > _count(b, old.quantities)
        for a in before
        for b in after
    )


def _written_as(text: str, found: list[Quantity]) -> list[Quantity]:
    """The quantities (or range ends) written as ``text`` in a version."""
    return [q for top in found for q in (top, *(top.ends or ())) if q.text == text]


def _count(quantity: Quantity, found: list[Quantity]) -> int:
    return sum(1 for q in found if same(quantity, q))


def quote_holds(quote: QuoteClaim, old: Version, new: Version) -> bool:
    if quote.old is None and quote.new is None:
        return False
    if quote.old is None or quote.new is None:
        text = quote.new if quote.old is None else quote.old
        assert text is not None
        key = words(text)
        own, other = (new, old) if quote.old is None else (old, new)
        return bool(key) and _stands(key, own) > _stands(key, other)
    before, after = words(quote.old), words(quote.new)
    return (
        before != after
        and _stands(before, old) > _stands(before, new)
        and _stands(after, new) > _stands(after, old)
    )


def _stands(key: list[str], version: Version) -> int:
    """How often the words stand as a quotation: a mark right before them, and a mark (or
    the paragraph's end, for a quotation that runs on) right after."""
    tokens = version.quote_tokens
    size = len(key)
    count = 0
    first = key[0] if key else ""
    for i, token in enumerate(tokens):
        if token != first or i == 0 or tokens[i - 1] != _MARK:
            continue
        if tokens[i : i + size] == key and i + size < len(tokens):
            count += tokens[i + size] in (_MARK, _PARAGRAPH)
    return count

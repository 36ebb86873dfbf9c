"""Furniture: the lines an outlet prints under many unrelated stories, known from the store.

A site's footer, its section name, a columnist's biography, a reporter's byline: lines that
recur in article after article of one outlet and say nothing of the story they stand under.
Two distinct stories of one newspaper chain sharing a footer and a "Read more" block were
linked as copies on those lines alone. No list of patterns can know every site's footer,
but the database can: a line (a paragraph, by its key: ``fingerprint.line_keys``, salted
with the outlet) printed in at least :data:`FURNITURE_ARTICLES` articles of its outlet is
furniture, and when two texts both print it, comparisons leave it out of both (``rules``).
The stored text keeps it.

Counting is the store's (``store.passages``): each version carries its line keys, an
article counts once (by its first version), and every tenth of growth, when the passage
keys are merged, the newest articles' lines are added to ``line_counts``. Until then each
matching process counts the newest articles' lines itself, as it indexes their passage
keys: :class:`LineCounts` holds both levels. Only lines seen in two articles within one
merge (3,000 versions or more) are recorded, and from then on every article printing them
adds one: a line a site prints once in 3,000 articles is no furniture.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache

import numpy as np

from newswatch.match.fingerprint import outlet_salt, paragraph_hash

FURNITURE_ARTICLES = 5
"""Articles of one outlet that print a line before it is furniture. In the shared corpora
the lines printed by five articles or more are bylines ("ANKARA Milliyet"), section names
("Maçın karnesi") and columnists' biographies; a background paragraph that follow-ups on
one story repeat reached three (``benchmarks/matching.py``)."""


class LineCounts:
    """How many articles of their outlet print each line, as far as one process knows: the
    store's ``line_counts`` (``merged``) and the lines of the articles after its last merge
    (``recent``, one entry per article printing the line), as sorted numpy arrays."""

    def __init__(self) -> None:
        self.reset(-1)

    def reset(
        self,
        merged_through: int,
        keys: np.ndarray | None = None,
        counts: np.ndarray | None = None,
    ) -> None:
        """Start from ``line_counts`` as merged through version ``merged_through``."""
        order = np.argsort(keys) if keys is not None else np.zeros(0, dtype=np.int64)
        self.merged_through = self.loaded_through = merged_through
        self.merged_keys = keys[order] if keys is not None else np.zeros(0, dtype=np.int64)
        self.merged_counts = counts[order] if counts is not None else np.zeros(0, dtype=np.int64)
        self.recent = np.zeros(0, dtype=np.int64)
        self._furniture: dict[int, frozenset[int]] = {}

    def add(self, line_keys: np.ndarray, loaded_through: int) -> None:
        """The line keys of the articles first stored up to version ``loaded_through``."""
        if len(line_keys):
            self.recent = np.sort(np.concatenate([self.recent, line_keys]))
            self._furniture.clear()
        self.loaded_through = loaded_through

    def counts(self, keys: Collection[int]) -> np.ndarray:
        """Articles printing each of these lines."""
        wanted = np.fromiter(keys, dtype=np.int64, count=len(keys))
        found = np.zeros(len(wanted), dtype=np.int64)
        if len(self.merged_keys):
            at = np.searchsorted(self.merged_keys, wanted).clip(max=len(self.merged_keys) - 1)
            hit = self.merged_keys[at] == wanted
            found[hit] = self.merged_counts[at[hit]]
        if len(self.recent):
            found += np.searchsorted(self.recent, wanted, "right") - np.searchsorted(
                self.recent, wanted, "left"
            )
        return found

    def furniture(self, threshold: int = FURNITURE_ARTICLES) -> frozenset[int]:
        """The line keys printed by ``threshold`` articles or more."""
        if threshold not in self._furniture:
            keys = np.union1d(self.merged_keys, self.recent)
            found = keys[self.counts(keys.tolist()) >= threshold] if len(keys) else keys
            self._furniture[threshold] = frozenset(found.tolist())
        return self._furniture[threshold]


@lru_cache(maxsize=256)
def paragraph_hashes(text: str) -> tuple[int, ...]:
    """The hash of each line of a text (its paragraphs, and its headline), 0 for a blank."""
    return tuple(paragraph_hash(line) if line else 0 for line in text.split("\n"))


def lines_of(text: str, outlet: str | None, furniture: Collection[int]) -> frozenset[int]:
    """The paragraph hashes of the text's lines that are furniture of its outlet."""
    if not furniture:
        return frozenset()
    salt = outlet_salt(outlet)
    return frozenset(h for h in paragraph_hashes(text) if h and h ^ salt in furniture)


def printed_by_both(a: str, b: str, lines: frozenset[int]) -> frozenset[int]:
    """Of these lines, those that both texts print: furniture two texts share is no evidence
    that one copied the other. (Furniture only one prints is left in: it only dilutes, and a
    short copy under its own outlet's footer stays long enough to be judged.)"""
    if not lines:
        return lines
    return lines & frozenset(paragraph_hashes(a)) & frozenset(paragraph_hashes(b))


def without(text: str, lines: Collection[int]) -> str:
    """The text without the lines whose paragraph hashes are ``lines``."""
    if not lines:
        return text
    kept = [
        line
        for line, h in zip(text.split("\n"), paragraph_hashes(text), strict=True)
        if h not in lines
    ]
    return "\n".join(kept)

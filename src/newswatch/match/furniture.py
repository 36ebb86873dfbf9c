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
    (``recent``), each a pair of sorted numpy arrays of keys and counts.

    Each pair is replaced whole, never changed in place: batches matched in this process's
    threads read it while another brings it up to date (``store.snapshot`` takes turns
    for that), and a reader must never see one pair's keys with another's counts.
    """

    def __init__(self) -> None:
        self.reset(-1)

    def reset(
        self,
        merged_through: int,
        keys: np.ndarray | None = None,
        counts: np.ndarray | None = None,
    ) -> None:
        """Start from ``line_counts`` as merged through version ``merged_through``."""
        keys = _EMPTY if keys is None else keys
        order = np.argsort(keys)
        self._furniture: dict[int, frozenset[int]] = {}
        self._merged = (keys[order], _EMPTY if counts is None else counts[order])
        self._recent = (_EMPTY, _EMPTY)
        self.merged_through = self.loaded_through = merged_through

    def add(self, line_keys: np.ndarray, loaded_through: int) -> None:
        """The line keys of the articles first stored up to version ``loaded_through``, one
        entry per article printing the line."""
        if len(line_keys):
            recent_keys, recent_counts = self._recent
            keys = np.concatenate([recent_keys, line_keys])
            weights = np.concatenate([recent_counts, np.ones(len(line_keys), np.int64)])
            unique, where = np.unique(keys, return_inverse=True)
            self._recent = (unique, np.bincount(where, weights=weights).astype(np.int64))
            self._furniture = {}
        self.loaded_through = loaded_through

    def counts(self, keys: Collection[int]) -> np.ndarray:
        """Articles printing each of these lines."""
        wanted = np.fromiter(keys, dtype=np.int64, count=len(keys))
        return _lookup(*self._merged, wanted) + _lookup(*self._recent, wanted)

    def furniture(self, threshold: int = FURNITURE_ARTICLES) -> frozenset[int]:
        """The line keys printed by ``threshold`` articles or more."""
        known = self._furniture
        if threshold not in known:
            found = []
            for keys, _ in (self._merged, self._recent):
                if len(keys):
                    found.append(keys[self.counts(keys) >= threshold])
            known[threshold] = frozenset(np.concatenate(found).tolist() if found else ())
        return known[threshold]


_EMPTY = np.zeros(0, dtype=np.int64)


def _lookup(keys: np.ndarray, counts: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """``counts`` of the ``wanted`` keys in the sorted ``keys``, 0 for those it lacks."""
    found = np.zeros(len(wanted), dtype=np.int64)
    if len(keys) and len(wanted):
        at = np.searchsorted(keys, wanted).clip(max=len(keys) - 1)
        hit = keys[at] == wanted
        found[hit] = counts[at[hit]]
    return found


def furniture_in(lines: Collection[str], outlet_key: str | None, known: frozenset[int]) -> set[str]:
    """Those of these lines that are furniture of the outlet: whose key is ``known``."""
    if not known or not lines:
        return set()
    salt = outlet_salt(outlet_key)
    return {line for line in lines if paragraph_hash(line) ^ salt in known}


def lines_of(text: str) -> frozenset[str]:
    """The lines of a text (its paragraphs, and its headline)."""
    return frozenset(text.split("\n")) - {""}


def without(text: str, lines: Collection[str]) -> str:
    """The text without these lines."""
    if not lines:
        return text
    return "\n".join(line for line in text.split("\n") if line not in lines)

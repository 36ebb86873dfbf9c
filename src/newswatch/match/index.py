"""The passage index: which stored versions share passage keys with a text.

One question, two stored backends behind one protocol (:class:`PassageIndex`), as
datasketch keeps its LSH storage behind ``storage.py``:

- the persisted index (``passages``, read and written by ``store.passages``), for the
  versions up to the one it is *merged through*;
- :class:`RecentIndex`, the versions after that, read from their own keys
  (``versions.passage_keys``) into sorted arrays in each process that matches.

What a batch looks up in both, and the versions it places itself, go into a
:class:`MemoryIndex`: the catalog's index, which matching (and its tests) count shared keys in.

Two levels, because keys are random: inserting each batch's keys into one big index
dirties nearly every page of it at each commit, so the cost per article would grow with
the database. Instead, a batch writes no index rows at all (its versions carry their
keys), and every tenth of growth the new versions' keys go into ``passages`` at once, in key
order (``store.passages.merge_if_due``): under the write lock nothing is written for the
index, and reading the keys back from the versions costs nothing there
(docs/performance.md, "Figures behind the code's choices").

All cap the versions listed under one key at :data:`KEY_POSTINGS_CAP` (see there). The keys
themselves, and why a shared passage always shares one, are ``fingerprint``'s business.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import NamedTuple, Protocol

import numpy as np

KEY_POSTINGS_CAP = 16
"""Versions listed under one passage key, at most. A key shared by more texts than this is
boilerplate ("Follow us on social media for the latest updates."), not a story: further
versions are not listed under it, so looking a key up never returns more than this many
versions from either level, however common the passage grows. A story copied a hundred
times is still found: its first copies are listed, and a new copy matches them."""


class Postings(NamedTuple):
    """What a look-up found: (key, version) pairs, and each pair's version's number of
    keys, as three arrays of one length (numpy: a batch finds 120,000 of them at 100,000
    stored versions, and a Python object each cost more than finding them)."""

    keys: np.ndarray
    versions: np.ndarray
    key_counts: np.ndarray

    @classmethod
    def none(cls) -> Postings:
        empty = np.zeros(0, dtype=np.int64)
        return cls(empty, empty, empty)

    def plus(self, other: Postings) -> Postings:
        return Postings(*(np.concatenate([a, b]) for a, b in zip(self, other, strict=True)))

    def counts_by_version(self) -> dict[int, int]:
        """Version -> its number of keys, for every version found."""
        return dict(zip(self.versions.tolist(), self.key_counts.tolist(), strict=True))


class PassageIndex(Protocol):
    def postings(self, keys: Collection[int]) -> Postings:
        """The versions listed under these keys (at most :data:`KEY_POSTINGS_CAP` a key)."""
        ...


class MemoryIndex:
    """The catalog's index: the postings a batch looked up, and the versions it placed.

    The looked-up postings (:meth:`set_stored`) are two sorted arrays, and a batch's files
    count the versions they share with them all at once (:meth:`share_with`): at 100,000
    stored versions a batch looks up 120,000 postings, and counting them key by key in
    Python, for each file twice (which are worth reading, then which are candidates),
    was the part of an article's cost that grew most with the store. The versions a batch
    places, and those a catch-up adds, go into a dict beside them.
    """

    def __init__(self) -> None:
        self.by_key: dict[int, list[int]] = defaultdict(list)
        self._keys = np.zeros(0, dtype=np.int64)
        self._versions = np.zeros(0, dtype=np.int64)
        self._room: dict[int, int] = {}
        """Key -> how many more versions it lists beside the looked-up ones (the cap less
        those), for the keys that have any."""
        self._shared: dict[tuple[int, ...], dict[int, int]] = {}

    def set_stored(self, postings: Postings) -> None:
        """The postings looked up for a batch (both levels': not capped together)."""
        order = np.argsort(postings.keys, kind="stable")
        self._keys, self._versions = postings.keys[order], postings.versions[order]
        listed, counts = np.unique(self._keys, return_counts=True)
        self._room = dict(zip(listed.tolist(), (KEY_POSTINGS_CAP - counts).tolist(), strict=True))
        self._shared.clear()

    def open_keys(self, keys: tuple[int, ...]) -> int:
        """How many of these keys list fewer versions than the cap: the keys that can still
        lead to a text. A full key is a passage many texts print (the day's agency caption,
        a phrase of every story): a text sharing it may not be listed under it, so it is no
        part of what two texts can be seen to share."""
        room, by_key = self._room.get, self.by_key
        full = sum(
            1
            for key in keys
            if KEY_POSTINGS_CAP - room(key, KEY_POSTINGS_CAP) + len(by_key.get(key, ()))
            >= KEY_POSTINGS_CAP
        )
        return max(1, len(keys) - full)

    def add(self, version_id: int, keys: Iterable[int]) -> None:
        by_key, room = self.by_key, self._room.get
        for key in keys:
            listed = by_key[key]
            if len(listed) < room(key, KEY_POSTINGS_CAP):
                listed.append(version_id)

    def remove(self, version_ids: Collection[int]) -> None:
        """Forget versions added (placed or caught up; the looked-up postings stay)."""
        for listed in self.by_key.values():
            listed[:] = [v for v in listed if v not in version_ids]

    def shared(self, keys: tuple[int, ...]) -> dict[int, int]:
        """Version id -> how many of ``keys`` it shares."""
        found = self._shared.get(keys)
        shared = dict(found) if found is not None else self._share(np.array(keys, np.int64))
        for key in keys:
            for version_id in self.by_key.get(key, ()):
                shared[version_id] = shared.get(version_id, 0) + 1
        return shared

    def share_with(self, key_sets: Collection[tuple[int, ...]]) -> None:
        """Count, for all these texts at once, the looked-up versions each shares keys
        with; :meth:`shared` then starts from these counts."""
        wanted = [keys for keys in key_sets if keys not in self._shared]
        if not wanted or not len(self._keys):
            return
        lengths = np.fromiter(map(len, wanted), dtype=np.int64, count=len(wanted))
        every = np.fromiter(itertools.chain.from_iterable(wanted), np.int64, int(lengths.sum()))
        owner = np.repeat(np.arange(len(wanted), dtype=np.int64), lengths)
        starts = np.searchsorted(self._keys, every, "left")
        found = np.searchsorted(self._keys, every, "right") - starts
        pairs = _expand(starts, found)
        texts = np.repeat(owner, found)
        # One number per (text, version): texts and versions both fit in 31 bits.
        joined, counts = np.unique((texts << 32) | self._versions[pairs], return_counts=True)
        bounds = np.searchsorted(joined >> 32, np.arange(len(wanted) + 1)).tolist()
        versions = (joined & 0xFFFFFFFF).tolist()
        shares = counts.tolist()
        for i, keys in enumerate(wanted):
            lo, hi = bounds[i], bounds[i + 1]
            self._shared[keys] = dict(zip(versions[lo:hi], shares[lo:hi], strict=True))

    def _share(self, keys: np.ndarray) -> dict[int, int]:
        starts = np.searchsorted(self._keys, keys, "left")
        found = np.searchsorted(self._keys, keys, "right") - starts
        if not found.any():
            return {}
        versions, counts = np.unique(self._versions[_expand(starts, found)], return_counts=True)
        return dict(zip(versions.tolist(), counts.tolist(), strict=True))


def _expand(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The positions ``starts[i] .. starts[i] + lengths[i] - 1`` of every i, in order."""
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    return offsets + np.arange(total)


class RecentIndex:
    """The keys of the versions after the merged one, as two sorted numpy arrays.

    One per process that matches, kept from batch to batch (``store`` holds it beside the
    process's engine and fills it): each batch's snapshot adds only the versions committed
    since the last, and it starts over when another writer has merged. Sorted arrays, not a
    dict: a tenth of 100,000 versions is 300,000 postings, 5 MB this way and ten times that
    as Python objects.
    """

    def __init__(self) -> None:
        self.reset(-1)

    def reset(self, merged_through: int) -> None:
        self.merged_through = self.loaded_through = merged_through
        self.keys = np.zeros(0, dtype=np.int64)
        self.version_ids = np.zeros(0, dtype=np.int64)
        self.key_counts: dict[int, int] = {}

    def add(
        self,
        keys: np.ndarray,
        version_ids: np.ndarray,
        key_counts: dict[int, int],
        loaded_through: int,
    ) -> None:
        """Postings of the versions up to ``loaded_through``: their keys, their ids, and
        each version's number of keys."""
        keys = np.concatenate([self.keys, keys])
        version_ids = np.concatenate([self.version_ids, version_ids])
        order = np.lexsort((version_ids, keys))
        self.keys, self.version_ids = keys[order], version_ids[order]
        self.key_counts.update(key_counts)
        self.loaded_through = loaded_through

    def postings(self, keys: Collection[int]) -> Postings:
        if not len(self.keys) or not keys:
            return Postings.none()
        wanted = np.fromiter(keys, dtype=np.int64, count=len(keys))
        starts = np.searchsorted(self.keys, wanted, "left")
        ends = np.minimum(np.searchsorted(self.keys, wanted, "right"), starts + KEY_POSTINGS_CAP)
        at = _expand(starts, ends - starts)
        versions = self.version_ids[at]
        counts = np.fromiter(
            map(self.key_counts.__getitem__, versions.tolist()), np.int64, len(versions)
        )
        return Postings(self.keys[at], versions, counts)


def capped(keys: np.ndarray, listed: dict[int, int]) -> np.ndarray:
    """Which of these (key, version) postings, sorted by key, to keep: at most
    :data:`KEY_POSTINGS_CAP` a key, less the ``listed`` ones a key already has."""
    position = np.arange(len(keys))  # each row's place among its key's rows (0, 1, 2...)
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    position -= np.maximum.accumulate(np.where(first, position, 0))
    room = np.full(len(keys), KEY_POSTINGS_CAP)
    if listed:
        known = np.array(sorted(listed), dtype=np.int64)
        found = np.searchsorted(known, keys).clip(max=len(known) - 1)
        hit = known[found] == keys
        already = np.array([listed[k] for k in known.tolist()])[found]
        room = np.where(hit, KEY_POSTINGS_CAP - already, room)
    return position < room

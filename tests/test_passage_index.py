"""The catalog's passage index counts shared keys the same whether a batch's texts are
counted together or one at a time, and caps what it adds as the store caps its postings."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np

from newswatch.match.index import KEY_POSTINGS_CAP, MemoryIndex, Postings, RecentIndex


def _reference(postings: dict[int, list[int]], keys: tuple[int, ...]) -> dict[int, int]:
    shared: Counter[int] = Counter()
    for key in keys:
        shared.update(postings.get(key, []))
    return dict(shared)


def test_shared_keys_are_counted_alike_for_a_batch_at_once_and_one_text_at_a_time() -> None:
    rng = random.Random(5)
    keys = [rng.getrandbits(63) for _ in range(400)]
    # Common keys list up to twice the cap (the persisted and the recent level together).
    stored = {k: rng.sample(range(1, 5000), rng.choice([1, 1, 2, 5, 16, 32])) for k in keys}
    texts = [tuple(sorted(set(rng.sample(keys, rng.randrange(1, 40))))) for _ in range(300)]
    texts.append(())
    texts.append((rng.getrandbits(63),))  # a key nobody listed
    together, alone = MemoryIndex(), MemoryIndex()
    pairs = [(k, v) for k, listed in stored.items() for v in listed]
    columns = [np.array(column, dtype=np.int64) for column in zip(*pairs, strict=True)]
    found = Postings(*columns, np.ones(len(pairs), dtype=np.int64))
    together.set_stored(found)
    alone.set_stored(found)
    together.share_with(texts)
    reference = {**stored}
    for n, text in enumerate(texts):
        placed = -(n + 1)
        assert together.shared(text) == alone.shared(text) == _reference(reference, text)
        # Each text is placed after it is decided, as a batch places its versions.
        together.add(placed, text)
        alone.add(placed, text)
        for key in text:
            listed = reference.setdefault(key, [])
            if len(listed) < KEY_POSTINGS_CAP:
                reference[key] = [*listed, placed]
    placed_ids = set(range(-len(texts), 0))
    together.remove(placed_ids)
    assert all(together.shared(t) == _reference(stored, t) for t in texts)


def test_the_recent_index_lists_at_most_the_cap_under_a_key_with_each_versions_key_count() -> None:
    rng = random.Random(8)
    keys = [rng.getrandbits(62) for _ in range(50)]
    versions = {v: rng.sample(keys, rng.randrange(1, 20)) for v in range(1, 300)}
    recent = RecentIndex()
    recent.reset(0)
    recent.add(
        np.array([k for listed in versions.values() for k in listed], dtype=np.int64),
        np.array([v for v, listed in versions.items() for _ in listed], dtype=np.int64),
        {v: len(listed) for v, listed in versions.items()},
        loaded_through=299,
    )
    wanted = [*keys[:30], rng.getrandbits(62)]
    found = recent.postings(wanted)
    expected = {
        (k, v)
        for k in wanted
        for v in sorted(v for v, ks in versions.items() if k in ks)[:KEY_POSTINGS_CAP]
    }
    assert set(zip(found.keys.tolist(), found.versions.tolist(), strict=True)) == expected
    assert found.counts_by_version() == {v: len(versions[v]) for _, v in expected}


def test_a_key_listing_the_most_versions_it_may_is_no_open_key() -> None:
    """A passage so many texts print that a text sharing it may not be listed under it
    counts for nothing in the share two texts must have (``MemoryIndex.open_keys``)."""
    full, half, alone = 11, 22, 33
    pairs = [(full, v) for v in range(1, KEY_POSTINGS_CAP)] + [(half, v) for v in range(1, 8)]
    columns = [np.array(column, dtype=np.int64) for column in zip(*pairs, strict=True)]
    index = MemoryIndex()
    index.set_stored(Postings(*columns, np.ones(len(pairs), dtype=np.int64)))
    assert index.open_keys((full, half, alone)) == 3  # one place left under ``full``
    index.add(-1, (full, half))
    assert index.open_keys((full, half, alone)) == 2
    assert index.open_keys((full,)) == 1  # never none: a text is compared by something

"""The catalog's passage index counts shared keys the same whether a batch's texts are
counted together or one at a time, and caps what it adds as the store caps its postings."""

from __future__ import annotations

import random
from collections import Counter

from newswatch.match.index import KEY_POSTINGS_CAP, MemoryIndex


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
    together.set_stored(stored)
    alone.set_stored(stored)
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

"""ParsedArticle -> exact fingerprints and the passage keys that find near-duplicates.

Exact: ``content_hash`` is a hash of the *normalised* headline and body, so line endings,
white space, curly-vs-straight quotes and scraping debris never make a new version;
``raw_hash`` identifies the file's bytes, to skip files seen before.

Near-duplicate: passage keys chosen by *winnowing* (Schleimer, Wilkerson & Aiken,
"Winnowing: Local Algorithms for Document Fingerprinting", SIGMOD 2003, the method behind
MOSS). Every run of ``SHINGLE_WORDS`` words is hashed; in each window of ``WINDOW``
consecutive hashes the smallest is kept. Two texts that share a passage of
:func:`guaranteed_match_words` words or more share at least one key, whatever else either
text holds, because both select the same minimum in every window inside the passage.

That is what MinHash LSH could not give: its collision probability depends on the Jaccard
similarity of the whole texts, which is low when one text holds a third of the other (a
partial copy) or when an update grew to 2.5 times its length, however verbatim the shared
part is. Winnowing keys are local, so containment in either direction is found, and their
count is proportional to the text's length (:func:`expected_keys`), about 30 for a
400-word article, where MinHash LSH with 32 bands keeps 32 keys for any text. They are
taken from the text with its own repetition counted once (``text.counted_once``), like
every comparison.

Lines: ``line_keys`` are a hash of each paragraph, salted with the outlet, by which the store
counts how many of an outlet's articles print a line (footers, section names, bylines: see
``furniture``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import xxhash

from newswatch.read.parse import ParsedArticle
from newswatch.read.quotations import DOUBLE_MARKS, SINGLE_MARKS
from newswatch.read.text import counted_once, fold

SHINGLE_WORDS = 4
"""Words per hashed passage. Three-word shingles are common phrases ("said it was"); with
four, keys shared by distinct BBC and Turkish articles fell from 1.4 to 0.6 a text."""
WINDOW = 24
"""Hashes per winnowing window: the density/guarantee trade-off (see the functions below)."""

_KEY_MASK_INT = (1 << 63) - 1  # keys fit a signed BIGINT
_KEY_MASK = np.uint64(_KEY_MASK_INT)
_MULTIPLIERS = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93],
    dtype=np.uint64,
)[:SHINGLE_WORDS]

_QUOTE_MAP = {
    **dict.fromkeys(DOUBLE_MARKS.replace('"', ""), '"'),
    **dict.fromkeys(SINGLE_MARKS.replace("'", "") + "′", "'"),
}
_QUOTES = re.compile("[" + "".join(_QUOTE_MAP) + "]")
# Bytes that belong to words: ASCII letters, digits, underscore, and every byte of a
# multi-byte UTF-8 character (letters in other scripts).
_WORD_BYTE = np.zeros(256, dtype=bool)
for _c in b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_":
    _WORD_BYTE[_c] = True
_WORD_BYTE[0x80:] = True


def guaranteed_match_words(window: int = WINDOW, shingle: int = SHINGLE_WORDS) -> int:
    """Length of a shared passage, in words, that always yields a shared key: ``w + k - 1``
    (Schleimer et al. 2003, section 4: any window lying inside the passage selects the same
    minimum in both texts)."""
    return window + shingle - 1


def expected_density(window: int = WINDOW) -> float:
    """Share of a text's shingles that become keys, for random hashes: ``2 / (w + 1)``
    (Schleimer et al. 2003, lemma 1)."""
    return 2 / (window + 1)


def expected_keys(words: int, window: int = WINDOW, shingle: int = SHINGLE_WORDS) -> float:
    """Keys stored for a text of ``words`` words (index rows per version)."""
    shingles = max(0, words - shingle + 1)
    return 1.0 if 0 < shingles <= window else shingles * expected_density(window)


@dataclass(frozen=True, slots=True)
class Fingerprint:
    content_hash: str
    keys: tuple[int, ...]
    """Winnowed passage keys, sorted and distinct: what the candidate index stores."""
    line_keys: tuple[int, ...] = ()
    """The paragraphs' keys under the text's outlet, sorted and distinct (:func:`line_keys`)."""

    @property
    def packed_keys(self) -> bytes:
        """The keys as stored with the version (``versions.passage_keys``: little-endian
        int64s)."""
        return pack(self.keys)

    @property
    def packed_line_keys(self) -> bytes:
        """``line_keys`` as stored with the version (``versions.line_keys``)."""
        return pack(self.line_keys)


def pack(keys: tuple[int, ...]) -> bytes:
    return np.asarray(keys, dtype="<i8").tobytes()


def keys_of(packed: bytes) -> frozenset[int]:
    """The keys of a version, from ``versions.passage_keys``."""
    return frozenset(np.frombuffer(packed, dtype="<i8").tolist())


def paragraph_hash(paragraph: str) -> int:
    """A paragraph's hash, the same in every process; case-folded, so "ANKARA Milliyet" and
    "Ankara Milliyet" are one line."""
    digest = hashlib.blake2b(fold(paragraph).encode("utf-8", "surrogatepass"), digest_size=8)
    return int.from_bytes(digest.digest(), "little") & _KEY_MASK_INT


@lru_cache(maxsize=1024)
def outlet_salt(outlet_key: str | None) -> int:
    """What a line's key mixes in of its outlet (``read.text.outlet_key``): one outlet's
    footer is no other's, however its name is written."""
    return paragraph_hash(f"\x00outlet {outlet_key}") if outlet_key else 0


def line_keys(outlet_key: str | None, paragraphs: list[str]) -> tuple[int, ...]:
    """The keys of a text's paragraphs under its outlet: ``paragraph_hash ^ outlet_salt``."""
    salt = outlet_salt(outlet_key)
    return tuple(sorted({paragraph_hash(p) ^ salt for p in paragraphs if p}))


def raw_hash(raw: bytes) -> str:
    """The file's bytes, identified: 128-bit XXH3, 32 hex digits (see :func:`content_hash`)."""
    return xxhash.xxh3_128_hexdigest(raw)


def content_hash(text: str) -> str:
    """A version's identity: its normalised text's 128-bit XXH3, 32 hex digits.

    These hashes find the same bytes and the same text again; nobody forges a text to
    collide with another here, so a non-cryptographic hash does, at a ninth of BLAKE2b's
    cost on an article. Hashes recorded before migration 0012 were BLAKE2b: it rehashed
    every version's text and cleared the files' raw hashes.
    """
    return xxhash.xxh3_128_hexdigest(text.encode("utf-8", "surrogatepass"))


def normalised_text(article: ParsedArticle) -> str:
    """The text that defines a version: headline, newline, body, with cosmetic noise removed.

    All white space in the body folds to one space, paragraph breaks included: the BBC
    corpus holds copies that differ only in where a paragraph was split (sport/182.txt).
    """
    return normalise(article.headline, article.paragraphs)


def normalise(headline: str, paragraphs: list[str]) -> str:
    text = " ".join(headline.split()) + "\n" + " ".join(" ".join(paragraphs).split())
    if not text.isascii():
        text = _QUOTES.sub(_straight_quote, unicodedata.normalize("NFKC", text))
        text = "\n".join(" ".join(line.split()) for line in text.split("\n"))
    return text


def _straight_quote(match: re.Match[str]) -> str:
    return _QUOTE_MAP[match.group()]


def fingerprint(article: ParsedArticle) -> Fingerprint:
    return fingerprints([article])[0]


def fingerprints(articles: Sequence[ParsedArticle]) -> list[Fingerprint]:
    """The fingerprints of several articles: their texts' words are hashed and winnowed
    together (:func:`keys_of_texts`), each text's keys as if it were alone."""
    contents, keyed = [], []
    for article in articles:
        text = normalised_text(article)
        contents.append(content_hash(text))
        once = counted_once(article.paragraphs)
        keyed.append(text if once is article.paragraphs else normalise(article.headline, once))
    return [
        Fingerprint(
            content_hash=content,
            keys=keys,
            line_keys=line_keys(article.outlet_key, article.paragraphs),
        )
        for article, content, keys in zip(articles, contents, keys_of_texts(keyed), strict=True)
    ]


def passage_keys(tokens: np.ndarray, window: int = WINDOW) -> tuple[int, ...]:
    """Winnow the word-shingle hashes of a text (see the module docstring)."""
    return _winnow(tokens, np.array([len(tokens)]), window)[0]


def word_hashes(text: str) -> np.ndarray:
    """A 64-bit hash per word of ``text`` (see :func:`_word_hashes`)."""
    return _word_hashes([fold(text).encode("utf-8", "surrogatepass")])[0]


_GROUP_TEXTS = 64
"""Texts hashed and winnowed together: each numpy call costs a few microseconds whatever its
length, and a text alone makes about twenty of them (docs/performance.md)."""


def keys_of_texts(texts: Sequence[str]) -> list[tuple[int, ...]]:
    """The passage keys of each text, its words hashed and winnowed with those of the texts
    around it, in groups of up to :data:`_GROUP_TEXTS` texts and :data:`_TABLE_LENGTH`
    bytes; the keys of a text are the same alone or in a group."""
    out: list[tuple[int, ...]] = []
    group: list[bytes] = []
    size = 0
    for text in texts:
        encoded = fold(text).encode("utf-8", "surrogatepass")
        if group and (len(group) == _GROUP_TEXTS or size + len(encoded) >= _TABLE_LENGTH):
            out.extend(_winnow(*_word_hashes(group)))
            group, size = [], 0
        group.append(encoded)
        size += len(encoded) + 1
    if group:
        out.extend(_winnow(*_word_hashes(group)))
    return out


def _word_hashes(texts: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """A 64-bit hash per word of each folded, encoded text, all texts at once, and each
    text's number of words.

    A word's hash is the polynomial ``sum(byte[i] * P**(i - start))`` modulo 2**64 (Karp &
    Rabin 1987), read off one prefix sum of the texts joined by newlines (no word byte, so
    no word spans two texts): the prefix sum's difference over the word, times the inverse
    power of its start (``P`` is odd, so invertible), then mixed with the word's length. A
    handful of numpy passes over the bytes, whatever the number of words or texts, and
    the same in every process (Python's own ``hash`` is salted per process). Words are
    folded first (``text.fold``): ``İSTANBUL`` and ``istanbul`` are one.
    """
    data = np.frombuffer(b"\n".join(texts), dtype=np.uint8)
    in_word = np.zeros(len(data) + 2, dtype=bool)
    in_word[1:-1] = _WORD_BYTE[data]
    starts = np.flatnonzero(in_word[1:] > in_word[:-1])
    ends = np.flatnonzero(in_word[:-1] > in_word[1:])
    text_ends = np.cumsum([len(t) + 1 for t in texts])
    counts = np.diff(np.searchsorted(starts, text_ends), prepend=0)
    if len(starts) == 0:
        return np.zeros(0, dtype=np.uint64), counts
    powers, inverses = _powers(len(data))
    prefix = np.zeros(len(data) + 1, dtype=np.uint64)
    np.cumsum(data.astype(np.uint64) * powers, out=prefix[1:])
    hashes = (prefix[ends] - prefix[starts]) * inverses[starts]
    return _mix(hashes + (ends - starts).astype(np.uint64)), counts


def _winnow(tokens: np.ndarray, counts: np.ndarray, window: int = WINDOW) -> list[tuple[int, ...]]:
    """Winnow the word-shingle hashes of each text: ``tokens`` are the texts' word hashes one
    after the other, ``counts`` each text's number of words.

    Shingles and windows are computed over all texts at once and those that span two
    texts dropped; a text of at most ``window`` shingles keeps its smallest hash, a text of
    fewer than ``SHINGLE_WORDS`` words one shingle of all its words.
    """
    texts = len(counts)
    out: list[tuple[int, ...]] = [()] * texts
    firsts = np.cumsum(counts) - counts
    for t in np.flatnonzero((counts > 0) & (counts < SHINGLE_WORDS)).tolist():
        words = tokens[firsts[t] : firsts[t] + counts[t]]
        out[t] = (int(_shingle_hashes(words, len(words))[0]),)
    n = len(tokens) - SHINGLE_WORDS + 1
    if n <= 0:
        return out
    owner = np.repeat(np.arange(texts), counts)
    inside = owner[:n] == owner[SHINGLE_WORDS - 1 :]
    hashes = _shingle_hashes(tokens, SHINGLE_WORDS)[inside]
    owner = owner[:n][inside]
    shingles = np.bincount(owner, minlength=texts)
    first_shingle = np.cumsum(shingles) - shingles
    for t in np.flatnonzero((shingles > 0) & (shingles <= window)).tolist():
        out[t] = (int(hashes[first_shingle[t] : first_shingle[t] + shingles[t]].min()),)
    if len(hashes) < window:
        return out
    minima = _sliding_min(hashes, window)
    whole = owner[: len(minima)] == owner[window - 1 :]
    keys, key_owner = minima[whole], owner[: len(minima)][whole]
    keys, key_owner = _distinct(keys, key_owner)  # runs of one minimum first: fewer to sort
    order = np.lexsort((keys, key_owner))
    keys, key_owner = _distinct(keys[order], key_owner[order])
    bounds = np.searchsorted(key_owner, np.arange(texts + 1)).tolist()
    listed = keys.tolist()
    for t in np.flatnonzero(shingles > window).tolist():
        out[t] = tuple(listed[bounds[t] : bounds[t + 1]])
    return out


def _shingle_hashes(tokens: np.ndarray, k: int) -> np.ndarray:
    """The hash of every run of ``k`` consecutive words, as a key (63 bits)."""
    n = len(tokens) - k + 1
    with np.errstate(over="ignore"):
        shingles = tokens[:n] * _MULTIPLIERS[0]
        for offset in range(1, k):
            shingles += tokens[offset : offset + n] * _MULTIPLIERS[offset]
        return _mix(shingles) & _KEY_MASK


def _distinct(keys: np.ndarray, owner: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Drop each (owner, key) that repeats the one before it."""
    keep = np.ones(len(keys), dtype=bool)
    keep[1:] = (keys[1:] != keys[:-1]) | (owner[1:] != owner[:-1])
    return keys[keep], owner[keep]


def _sliding_min(values: np.ndarray, window: int) -> np.ndarray:
    """The minimum of every window of ``window`` consecutive values, in O(n) numpy work
    (van Herk 1992; Gil & Werman 1993): with the values cut into blocks of ``window``, a
    window's minimum is that of the suffix-minimum where it starts and the prefix-minimum
    where it ends. The set of minima is the set of winnowed keys; which of two equal
    hashes was chosen does not matter for it."""
    n = len(values)
    blocks = -(-n // window)
    padded = np.full(blocks * window, np.iinfo(np.uint64).max, dtype=np.uint64)
    padded[:n] = values
    grid = padded.reshape(blocks, window)
    prefix = np.minimum.accumulate(grid, axis=1).ravel()
    suffix = np.minimum.accumulate(grid[:, ::-1], axis=1)[:, ::-1].ravel()
    return np.minimum(suffix[: n - window + 1], prefix[window - 1 : n])


_BASE = 0x100000001B3  # the 64-bit FNV prime: odd, so it has an inverse modulo 2**64


def _inverse(value: int) -> int:
    """``value**-1`` modulo 2**64, by Newton's iteration (each step doubles the bits)."""
    inverse = value
    for _ in range(6):
        inverse = inverse * (2 - value * inverse) % 2**64
    return inverse


def _power_table(base: int, length: int) -> np.ndarray:
    table = np.full(length, base, dtype=np.uint64)
    table[0] = 1
    return np.cumprod(table, dtype=np.uint64)


_TABLE_LENGTH = 1 << 17
_POWERS = _power_table(_BASE, _TABLE_LENGTH)
_INVERSES = _power_table(_inverse(_BASE), _TABLE_LENGTH)


def _powers(length: int) -> tuple[np.ndarray, np.ndarray]:
    """``P**i`` and ``P**-i`` for every byte position of a text."""
    if length <= _TABLE_LENGTH:
        return _POWERS[:length], _INVERSES[:length]
    return _power_table(_BASE, length), _power_table(_inverse(_BASE), length)


def _mix(values: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser (Steele, Lea & Flood 2014), vectorised."""
    with np.errstate(over="ignore"):
        z = values ^ (values >> np.uint64(30))
        z = z * np.uint64(0xBF58476D1CE4E5B9)
        z = z ^ (z >> np.uint64(27))
        z = z * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))

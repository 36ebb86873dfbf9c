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
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

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
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


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
    text = normalised_text(article)
    content = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    once = counted_once(article.paragraphs)
    keyed = text if once is article.paragraphs else normalise(article.headline, once)
    return Fingerprint(
        content_hash=content,
        keys=passage_keys(word_hashes(keyed)),
        line_keys=line_keys(article.outlet_key, article.paragraphs),
    )


def passage_keys(tokens: np.ndarray, window: int = WINDOW) -> tuple[int, ...]:
    """Winnow the word-shingle hashes of a text (see the module docstring)."""
    if len(tokens) == 0:
        return ()
    k = min(SHINGLE_WORDS, len(tokens))
    n = len(tokens) - k + 1
    with np.errstate(over="ignore"):
        shingles = np.zeros(n, dtype=np.uint64)
        for offset in range(k):
            shingles += tokens[offset : offset + n] * _MULTIPLIERS[offset]
        hashes = _mix(shingles) & _KEY_MASK
    if n <= window:
        return (int(hashes.min()),)
    return tuple(np.unique(_sliding_min(hashes, window)).tolist())


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


def word_hashes(text: str) -> np.ndarray:
    """A 64-bit hash per word, computed for all words at once over the UTF-8 bytes.

    A word's hash is the polynomial ``sum(byte[i] * P**(i - start))`` modulo 2**64 (Karp &
    Rabin 1987), read off one prefix sum of the whole text: the prefix sum's difference
    over the word, times the inverse power of its start (``P`` is odd, so invertible), then
    mixed with the word's length. A handful of numpy passes over the bytes, whatever the
    number of words, and the same in every process (Python's own ``hash`` is salted per
    process). Words are folded first (``text.fold``): ``İSTANBUL`` and ``istanbul`` are one.
    """
    data = np.frombuffer(fold(text).encode("utf-8", "surrogatepass"), dtype=np.uint8)
    edges = np.diff(_WORD_BYTE[data].view(np.int8), prepend=0, append=0)
    starts = np.flatnonzero(edges == 1)
    if len(starts) == 0:
        return np.zeros(0, dtype=np.uint64)
    ends = np.flatnonzero(edges == -1)
    powers, inverses = _powers(len(data))
    prefix = np.zeros(len(data) + 1, dtype=np.uint64)
    np.cumsum(data.astype(np.uint64) * powers, out=prefix[1:])
    hashes = (prefix[ends] - prefix[starts]) * inverses[starts]
    return _mix(hashes + (ends - starts).astype(np.uint64))


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


_TABLE_LENGTH = 1 << 16
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

"""What the other articles of a file's outlet, and of its day, print: the blocks of a page and
the passages and names of the day, which say nothing of one story.

On a day when every outlet writes about one event, its stories share what no story owns: the
outlet's page around them (a weather box, a gallery, "Save", "1 of 12"), printed by each of
its articles, and the day's agency captions, people, places and figures, printed by all.
``rules`` leaves those out before it judges two texts one story:

- :func:`repeated_blocks`: lines two texts of one outlet print that another of its articles
  prints too, or, where it has none yet, that the rest of the two texts says are a page's;
- :func:`without_the_days`: the file's passages that other articles among its candidates
  print too;
- :func:`common_names` and :func:`generic_headlines`: names, numbers and headlines the
  candidates print over many stories.

Everything is read from what the index offers (the candidates) and from the store's line
counts: nothing here looks beyond the file's candidates.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache
from typing import TYPE_CHECKING

from newswatch.match.evidence import Features, common_to, features
from newswatch.match.furniture import without
from newswatch.match.similarity import Similarity, compare
from newswatch.read.text import fold, words

if TYPE_CHECKING:
    from newswatch.match.known import Catalog, KnownVersion


def generic_headlines(found: list[tuple[KnownVersion, int]], outlet_key: str | None) -> set[str]:
    """Headlines that two or more of the outlet's articles among the candidates print: a
    section's or a site's title, not a story's."""
    articles: dict[str, set[int]] = {}
    for version, _ in found:
        if version.outlet_key == outlet_key and version.headline:
            articles.setdefault(fold(version.headline), set()).add(version.article_id)
    return {headline for headline, ids in articles.items() if len(ids) > 1}


REST_SHARE = 0.25
"""Two texts of one outlet each with at least this share of its words outside the lines both
print (and ``REST_WORDS``)..."""
REST_WORDS = 20
REST_ALIKE = 0.5
"""...which are less alike than this (word ratio and containment), are two stories: the
lines they both print are the page around them."""


def repeated_blocks(
    catalog: Catalog,
    outlet_key: str,
    ours: str,
    theirs: str,
    shared: Collection[str],
    *,
    rests: bool = True,
) -> set[str]:
    """The lines two texts of one outlet both print that are the outlet's page, not a story.

    A block that another of the outlet's articles prints too is furniture from that second
    article on (the store counts five articles before it calls a line furniture for every
    comparison; within one outlet's texts two are enough): a story's own paragraphs are
    printed by its article alone, whatever its versions. Where the outlet has no other
    article yet, the rest decides: when what each text prints besides the shared lines is a
    good part of it, and the two rests are not alike, they are two stories under one page's
    blocks, and the shared lines are those blocks. (An edit's rest is what it changed: small,
    or like what it replaced.)"""
    printed = catalog.printed_by(outlet_key, shared)
    repeated = {line for line, count in printed.items() if count >= 2}
    kept = set(shared) - repeated
    return repeated | (page_blocks(ours, theirs, kept) if kept and rests else set())


def page_blocks(
    ours: str, theirs: str, shared: Collection[str], *, outweighed: bool = False
) -> set[str]:
    """``shared`` (lines both texts print), if what each text prints besides them is a good
    part of it (``REST_SHARE``, ``REST_WORDS``) and the two rests are not alike: two
    stories under the same blocks. Between two outlets (``outweighed``) the shared lines
    must also be fewer words than each rest: a copy's shared lines are its story, and the
    rests each outlet's own page around it."""
    a, b = without(ours, shared), without(theirs, shared)
    a_words, b_words = len(words(a)), len(words(b))
    if min(a_words, b_words) < REST_WORDS:
        return set()
    if a_words < REST_SHARE * len(words(ours)) or b_words < REST_SHARE * len(words(theirs)):
        return set()
    if outweighed and len(words(" ".join(shared))) >= min(a_words, b_words):
        return set()
    rest = compare(a, b, containment_needed_below=REST_ALIKE)
    if rest.ratio < REST_ALIKE and rest.containment < REST_ALIKE:
        return set(shared)
    return set()


def common_names(found: list[tuple[KnownVersion, int]]) -> frozenset[str]:
    """The names and numbers common to the articles among the file's candidates, of every
    outlet (``evidence.common_to``): an outlet with a handful of articles has too few of
    its own to tell the day's names from its story's."""
    latest: dict[int, KnownVersion] = {}
    for version, _ in found:
        if version.body and (version.article_id not in latest or version.is_current):
            latest[version.article_id] = version
    texts: list[Features] = [features(v.headline, v.body) for v in latest.values()]
    return common_to(texts)


DAYS_PASSAGE_WORDS = 8
"""Words in a row that make a passage for :func:`without_the_days`: a phrase of the day
("the summit in Geneva") is shorter, a sentence or a caption longer."""
DAYS_TEXTS = 2
"""Other articles among the candidates that print a passage, from which it is the day's."""


def without_the_days(
    texts: tuple[str, str], candidate: KnownVersion, found: list[tuple[KnownVersion, int]]
) -> Similarity:
    """The similarity of the two texts once the file's passages that other articles among
    its candidates print too (``DAYS_TEXTS`` of them, not the candidate's) are left out of
    it: on a day when every outlet prints the same agency captions and the same sentence
    on the event, what two stories share of those is the day's, not a copy's."""
    held: dict[int, int] = {}
    seen: set[int] = {candidate.article_id}
    for version, _ in found:
        if version.article_id in seen or not version.body:
            continue
        seen.add(version.article_id)
        for passage in _passages(version.text):
            held[passage] = held.get(passage, 0) + 1
    common = {p for p, count in held.items() if count >= DAYS_TEXTS}
    if not common:
        return compare(*texts)
    kept_lines = []
    for line in texts[0].split("\n"):
        found_words = words(line)
        covered = [False] * len(found_words)
        for at in range(len(found_words) - DAYS_PASSAGE_WORDS + 1):
            if hash(tuple(found_words[at : at + DAYS_PASSAGE_WORDS])) in common:
                covered[at : at + DAYS_PASSAGE_WORDS] = [True] * DAYS_PASSAGE_WORDS
        kept_lines.append(" ".join(w for w, c in zip(found_words, covered, strict=True) if not c))
    return compare("\n".join(kept_lines), texts[1])


@lru_cache(maxsize=512)
def _passages(text: str) -> frozenset[int]:
    """A text's passages of ``DAYS_PASSAGE_WORDS`` words, hashed."""
    found = words(text)
    n = DAYS_PASSAGE_WORDS
    return frozenset(hash(tuple(found[at : at + n])) for at in range(len(found) - n + 1))

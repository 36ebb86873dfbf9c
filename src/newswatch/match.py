"""Fingerprinted article -> verdict: new, edited, unchanged, duplicate or near_duplicate.

The rules, in order (the first that applies wins):

1. A known path whose normalised text is unchanged is ``unchanged`` (only bytes that do not
   matter changed: white space, line endings, debris).
2. A known path whose text equals an earlier version of its article is ``edited``, marked
   as a revert; no version is created, so flip-flopping A/B/A/B adds nothing new.
3. A known path whose text is still the same story (body similarity at least
   ``same_path_threshold``, or the headline nearly the same) is ``edited``.
4. A text equal to a known version is a ``duplicate`` when the outlet is the same, and a
   verbatim ``near_duplicate`` (syndication) of that article when the outlet differs.
5. Candidates from the LSH index are verified with rapidfuzz; the best at or above
   ``edit_threshold`` makes the text ``edited`` (same outlet: a new version of that article)
   or ``near_duplicate`` (another outlet: its own article, linked to the one it copies).
6. Anything else is ``new``.

An article file with no outlet line matches other files without one (the BBC corpus).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from newswatch.fingerprint import Fingerprint, estimated_jaccard
from newswatch.parse import ParsedArticle
from newswatch.similarity import Similarity, compare, headline_similarity


class Outcome(StrEnum):
    NEW = "new"
    EDITED = "edited"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    NEAR_DUPLICATE = "near_duplicate"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class KnownVersion:
    """What matching needs to know of a stored version."""

    version_id: int
    article_id: int
    number: int
    outlet: str | None
    headline: str
    body: str
    content_hash: str
    signature: bytes
    is_current: bool


class Catalog(Protocol):
    """Read access to what is already stored; implemented by ``store``."""

    def versions_of(self, article_id: int) -> list[KnownVersion]: ...

    def with_content(self, content_hash: str) -> list[KnownVersion]: ...

    def candidates(self, band_keys: tuple[int, ...]) -> list[KnownVersion]: ...


@dataclass(frozen=True, slots=True)
class Thresholds:
    edit: float = 0.75
    """Word-level ratio from which two texts are one story (see ``similarity``)."""
    containment: float = 0.90
    """Share of the shorter text found in order in the longer, from which it is one story."""
    containment_min_words: int = 60
    """Below this many words containment proves little (a short text fits in many)."""
    same_path: float = 0.50
    same_path_headline: float = 0.90
    candidate_jaccard: float = 0.10
    """Candidates whose MinHash estimate is below this are not worth a rapidfuzz call."""


@dataclass(frozen=True, slots=True)
class Verdict:
    outcome: Outcome
    article_id: int | None = None
    """The article this text belongs to (None: a new article is to be created)."""
    version_id: int | None = None
    """An existing version this text equals (None: a new version is to be stored)."""
    matched: KnownVersion | None = None
    """For edits and near-duplicates: the stored version it was compared with."""
    similarity: float | None = None
    reverted: bool = False

    @property
    def creates_version(self) -> bool:
        return self.outcome in (Outcome.NEW, Outcome.EDITED, Outcome.NEAR_DUPLICATE) and (
            self.version_id is None
        )


def decide(
    article: ParsedArticle,
    fingerprint: Fingerprint,
    catalog: Catalog,
    *,
    path_article_id: int | None = None,
    thresholds: Thresholds = Thresholds(),
) -> Verdict:
    """Classify one text. ``path_article_id`` is the article last seen at the same path."""
    body = article.body
    if path_article_id is not None:
        verdict = _same_path(article, fingerprint, catalog, path_article_id, thresholds)
        if verdict is not None:
            return verdict

    exact = catalog.with_content(fingerprint.content_hash)
    if exact:
        same_outlet = [v for v in exact if v.outlet == article.outlet]
        if same_outlet:
            kept = min(same_outlet, key=lambda v: (not v.is_current, v.article_id))
            return Verdict(
                Outcome.DUPLICATE, kept.article_id, kept.version_id, kept, similarity=1.0
            )
        original = min(exact, key=lambda v: v.article_id)
        return Verdict(Outcome.NEAR_DUPLICATE, matched=original, similarity=1.0)

    # An outlet's own earlier text beats a closer-looking syndicated copy of it: the best
    # same-story candidate from the same outlet wins, then the best from any other.
    best: dict[bool, tuple[float, KnownVersion]] = {}
    for candidate in _plausible(catalog.candidates(fingerprint.band_keys), fingerprint, thresholds):
        similarity = compare(body, candidate.body)
        if not same_story(similarity, thresholds):
            continue
        score = max(similarity.ratio, similarity.containment)
        own = candidate.outlet == article.outlet
        if own not in best or score > best[own][0]:
            best[own] = (score, candidate)
    if not best:
        return Verdict(Outcome.NEW)
    best_score, best_match = best.get(True) or best[False]
    if best_match.outlet == article.outlet:
        return Verdict(Outcome.EDITED, best_match.article_id, None, best_match, best_score)
    return Verdict(Outcome.NEAR_DUPLICATE, None, None, best_match, best_score)


def _same_path(
    article: ParsedArticle,
    fingerprint: Fingerprint,
    catalog: Catalog,
    article_id: int,
    thresholds: Thresholds,
) -> Verdict | None:
    history = catalog.versions_of(article_id)
    for version in history:
        if version.content_hash == fingerprint.content_hash:
            if version.is_current:
                return Verdict(Outcome.UNCHANGED, article_id, version.version_id, version, 1.0)
            return Verdict(
                Outcome.EDITED, article_id, version.version_id, version, 1.0, reverted=True
            )
    current = next((v for v in history if v.is_current), None)
    if current is None:
        return None
    score = compare(article.body, current.body).ratio
    if (
        score >= thresholds.same_path
        or headline_similarity(article.headline, current.headline) >= thresholds.same_path_headline
    ):
        return Verdict(Outcome.EDITED, article_id, None, current, score)
    return None  # the path now holds another story: match it like a new file


def same_story(similarity: Similarity, thresholds: Thresholds) -> bool:
    """The verification rule: close enough as a whole, or one text inside the other."""
    if similarity.ratio >= thresholds.edit:
        return True
    return (
        similarity.shorter_words >= thresholds.containment_min_words
        and similarity.containment >= thresholds.containment
    )


def _plausible(
    candidates: list[KnownVersion], fingerprint: Fingerprint, thresholds: Thresholds
) -> list[KnownVersion]:
    """Current versions first; estimated Jaccard prunes hopeless rapidfuzz calls."""
    scored = [(estimated_jaccard(fingerprint.signature, c.signature), c) for c in candidates]
    scored = [(j, c) for j, c in scored if j >= thresholds.candidate_jaccard]
    scored.sort(key=lambda jc: (-jc[0], not jc[1].is_current, jc[1].version_id))
    return [c for _, c in scored[:20]]

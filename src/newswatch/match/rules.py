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
5. Candidates from the passage index (versions sharing enough winnowed passage keys, see
   :func:`plausible`) are verified with rapidfuzz; the best one that is the same story
   (:func:`same_story`: word ratio, or containment) makes the text ``edited`` (same outlet:
   a new version of that article) or ``near_duplicate`` (another outlet: its own article,
   linked to the one it copies).
6. When no candidate passes the text rule, one of the same outlet that the evidence of a
   rewrite holds for (``evidence``: headline, names, quotations, numbers, time) makes the
   text ``edited``, with the evidence as the verdict's ``reason``.
7. Anything else is ``new``.

Texts are compared without the furniture both print (``furniture``: footers, section
names, bylines the store has seen in many of an outlet's articles; ``window``: the blocks
of an outlet's page and the day's passages), each with its own repetition counted once
(``similarity``), and a headline that says nothing (``[12]``, ``Home``) is no headline.

An article file with no outlet line matches other files without one (the BBC corpus).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from newswatch.match.evidence import RewriteRule, Turned, best_rewrite, carries_words
from newswatch.match.fingerprint import Fingerprint
from newswatch.match.furniture import lines_of, without
from newswatch.match.known import Catalog, KnownVersion
from newswatch.match.similarity import (
    Similarity,
    compare,
    headline_similarity,
    letters_similarity,
)
from newswatch.match.window import (
    common_names,
    generic_headlines,
    page_blocks,
    repeated_blocks,
    without_the_days,
)
from newswatch.models import Outcome
from newswatch.read.parse import ParsedArticle
from newswatch.read.text import fold, outlet_key
from newswatch.read.urls import host_of, same_site

REWRITE = "rewrite"
"""The reason code of a link that the rewrite rule made."""
EDIT_THRESHOLD = 0.75
CONTAINMENT_THRESHOLD = 0.80


@dataclass(frozen=True, slots=True)
class Thresholds:
    edit: float = EDIT_THRESHOLD
    """Word-level ratio from which two texts are one story (see ``similarity``)."""
    containment: float = CONTAINMENT_THRESHOLD
    """Share of the shorter text that the longer holds in passages of four words or more,
    from which they are one story: a partial copy, or an update that grew."""
    containment_min_words: int = 40
    """Below this many words containment proves little (a short text fits in many)."""
    containment_same_headline: float = 0.60
    """The same, for a text whose headline is (nearly) the same as the other's."""
    containment_copy: float = 0.60
    """The same, for a text from another outlet: a partial copy (see ``same_story``)."""
    same_headline: float = 0.80
    same_path: float = 0.50
    same_path_containment: float = 0.60
    same_path_headline: float = 0.90
    candidate_overlap: float = 0.30
    """Candidates sharing less than this share of the smaller key set are not worth a
    rapidfuzz call: half the least containment the rule accepts (0.60), so no pair it
    would accept is pruned. Stories on one subject share a phrase here and there: at 0.15,
    30,000 articles cost 13,331 comparisons; at 0.30, 7,028, with the same verdicts."""
    candidates: int = 20
    letters: float = 0.83
    """Two texts of one outlet whose letters are this alike (rapidfuzz's Indel similarity of
    the folded texts) are one story when their words are ``letters_words`` alike: an edit
    that fixed spelling and grammar ("evacuate" -> "evacuated", "sqaure" -> "square")
    breaks words, not letters. Distinct BBC stories on one subject reach 0.74, two Turkish
    papers' write-ups of one agency story 0.82 (``benchmarks/matching.py``)."""
    letters_words: float = 0.60
    rewrite: RewriteRule = field(default_factory=RewriteRule)
    """When an outlet's texts are one story although their words are not (``evidence``)."""


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
    reason: str | None = None
    """Why a link was made, where the words alone did not make it (a rewrite's evidence)."""
    reason_code: str | None = None
    """``rewrite`` for a link the rewrite rule made."""

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
    seen_at: datetime | None = None,
) -> Verdict:
    """Classify one text. ``path_article_id`` is the article last seen at the same path;
    ``seen_at`` when the text is first seen (for the rewrite rule's window)."""
    if path_article_id is not None:
        verdict = _same_path(article, fingerprint, catalog, path_article_id, thresholds, seen_at)
        if verdict is not None:
            return verdict

    exact = catalog.with_content(fingerprint.content_hash)
    if exact:
        same_outlet = [v for v in exact if one_outlet(article, v)]
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
    turned_down: list[Turned] = []
    found = catalog.candidates(fingerprint.keys)
    generic = generic_headlines(found, article.outlet_key)
    ours = _telling(article.headline, article.outlet_key, generic)
    for candidate in plausible(found, catalog.open_keys(fingerprint.keys), thresholds):
        theirs = _telling(candidate.headline, candidate.outlet_key, generic)
        own = one_outlet(article, candidate)
        similarity, headlines, texts = _measure(
            article, ours, candidate, theirs, catalog, thresholds.edit, thresholds.same_headline
        )
        score = max(similarity.ratio, similarity.containment)
        alike = same_story(similarity, thresholds, headlines, same_outlet=own)
        if alike and similarity.ratio < thresholds.edit:
            # Held by passages: are they the story's, or the day's?
            rare = without_the_days(texts, candidate, found)
            alike = same_story(rare, thresholds, headlines, same_outlet=own)
        elif not alike and own:  # spelling fixed: words broken, letters kept
            alike = (
                similarity.ratio >= thresholds.letters_words
                and letters_similarity(*texts) >= thresholds.letters
            )
        if not alike:
            if own:
                turned_down.append(Turned(score, candidate, similarity.containment, theirs, texts))
            continue
        if own not in best or score > best[own][0]:
            best[own] = (score, candidate)
    if not best:
        # Only where the text rule turned down every candidate the index found.
        rewrite = best_rewrite(
            article,
            ours,
            turned_down,
            thresholds.rewrite,
            seen_at,
            lambda: common_names(found),
            lambda turned: without_the_days(turned.texts, turned.candidate, found).containment,
        )
        if rewrite is None:
            return Verdict(Outcome.NEW)
        score, matched, evidence = rewrite
        return Verdict(
            Outcome.EDITED,
            matched.article_id,
            None,
            matched,
            score,
            reason=evidence.reason,
            reason_code=REWRITE,
        )
    best_score, best_match = best.get(True) or best[False]
    if one_outlet(article, best_match):
        return Verdict(Outcome.EDITED, best_match.article_id, None, best_match, best_score)
    return Verdict(Outcome.NEAR_DUPLICATE, None, None, best_match, best_score)


def _telling(headline: str, outlet_key: str | None, generic: Collection[str] = ()) -> str:
    """The headline as evidence: empty when it says nothing of its story (digits, brackets,
    the site's name, ``Home``: ``evidence.carries_words``) or is one the outlet prints over
    other stories too (``generic``)."""
    if not headline or not carries_words(headline, outlet_key) or fold(headline) in generic:
        return ""
    return headline


def _measure(
    article: ParsedArticle,
    ours: str,
    candidate: KnownVersion,
    theirs: str,
    catalog: Catalog,
    settled: float,
    same_headline: float,
) -> tuple[Similarity, float, tuple[str, str]]:
    """The text rule's measures of a file against a candidate: their similarity, without
    the furniture both print, that of their headlines (0 when one has none that says
    anything), and the two texts compared. ``ours`` and ``theirs`` are the headlines as
    evidence (:func:`_telling`)."""
    if ours and theirs:
        a, b = article.body, candidate.body
    else:  # no headline on one side: it may be inside the other's body
        a, b = _joined(ours, article.body), _joined(theirs, candidate.body)
    headlines = headline_similarity(ours, theirs) if ours and theirs else 0.0
    similarity, texts = _compared(
        catalog,
        a,
        article.outlet_key,
        b,
        candidate.outlet_key,
        settled,
        one_headline=headlines >= same_headline,
    )
    return similarity, headlines, texts


def _compared(
    catalog: Catalog,
    ours: str,
    our_outlet_key: str | None,
    theirs: str,
    their_outlet_key: str | None,
    settled: float,
    *,
    one_headline: bool = False,
) -> tuple[Similarity, tuple[str, str]]:
    """The similarity of two texts, with the furniture they both print left out of both:
    furniture two texts share is no evidence that one copied the other. (Furniture only
    one prints is left in: it only dilutes, and a short copy under its own outlet's footer
    stays long enough to be judged.) Also the two texts as compared.

    Between two texts of one outlet, furniture is also what ``window.repeated_blocks`` finds;
    under one headline that says something (``one_headline``) only the blocks other
    articles print too: the rest they share is their story's."""
    both = lines_of(ours) & lines_of(theirs)
    furniture = (
        catalog.furniture(our_outlet_key, both) | catalog.furniture(their_outlet_key, both)
        if both
        else set()
    )
    shared = both - furniture
    if shared and our_outlet_key is not None and our_outlet_key == their_outlet_key:
        furniture |= repeated_blocks(
            catalog, our_outlet_key, ours, theirs, shared, rests=not one_headline
        )
    elif shared and our_outlet_key is not None and their_outlet_key is not None:
        furniture |= page_blocks(ours, theirs, shared, outweighed=True)
    a, b = without(ours, furniture), without(theirs, furniture)
    return compare(a, b, containment_needed_below=settled), (a, b)


def _same_path(
    article: ParsedArticle,
    fingerprint: Fingerprint,
    catalog: Catalog,
    article_id: int,
    thresholds: Thresholds,
    seen_at: datetime | None,
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
    ours = _telling(article.headline, article.outlet_key)
    theirs = _telling(current.headline, current.outlet_key)
    similarity, texts = _compared(
        catalog,
        _joined(ours, article.body),
        article.outlet_key,
        _joined(theirs, current.body),
        current.outlet_key,
        thresholds.same_path,
    )
    if (
        similarity.ratio >= thresholds.same_path
        or (
            similarity.shorter_words >= thresholds.containment_min_words
            and similarity.containment >= thresholds.same_path_containment
        )
        or (ours and theirs and headline_similarity(ours, theirs) >= thresholds.same_path_headline)
    ):
        return Verdict(Outcome.EDITED, article_id, None, current, similarity.ratio)
    if one_outlet(article, current):
        turned = Turned(similarity.ratio, current, similarity.containment, theirs, texts)
        rewrite = best_rewrite(article, ours, [turned], thresholds.rewrite, seen_at)
        if rewrite is not None:
            return Verdict(
                Outcome.EDITED,
                article_id,
                None,
                current,
                similarity.ratio,
                reason=rewrite[2].reason,
                reason_code=REWRITE,
            )
    return None  # the path now holds another story: match it like a new file


def one_outlet(article: ParsedArticle, version: KnownVersion) -> bool:
    """Whether a text and a stored version come from one outlet: the same outlet key, or
    one site (``urls.same_site``) where either names its outlet only by its host. A scraper
    that records no site name (news-please writes the domain) and the page it read (whose
    ``og:site_name`` names the site) are one outlet, so the same article read from each is
    one article, not a copy of itself."""
    if version.outlet_key == article.outlet_key:
        return True
    if not same_site(article.url, version.url):
        return False
    return host_named(article.outlet_key, article.url) or host_named(
        version.outlet_key, version.url
    )


def host_named(key: str | None, url: str | None) -> bool:
    """Whether an outlet (as compared) is only the host of its URL: no name was given."""
    return key is not None and key == outlet_key(host_of(url))


def _joined(headline: str, body: str) -> str:
    return f"{headline}\n{body}" if headline else body


def same_story(
    similarity: Similarity,
    thresholds: Thresholds,
    headline_similarity: float = 0.0,
    *,
    same_outlet: bool = True,
) -> bool:
    """The verification rule: close enough as a whole, or one text inside the other.

    How much of the shorter text must be inside the other depends on who wrote them. An
    outlet reuses its own background paragraphs: distinct BBC stories on one subject share
    up to 73% of the shorter text, so its texts must share ``containment`` to be one story,
    or ``containment_same_headline`` under (nearly) the same headline (BBC updated "Wolves
    appoint Hoddle as manager" from 240 to 436 words keeping 70% of it). Another outlet's
    text holding ``containment_copy`` of a story verbatim is a copy of it, boilerplate and
    all (a third of a short article plus two lines of furniture is 63% of the copy).
    """
    if similarity.ratio >= thresholds.edit:
        return True
    if similarity.shorter_words < thresholds.containment_min_words:
        return False
    if similarity.containment >= thresholds.containment:
        return True
    if not same_outlet:
        return similarity.containment >= thresholds.containment_copy
    return (
        headline_similarity >= thresholds.same_headline
        and similarity.containment >= thresholds.containment_same_headline
    )


def plausible(
    candidates: list[tuple[KnownVersion, int]], key_count: int, thresholds: Thresholds
) -> list[KnownVersion]:
    """The candidates worth a rapidfuzz comparison, likeliest first.

    A candidate shares ``shared`` passage keys with the text; over the smaller of the two
    key sets that estimates how much of the shorter text the other holds (containment, in
    either direction). Two shared keys are required (one passage of boilerplate yields
    one), unless a text is so short that it has only a key or two.
    """
    scored = []
    for version, shared in candidates:
        found = overlap(shared, key_count, version.key_count, thresholds)
        if found is not None:
            scored.append((found, version))
    scored.sort(key=lambda ov: (-ov[0], not ov[1].is_current, ov[1].version_id))
    return [version for _, version in scored[: thresholds.candidates]]


def overlap(shared: int, keys: int, other_keys: int, thresholds: Thresholds) -> float | None:
    """The share of the smaller key set that two texts share, if it makes them worth a
    comparison (see :func:`plausible`); None if not."""
    smaller = max(1, min(keys, other_keys))
    if shared < 2 and smaller > 2:
        return None
    found = shared / smaller
    return found if found >= thresholds.candidate_overlap else None

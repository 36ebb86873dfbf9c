"""Rewrites: when an outlet's two texts are one story although their words are not.

An update that rewrote most sentences but kept the story (a lawsuit story whose next
version leads with the settlement, a stub replaced by the full report) shares too few words
in a row for the text rule: word ratio 0.45-0.70, 5-word-shingle Jaccard below 0.2. What
such a pair still shares is strong evidence of another kind, measured here:

- the headline's words (:func:`headline_overlap`: the share of the shorter headline's
  words, small words aside, that the other holds);
- the names: runs of two or more capitalised words (``Vladimir Putin``, ``Milli Güvenlik
  Kurulu``), a sentence's first word and Turkish case endings (``Asparuk'un``) aside; of
  the names of both texts, how many both hold (their words in a row). Stories on one
  subject share names too: what a follow-up adds is names the first story had not;
- the quotations (of four words or more, in either text) whose words both hold in a row;
- the numbers (``25``, ``1.4``, ``2.000``; no single digits, no years: every story of a
  year has its year);
- and time: both texts first seen within a window, and published within it where both
  carry a date line.

``rules`` asks for this evidence only for texts of one outlet that the passage index found
as candidates and that the text rule turned down; every link it makes carries its
:attr:`Evidence.reason`, so a reader can judge it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from newswatch.read.quotations import CLOSING_MARKS, OPENING_MARKS, quotation_spans
from newswatch.read.text import LOWERCASE, UPPERCASE, fold, words

if TYPE_CHECKING:
    from newswatch.match.known import KnownVersion
    from newswatch.read.parse import ParsedArticle

_CAPITALISED = rf"[{UPPERCASE}][\w'’-]*"
_NAME_RUN = re.compile(rf"{_CAPITALISED}(?: {_CAPITALISED})+")
# What ends the text before a sentence's first word: a closing mark, perhaps a quote.
_SENTENCE_GAP = re.compile(
    rf"[.!?…:][{re.escape(CLOSING_MARKS)})]*\s+[{re.escape(OPENING_MARKS)}(]?$"
)
_LOWER_WORD = re.compile(rf"(?<![\w'’-])[{LOWERCASE}][\w'’-]*")
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
QUOTE_MIN_WORDS = 4

# Words capitalised only because a sentence starts with them, or that name a day or a
# month: no part of a name. English and Turkish.
_NOT_NAMES_TEXT = (
    "a an the and but or nor so yet for of in on at to from by with as after before "
    "when while if then than that this these those there here it its he she they we i "
    "you his her their our my your who what which where how why some many more most "
    "all both each every no not also however meanwhile earlier later since under over "
    "during despite last next new monday tuesday wednesday thursday "
    "friday saturday sunday january february march april may june july august "
    "september october november december ve ama ancak fakat bu şu o bir da de ile "
    "için gibi sonra önce daha en her hem ise ya veya çünkü ayrıca öte yandan ise "
    "diğer pazartesi salı çarşamba perşembe cuma cumartesi pazar ocak şubat mart "
    "nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık"
)
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())


@dataclass(frozen=True, slots=True)
class Features:
    """What one text offers as evidence (see the module docstring)."""

    headline: frozenset[str]
    names: frozenset[str]
    quotes: frozenset[str]
    numbers: frozenset[str]
    running: str
    """The text's words, folded, in a row between spaces: what "holds in a row" searches."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """What two texts share beyond their words in a row."""

    headline: float
    names: int
    of_names: int
    """The names of both texts; ``names`` of them both hold (a name one text holds that the
    other does not is news the other has not got: a follow-up, not a rewrite)."""
    quotes: int
    numbers: int
    hours: float | None
    """Hours between the two texts' first sightings (or publication dates, where both
    carry one and they are further apart); None when a time is unknown."""

    @property
    def reason(self) -> str:
        """What a reader is told of a link made on this evidence."""
        return (
            f"rewrite: headline {self.headline:.2f}, names {self.names} of {self.of_names}, "
            f"quotes {self.quotes}, numbers {self.numbers}"
        )


@lru_cache(maxsize=256)
def features(headline: str, body: str) -> Features:
    """A text's evidence. Cached: a file is weighed against each of its candidates."""
    paragraphs = body.split("\n\n") if body else []
    names: set[str] = set()
    lower = {fold(w) for w in _LOWER_WORD.findall(body)}
    for paragraph in paragraphs:
        for run in _NAME_RUN.finditer(paragraph):
            tokens = run.group().split(" ")
            if fold(tokens[0]) in lower and _starts_sentence(paragraph, run.start()):
                tokens = tokens[1:]  # "Said Mr Blair": capitalised only by its place
            name = _name(tokens)
            if name:
                names.add(name)
    quotes: set[str] = set()
    for index, paragraph in enumerate(paragraphs):
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else ""
        for start, end, certain in quotation_spans(paragraph, False, following):
            if not certain:
                continue  # marks paired with doubt: no evidence
            quoted = words(paragraph[start:end])
            if len(quoted) >= QUOTE_MIN_WORDS:
                quotes.add(" ".join(quoted))
    numbers = {
        n for n in _NUMBER.findall(body) if len(n) > 1 and not _YEAR.match(n) and n[0] != "0"
    }
    return Features(
        headline=headline_words(headline),
        names=frozenset(names),
        quotes=frozenset(quotes),
        numbers=frozenset(numbers),
        running=f" {' '.join(words(f'{headline} {body}'))} ",
    )


def _starts_sentence(paragraph: str, at: int) -> bool:
    return at == 0 or bool(_SENTENCE_GAP.search(paragraph[max(0, at - 6) : at]))


def _name(tokens: list[str]) -> str | None:
    """A run of capitalised words as a name: small words at its ends dropped, case endings
    cut (``Asparuk'un`` -> ``asparuk``), folded; None if fewer than two words remain."""
    parts = [fold(re.split("['’]", token, maxsplit=1)[0]) for token in tokens]
    while parts and parts[0] in _NOT_NAMES:
        parts.pop(0)
    while parts and parts[-1] in _NOT_NAMES:
        parts.pop()
    found = [w for part in parts for w in words(part)]
    return " ".join(found) if len(found) >= 2 else None


# Words a page prints where a headline should be, naming no story: a site's section or
# navigation, or a scraper's placeholder.
_PAGE_WORDS_TEXT = (
    "home homepage index page article news latest breaking untitled main menu default "
    "anasayfa haber haberler son dakika gündem"
)
_PAGE_WORDS = frozenset(_PAGE_WORDS_TEXT.split())


@lru_cache(maxsize=4096)
def carries_words(headline: str, outlet_key: str | None = None) -> bool:
    """Whether a headline says anything of its story: a word of two letters or more that
    is not a digit, a page's word (``Home``, ``News``) or a word of the outlet's name.
    ``[12]``, ``2024``, ``Home`` and the site's own name are no headline: two stories under
    them share nothing by it."""
    own = set(words(outlet_key)) if outlet_key else set()
    return any(
        len(w) > 1 and not w.isdigit() and w not in _PAGE_WORDS and w not in own
        for w in words(headline)
    )


@lru_cache(maxsize=1024)
def headline_words(headline: str) -> frozenset[str]:
    """A headline's words, small words aside: what :func:`headline_overlap` compares."""
    return frozenset(w for w in words(headline) if w not in _NOT_NAMES and len(w) > 1)


def headline_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """The share of the shorter headline's words that the other holds."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def weigh(
    a: Features,
    b: Features,
    *,
    seen: tuple[datetime | None, datetime | None] = (None, None),
    published: tuple[date | None, date | None] = (None, None),
    common: frozenset[str] = frozenset(),
) -> Evidence:
    """The evidence that texts ``a`` and ``b`` are one story (see the module docstring).

    ``common``: names and numbers that most of the outlet's articles of the window print
    (the day's people, places and figures, see :func:`common_to`): they tell one story of
    the day from another no better than "the", and count for nothing."""
    names = (a.names | b.names) - common
    shared_names = sum(1 for n in names if f" {n} " in a.running and f" {n} " in b.running)
    shared_quotes = sum(
        1 for q in a.quotes | b.quotes if f" {q} " in a.running and f" {q} " in b.running
    )
    return Evidence(
        headline=headline_overlap(a.headline, b.headline),
        names=shared_names,
        of_names=len(names),
        quotes=shared_quotes,
        numbers=len((a.numbers & b.numbers) - common),
        hours=_hours_apart(seen, published),
    )


COMMON_SHARE = 0.5
"""A name or number printed by this share of the outlet's other articles of the window (two
at least) is the day's, not the story's."""


def common_to(window: list[Features]) -> frozenset[str]:
    """The names and numbers that at least :data:`COMMON_SHARE` of these texts (the outlet's
    other articles of the window), and two of them at least, print."""
    if len(window) < 2:
        return frozenset()
    held: dict[str, int] = {}
    for text in window:
        for piece in text.names | text.numbers:
            held[piece] = held.get(piece, 0) + 1
    least = max(2.0, COMMON_SHARE * len(window))
    return frozenset(piece for piece, count in held.items() if count >= least)


def _hours_apart(
    seen: tuple[datetime | None, datetime | None], published: tuple[date | None, date | None]
) -> float | None:
    hours = None
    if seen[0] is not None and seen[1] is not None:
        hours = abs((seen[0] - seen[1]).total_seconds()) / 3600
    if published[0] is not None and published[1] is not None:
        # A date line says the day, not the hour: days apart, less the one they may share.
        days = max(0, abs((published[0] - published[1]).days) - 1)
        hours = max(hours or 0.0, days * 24.0)
    return hours


@dataclass(frozen=True, slots=True)
class RewriteRule:
    """How strong the evidence must be (``benchmarks/matching.py`` prints the trade-off)."""

    window_hours: float = 48.0
    """Both texts first seen (and published) within this many hours; 0 turns the rule off."""
    headline: float = 0.4
    """Share of the shorter headline's words the other holds."""
    names: int = 3
    """Names both texts hold, at least..."""
    name_share: float = 0.75
    """...and this share of the names of both."""
    quotes_or_numbers: int = 1
    """Quotations and numbers both hold."""
    unheaded_containment: float = 0.60
    """Without a headline to weigh (none, or one that says nothing), the share of the shorter
    text the other holds in passages, at least..."""
    unheaded_name_share: float = 0.60
    """...and this share of the names of both (``names`` of them at least), and
    ``quotes_or_numbers``. Set on the tune half of the real Wikinews edits: an update
    that grew from 112 to 210 words holds 62% of the first and 7 of its 11 names."""

    def holds(self, evidence: Evidence) -> bool:
        if not self._in_window(evidence):
            return False
        return (
            evidence.headline >= self.headline
            and evidence.names >= self.names
            and evidence.names >= self.name_share * evidence.of_names - 1e-9
            and evidence.quotes + evidence.numbers >= self.quotes_or_numbers
        )

    def holds_unheaded(self, evidence: Evidence, containment: float) -> bool:
        """The rule for two texts of which one has no headline that says anything."""
        if not self._in_window(evidence):
            return False
        return (
            containment >= self.unheaded_containment
            and evidence.names >= self.names
            and evidence.names >= self.unheaded_name_share * evidence.of_names - 1e-9
            and evidence.quotes + evidence.numbers >= self.quotes_or_numbers
        )

    def _in_window(self, evidence: Evidence) -> bool:
        if self.window_hours <= 0:
            return False
        return evidence.hours is None or evidence.hours <= self.window_hours


@dataclass(frozen=True, slots=True)
class Turned:
    """A candidate of the file's outlet that the text rule turned down."""

    score: float
    candidate: KnownVersion
    containment: float
    headline: str
    """Its headline, if it says anything (``rules``: none if it says nothing)."""
    texts: tuple[str, str]
    """The file's text and its, as compared (without the furniture both print)."""


def best_rewrite(
    article: ParsedArticle,
    ours: str,
    turned_down: list[Turned],
    rule: RewriteRule,
    seen_at: datetime | None,
    window: Callable[[], frozenset[str]] = frozenset,
    rare_containment: Callable[[Turned], float] | None = None,
) -> tuple[float, KnownVersion, Evidence] | None:
    """Of the outlet's candidates the text rule turned down, the one whose evidence of a
    rewrite holds best (most of the names shared, then the headline), if any holds.

    Where either headline says nothing, the headline is no evidence and the words must
    hold part of the story (``RewriteRule.holds_unheaded``), in passages that are not the
    day's (``rare_containment``: see ``window.without_the_days``). Names and numbers that
    most of the articles of the window print (``window``) count for nothing."""
    if rule.window_hours <= 0 or not turned_down:
        return None
    headline = headline_words(ours) if ours else frozenset()
    common: frozenset[str] | None = None
    held = []
    for turned in turned_down:
        candidate = turned.candidate
        unheaded = not (ours and turned.headline)
        containment = turned.containment
        if unheaded:
            if containment >= rule.unheaded_containment and rare_containment is not None:
                containment = rare_containment(turned)
            if containment < rule.unheaded_containment:
                continue
        elif headline_overlap(headline, headline_words(turned.headline)) < rule.headline:
            continue  # most candidates end here, before names and quotations are read
        if common is None:
            common = window()
        evidence = weigh(
            features(ours, article.body),
            features(turned.headline, candidate.body),
            seen=(seen_at, candidate.first_seen_at),
            published=(article.published, candidate.published),
            common=common,
        )
        if rule.holds_unheaded(evidence, containment) if unheaded else rule.holds(evidence):
            strength = (evidence.names / max(1, evidence.of_names), evidence.headline)
            held.append((strength, turned.score, candidate, evidence))
    if not held:
        return None
    _, score, candidate, evidence = max(held, key=lambda h: (h[0], h[1], -h[2].version_id))
    return score, candidate, evidence

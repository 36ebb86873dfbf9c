"""Quotations in an article, who said them, and which of them an edit changed.

A quotation is text between a matching pair of quote marks inside one paragraph: ``“ ”``,
``„ “``, ``" "``, ``« »``, ``‘ ’``, and ``' '`` in headlines (``'RHETORIC'``). Which way a
straight mark faces is read from its neighbours: an opening mark follows a space (or the
start, a bracket, a dash) and precedes a word; a closing one follows a word. So narration
between two quotations is never taken for one, whatever an edit removed, and neither is a
markup attribute (``href="…"``: a mark after ``=`` opens nothing). The one exception to
"inside one paragraph" is the newsroom convention for a quotation that runs over several
paragraphs: the first paragraph leaves it open and the next one opens again; its text up to
the paragraph's end is a quotation too.

Quotations are aligned between versions by their words, then by their place (the narration
around them) and speaker (the name or pronoun next to "said", "told", "dedi"...); equal
words anywhere is no change, so a moved quotation is not reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rapidfuzz.distance import Indel

from newswatch.similarity import sentences, words

# Opening mark -> the marks that close it.
_PAIRS = {"“": "”", "„": "“”", "«": "»", "‘": "’", '"': '"'}
_HEADLINE_PAIRS = {**_PAIRS, "'": "'"}
_OPEN_BEFORE = set(" \t([{—–-:/") | {""}
_CLOSE_AFTER = set(" \t.,;:!?)]}—–-…/'’\"”»") | {""}
_TAG = re.compile(r"<[A-Za-z/!][^<>]*>")
_SPEECH = {
    *[
        "said",
        "says",
        "say",
        "told",
        "tells",
        "added",
        "adds",
        "asked",
        "asks",
        "stated",
        "states",
        "insisted",
        "insists",
        "argued",
        "argues",
        "warned",
        "warns",
        "explained",
        "explains",
        "wrote",
        "writes",
        "declared",
        "declares",
        "announced",
        "announces",
        "claimed",
        "claims",
        "replied",
        "replies",
        "noted",
        "notes",
        "continued",
        "continues",
        "urged",
        "urges",
        "admitted",
        "admits",
        "stressed",
        "stresses",
    ],
    # Turkish: "…" dedi / söyledi / diye konuştu / ifade etti / belirtti ...
    *[
        "dedi",
        "diyor",
        "demişti",
        "söyledi",
        "söylüyor",
        "belirtti",
        "açıkladı",
        "kaydetti",
        "vurguladı",
        "konuştu",
        "sordu",
        "ekledi",
        "yazdı",
        "bildirdi",
        "aktardı",
        "uyardı",
        "etti",
        "getirdi",
    ],
}
_PRONOUNS = {"he", "she", "they", "we", "i", "it", "o", "onlar"}
_SPEAKER_WORD = re.compile(r"^(?:[^\W\d_][\w'’.-]*)$")

SIMILAR_WORDS = 0.5
"""Word similarity from which two quotations are one quotation reworded."""
SAME_PLACE = 0.75
"""Similarity of the narration around two quotations from which they stand in one place."""


@dataclass(frozen=True, slots=True)
class Quotation:
    text: str
    speaker: str | None
    paragraph: int
    """0 for the headline, 1... for body paragraphs."""
    frame: tuple[str, ...]
    """Words of the narration just before and after it."""

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(words(self.text))


def quotations(headline: str, paragraphs: list[str]) -> list[Quotation]:
    """Every quotation of an article, headline first."""
    found = [_quotation(headline, 0, span, headline=True) for span in _spans(headline, True)]
    for index, paragraph in enumerate(paragraphs):
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else ""
        for span in _spans(paragraph, False, following):
            found.append(_quotation(paragraph, index + 1, span))
    return [q for q in found if q.key]


def _spans(text: str, headline: bool, following: str = "") -> list[tuple[int, int]]:
    """(start, end) of each quotation's text, between its marks."""
    masked = _TAG.sub(lambda m: " " * len(m.group()), text)  # no quotes inside markup
    pairs = _HEADLINE_PAIRS if headline else _PAIRS
    spans: list[tuple[int, int]] = []
    opened: tuple[str, int] | None = None
    for i, mark in enumerate(masked):
        if mark not in pairs and not any(mark in closers for closers in pairs.values()):
            continue
        before = masked[i - 1] if i else ""
        after = masked[i + 1] if i + 1 < len(masked) else ""
        if opened and mark in pairs[opened[0]] and _closes(mark, before, after):
            if i > opened[1] + 1:
                spans.append((opened[1] + 1, i))
            opened = None
        elif (
            mark in pairs and _opens(mark, before, after) and (opened is None or opened[0] == mark)
        ):
            # The same mark opening again: the one before was never closed, so it was no
            # quotation. Other marks inside a quotation are its text ("‘" inside "“").
            opened = (mark, i)
    if opened and following.lstrip()[:1] in _PAIRS:
        # Continued in the next paragraph: the convention for a long quotation.
        spans.append((opened[1] + 1, len(text)))
    return spans


def _opens(mark: str, before: str, after: str) -> bool:
    if mark in "“„«‘":
        return mark != "“" or not after.isspace()
    # Straight marks face the word they touch; after "=" it is an attribute value.
    return before != "=" and (before in _OPEN_BEFORE or before.isspace()) and bool(after.strip())


def _closes(mark: str, before: str, after: str) -> bool:
    if mark in "”»":
        return True
    if mark in "’'":
        # An apostrophe sits between two letters (Syria's, Türkiye'nin).
        return before.strip() != "" and (after in _CLOSE_AFTER or after.isspace())
    if mark == "“":
        return True  # closes „
    return before.strip() != "" and (after in _CLOSE_AFTER or after.isspace())


def _quotation(
    paragraph: str, index: int, span: tuple[int, int], headline: bool = False
) -> Quotation:
    start, end = span
    text = paragraph[start:end].strip()
    before_text, after_text = _narration(paragraph, start, end)
    speaker = None if headline else _speaker(before_text, after_text)
    frame = (*words(before_text)[-6:], "|", *words(after_text)[:6])
    return Quotation(text=text, speaker=speaker, paragraph=index, frame=frame)


def _narration(paragraph: str, start: int, end: int) -> tuple[str, str]:
    """The narration of the quotation's sentence before and after it, up to other marks."""
    head = paragraph[: max(0, start - 1)]
    tail = paragraph[end + 1 :]
    head = re.split(r"[“”\"«»„]", head)[-1]
    tail = re.split(r"[“”\"«»„]", tail)[0]
    head_sentences = sentences(head) if head.strip() else []
    tail_sentences = sentences(tail) if tail.strip() else []
    return (
        head_sentences[-1] if head_sentences else "",
        tail_sentences[0] if tail_sentences else "",
    )


def _speaker(before: str, after: str) -> str | None:
    """The name or pronoun next to a verb of saying, after the quotation or else before."""
    for text, quote_first in ((after, True), (before, False)):
        tokens = re.findall(r"[\w'’.-]+|[,:;]", text)
        for i, token in enumerate(tokens):
            if token.casefold().strip(".") not in _SPEECH:
                continue
            left = _name_run(tokens[:i], from_end=True)
            if left:
                return left
            right = _name_run(tokens[i + 1 :], from_end=False)
            if right and quote_first:
                return right
            if quote_first and before:
                # Turkish order: Erdoğan, "…" dedi. The subject opens the sentence.
                subject = _name_run(re.findall(r"[\w'’.-]+|[,:;]", before), from_end=False)
                if subject:
                    return subject
    return None


def _name_run(tokens: list[str], from_end: bool) -> str | None:
    """A pronoun, or capitalised words ("Mr Putin", "Moscow-based US lawyer Jamie Firestone"
    gives "Jamie Firestone"), next to the verb."""
    sequence = list(reversed(tokens)) if from_end else tokens
    if not sequence:
        return None
    if sequence[0].casefold() in _PRONOUNS:
        return sequence[0]
    if from_end:
        run: list[str] = []
        for token in sequence:
            if _SPEAKER_WORD.match(token) and token[0].isupper():
                run.append(token)
            else:
                break
        return " ".join(reversed(run[:4])) or None
    run = []
    for token in sequence[:8]:
        if token in ",;:":
            break
        if _SPEAKER_WORD.match(token) and token[0].isupper():
            run.append(token)
        elif run:
            run = []  # "said Moscow-based US lawyer Jamie Firestone": keep the last run
    return " ".join(run[-4:]) or None


# --- alignment ------------------------------------------------------------------------

Relation = Literal["same", "different", "unknown"]


def _speakers(a: str | None, b: str | None) -> Relation:
    if not a or not b or a.casefold() in _PRONOUNS or b.casefold() in _PRONOUNS:
        return "unknown"
    # "Mr Putin", "Putin" and "Vladimir Putin" are one speaker.
    return "same" if a.split()[-1].casefold() == b.split()[-1].casefold() else "different"


def quote_changes(
    old: list[Quotation], new: list[Quotation]
) -> list[tuple[Quotation | None, Quotation | None]]:
    """Pairs (old, new) of quotations that changed; (q, None) removed, (None, q) added."""
    left, right = _cancel(old, new)
    candidates = []
    for i, a in enumerate(left):
        for j, b in enumerate(right):
            if (a.paragraph == 0) != (b.paragraph == 0):
                continue  # a headline's quotation stays the headline's
            relation = _speakers(a.speaker, b.speaker)
            if relation == "different":
                continue
            text = Indel.normalized_similarity(a.key, b.key)
            place = Indel.normalized_similarity(a.frame, b.frame)
            headline_slot = a.paragraph == b.paragraph == 0
            if text >= SIMILAR_WORDS or place >= SAME_PLACE or headline_slot:
                bonus = 0.2 if relation == "same" else 0.0
                candidates.append((text + place / 2 + bonus, i, j))
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs: list[tuple[Quotation | None, Quotation | None]] = []
    for _, i, j in sorted(candidates, reverse=True):
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        pairs.append((left[i], right[j]))
    pairs += [(a, None) for i, a in enumerate(left) if i not in used_old]
    pairs += [(None, b) for j, b in enumerate(right) if j not in used_new]
    order = {id(q): n for n, q in enumerate([*new, *old])}
    pairs.sort(key=lambda p: order[id(p[1] if p[1] is not None else p[0])])
    return pairs


def _cancel(old: list[Quotation], new: list[Quotation]) -> tuple[list[Quotation], list[Quotation]]:
    """Quotations with the same words on both sides are unchanged, wherever they stand."""
    remaining = list(new)
    left = []
    for quote in old:
        twin = next((q for q in remaining if q.key == quote.key), None)
        if twin is None:
            left.append(quote)
        else:
            remaining.remove(twin)
    return left, remaining

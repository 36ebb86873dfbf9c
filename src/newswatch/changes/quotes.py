"""Quotations in an article, who said them, and which of them an edit changed.

A quotation is text between a matching pair of quote marks inside one paragraph: ``“ ”``,
``„ “``, ``" "``, ``« »``, ``‘ ’`` and the rest of ``read.quotations``' table, and ``' '``
in headlines (``'RHETORIC'``). Which way a
straight mark faces is read from its neighbours: an opening mark follows a space (or the
start, a bracket, a dash) and precedes a word; a closing one follows a word. So narration
between two quotations is never taken for one, whatever an edit removed, and neither is a
markup attribute (``href="…"``: a mark after ``=`` opens nothing). Text as people type
it has marks with spaces inside (``" huge "``), after a space (``next , "``), apostrophes
with spaces (``Designers ' Competition``) and stray marks: a spaced mark does whichever
is due, an apostrophe is never a mark in the body, and a stray mark makes the paragraph's
other pairings uncertain, which are then never claimed (see ``_spans``). The one exception to
"inside one paragraph" is the newsroom convention for a quotation that runs over several
paragraphs: the first paragraph leaves it open and the next one opens again; its text up to
the paragraph's end is a quotation too.

Quotations are aligned between versions by their words, then by their place (the narration
around them) and speaker (the name or pronoun next to "said", "told", "dedi"...); equal
words anywhere is no change, so a moved quotation is not reported.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Literal

from rapidfuzz.distance import Indel

from newswatch.changes.pairing import best_first
from newswatch.read.quotations import APOSTROPHES, NOT_APOSTROPHES, quotation_spans
from newswatch.read.text import UPPERCASE, words

_MARK_SPLIT = re.compile(f"[{re.escape(NOT_APOSTROPHES)}]")
_SENTENCE_STOP = re.compile(r"(?<=[.!?])\s+(?=\S)")
_ENDS_SENTENCE = re.compile(r"[.!?…]\s*$")
_STARTS_SENTENCE = re.compile(rf"\s*[{UPPERCASE}]")
# Verbs of saying, English and Turkish ("…" dedi / söyledi / diye konuştu / ifade etti).
_SPEECH_TEXT = (
    "said says say told tells added adds asked asks stated states insisted insists argued "
    "argues warned warns explained explains wrote writes declared declares announced "
    "announces claimed claims replied replies noted notes continued continues urged urges "
    "admitted admits stressed stresses dedi diyor demişti söyledi söylüyor belirtti "
    "açıkladı kaydetti vurguladı konuştu sordu ekledi yazdı bildirdi aktardı uyardı etti "
    "getirdi"
)
_SPEECH = frozenset(_SPEECH_TEXT.split())
_PRONOUNS = {"he", "she", "they", "we", "i", "it", "o", "onlar"}
_SPEAKER_WORD = re.compile(rf"^(?:[^\W\d_][\w{APOSTROPHES}.-]*)$")
_SPEAKER_TOKEN = re.compile(rf"[\w{APOSTROPHES}.-]+|[,:;]")

SIMILAR_WORDS = 0.5
"""Word similarity from which two quotations are one quotation reworded."""
SAME_PLACE = 0.75
"""Similarity of the narration around two quotations from which they stand in one place."""


class Quotation:
    """One quotation; who said it and the narration around it are read only when asked
    (most quotations of an edit are found unchanged on both sides and never need them)."""

    def __init__(
        self, paragraph: str, index: int, span: tuple[int, int, bool], headline: bool
    ) -> None:
        self._source, self._span, self._headline = paragraph, span[:2], headline
        self.text = paragraph[span[0] : span[1]].strip()
        self.certain = span[2]
        """Its marks were paired with no doubt: only a certain quotation is claimed."""
        self.paragraph = index
        """0 for the headline, 1... for body paragraphs."""
        self.key = tuple(words(self.text))
        """Its words, case-folded: equal keys are one quotation, however punctuated."""

    @cached_property
    def around(self) -> tuple[str, str]:
        """The narration of its sentence before and after it."""
        return _narration(self._source, *self._span)

    @cached_property
    def speaker(self) -> str | None:
        return None if self._headline else _speaker(*self.around)

    @cached_property
    def frame(self) -> tuple[str, ...]:
        """Words of the narration just before and after it."""
        before, after = self.around
        return (*words(before)[-6:], "|", *words(after)[:6])


def quotations(
    headline: str, paragraphs: list[str], only: set[int] | None = None
) -> list[Quotation]:
    """The quotations of an article, headline first; ``only`` these paragraphs (from 0)."""
    found = [Quotation(headline, 0, span, True) for span in quotation_spans(headline, True)]
    for index, paragraph in enumerate(paragraphs):
        if only is not None and index not in only:
            continue
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else ""
        for span in quotation_spans(paragraph, False, following):
            found.append(Quotation(paragraph, index + 1, span, False))
    return [q for q in found if q.key]


def _narration(paragraph: str, start: int, end: int) -> tuple[str, str]:
    """The narration of the quotation's sentence before and after it, up to other marks."""
    head = paragraph[: max(0, start - 1)]
    tail = paragraph[end + 1 :]
    head = _MARK_SPLIT.split(head)[-1]
    tail = _MARK_SPLIT.split(tail, maxsplit=1)[0]
    # Only this sentence's narration: after the last full stop before, up to the next one.
    head = _SENTENCE_STOP.split(head)[-1]
    tail = _SENTENCE_STOP.split(tail, maxsplit=1)[0]
    if _ENDS_SENTENCE.search(paragraph[start:end]) and _STARTS_SENTENCE.match(tail):
        tail = ""  # '…misdirected." She said': the quotation ended its sentence
    return head.strip(), tail.strip()


def _speaker(before: str, after: str) -> str | None:
    """The name or pronoun next to a verb of saying, after the quotation or else before."""
    for text, quote_first in ((after, True), (before, False)):
        tokens = _SPEAKER_TOKEN.findall(text)
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
                subject = _name_run(_SPEAKER_TOKEN.findall(before), from_end=False)
                if subject:
                    return subject
    return None


_NOT_NAMES_TEXT = (
    "as but and so then when while if yet or also however in on at after before ve ama fakat"
)
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())


def _name_run(tokens: list[str], from_end: bool) -> str | None:
    """A pronoun, or the capitalised words next to the verb: "Mr Putin"; after the verb
    the last run before a comma ("Moscow-based US lawyer Jamie Firestone" gives "Jamie
    Firestone"), and nothing when a lower-case word follows the verb ("told reporters")."""
    sequence = list(reversed(tokens)) if from_end else tokens
    if not sequence:
        return None
    if sequence[0].casefold() in _PRONOUNS:
        return sequence[0]
    if not _capitalised(sequence[0]):
        return None
    run: list[str] = []
    if from_end:
        for token in sequence:
            if not _capitalised(token):
                break
            run.append(token)
        run.reverse()
    else:
        for token in sequence[:8]:
            if token in ",;:" or token.endswith("."):
                if token.endswith(".") and _capitalised(token):
                    run.append(token)
                break
            if _capitalised(token):
                run.append(token)
            else:
                run = []  # a title: keep the name after it
    while run and run[0].casefold() in _NOT_NAMES:
        run.pop(0)
    names = [t.rstrip(".") for t in run[-4:]]
    return " ".join(names) or None


def _capitalised(token: str) -> bool:
    return bool(_SPEAKER_WORD.match(token)) and token[0].isupper()


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
    paired = best_first(candidates)
    used_old = {i for i, _, _ in paired}
    used_new = {j for _, j, _ in paired}
    pairs: list[tuple[Quotation | None, Quotation | None]] = [
        (left[i], right[j]) for i, j, _ in paired
    ]
    pairs += [(a, None) for i, a in enumerate(left) if i not in used_old]
    pairs += [(None, b) for j, b in enumerate(right) if j not in used_new]
    # Where the marks could not be paired with certainty, say nothing rather than claim.
    pairs = [p for p in pairs if all(q.certain for q in p if q is not None)]
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

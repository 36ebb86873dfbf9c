"""Language-aware text primitives shared by fingerprinting, matching and diffs.

newswatch reads English and Turkish news, and Python's defaults are wrong for Turkish:

- ``str.casefold`` turns ``İ`` into ``i`` + U+0307 (a combining dot that is not a word
  character), so ``İSTANBUL ŞİŞLİ`` fell apart into ``i, stanbul, şi, şli``. :func:`fold`
  maps the four Turkish i's (``İ I ı i``) to one ``i`` first: for matching, consistency
  matters more than the Turkish distinction between dotted and dotless i.
- Sentences start at any uppercase letter, not only A-Z (``İ Ş Ç Ö Ü Ğ``), and after any
  opening quote mark (``read.quotations``' table).
- ``'`` and ``’`` are one apostrophe (``Türkiye'nin`` = ``Türkiye’nin``).

A text's own repetition counts once (:func:`counted_once`): scraped pages repeat a photo
caption as its alt text, and counted twice a 120-word caption made 60% of a short story.
"""

from __future__ import annotations

import re

from newswatch.read.quotations import CLOSING_MARKS, OPENING_MARKS

UPPERCASE = "".join(c for c in map(chr, range(0x2000)) if c.isupper())
"""Every uppercase letter of the Latin, Greek and Cyrillic blocks: a sentence may start so."""
LOWERCASE = "".join(c for c in map(chr, range(0x2000)) if c.islower())


# A sentence ends at . ! ? or … (closing quotes and brackets may follow), and the next one
# starts, after white space, with an uppercase letter or a digit, perhaps behind an opening
# quote or bracket. The mark is matched, not looked behind at: a pattern that starts with a
# character class is searched for that character in C, one that starts with a lookbehind
# is tried at every position of the text.
_SENTENCE_END = re.compile(
    rf"[.!?…][{re.escape(CLOSING_MARKS)})\]]*\s+"
    rf"(?=[{re.escape(OPENING_MARKS)}(\[]?[{UPPERCASE}0-9])"
)
# Abbreviations whose full stop ends no sentence: titles before names, and initials.
_ABBREVIATION = re.compile(
    r"(?:^|\s)(?:Mr|Mrs|Ms|Dr|Prof|St|Mt|Gen|Col|Lt|Sgt|Capt|Rev|Sen|Rep|Gov|Jr|Sr|vs|"
    r"Av|Doç|Yrd|Op|Uzm|Alb|Org|Korg|Tuğg|Sn|Bkz|Yard|"
    rf"[{UPPERCASE}])\.$"
)
_WORD = re.compile(r"\w+")
# Where a sentence may end, for finding a sentence said twice: after . ! ? or … and a space
# (texts are read with their white space folded). Cruder than :func:`sentences`, which
# keeps "Mr. Hollande" whole, but a few passes of C, and both occurrences of a repeated
# sentence split alike, which is all that finding it needs.
_SENTENCE_CLOSERS = ".!?…"

REPEAT_MIN_WORDS = 8
"""A sentence this long said twice in one text is repetition, not emphasis: the shortest
caption sentences repeated as alt text run to 8 words, and shorter ones ("he said on
Tuesday") recur in prose by chance."""


def fold(text: str) -> str:
    """Case-fold for comparison, with one ``i`` for ``İ I ı i``."""
    if text.isascii():
        return text.lower()
    folded = text.casefold()  # İ -> i + U+0307, I -> i, ı stays
    if "\u0307" in folded:
        folded = folded.replace("i\u0307", "i")
    if "ı" in folded:
        folded = folded.replace("ı", "i")
    return folded


def outlet_key(outlet: str | None) -> str | None:
    """One outlet however it is written: 'Reuters', 'REUTERS' and ' reuters ' are 'reuters'.

    Computed once where an outlet enters (the parser, a command's ``--outlet``) and stored
    beside the name as written (``outlet_key`` columns): matching, the passage and line
    keys, the outlet figures, the export and the alert labels all compare this form, and
    show the name as written. None for a file without an outlet line.
    """
    if outlet is None:
        return None
    return " ".join(fold(outlet).split()) or None


def words(text: str) -> list[str]:
    """Folded words: letters and digits, split at punctuation and apostrophes."""
    return _WORD.findall(fold(text))


def counted_once(paragraphs: list[str]) -> list[str]:
    """The paragraphs with what the text repeats counted once: a paragraph that occurred
    before, and a sentence of :data:`REPEAT_MIN_WORDS` words or more that occurred before
    (in any paragraph), are left out the second time. Returns ``paragraphs`` itself when
    nothing repeats (the usual case), so callers can tell by identity."""
    if not _repeats(paragraphs):
        return paragraphs
    seen_paragraphs: set[str] = set()
    seen_sentences: set[str] = set()
    kept: list[str] = []
    repeated = False
    for paragraph in paragraphs:
        if not paragraph:
            kept.append(paragraph)  # a blank line between paragraphs is no repetition
            continue
        if paragraph in seen_paragraphs:
            repeated = True
            continue
        seen_paragraphs.add(paragraph)
        pieces = _pieces(paragraph).split("\n")
        own = []
        for piece in pieces:
            if piece.count(" ") >= REPEAT_MIN_WORDS - 1:
                if piece in seen_sentences:
                    repeated = True
                    continue
                seen_sentences.add(piece)
            own.append(piece)
        if len(own) < len(pieces):
            if own:
                kept.append(" ".join(own))
        else:
            kept.append(paragraph)
    return kept if repeated else paragraphs


def _pieces(text: str) -> str:
    """The text with a line break after every sentence's end (see ``_SENTENCE_CLOSERS``)."""
    for mark in _SENTENCE_CLOSERS:
        if mark in text:
            text = text.replace(f"{mark} ", f"{mark}\n")
    return text


def _repeats(paragraphs: list[str]) -> bool:
    """Whether :func:`counted_once` may have anything to leave out: whether any line or
    sentence, of any length, occurs twice. A few passes of C over the text: most texts
    repeat nothing, and reading them sentence by sentence cost 45 µs a text."""
    pieces = _pieces("\n".join(p for p in paragraphs if p)).split("\n")
    return len(set(pieces)) < len(pieces)


def sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences (see the module docstring)."""
    parts: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        after_mark = match.start() + 1
        # Abbreviations are short: the last few characters tell (a longer slice cost a
        # copy of the whole sentence at every full stop).
        if _ABBREVIATION.search(paragraph[max(start, after_mark - 9) : after_mark]):
            continue  # "Mr. Hollande", "J. Smith": the sentence goes on
        end = match.start() + len(match.group().rstrip())
        parts.append(paragraph[start:end].strip())
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        parts.append(tail)
    return [p for p in parts if p]


_TURKISH_LETTERS = re.compile(r"[çğıöşüÇĞİÖŞÜ]")
_TURKISH_WORDS = re.compile(r"\w*[çğıöşüÇĞİÖŞÜ]\w*")


def is_turkish(text: str, encoding: str | None = None) -> bool:
    """cp1254 bytes, or at least one word in eight with a Turkish letter.

    In Turkish prose about every third word has one of ç ğ ı ö ş ü; an English story
    quoting a few Turkish names stays far below one in eight.
    """
    if encoding and encoding.lower().replace("-", "") in ("cp1254", "windows1254", "iso88599"):
        return True
    sample = text[:4000]
    if not _TURKISH_LETTERS.search(sample):
        return False
    found = _WORD.findall(sample)
    marked = len(_TURKISH_WORDS.findall(sample))
    return marked * 8 >= len(found)

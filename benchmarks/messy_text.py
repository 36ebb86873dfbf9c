"""Are the number and quotation changes a report states true on text as people type it?

    .venv/bin/python benchmarks/messy_text.py [--pairs 300] [--seed 19] [--show 5]
    .venv/bin/python benchmarks/messy_text.py --real-only          # the Wikinews edits only
    .venv/bin/python benchmarks/messy_text.py --baseline DIR       # and the diff's cost before
    .venv/bin/python benchmarks/messy_text.py --draw-fixture PATH  # redraw the news sentences

Three parts, all from ``../shared/corpus`` (skipped with a message when it is absent).

**Real human edits** (``wikinews_edits/pairs.jsonl``: 98 Wikinews revisions with the spans
annotators marked; real data nobody here wrote). Each revision is diffed as one paragraph,
and each claim is checked twice: against the annotated spans (a claim must stand where the
annotators marked a change), and by an independent check written here, not in newswatch: an
added quotation whose words (case-folded, marks and punctuation ignored) are said anywhere
in the old text is false, so is a removed one said anywhere in the new, or a changed one
whose words did not change or whose old and new words each stand in the other text; a
number claim must name two different figures. Recall counts the quotations (found by
counting straight marks, ``“ ”`` in pairs; a text with an odd number of straight marks is
left out) that an annotated span touched and whose words are gone from the other text. A
fixed split, printed: doc_ids sorted as text, the first half to tune on, the rest to report
on; both halves are printed. Goals: quotation precision >= 0.97, number precision 1.000.

**Built pairs** from the shared BBC and 1150haber articles, with a fixed seed (generated
data: the noise is of the kinds people and scrapers type). Into each pair it injects
*noise that changes nothing*, into one version only: spaces inside quote marks, a closing
mark after a space, an apostrophe with spaces, a stray mark, a weekday glued to a date
(``ThursdayJanuary 18 2007``), a separator swapped in one value (``1,500`` -> ``1.500``), a
time turned into a range with the same start (``since 4pm`` -> ``from 4 to 7pm``); and
*real changes*, each one recorded: a figure changed in digits, in words (``three`` ->
``four``, ``üç`` -> ``dört``), a decimal with two places, a range's end, a quotation
reworded, added or removed. A number claim is right when it names a recorded figure change,
a quotation claim when it has the recorded quotation's words. It prints the precision of
number and quotation claims and the recall of the injected real changes, as reported and as
found before the verifier. Goals: number precision 1.000, quotation precision >= 0.98,
recall >= 0.95.

**The diff's cost** on the real BBC pairs (``bbc_similar_pairs.tsv``, 100 pairs: 70 edited
versions of one story, 30 stories on one subject) and on the built pairs, in CPU time.
``--baseline DIR`` times the same pairs with the ``src/`` of another checkout (``git
worktree add DIR <commit>``): one process per checkout, their rounds taken in turn, the best
round of each kept, and prints the ratio.

``--draw-fixture`` writes the sentences of ``tests/fixtures/news_quantities.json`` by its
rule (``draw_number_sentences``), with what the reader reads in each, for a person to read
and correct.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from halves import split_by_doc  # type: ignore[import-not-found]

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "June", "July", "August", "September"]
EN_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine"]
TR_WORDS = ["iki", "üç", "dört", "beş", "sekiz", "dokuz"]
TR_MONTHS = {"ocak", "şubat", "mart", "nisan", "mayıs", "haziran", "temmuz", "ağustos", "eylül"}
TR_MONTHS |= {"ekim", "kasım", "aralık"}
EN_NOUNS = ["people", "soldiers", "children", "companies", "schools", "players"]
TR_NOUNS = ["kişi", "asker", "çocuk", "şirket", "okul", "oyuncu"]


@dataclass
class Pair:
    name: str
    headline: str
    old: list[str]
    new: list[str]
    turkish: bool
    numbers: list[tuple[str, str]] = field(default_factory=list)
    """Each real figure change: (old figure, new figure) as written."""
    quotes: list[tuple[str | None, str | None]] = field(default_factory=list)
    noise: list[str] = field(default_factory=list)


# --- the articles -------------------------------------------------------------------------


def articles(rng: random.Random, count: int) -> list[tuple[str, str, list[str], bool]]:
    """(name, headline, paragraphs, turkish): two thirds BBC, one third 1150haber."""
    from newswatch.read.parse import parse

    bbc = sorted((SHARED / "bbc").glob("*/*.txt"))
    turkish = sorted((SHARED / "tr_1150haber").glob("*/*.txt"))
    chosen = [(p, False) for p in rng.sample(bbc, count - count // 3)]
    chosen += [(p, True) for p in rng.sample(turkish, count // 3)]
    found = []
    for path, is_turkish in chosen:
        try:
            parsed = parse(path.read_bytes())
        except Exception:
            continue  # a file the parser refuses is no article to edit
        if len(parsed.paragraphs) >= 3:
            name = str(path.relative_to(SHARED))
            found.append((name, parsed.headline, parsed.paragraphs, is_turkish))
    return found


# --- noise that changes nothing (one version only) ----------------------------------------


def _side(rng: random.Random, pair: Pair) -> list[str]:
    return pair.old if rng.random() < 0.5 else pair.new


def _rewrite(rng: random.Random, pair: Pair, pattern: str, replace: str, name: str) -> bool:
    side = _side(rng, pair)
    places = [(i, m) for i, p in enumerate(side) for m in re.finditer(pattern, p)]
    if not places:
        return False
    i, match = rng.choice(places)
    side[i] = side[i][: match.start()] + match.expand(replace) + side[i][match.end() :]
    pair.noise.append(name)
    return True


def spaced_marks(rng: random.Random, pair: Pair) -> bool:
    return _rewrite(rng, pair, r'(?<=\s)"([^"\n]{3,60}?)"', r'" \1 "', "spaces inside marks")


def closing_after_space(rng: random.Random, pair: Pair) -> bool:
    return _rewrite(rng, pair, r'(\w)([,.])"(?=\s)', r'\1 \2 "', "closing mark after a space")


def spaced_apostrophe(rng: random.Random, pair: Pair) -> bool:
    return _rewrite(rng, pair, r"(\w)'(s?)(?=\s)", r"\1 '\2", "apostrophe with spaces")


def stray_mark(rng: random.Random, pair: Pair) -> bool:
    return _rewrite(rng, pair, r"(\w)\. (?=[A-Z])", r'\1 " . ', "stray mark")


_MARKS = re.compile(r"[\"“”«»„]")


def _plain(pair: Pair) -> list[int]:
    """Paragraphs without a quotation in either version: a figure changed inside a
    quotation changes the quotation too, which the scoring would not expect."""
    return [
        i
        for i in range(min(len(pair.old), len(pair.new)))
        if not _MARKS.search(pair.old[i]) and not _MARKS.search(pair.new[i])
    ]


def _inject(rng: random.Random, pair: Pair, old: str, new: str) -> bool:
    """One sentence at the end of one paragraph, written ``old`` in the old version."""
    plain = _plain(pair)
    if not plain:
        return False
    i = rng.choice(plain)
    pair.old[i] = f"{pair.old[i]} {old}"
    pair.new[i] = f"{pair.new[i]} {new}"
    return True


def glued_date(rng: random.Random, pair: Pair) -> bool:
    if pair.turkish:
        return False
    day, month = rng.randint(1, 28), rng.choice(MONTHS)
    weekday, year = rng.choice(WEEKDAYS), rng.randint(1995, 2007)
    glued = f"The hearing was set for {weekday}{month} {day} {year}."
    clean = f"The hearing was set for {weekday}, {day} {month} {year}."
    if not _inject(rng, pair, *((glued, clean) if rng.random() < 0.5 else (clean, glued))):
        return False
    pair.noise.append("weekday glued to a date")
    return True


def separator_swap(rng: random.Random, pair: Pair) -> bool:
    pattern, swap = (
        (r"\b(\d{1,3})\.(\d{3})\b", r"\1,\2")
        if pair.turkish
        else (r"\b(\d{1,3}),(\d{3})\b", r"\1.\2")
    )
    if _rewrite(rng, pair, pattern, swap, "separator swapped"):
        return True
    value = f"{rng.randint(1, 9)}{',' if not pair.turkish else '.'}{rng.randint(100, 999)}"
    swapped = value.replace(",", "#").replace(".", ",").replace("#", ".")
    noun = rng.choice(TR_NOUNS if pair.turkish else EN_NOUNS)
    text = "Törene {} {} katıldı." if pair.turkish else "About {} {} attended."
    if not _inject(rng, pair, text.format(value, noun), text.format(swapped, noun)):
        return False
    pair.noise.append("separator swapped")
    return True


def time_to_range(rng: random.Random, pair: Pair) -> bool:
    start = rng.randint(1, 8)
    if pair.turkish:
        old = f"Yol saat {start + 12}.00'dan beri kapalı."
        new = f"Yol saat {start + 12}.00 ile {start + 15}.00 arasında kapalı."
    else:
        old = f"The road has been closed since {start}pm."
        new = f"The road was closed from {start} to {start + 3}pm."
    if not _inject(rng, pair, old, new):
        return False
    pair.noise.append("time became a range")
    return True


NOISE = [
    spaced_marks,
    closing_after_space,
    spaced_apostrophe,
    stray_mark,
    glued_date,
    separator_swap,
    time_to_range,
]


# --- real changes (recorded) ----------------------------------------------------------------


def figure_in_digits(rng: random.Random, pair: Pair) -> bool:
    pattern = r"(?<![\w.,£$€/-])([1-9]\d{0,2})(?= ([a-zçğıöşü]{4,}))"
    places = [(i, m) for i in _plain(pair) for m in re.finditer(pattern, pair.new[i])]
    places = [(i, m) for i, m in places if m.group(2).casefold() not in TR_MONTHS]
    if not places:
        return False
    i, match = rng.choice(places)
    old = match.group(1)
    new = str(int(old) + rng.randint(1, 9))
    pair.new[i] = pair.new[i][: match.start()] + new + pair.new[i][match.end() :]
    pair.numbers.append((old, new))
    return True


def figure_in_words(rng: random.Random, pair: Pair) -> bool:
    words, nouns = (TR_WORDS, TR_NOUNS) if pair.turkish else (EN_WORDS, EN_NOUNS)
    old, new = rng.sample(words, 2)
    noun = rng.choice(nouns)
    text = "Kazada {} {} yaralandı." if pair.turkish else "{} {} were hurt in the crash."
    first = (lambda w: w) if pair.turkish else str.capitalize
    if not _inject(rng, pair, text.format(first(old), noun), text.format(first(new), noun)):
        return False
    pair.numbers.append((first(old), first(new)))
    return True


def decimal_two_places(rng: random.Random, pair: Pair) -> bool:
    whole = rng.randint(1, 12)
    old, new = f"{whole}.{rng.randint(10, 99)}", f"{whole}.{rng.randint(1, 9)}"
    if pair.turkish:
        old, new = old.replace(".", ","), new.replace(".", ",")
        text = "Fiyatlar geçen ay yüzde {} arttı."
    else:
        text = "Prices rose {} per cent last month."
    if not _inject(rng, pair, text.format(old), text.format(new)):
        return False
    pair.numbers.append((old, new))
    return True


def range_end(rng: random.Random, pair: Pair) -> bool:
    low = rng.randint(2, 9)
    high, changed = low + rng.randint(1, 4), low + rng.randint(5, 9)
    text = "Olayda {}-{} kişi yaralandı." if pair.turkish else "Between {} and {} people were hurt."
    if not _inject(rng, pair, text.format(low, high), text.format(low, changed)):
        return False
    pair.numbers.append((str(high), str(changed)))
    return True


_SIMPLE_QUOTE = re.compile(r'(?<![\w"])"([^"\n]{12,200})"(?![\w"])')


def _quoted_paragraphs(pair: Pair) -> list[tuple[int, re.Match[str]]]:
    """Paragraphs with exactly one quotation in straight marks, the same in both versions."""
    return [
        (i, m)
        for i, p in enumerate(pair.new)
        if p == pair.old[i] and p.count('"') == 2 and (m := _SIMPLE_QUOTE.search(p))
    ]


def quote_reworded(rng: random.Random, pair: Pair) -> bool:
    places = [(i, m) for i, m in _quoted_paragraphs(pair) if len(m.group(1).split()) >= 4]
    if not places:
        return False
    i, match = rng.choice(places)
    old = match.group(1)
    words = old.split()
    # Between two words without a figure: "100 really million" would change a number too.
    gaps = [k for k in range(1, len(words)) if not re.search(r"\d", words[k - 1] + words[k])]
    if not gaps:
        return False
    k = rng.choice(gaps)
    new = " ".join([*words[:k], "çok" if pair.turkish else "really", *words[k:]])
    paragraph = pair.new[i]
    pair.new[i] = paragraph[: match.start(1)] + new + paragraph[match.end(1) :]
    pair.quotes.append((old, new))
    return True


def quote_removed(rng: random.Random, pair: Pair) -> bool:
    places = _quoted_paragraphs(pair)
    if not places or len(pair.new) < 4:
        return False
    i, match = rng.choice(places)
    del pair.new[i]  # the paragraph and its quotation, from the new version only
    pair.quotes.append((match.group(1), None))
    return True


def quote_added(rng: random.Random, pair: Pair, donor: list[str]) -> bool:
    sentences = [s for p in donor for s in re.split(r"(?<=\.) ", p) if 40 < len(s) < 160]
    sentences = [s for s in sentences if not re.search(r"[\"'“”‘’«»]", s)]
    if not sentences:
        return False
    said = rng.choice(sentences).rstrip(".")
    verb = "dedi" if pair.turkish else "a spokesman said"
    text = f'Sözcü, "{said}" {verb}.' if pair.turkish else f'"{said}," {verb}.'
    i = rng.randrange(len(pair.new) + 1)
    pair.new.insert(i, text)
    pair.quotes.append((None, f"{said}," if not pair.turkish else said))
    return True


def make_pairs(rng: random.Random, count: int) -> list[Pair]:
    found = articles(rng, count)
    pairs = []
    for index, (name, headline, paragraphs, turkish) in enumerate(found):
        pair = Pair(name, headline, list(paragraphs), list(paragraphs), turkish)
        for noise in rng.sample(NOISE, rng.randint(2, 4)):
            noise(rng, pair)
        changes = [figure_in_digits, figure_in_words, decimal_two_places, range_end]
        changes += [quote_reworded, quote_removed]
        chosen = rng.sample(changes, rng.randint(1, 3))
        # A figure of the article's own first (not one of an injected sentence), and a
        # paragraph removed last (sentences are injected into the same paragraph of both).
        order = {figure_in_digits: 0, quote_removed: 2}
        for change in sorted(chosen, key=lambda c: order.get(c, 1)):
            change(rng, pair)
        if rng.random() < 0.3:
            quote_added(rng, pair, found[(index + 1) % len(found)][2])
        pairs.append(pair)
    return pairs


# --- scoring ------------------------------------------------------------------------------


def _tokens(text: str | None) -> list[str]:
    return re.findall(r"\w+(?:[.,]\w+)*", (text or "").casefold())


def _names(claim: str, figure: str) -> bool:
    wanted = _tokens(figure)
    have = _tokens(claim)
    return any(have[i : i + len(wanted)] == wanted for i in range(len(have)))


def _words(text: str | None) -> list[str]:
    from newswatch.read.text import words

    return words(text or "")


@dataclass
class Score:
    right: int = 0
    wrong: int = 0
    found: int = 0
    injected: int = 0
    wrong_examples: list[str] = field(default_factory=list)

    def precision(self) -> float:
        return self.right / (self.right + self.wrong) if self.right + self.wrong else 1.0

    def recall(self) -> float:
        return self.found / self.injected if self.injected else 1.0


def score(pairs: list[Pair], verified: bool) -> tuple[Score, Score, int]:
    from newswatch.changes import diff as diff_module
    from newswatch.changes.diff import diff_versions
    from newswatch.changes.verify import Verified, verify_claims

    numbers, quotes = Score(), Score()
    withheld = 0
    if not verified:  # every claim as found: what the reader and the pairing alone say
        diff_module.verify_claims = lambda n, q, old, new: Verified(list(n), list(q), 0)  # type: ignore[assignment]
    try:
        for pair in pairs:
            encoding = "cp1254" if pair.turkish else None
            result = diff_versions(
                pair.headline, pair.old, pair.headline, pair.new, encoding, encoding
            )
            withheld += result.claims_withheld
            _score_numbers(pair, [(n.old, n.new, str(n)) for n in result.numbers], numbers)
            _score_quotes(pair, [(q.old, q.new) for q in result.quotes], quotes)
    finally:
        diff_module.verify_claims = verify_claims
    return numbers, quotes, withheld


def _score_numbers(pair: Pair, claims: list[tuple[str, str, str]], into: Score) -> None:
    into.injected += len(pair.numbers)
    hit = set()
    for old, new, shown in claims:
        match = next(
            (k for k, (a, b) in enumerate(pair.numbers) if _names(old, a) and _names(new, b)), None
        )
        if match is None:
            into.wrong += 1
            into.wrong_examples.append(f"{pair.name}: {shown}  (noise: {', '.join(pair.noise)})")
        else:
            into.right += 1
            hit.add(match)
    into.found += len(hit)


def _score_quotes(pair: Pair, claims: list[tuple[str | None, str | None]], into: Score) -> None:
    into.injected += len(pair.quotes)
    truths = [(_words(a) if a else None, _words(b) if b else None) for a, b in pair.quotes]
    hit = set()
    for old, new in claims:
        claim = (_words(old) if old else None, _words(new) if new else None)
        match = next((k for k, truth in enumerate(truths) if truth == claim), None)
        if match is None:
            into.wrong += 1
            into.wrong_examples.append(
                f"{pair.name}: {old!r} -> {new!r}  (noise: {', '.join(pair.noise)})"
            )
        else:
            into.right += 1
            hit.add(match)
    into.found += len(hit)


# --- real human edits (Wikinews) ------------------------------------------------------------

WIKINEWS = SHARED / "wikinews_edits" / "pairs.jsonl"
_SMALL_NUMBERS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen twenty"
)
_NUMBER_WORDS = {w: str(n) for n, w in enumerate(_SMALL_NUMBERS.split())}


@dataclass
class Edit:
    """One real revision: the text before and after, and where the annotators saw a change
    (each action's span in each text; an insertion is an empty span)."""

    doc_id: str
    before: str
    after: str
    spans_before: list[tuple[int, int]]
    spans_after: list[tuple[int, int]]


def real_edits() -> list[Edit]:
    """``wikinews_edits/pairs.jsonl``. The actions' positions are in the text before; their
    places after are found by replaying them, which gives the text after up to white space
    (a deletion leaves two spaces where the revision has one)."""
    edits = []
    for line in WIKINEWS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        before, after = row["before_revision"], row["after_revision"]
        replayed, spans_after, spans_before, at = [], [], [], 0
        length = 0
        for action in sorted(row["edit_actions"], key=lambda a: a["start_char_pos"]):
            start, end = action["start_char_pos"], action["end_char_pos"]
            kept = before[at:start]
            replayed.append(kept)
            length += len(kept)
            inserted = "" if action["type"] == "D" else action["after"] or ""
            replayed.append(inserted)
            spans_after.append((length, length + len(inserted)))
            spans_before.append((start, end))
            length += len(inserted)
            at = end
        replayed.append(before[at:])
        places = _solid_places("".join(replayed), after)
        spans_after = [(places[a], places[b]) for a, b in spans_after]
        edits.append(Edit(row["doc_id"], before, after, spans_before, spans_after))
    return edits


def _solid_places(replayed: str, after: str) -> list[int]:
    """For each place in ``replayed``, the same place in ``after`` (they differ only in
    white space): the place after as many non-space characters."""
    solid = [i for i, c in enumerate(after) if not c.isspace()] + [len(after)]
    places, count = [], 0
    for c in replayed:
        places.append(solid[count])
        count += not c.isspace()
    places.append(solid[count])
    return places


def _folded_words(text: str | None) -> list[str]:
    """Words as this check reads them, on its own: case-folded letters and digits."""
    return re.findall(r"\w+", (text or "").casefold())


def _occurs(words: list[str], text: list[str]) -> bool:
    if not words:
        return False
    size = len(words)
    return any(text[i : i + size] == words for i in range(len(text) - size + 1))


def quote_claim_holds(old: str | None, new: str | None, edit: Edit) -> bool:
    """The independent check: an *added* quotation whose words stand anywhere in the old
    text, or a *removed* one whose words stand anywhere in the new text, is no change;
    nor is a *changed* one whose words differ only in case or punctuation, or whose old and
    new words each stand in the other text (a mark moved, the words stayed)."""
    before, after = _folded_words(edit.before), _folded_words(edit.after)
    if old is None:
        return bool(_folded_words(new)) and not _occurs(_folded_words(new), before)
    if new is None:
        return bool(_folded_words(old)) and not _occurs(_folded_words(old), after)
    if _folded_words(old) == _folded_words(new):
        return False
    return not (_occurs(_folded_words(new), before) and _occurs(_folded_words(old), after))


def _touches(text: str, part: str | None, spans: list[tuple[int, int]]) -> bool:
    """Whether ``part``, where it stands in ``text``, overlaps a span the annotators
    marked (an insertion touches the text on either side of it)."""
    if not part:
        return False
    at = text.find(part)
    while at >= 0:
        end = at + len(part)
        if any((a < end and b > at) or (a == b and at <= a <= end) for a, b in spans):
            return True
        at = text.find(part, at + 1)
    return False


def annotated(old: str | None, new: str | None, edit: Edit) -> bool:
    """A claim the annotators bear out: the old side where they marked a change in the old
    text, or the new side where they marked one in the new text."""
    return _touches(edit.before, old, edit.spans_before) or _touches(
        edit.after, new, edit.spans_after
    )


def _figure(text: str) -> str:
    """A number as a plain value, roughly: separators and case gone, small words as digits."""
    plain = re.sub(r"[\s,]", "", text.casefold())
    return _NUMBER_WORDS.get(plain, plain)


def number_claim_holds(old: str, new: str, edit: Edit) -> bool:
    """Both sides where the annotators marked a change, and two different figures."""
    return (
        _touches(edit.before, old, edit.spans_before)
        and _touches(edit.after, new, edit.spans_after)
        and _figure(old) != _figure(new)
    )


def _marked_quotations(text: str) -> list[tuple[int, int]] | None:
    """The quotations of a text by counting marks: straight double marks in turns, and
    “ ” pairs. None when the straight marks are odd in number (which pairs cannot be
    told by counting)."""
    if text.count('"') % 2:
        return None
    found = []
    marks = [m.start() for m in re.finditer('"', text)]
    found += [(marks[i] + 1, marks[i + 1]) for i in range(0, len(marks), 2)]
    found += [(m.start() + 1, m.end() - 1) for m in re.finditer("“[^“”]*”", text)]
    return found


def annotated_quote_changes(edit: Edit) -> tuple[list[list[str]], list[list[str]], int]:
    """The quotations an annotated action touched whose words are gone from the other
    text: (old side, new side, texts left out for an odd number of marks)."""
    sides: list[list[list[str]]] = []
    odd = 0
    for text, spans, other in (
        (edit.before, edit.spans_before, edit.after),
        (edit.after, edit.spans_after, edit.before),
    ):
        regions = _marked_quotations(text)
        if regions is None:
            odd += 1
            sides.append([])
            continue
        other_words = _folded_words(other)
        changed = [
            _folded_words(text[a:b])
            for a, b in regions
            if any((s < b and e > a) or (s == e and a <= s <= b) for s, e in spans)
        ]
        sides.append([w for w in changed if w and not _occurs(w, other_words)])
    return sides[0], sides[1], odd


@dataclass
class RealScore:
    quote_right: int = 0
    quote_wrong: int = 0
    number_right: int = 0
    number_wrong: int = 0
    changes: int = 0
    found: int = 0
    odd: int = 0
    withheld: int = 0
    wrong: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)


def score_real(edits: list[Edit], verified: bool) -> RealScore:
    from newswatch.changes import diff as diff_module
    from newswatch.changes.diff import diff_versions
    from newswatch.changes.verify import Verified, verify_claims

    result = RealScore()
    if not verified:
        diff_module.verify_claims = lambda n, q, old, new: Verified(list(n), list(q), 0)  # type: ignore[assignment]
    try:
        for edit in edits:
            diff = diff_versions("", [edit.before], "", [edit.after])
            result.withheld += diff.claims_withheld
            for q in diff.quotes:
                right = annotated(q.old, q.new, edit) and quote_claim_holds(q.old, q.new, edit)
                result.quote_right += right
                result.quote_wrong += not right
                if not right:
                    result.wrong.append(f"{edit.doc_id}: quotation {q.old!r} -> {q.new!r}")
            for n in diff.numbers:
                right = number_claim_holds(n.old, n.new, edit)
                result.number_right += right
                result.number_wrong += not right
                if not right:
                    result.wrong.append(f"{edit.doc_id}: number {n}")
            old_side, new_side, odd = annotated_quote_changes(edit)
            result.odd += odd
            claimed_old = [_folded_words(q.old) for q in diff.quotes if q.old]
            claimed_new = [_folded_words(q.new) for q in diff.quotes if q.new]
            for words, claimed, side in (
                (old_side, claimed_old, "old"),
                (new_side, claimed_new, "new"),
            ):
                for quoted in words:
                    result.changes += 1
                    if quoted in claimed:
                        result.found += 1
                    else:
                        result.missed.append(f"{edit.doc_id}: {side} {' '.join(quoted)[:100]!r}")
    finally:
        diff_module.verify_claims = verify_claims
    return result


def _ratio(right: int, wrong: int) -> str:
    return f"{right / (right + wrong):.3f}" if right + wrong else "-"


def report_real(show: int) -> None:
    if not WIKINEWS.is_file():
        print(f"\nreal edits skipped: {WIKINEWS} is absent")
        return
    tune, report, told = split_by_doc(real_edits(), lambda e: e.doc_id)
    print(f"\nreal human edits (Wikinews, IteraTeR-HUMAN), {told}")
    for verified in (False, True):
        print("  as reported (verified):" if verified else "  as found, before the verifier:")
        for name, edits in (("tune", tune), ("report", report)):
            s = score_real(edits, verified)
            print(
                f"    {name:6}: quotation precision {_ratio(s.quote_right, s.quote_wrong)} "
                f"({s.quote_right} right, {s.quote_wrong} wrong), recall of annotated "
                f"quotation changes {_ratio(s.found, s.changes - s.found)} "
                f"({s.found} of {s.changes}); number precision "
                f"{_ratio(s.number_right, s.number_wrong)} ({s.number_right} right, "
                f"{s.number_wrong} wrong)"
                + (f"; withheld {s.withheld}" if verified else "")
                + (f"; {s.odd} texts with odd marks left out of recall" if s.odd else "")
            )
            for line in s.wrong[:show]:
                print(f"      wrong: {line}")
            for line in s.missed[:show]:
                print(f"      missed: {line}")


# --- the news sentences of tests/fixtures/news_quantities.json ------------------------------

FIXTURE_SEED = 27
FIXTURE_KINDS = {
    False: {
        "time": r"\b\d{1,2}(?:[:.]\d{2})?\s?(?:[ap]\.?m\b|GMT|BST)|\b\d{4} GMT\b",
        "score": r"\b(?:won|beat|lost|drew|win|victory|defeat|lead|led)\b[^.]*\b\d{1,2}-\d{1,2}\b",
        "age": r"\b\d{1,3}-year-old\b|, \d{2},|\baged \d{1,3}\b",
        "list": r"\b\d+(?:[.,]\d+)?%?, \d+(?:[.,]\d+)?%?(?:,| and) \d+",
        "name": r"\b(?:G-?\d{1,2}|F1|Formula (?:One|1)|Radio \d|Channel \d|PlayStation \d|Xbox \d"
        r"|Half-Life \d|No \d+|Number \d+)\b",
    },
    True: {
        "time": r"\bsaat \d{1,2}[:.]\d{2}",
        "score": r"\b\d{1,2}-\d{1,2}\b[^.]*(?:yendi|mağlup|berabere|galibiyet|yenildi|kazandı|bitti)",
        "age": r"\b\d{1,3} yaşında",
        "list": r"\b\d+(?:[.,]\d+)?, \d+(?:[.,]\d+)?(?:,| ve) \d+",
        "name": r"\b(?:TRT ?\d|F-16|G-?\d{1,2}|Formula 1|[A-Z]{2,}-\d{1,4})\b",
    },
}
"""Patterns of the kinds of number the fixture must hold, per corpus (Turkish: True)."""


def _file_sentences(path: Path) -> list[str]:
    from newswatch.read.parse import parse
    from newswatch.read.text import sentences

    try:
        parsed = parse(path.read_bytes())
    except Exception:
        return []
    return [s for paragraph in parsed.paragraphs for s in sentences(paragraph)]


def draw_number_sentences() -> list[tuple[str, str, bool, str]]:
    """(file, sentence, turkish, why) by the fixture's rule: 24 BBC files and then 14
    1150haber files drawn with ``random.Random(27)`` from each corpus' sorted file list, the
    first four sentences of each that hold a digit; then, per kind and corpus, the first
    three sentences in sorted file order that match the kind's pattern and were not drawn."""
    rng = random.Random(FIXTURE_SEED)
    corpora = [
        (sorted((SHARED / "bbc").glob("*/*.txt")), 24, False),
        (sorted((SHARED / "tr_1150haber").glob("*/*.txt")), 14, True),
    ]
    drawn: list[tuple[str, str, bool, str]] = []
    seen: set[str] = set()
    for files, count, turkish in corpora:
        for path in rng.sample(files, count):
            digits = [s for s in _file_sentences(path) if re.search(r"\d", s)][:4]
            for sentence in digits:
                if sentence not in seen:
                    seen.add(sentence)
                    drawn.append((str(path.relative_to(SHARED)), sentence, turkish, "drawn"))
    for files, _, turkish in corpora:
        for kind, pattern in FIXTURE_KINDS[turkish].items():
            found = 0
            for path in files:
                for sentence in _file_sentences(path):
                    if found < 3 and sentence not in seen and re.search(pattern, sentence):
                        seen.add(sentence)
                        found += 1
                        drawn.append((str(path.relative_to(SHARED)), sentence, turkish, kind))
                if found == 3:
                    break
    return drawn


def draw_fixture(path: Path) -> None:
    """Write the drawn sentences with what the reader reads in each, to be read and
    corrected by hand: the expected readings are a person's, not the reader's."""
    from newswatch.changes.quantities import quantities

    rows = [
        {
            "file": name,
            "turkish": turkish,
            "why": why,
            "sentence": sentence,
            "readings": [
                [q.text, q.kind, q.value] for q in quantities(sentence, turkish) if not q.weak
            ],
        }
        for name, sentence, turkish, why in draw_number_sentences()
    ]
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(rows)} sentences written to {path}")


# --- cost -----------------------------------------------------------------------------------


def bbc_pairs(edits: bool) -> list[tuple[str, list[str], str, list[str]]]:
    """``bbc_similar_pairs.tsv``: at 5-shingle Jaccard >= 0.55 one story edited (as
    ``benchmarks/matching.py`` reads it), below that two stories on one subject."""
    from newswatch.read.parse import parse

    pairs = []
    with (SHARED / "bbc_similar_pairs.tsv").open() as table:
        for row in csv.DictReader(table, delimiter="\t"):
            if (float(row["jaccard_5shingle"]) >= 0.55) != edits:
                continue
            a = parse((SHARED / "bbc" / row["file_a"]).read_bytes())
            b = parse((SHARED / "bbc" / row["file_b"]).read_bytes())
            pairs.append((a.headline, a.paragraphs, b.headline, b.paragraphs))
    return pairs


def time_diffs(path: Path, rounds: int) -> dict[str, float]:
    """Milliseconds per diff of each set of pairs in ``path``, best of ``rounds``, in CPU
    time of this process (the machine may be shared: wall time would count the others)."""
    from newswatch.changes.diff import diff_versions

    sets = json.loads(path.read_text(encoding="utf-8"))
    result = {}
    for name, pairs in sets.items():
        best = float("inf")
        for _ in range(rounds):
            start = time.process_time()
            for old_h, old_p, new_h, new_p, encoding in pairs:
                diff_versions(old_h, old_p, new_h, new_p, encoding, encoding)
            best = min(best, time.process_time() - start)
        result[name] = best / len(pairs) * 1000
    return result


def serve_rounds(path: Path) -> None:
    """One round of every set per line read from stdin, its CPU milliseconds per diff
    printed as a JSON line: two of these, one per checkout, take turns (``--baseline``)."""
    for line in sys.stdin:
        if line.strip() == "stop":
            return
        print(json.dumps(time_diffs(path, 1)), flush=True)


def interleaved(path: Path, sources: list[Path], rounds: int) -> list[dict[str, float]]:
    """Each checkout's best CPU milliseconds per diff, its rounds taken in turn with the
    other's (A B A B ...), so that what else the machine does weighs on both alike."""
    servers = [
        subprocess.Popen(
            [sys.executable, __file__, "--serve-rounds", str(path)],
            env={**os.environ, "PYTHONPATH": str(source)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for source in sources
    ]
    best: list[dict[str, float]] = [{} for _ in sources]
    try:
        for round_ in range(rounds + 1):  # the first round warms each up, and is not counted
            for server, found in zip(servers, best, strict=True):
                assert server.stdin is not None and server.stdout is not None
                server.stdin.write("go\n")
                server.stdin.flush()
                times = json.loads(server.stdout.readline())
                for name, ms in times.items():
                    if round_:
                        found[name] = min(found.get(name, ms), ms)
    finally:
        for server in servers:
            assert server.stdin is not None
            server.stdin.write("stop\n")
            server.stdin.close()
            server.wait()
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--show", type=int, default=5, help="Wrong claims shown per kind.")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--baseline", type=Path, help="A checkout whose src/ to time too.")
    parser.add_argument("--time-only", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--serve-rounds", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--real-only", action="store_true", help="Only the real edits: no built pairs, no cost."
    )
    parser.add_argument(
        "--draw-fixture",
        type=Path,
        help="Write the news sentences of tests/fixtures/news_quantities.json, drawn by its "
        "rule, with the reader's readings to correct by hand.",
    )
    args = parser.parse_args()
    if args.time_only:
        print(json.dumps(time_diffs(args.time_only, args.rounds)))
        return
    if args.serve_rounds:
        serve_rounds(args.serve_rounds)
        return
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} is absent (the shared corpora are not on this machine)")
        return
    if args.real_only:
        report_real(args.show)
        return
    if args.draw_fixture:
        draw_fixture(args.draw_fixture)
        return
    rng = random.Random(args.seed)
    pairs = make_pairs(rng, args.pairs)
    english = sum(not p.turkish for p in pairs)
    print(f"{len(pairs)} pairs ({english} BBC, {len(pairs) - english} 1150haber), seed {args.seed}")
    noise = sum(len(p.noise) for p in pairs)
    print(
        f"injected: {noise} pieces of noise that change nothing, "
        f"{sum(len(p.numbers) for p in pairs)} figure changes, "
        f"{sum(len(p.quotes) for p in pairs)} quotation changes"
    )
    for verified in (False, True):
        numbers, quotes, withheld = score(pairs, verified)
        title = "as reported (verified)" if verified else "as found, before the verifier"
        print(f"\n{title}:")
        print(
            f"  numbers:    precision {numbers.precision():.3f} ({numbers.right} right, "
            f"{numbers.wrong} wrong), recall {numbers.recall():.3f} "
            f"({numbers.found} of {numbers.injected})"
        )
        print(
            f"  quotations: precision {quotes.precision():.3f} ({quotes.right} right, "
            f"{quotes.wrong} wrong), recall {quotes.recall():.3f} "
            f"({quotes.found} of {quotes.injected})"
        )
        injected = numbers.injected + quotes.injected
        print(
            f"  recall of the injected real changes: "
            f"{(numbers.found + quotes.found) / injected:.3f}"
        )
        if verified:
            print(f"  claims withheld by the verifier: {withheld}")
        for example in numbers.wrong_examples[: args.show] + quotes.wrong_examples[: args.show]:
            print(f"    wrong: {example}")
    report_real(args.show)
    _cost(pairs, args)


def _cost(pairs: list[Pair], args: argparse.Namespace) -> None:
    sets = {
        "BBC edited pairs": [(*p, None) for p in bbc_pairs(edits=True)],
        "BBC stories on one subject": [(*p, None) for p in bbc_pairs(edits=False)],
        "messy pairs": [
            (p.headline, p.old, p.headline, p.new, "cp1254" if p.turkish else None) for p in pairs
        ],
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(sets, handle)
    path = Path(handle.name)
    try:
        before = None
        if args.baseline:
            here = Path(__file__).resolve().parents[1] / "src"
            now, before = interleaved(path, [here, args.baseline.resolve() / "src"], args.rounds)
        else:
            now = time_diffs(path, args.rounds)
    finally:
        path.unlink()
    taken = "rounds taken in turn with the baseline's" if before else "rounds"
    print(f"\ncost of one diff (CPU time, best of {args.rounds} {taken}):")
    for name, ms in now.items():
        line = f"  {name} ({len(sets[name])} pairs): {ms:.2f} ms"
        if before:
            line += f", before {before[name]:.2f} ms, ratio {ms / before[name]:.2f}"
        print(line)


if __name__ == "__main__":
    main()

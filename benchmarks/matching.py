"""Score the matcher on real and synthetic data: BBC (English), tr_1150haber (Turkish),
synthetic partial copies and expanded updates made from both, a boilerplate trap set, and
synthetic rewrites.

    .venv/bin/python benchmarks/matching.py [--synthetic 400] [--containment 400]
        [--traps 15] [--rewrites 400] [--seed 7] [--only traps|rewrites]

Reads ../shared/corpus (skips with a message when it is absent). For each corpus it prints
the counts per outcome, precision and recall for `edited` and `near_duplicate`, and the wrong
merges of distinct stories; for the Turkish corpus also the rejections and whether any stored
text still holds C1 controls, HTML entities or mojibake; then the similarity spread and the
trade-off behind the containment thresholds.

Ground truth, and how it was read:
- BBC: ``bbc_exact_duplicates.tsv`` pairs are duplicates. In ``bbc_similar_pairs.tsv``, pairs
  at 5-shingle Jaccard >= 0.55 are one story edited (headline rewritten, "BBC Two" ->
  "BBC2"); below that they are distinct stories on one subject, except the pairs in
  ``BBC_EXTRA_EDITS``, each read by hand (the reason is given with it).
- Turkish: the corpus README's two byte-identical pairs are duplicates; ``TR_SAME_TEXT`` are
  the pairs found (by an all-pairs passage comparison) to hold one text, read by hand;
  ``TR_ONE_EVENT`` are distinct write-ups of one event by two papers, sharing sentences of
  an agency text: merging or not merging them is neither counted right nor wrong.
- Synthetic: edits and syndicated copies (``make_edit``, ``make_syndicated``) of BBC
  articles; partial copies (a third to two thirds of a BBC or Turkish text, in another
  outlet's file) and expanded updates (the whole old text inside one 1.2 to 2.5 times
  longer, with sentences from articles never ingested).
- Boilerplate traps (``trap_section``): pairs of distinct stories (BBC files in no similar
  pair, Turkish files in no labelled pair) under two outlets, given the same caption (once
  and twice), the same "Kaynak"/photo footer, or a chain's links block and footer: every
  link between them is wrong.
- Rewrites (``make_rewrite``): the lead replaced, sentences said again, the headline changed
  in half its words; each is an edit of its article. The rule's trade-off is weighed
  against the distinct BBC pairs above and every distinct pair the index offers.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from halves import split_by_doc  # type: ignore[import-not-found]
from news_day import DayFile, build_day, write_day  # type: ignore[import-not-found]
from rapidfuzz.distance import Indel

from newswatch.match.fingerprint import fingerprint
from newswatch.match.rules import Thresholds, same_story
from newswatch.match.similarity import Similarity, compare, headline_similarity, sentences, words
from newswatch.models import FileResult
from newswatch.pipeline.run import run
from newswatch.read.parse import ParsedArticle, parse
from newswatch.settings import get_settings

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"

EDIT_JACCARD = 0.55
BBC_EXTRA_EDITS = {
    # The same text lightly reworded, with readers' comments appended (2.5 times longer).
    ("politics/111.txt", "politics/293.txt"),
    # Same headline; "will be unveiled on Tuesday" became "has been unveiled", 240 -> 436
    # words, 70% of the first text kept: BBC's update of its own article.
    ("sport/226.txt", "sport/232.txt"),
    # Same headline and lead, rewritten and extended from 395 to 646 words.
    ("politics/175.txt", "politics/349.txt"),
}
TR_IDENTICAL = [
    ("saglik/304.txt", "saglik/323.txt"),
    ("ekonomi/Kopyası 7.txt", "ekonomi/Kopyası 8.txt"),
]
TR_SAME_TEXT = [
    ("magazin/222.txt", "magazin/Kopyası 110.txt"),
    ("ekonomi/119.txt", "ekonomi/47.txt"),
    ("ekonomi/12.txt", "ekonomi/Kopyası 34.txt"),
    ("ekonomi/6.txt", "ekonomi/Kopyası 33.txt"),
    ("ekonomi/16.txt", "ekonomi/Kopyası 35.txt"),
    ("magazin/Kopyası 135.txt", "saglik/353.txt"),
    ("magazin/175.txt", "magazin/Kopyası 131.txt"),  # Madonna: one agency text, two papers
    ("ekonomi/108.txt", "ekonomi/Kopyası 38.txt"),
    ("magazin/253.txt", "magazin/Kopyası 112.txt"),
    ("ekonomi/Kopyası 1.txt", "ekonomi/Kopyası 77.txt"),
    ("ekonomi/104.txt", "ekonomi/99.txt"),  # Winston price rise: 99 holds 104 and a lead
    ("ekonomi/121.txt", "ekonomi/145.txt"),  # Türk Telekom's statement, two papers
]
TR_ONE_EVENT = [
    ("siyasi/599.txt", "siyasi/Kopyası 246.txt"),  # the MGK hand-over, two reports
    ("ekonomi/81.txt", "ekonomi/Kopyası 36.txt"),  # the DİE press conference
    ("ekonomi/19.txt", "ekonomi/7.txt"),  # a Financial Times report, retold twice
    ("ekonomi/Kopyası 5.txt", "ekonomi/Kopyası 78.txt"),  # a round-up holding half of 78
    ("ekonomi/100.txt", "ekonomi/84.txt"),  # cigarette prices, two angles
]

OUTLETS = ["Reuters", "Hurriyet Daily News", "The Guardian", "Anadolu Agency", "AP"]
BOILERPLATE = [
    "This article was first published by BBC News and is republished with permission.",
    "Follow us on social media for the latest updates.",
    "Copyright {outlet} 2005. All rights reserved.",
]
_NUMBER = re.compile(r"\b\d+(?:\.\d+)?\b")
_C1 = re.compile(r"[\x80-\x9f]")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]{1,31});", re.IGNORECASE)
_MOJIBAKE = re.compile(r"Ã[\x80-\xbf¡-¿]|Ä[°±ž]|Å[ŸžŞş]|â€")


class Groups:
    """Union-find over file names: files that are one story."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


# --- making synthetic versions and copies (also used by scalecorpus.py) ------------------------


def _split(paragraphs: list[str]) -> list[list[str]]:
    return [sentences(p) for p in paragraphs]


def _join(parts: list[list[str]]) -> list[str]:
    return [" ".join(p) for p in parts if p]


def make_edit(
    rng: random.Random, headline: str, paragraphs: list[str], donor: list[str]
) -> tuple[str, list[str], list[str]]:
    """Apply two to four sentence-level edits, as a newsroom updating a story does."""
    parts = _split(paragraphs)
    done: list[str] = []
    for op in rng.sample(
        ["add", "delete", "reword", "reorder", "numbers", "headline"], rng.randint(2, 4)
    ):
        p = rng.randrange(len(parts))
        if op == "add":
            parts[p].insert(rng.randrange(len(parts[p]) + 1), rng.choice(donor))
        elif op == "delete" and sum(map(len, parts)) > 4 and len(parts[p]) > 1:
            parts[p].pop(rng.randrange(len(parts[p])))
        elif op == "reword" and parts[p]:
            q = rng.randrange(len(parts[p]))
            words = parts[p][q].split()
            for _ in range(max(1, len(words) // 8)):
                words[rng.randrange(len(words))] = rng.choice(
                    ["reportedly", "officials", "later", "again"]
                )
            parts[p][q] = " ".join(words)
        elif op == "reorder" and len(parts) > 2:
            parts.insert(rng.randrange(len(parts)), parts.pop(rng.randrange(1, len(parts))))
        elif op == "numbers":
            k = next((k for k, x in enumerate(parts) if _NUMBER.search(" ".join(x))), p)
            parts[k] = [
                _NUMBER.sub(lambda m: str(int(float(m.group())) + rng.randint(1, 9)), x)
                for x in parts[k]
            ]
        elif op == "headline":
            headline = "UPDATED: " + " ".join(reversed(headline.split()))
        else:
            continue
        done.append(op)
    return headline, _join(parts), done


def _syndicated_file(rng: random.Random, headline: str, paragraphs: list[str]) -> str:
    outlet = rng.choice(OUTLETS)
    furniture = [line.format(outlet=outlet) for line in rng.sample(BOILERPLATE, 2)]
    lines = [headline.upper() if rng.random() < 0.3 else headline] if headline else []
    lines += ["14.03.2005", f"{outlet}, 14 March 2005", *paragraphs, *furniture]
    lines.append(f"Kaynak/Source: https://example.org/{rng.randrange(10**6)}")
    return "\n\n".join(lines) + "\n"


def make_syndicated(rng: random.Random, headline: str, paragraphs: list[str]) -> tuple[str, str]:
    """Another outlet's copy: its own header and boilerplate, sometimes the last sentences cut."""
    parts = _split(paragraphs)
    if rng.random() < 0.5:
        for _ in range(rng.randint(1, 2)):
            last = max(k for k, x in enumerate(parts) if x)
            parts[last].pop()
    text = _syndicated_file(rng, headline, _join(parts))
    return text.split("\n\n")[2].split(",")[0], text


def make_partial_copy(rng: random.Random, article: ParsedArticle) -> str:
    """A third to two thirds of a text, in a row of sentences, in another outlet's file."""
    found = [s for p in article.paragraphs for s in sentences(p)]
    total = sum(len(s.split()) for s in found)
    share = rng.uniform(1 / 3, 2 / 3)
    start = rng.randrange(max(1, len(found) // 3))
    taken: list[str] = []
    for sentence in found[start:] + found[:start]:
        if sum(len(s.split()) for s in taken) >= share * total:
            break
        taken.append(sentence)
    paragraphs = [" ".join(taken[i : i + 3]) for i in range(0, len(taken), 3)]
    headline = article.headline if rng.random() < 0.5 else ""
    return _syndicated_file(rng, headline, paragraphs)


def make_expanded(rng: random.Random, article: ParsedArticle, donor: list[str]) -> str:
    """The whole old text inside one 1.2 to 2.5 times longer: an update that grew."""
    found = [s for p in article.paragraphs for s in sentences(p)]
    total = sum(len(s.split()) for s in found)
    target = rng.uniform(1.2, 2.5) * total
    grown = list(found)
    while sum(len(s.split()) for s in grown) < target:
        grown.insert(rng.randrange(len(grown) + 1), rng.choice(donor))
    paragraphs = [" ".join(grown[i : i + 3]) for i in range(0, len(grown), 3)]
    return "\n\n".join([article.headline, *paragraphs] if article.headline else paragraphs) + "\n"


_CLAUSE = re.compile(r",\s+|;\s+|\s+(?:and|but|while|ve|ama|ancak)\s+")
_QUOTE_MARK = re.compile('["“”«»„]')


def _paraphrase(rng: random.Random, sentence: str) -> str:
    """A sentence said again by shuffling its clauses and dropping one (quotations are kept
    verbatim: a rewrite quotes the same words)."""
    if _QUOTE_MARK.search(sentence):
        return sentence
    clauses = [c for c in _CLAUSE.split(sentence.rstrip(".")) if c]
    if len(clauses) > 1 and rng.random() < 0.5:
        clauses.pop(rng.randrange(len(clauses)))
    rng.shuffle(clauses)
    text = ", ".join(clauses)
    return text[:1].upper() + text[1:] + "."


_FACT = re.compile(r"(?:[A-ZÇĞİÖŞÜ][\w'’-]*(?: [A-ZÇĞİÖŞÜ][\w'’-]*)+)|\d+(?:[.,]\d+)*")


def _new_lead(rng: random.Random, lead: str, donor: str) -> str:
    """The lead replaced: another story's words, carrying this lead's names and numbers (a
    rewrite leads with news about the same people: the settlement of the same lawsuit)."""
    filler = [w for w in donor.split() if not w[:1].isupper() and not w[:1].isdigit()]
    for fact in _FACT.findall(lead):
        filler.insert(rng.randrange(len(filler) + 1), fact)
    return " ".join(filler)


def make_rewrite(
    rng: random.Random, article: ParsedArticle, donor_lead: str, words_from: list[str]
) -> tuple[str, str]:
    """A rewrite that keeps the story and loses its words: the lead replaced
    (:func:`_new_lead`), every other sentence said again (:func:`_paraphrase`), sentences
    reordered within their paragraphs and one in six dropped, and half the headline's words
    changed (from ``words_from``). Half the time the rewrite is a stub: its first four
    sentences. Returns the kind ("rewrite" or "stub") and the file's text."""
    headline = article.headline.split()
    for k in rng.sample(range(len(headline)), (len(headline) + 1) // 2):
        headline[k] = rng.choice(words_from)
    paragraphs = [_new_lead(rng, article.paragraphs[0], donor_lead)]
    for paragraph in article.paragraphs[1:]:
        said = [_paraphrase(rng, s) for s in sentences(paragraph) if rng.random() >= 1 / 6]
        rng.shuffle(said)
        if said:
            paragraphs.append(" ".join(said))
    kind = "rewrite"
    if rng.random() < 0.5:
        kind, taken = "stub", [s for p in paragraphs for s in sentences(p)][:4]
        paragraphs = [" ".join(taken[:2]), " ".join(taken[2:])]
    text = "\n\n".join([" ".join(headline), *[p for p in paragraphs if p]]) + "\n"
    return kind, text


# --- running and scoring ------------------------------------------------------------------------


@dataclass
class Scenario:
    """A folder ingested in two runs (what is known, then what arrives) and its truth."""

    name: str
    root: Path
    groups: Groups = field(default_factory=Groups)
    truth: dict[str, tuple[str, str]] = field(default_factory=dict)
    """File -> (expected outcome, the file it belongs with), for all but new files."""
    results: dict[str, FileResult] = field(default_factory=dict)
    counts: list[dict[str, int]] = field(default_factory=list)
    seconds: float = 0.0


def ingest(scenario: Scenario, second_wave: str | None, database: str) -> None:
    """The corpus first (what the database already knows), then the arriving files."""
    root = scenario.root
    held = root.parent / f"{root.name}-held"
    if second_wave:
        (root / second_wave).rename(held)
    started = time.perf_counter()
    first = run(get_settings(watch_dir=root, database_url=database, settle_seconds=0))
    runs = [first]
    if second_wave:
        held.rename(root / second_wave)
        runs.append(run(get_settings(watch_dir=root, database_url=database, settle_seconds=0)))
    scenario.seconds = time.perf_counter() - started
    scenario.counts = [dict(r.counts) for r in runs]
    for summary in runs:
        for result in summary.results:
            if result.outcome != "unchanged":
                scenario.results[str(Path(result.path).relative_to(root))] = result


def truth_from_groups(scenario: Scenario, names: list[str]) -> None:
    """Corpus files in ingest order: the first of a group is new, an equal text a duplicate."""
    seen_texts: dict[str, set[str]] = defaultdict(set)
    group_seen: set[str] = set()
    for name in names:
        group = scenario.groups.find(name)
        content = fingerprint(parse((scenario.root / name).read_bytes())).content_hash
        if group in group_seen and name not in scenario.truth:
            outcome = "duplicate" if content in seen_texts[group] else "edited"
            scenario.truth[name] = (outcome, "")
        group_seen.add(group)
        seen_texts[group].add(content)


def score(scenario: Scenario, classes: tuple[str, ...]) -> tuple[int, int]:
    """Print precision and recall per class and return the wrong merges (articles, links)."""
    results, truth = scenario.results, scenario.truth
    article_of = {name: r.article_id for name, r in results.items()}
    members: dict[int | None, set[str]] = defaultdict(set)
    for name, r in results.items():
        if r.article_id is not None:
            members[r.article_id].add(scenario.groups.find(name))
    files = sum(sum(c.values()) - c.get("unchanged", 0) for c in scenario.counts)
    print(
        f"\n== {scenario.name}: {files:,} files in {scenario.seconds:.1f} s "
        f"({files / scenario.seconds:,.0f} files/s)"
    )
    for number, counts in enumerate(scenario.counts, start=1):
        print(f"  run {number}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items() if v))
    print(
        f"  {'class':<16}{'truth':>7}{'predicted':>11}{'correct':>9}{'precision':>11}{'recall':>8}"
    )
    for outcome in classes:
        expected = {k for k, (o, _) in truth.items() if o == outcome}
        predicted = {k for k, r in results.items() if r.outcome == outcome}
        correct = set()
        for k in expected & predicted:
            source = truth[k][1]
            if outcome == "near_duplicate":
                # Linked to the story: its original, or an earlier copy of it (a copy of a
                # copy shares the syndicator's boilerplate with it, and links to it).
                if scenario.groups.find(source) in members.get(results[k].matched_article_id, ()):
                    correct.add(k)
            elif source == "" or article_of[k] == article_of.get(source):
                correct.add(k)
        precision = len(correct) / len(predicted) if predicted else 1.0
        recall = len(correct) / len(expected) if expected else 1.0
        print(
            f"  {outcome:<16}{len(expected):>7}{len(predicted):>11}{len(correct):>9}"
            f"{precision:>11.3f}{recall:>8.3f}"
        )
        for k in sorted((expected ^ predicted) | (expected - correct))[:6]:
            print(
                f"      miss/false: {k} truth={truth.get(k, ('new',))[0]} "
                f"got={results[k].outcome.value} similarity={results[k].similarity}"
            )
    wrong = sum(len(g) - 1 for g in members.values())
    wrong_links = sum(
        1
        for name, r in results.items()
        if r.outcome == "near_duplicate"
        and r.matched_article_id is not None
        and scenario.groups.find(name) not in members.get(r.matched_article_id, set())
    )
    print(
        f"  wrong merges of distinct stories: {wrong} (articles), {wrong_links} (near-duplicate links)"
    )
    for article_id, stories in members.items():
        if len(stories) > 1:
            held = sorted(n for n, r in results.items() if r.article_id == article_id)
            reasons = {results[n].reason for n in held} - {None}
            print(f"      merged: {', '.join(held[:4])} {sorted(reasons)}")
    return wrong, wrong_links


def _copy_corpus(source: Path, target: Path, skip: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    names = []
    for path in sorted(source.rglob("*.txt")):
        name = str(path.relative_to(source))
        if path.name.lower().startswith("readme") or name in skip:
            continue
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target / name)
        names.append(name)
    return names


def _label(name: str) -> str:
    """Corpus file names hold a garbled 'Kopyası' (0xC2 0x8D for 'ı'); labels say it right."""
    return name.replace("\x8d", "ı")


def bbc_pairs() -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, str]]]:
    with open(SHARED / "bbc_exact_duplicates.tsv") as handle:
        duplicates = [tuple(r[:2]) for r in csv.reader(handle, delimiter="\t") if len(r) >= 2]
    edits, distinct = [], []
    with open(SHARED / "bbc_similar_pairs.tsv") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))[1:]
    for jaccard, a, b in rows:
        if float(jaccard) >= EDIT_JACCARD or (a, b) in BBC_EXTRA_EDITS:
            edits.append((a, b))
        else:
            distinct.append((a, b))
    return duplicates, edits, distinct  # type: ignore[return-value]


def bbc_section(rng: random.Random, work: Path, synthetic: int) -> tuple[Scenario, int]:
    duplicates, edits, distinct = bbc_pairs()
    involved = {f for pair in [*duplicates, *edits, *distinct] for f in pair}
    scenario = Scenario("BBC corpus + synthetic edits and syndicated copies", work / "bbc")
    names = _copy_corpus(SHARED / "bbc", scenario.root)
    for a, b in [*duplicates, *edits]:
        scenario.groups.union(a, b)
    sources = rng.sample([n for n in names if n not in involved], synthetic)
    donors = [s for n in rng.sample(names, 200) for s in _sentences(scenario.root / n)]
    folder = scenario.root / "synthetic"
    folder.mkdir()
    for k, name in enumerate(sources):
        article = parse((scenario.root / name).read_bytes())
        headline, paragraphs = article.headline, article.paragraphs
        new_headline, new_paragraphs = headline, paragraphs
        while (new_headline, new_paragraphs) == (headline, paragraphs):  # an edit must change
            new_headline, new_paragraphs, _ = make_edit(rng, headline, paragraphs, donors)
        edited = f"synthetic/edit_{k:04d}.txt"
        (scenario.root / edited).write_text("\n\n".join([new_headline, *new_paragraphs]) + "\n")
        scenario.truth[edited] = ("edited", name)
        scenario.groups.union(edited, name)
        if k % 2 == 0:
            copy = f"synthetic/copy_{k:04d}.txt"
            (scenario.root / copy).write_text(make_syndicated(rng, headline, paragraphs)[1])
            scenario.truth[copy] = ("near_duplicate", name)
            scenario.groups.union(copy, name)
    truth_from_groups(scenario, names)
    ingest(scenario, "synthetic", f"sqlite:///{work / 'bbc.db'}")
    score(scenario, ("duplicate", "edited", "near_duplicate"))
    article_of = {n: r.article_id for n, r in scenario.results.items()}
    hard = sum(1 for a, b in distinct if article_of[a] == article_of[b])
    print(f"  hard negatives (distinct BBC pairs on one subject) merged: {hard} of {len(distinct)}")
    return scenario, hard


def _sentences(path: Path) -> list[str]:
    return [s for p in parse(path.read_bytes()).paragraphs for s in sentences(p)]


def turkish_section(work: Path) -> Scenario:
    scenario = Scenario("Turkish corpus tr_1150haber (cp1254)", work / "tr")
    names = _copy_corpus(SHARED / "tr_1150haber", scenario.root)
    by_label = {_label(n): n for n in names}
    for a, b in [*TR_IDENTICAL, *TR_SAME_TEXT]:
        scenario.groups.union(by_label[a], by_label[b])
    truth_from_groups(scenario, names)
    database = f"sqlite:///{work / 'tr.db'}"
    ingest(scenario, None, database)
    score(scenario, ("duplicate", "edited"))
    results = scenario.results
    rejected = {n: r.reason_code for n, r in results.items() if r.outcome == "rejected"}
    print(f"  rejected: {len(rejected)} {dict(Counter(rejected.values()))} {sorted(rejected)[:5]}")
    article_of = {_label(n): r.article_id for n, r in results.items()}
    found = sum(
        1
        for a, b in TR_IDENTICAL
        if results[by_label[b]].outcome == "duplicate" and article_of[a] == article_of[b]
    )
    print(f"  byte-identical pairs found as duplicates: {found} of {len(TR_IDENTICAL)}")
    same = sum(1 for a, b in TR_SAME_TEXT if article_of[a] == article_of[b])
    print(f"  pairs holding one text, merged: {same} of {len(TR_SAME_TEXT)}")
    one_event = [f"{a}+{b}" for a, b in TR_ONE_EVENT if article_of[a] == article_of[b]]
    print(
        f"  write-ups of one event by two papers, merged: {len(one_event)} of "
        f"{len(TR_ONE_EVENT)} (neither right nor wrong) {one_event}"
    )
    from sqlalchemy import create_engine, text

    engine = create_engine(database)
    with engine.connect() as conn:
        stored = [f"{h}\n{b}" for h, b in conn.execute(text("select headline, body from versions"))]
    engine.dispose()
    print(
        f"  stored texts: {len(stored):,}; with C1 controls "
        f"{sum(1 for t in stored if _C1.search(t))}, HTML entities "
        f"{sum(1 for t in stored if _ENTITY.search(t))}, mojibake "
        f"{sum(1 for t in stored if _MOJIBAKE.search(t))}, U+FFFD (lost at the source) "
        f"{sum(1 for t in stored if chr(0xFFFD) in t)}"
    )
    return scenario


def containment_section(rng: random.Random, work: Path, count: int) -> tuple[Scenario, list]:
    scenario = Scenario(
        "Synthetic containment: partial copies and expanded updates of BBC and Turkish articles",
        work / "containment",
    )
    pool: dict[str, list[str]] = {}
    for corpus in ("bbc", "tr_1150haber"):
        files = sorted(
            str(p.relative_to(SHARED))
            for p in (SHARED / corpus).rglob("*.txt")
            if not p.name.lower().startswith("readme")
        )
        pool[corpus] = files
    labelled = {f"tr_1150haber/{n}" for pair in [*TR_IDENTICAL, *TR_SAME_TEXT] for n in pair} | {
        f"bbc/{n}" for pair in [*bbc_pairs()[0], *bbc_pairs()[1]] for n in pair
    }
    donors_files = {
        f
        for files in pool.values()
        for f in rng.sample([f for f in files if _label(f) not in labelled], 150)
    }
    donor = [s for f in sorted(donors_files) for s in _sentences(SHARED / f)]
    names = []
    for corpus in pool:
        names += [
            f"{corpus}/{n}"
            for n in _copy_corpus(
                SHARED / corpus,
                scenario.root / corpus,
                {str(Path(f).relative_to(corpus)) for f in donors_files if f.startswith(corpus)},
            )
        ]
    duplicates, edits, _ = bbc_pairs()
    for a, b in [*duplicates, *edits]:
        scenario.groups.union(f"bbc/{a}", f"bbc/{b}")
    by_label = {_label(n): n for n in names}
    for a, b in [*TR_IDENTICAL, *TR_SAME_TEXT]:
        scenario.groups.union(by_label[f"tr_1150haber/{a}"], by_label[f"tr_1150haber/{b}"])
    folder = scenario.root / "arriving"
    folder.mkdir()
    pairs = []
    usable = [n for n in names if len(_sentences(scenario.root / n)) >= 4]
    for k, name in enumerate(rng.sample(usable, count)):
        article = parse((scenario.root / name).read_bytes())
        if k % 2 == 0:
            target, text, outcome = (
                f"arriving/copy_{k:04d}.txt",
                make_partial_copy(rng, article),
                "near_duplicate",
            )
        else:
            target, text, outcome = (
                f"arriving/update_{k:04d}.txt",
                make_expanded(rng, article, donor),
                "edited",
            )
        (scenario.root / target).write_text(text, encoding="utf-8")
        scenario.truth[target] = (outcome, name)
        scenario.groups.union(target, name)
        pairs.append((outcome, article, parse(text.encode())))
    truth_from_groups(scenario, names)
    ingest(scenario, "arriving", f"sqlite:///{work / 'containment.db'}")
    score(scenario, ("edited", "near_duplicate"))
    return scenario, pairs


def _similarity(a: ParsedArticle, b: ParsedArticle) -> tuple[Similarity, float]:
    if a.headline and b.headline:
        return compare(a.body, b.body), headline_similarity(a.headline, b.headline)
    text = lambda x: f"{x.headline}\n{x.body}" if x.headline else x.body  # noqa: E731
    return compare(text(a), text(b)), 0.0


def tradeoff(containment_pairs: list, work: Path) -> None:
    """How the containment thresholds trade recall for wrong merges, pair by pair."""
    _, edits, distinct = bbc_pairs()
    bbc = lambda n: parse((SHARED / "bbc" / n).read_bytes())  # noqa: E731
    tr_names = {
        _label(str(p.relative_to(SHARED / "tr_1150haber"))): p
        for p in (SHARED / "tr_1150haber").rglob("*.txt")
    }
    tr = lambda n: parse(tr_names[n].read_bytes())  # noqa: E731
    # (similarity, headline similarity, from another outlet?) per pair, by kind of pair.
    sets = {
        "copies": [
            (*_similarity(a, b), True)
            for kind, a, b in containment_pairs
            if kind == "near_duplicate"
        ],
        "updates": [
            (*_similarity(a, b), False) for kind, a, b in containment_pairs if kind == "edited"
        ],
        "BBC edits": [(*_similarity(bbc(a), bbc(b)), False) for a, b in edits],
        "TR one text": [(*_similarity(tr(a), tr(b)), False) for a, b in TR_SAME_TEXT],
        "BBC distinct": [(*_similarity(bbc(a), bbc(b)), False) for a, b in distinct],
        "TR one event": [(*_similarity(tr(a), tr(b)), False) for a, b in TR_ONE_EVENT],
    }
    print("\n== Trade-off: pairs judged one story, by containment thresholds")
    print("   (the verification rule alone, each pair given as candidates; ratio >= 0.75 always)")
    print(
        f"  {'same outlet':>11} {'same headline':>13} {'other outlet':>12} "
        + " ".join(f"{k:>12}" for k in sets)
    )
    defaults = Thresholds()
    chosen = (defaults.containment, defaults.containment_same_headline, defaults.containment_copy)
    for containment, same_headline, copy in [
        (0.5, 0.5, 0.5),
        (0.6, 0.6, 0.6),
        (0.7, 0.6, 0.6),
        (0.7, 0.7, 0.7),
        (0.8, 0.8, 0.8),
        (0.8, 0.6, 0.8),
        (0.8, 0.8, 0.6),
        (0.9, 0.9, 0.9),
        chosen,
    ]:
        rule = Thresholds(
            containment=containment, containment_same_headline=same_headline, containment_copy=copy
        )
        cells = []
        for pairs in sets.values():
            merged = sum(
                1
                for sim, head, other in pairs
                if same_story(sim, rule, head, same_outlet=not other)
            )
            cells.append(f"{merged}/{len(pairs)}")
        mark = "  <- default" if (containment, same_headline, copy) == chosen else ""
        print(
            f"  {containment:>11.2f} {same_headline:>13.2f} {copy:>12.2f} "
            + " ".join(f"{c:>12}" for c in cells)
            + mark
        )
    low = lambda pairs: min((s.containment for s, _, _ in pairs), default=0)  # noqa: E731
    high = lambda pairs: max((s.containment for s, _, _ in pairs), default=0)  # noqa: E731
    print(
        f"  spread: copies' containment >= {low(sets['copies']):.2f}, updates' >= "
        f"{low(sets['updates']):.2f}; BBC distinct <= {high(sets['BBC distinct']):.2f}; "
        f"BBC edits ratio >= {min(s.ratio for s, _, _ in sets['BBC edits']):.3f}, "
        f"BBC distinct ratio <= {max(s.ratio for s, _, _ in sets['BBC distinct']):.3f}"
    )


# --- the boilerplate trap set ------------------------------------------------------------------

CAPTION_OUTLETS = ("BBC News", "BBC World Service")
TR_OUTLETS = ("Milliyet", "Radikal")
CHAIN = ("Northern Courier", "Evening Courier")
CHAIN_FOOTER = (
    "The Northern Courier and the Evening Courier are published by Courier Media Group, "
    "which owns twelve regional titles across the north of England and the Midlands."
)
CHAIN_BACKGROUND = 8
"""Articles each chain outlet printed, with its block and footer, before the trap pairs:
more than ``furniture.FURNITURE_ARTICLES``, so the database knows them for furniture."""


def _file(headline: str, outlet: str, paragraphs: list[str], day: int = 14) -> str:
    """An article file in the seed's layout."""
    lines = [headline, f"{day:02d}.03.2005", f"{outlet}, {day} March 2005", *paragraphs]
    return "\n\n".join(lines) + "\n"


def _short(article: ParsedArticle, least: int = 120) -> list[str]:
    """A story's first paragraphs, ``least`` words or more: a short story, where furniture
    weighs most."""
    taken: list[str] = []
    for paragraph in article.paragraphs:
        taken.append(paragraph)
        if sum(len(p.split()) for p in taken) >= least:
            break
    return taken


def _words_from(rng: random.Random, pool: list[str], least: int) -> str:
    """Sentences from ``pool`` in a row, ``least`` words or more: a caption's description."""
    start = rng.randrange(len(pool))
    taken: list[str] = []
    for sentence in pool[start:] + pool[:start]:
        taken.append(sentence)
        if sum(len(s.split()) for s in taken) >= least:
            break
    return " ".join(taken)


def _as_held(a: list[str], b: list[str], other_outlet: bool = True) -> bool:
    """Would the text rule link these paragraphs as the files hold them: repetition counted
    as often as it occurs, furniture and captions in?"""
    wa, wb = tuple(words("\n".join(a))), tuple(words("\n".join(b)))
    shorter = min(len(wa), len(wb))
    runs = sum(
        op.src_end - op.src_start
        for op in Indel.opcodes(wa, wb)
        if op.tag == "equal" and op.src_end - op.src_start >= 4
    )
    similarity = Similarity(Indel.normalized_similarity(wa, wb), runs / max(1, shorter), shorter)
    return same_story(similarity, Thresholds(), same_outlet=not other_outlet)


@dataclass
class Trap:
    kind: str
    files: list[tuple[str, list[str]]] = field(default_factory=list)
    """(file, its paragraphs as written), two by two: the pairs."""


def _distinct_bbc() -> list[str]:
    """BBC files in no labelled or similar pair: distinct from each other."""
    with open(SHARED / "bbc_similar_pairs.tsv") as handle:
        near = {f for row in list(csv.reader(handle, delimiter="\t"))[1:] for f in row[1:3]}
    with open(SHARED / "bbc_exact_duplicates.tsv") as handle:
        near |= {f for row in csv.reader(handle, delimiter="\t") for f in row[:2]}
    names = (str(p.relative_to(SHARED / "bbc")) for p in (SHARED / "bbc").rglob("*.txt"))
    return sorted(n for n in names if not n.lower().startswith("readme") and n not in near)


def _distinct_turkish() -> list[Path]:
    labelled = {n for pair in [*TR_IDENTICAL, *TR_SAME_TEXT, *TR_ONE_EVENT] for n in pair}
    return sorted(
        p
        for p in (SHARED / "tr_1150haber").rglob("*.txt")
        if _label(str(p.relative_to(SHARED / "tr_1150haber"))) not in labelled
    )


def _stories(rng: random.Random, articles: list[ParsedArticle], donors: int) -> tuple[list, list]:
    """Stories for the traps (120 words or more: a caption of 120 words counted twice was
    60% of such a story), and sentences from other stories for their captions."""
    usable = [a for a in articles if a.headline and len(a.body.split()) >= 120]
    rng.shuffle(usable)
    pool = [s for a in usable[:donors] for p in a.paragraphs for s in sentences(p)]
    return usable[donors:], pool


def trap_section(rng: random.Random, work: Path, pairs: int) -> int:
    """Distinct stories given the same furniture, under two outlets: every link between
    them is wrong. The chain's earlier articles (with its block and footer) are ingested
    first, as the database would know them; the trap files arrive in a second run."""
    scenario = Scenario("Boilerplate traps: distinct stories sharing furniture", work / "traps")
    bbc, pool_en = _stories(
        rng, [parse((SHARED / "bbc" / n).read_bytes()) for n in _distinct_bbc()], 200
    )
    turkish, pool_tr = _stories(rng, [parse(p.read_bytes()) for p in _distinct_turkish()], 150)

    def place(
        trap: Trap,
        folder: str,
        stories: list,
        outlets: tuple[str, str],
        extra: list[list[str]],
        least: int = 120,
    ) -> None:
        """One pair: two stories of ``least`` words or more, each with the same ``extra``
        (after its second paragraph, and at its end), under the two outlets."""
        for side in (0, 1):
            story = stories.pop()
            own = _short(story, least)
            body = [*own[:2], *extra[0], *own[2:], *extra[1]]
            name = f"{folder}/{len(trap.files):03d}.txt"
            trap.files.append((name, body))
            (scenario.root / name).parent.mkdir(parents=True, exist_ok=True)
            (scenario.root / name).write_text(_file(story.headline, outlets[side], body))

    traps: list[Trap] = []
    for times in ("once", "twice"):
        ap, plain = Trap(f"BBC: AP photo caption, {times}"), Trap(f"BBC: plain caption, {times}")
        for _ in range(pairs):
            caption = (
                f"FILE - In this Nov. 11, 2004 file photo, {_words_from(rng, pool_en, 100)} "
                "(AP Photo/Matt Dunham, File)"
            )
            twice = [caption] if times == "twice" else []
            place(ap, f"arriving/ap-{times}", bbc, CAPTION_OUTLETS, [[caption], twice])
            caption = _words_from(rng, pool_en, 110)
            twice = [caption] if times == "twice" else []
            place(plain, f"arriving/plain-{times}", bbc, CAPTION_OUTLETS, [[caption], twice])
        traps += [ap, plain]
    credit = Trap("Turkish: caption with credit, twice, Kaynak")
    plain = Trap("Turkish: plain caption, twice, photo and Kaynak lines")
    for _ in range(pairs):
        caption = f"{_words_from(rng, pool_tr, 80)} (Fotoğraf: AA)"
        end = [caption, "Kaynak: Anadolu Ajansı"]
        place(credit, "arriving/tr-credit", turkish, TR_OUTLETS, [[caption], end])
        caption = _words_from(rng, pool_tr, 90)
        end = [caption, "Fotoğraf: Reuters", "Kaynak: Reuters"]
        place(plain, "arriving/tr-plain", turkish, TR_OUTLETS, [[caption], end])
    traps += [credit, plain]
    # A 100-word block of other stories' headlines, as a list under "Read more:" and as one
    # paragraph no pattern knows, and the chain's footer: in a short story (60 words, a
    # stub) they are most of the text.
    others = [a.headline for a in bbc[:60]]
    links, block = ["Read more:"], "More from the Courier today:"
    for headline in others:
        if len(" ".join(links).split()) < 100:
            links.append(headline)
        elif len(block.split()) < 100:
            block += f" {headline};"
    # The chain's earlier stories are ordinary ones (300 words or more): the database learns
    # its furniture from them before the stubs arrive.
    earlier = Trap("Chain: the outlets' earlier articles")
    for _ in range(CHAIN_BACKGROUND):
        place(earlier, "chain", bbc, CHAIN, [[], [block, CHAIN_FOOTER]], least=300)
    listed = Trap("Chain: read-more list and footer, stubs")
    plain_block = Trap("Chain: links block and footer, stubs (known to the database)")
    for _ in range(pairs):
        end = [*links, CHAIN_FOOTER]
        place(listed, "arriving/chain-list", bbc, CHAIN, [[], end], least=60)
        place(
            plain_block, "arriving/chain-block", bbc, CHAIN, [[], [block, CHAIN_FOOTER]], least=60
        )
    traps += [listed, plain_block]

    ingest(scenario, "arriving", f"sqlite:///{work / 'traps.db'}")
    results = scenario.results
    files = sum(len(t.files) for t in [*traps, earlier])
    print(f"\n== {scenario.name}: {files:,} files in {scenario.seconds:.1f} s")
    for number, counts in enumerate(scenario.counts, start=1):
        print(f"  run {number}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items() if v))
    print(f"  {'trap':<58}{'pairs':>6}{'as held':>9}{'linked':>8}")
    wrong = sum(1 for name, _ in earlier.files if results[name].outcome != "new")
    for trap in traps:
        two = list(zip(trap.files[::2], trap.files[1::2], strict=True))
        as_held = sum(1 for (_, a), (_, b) in two if _as_held(a, b))
        linked = sum(1 for name, _ in trap.files if results[name].outcome != "new")
        wrong += linked
        print(f"  {trap.kind:<58}{len(two):>6}{as_held:>9}{linked:>8}")
        for name, _ in trap.files:
            if results[name].outcome != "new":
                print(
                    f"      wrong: {name} {results[name].outcome.value} {results[name].similarity}"
                )
    print(
        "  (as held: pairs the text rule links when repetition counts as often as it occurs "
        "and captions and furniture count as text)"
    )
    print(f"  wrong links between distinct stories: {wrong}")
    return wrong


# --- rewrites ------------------------------------------------------------------------------------


def _shingles(article: ParsedArticle, k: int = 5) -> set[tuple[str, ...]]:
    found = words(f"{article.headline} {article.body}")
    return {tuple(found[i : i + k]) for i in range(len(found) - k + 1)}


def _jaccard(a: ParsedArticle, b: ParsedArticle) -> float:
    x, y = _shingles(a), _shingles(b)
    return len(x & y) / max(1, len(x | y))


def rewrite_section(rng: random.Random, work: Path, count: int) -> list:
    """Rewrites of BBC and Turkish articles (``make_rewrite``) arriving after the corpora:
    each should be an edit of its article. Returns (kind, original, rewrite) per file."""
    scenario = Scenario(
        "Synthetic rewrites of BBC and Turkish articles (the story kept, the words lost)",
        work / "rewrites",
    )
    # New leads are written with the words of stories the database never holds, one story
    # for each rewrite (two rewrites with one lead would share it).
    labelled = {f"tr_1150haber/{n}" for pair in [*TR_IDENTICAL, *TR_SAME_TEXT] for n in pair}
    labelled |= {f"bbc/{n}" for pair in [*bbc_pairs()[0], *bbc_pairs()[1]] for n in pair}
    leads: dict[str, list[str]] = {}
    names: list[str] = []
    for corpus in ("bbc", "tr_1150haber"):
        files = sorted(
            str(p.relative_to(SHARED / corpus))
            for p in (SHARED / corpus).rglob("*.txt")
            if not p.name.lower().startswith("readme")
        )
        unlabelled = [f for f in files if f"{corpus}/{_label(f)}" not in labelled]
        held = set(rng.sample(unlabelled, count // 2))  # a lead for each rewrite
        leads[corpus[:3]] = [
            parse((SHARED / corpus / f).read_bytes()).paragraphs[0] for f in sorted(held)
        ]
        names += [
            f"{corpus}/{n}" for n in _copy_corpus(SHARED / corpus, scenario.root / corpus, held)
        ]
    duplicates, edits, _ = bbc_pairs()
    for a, b in [*duplicates, *edits]:
        scenario.groups.union(f"bbc/{a}", f"bbc/{b}")
    by_label = {_label(n): n for n in names}
    for a, b in [*TR_IDENTICAL, *TR_SAME_TEXT]:
        scenario.groups.union(by_label[f"tr_1150haber/{a}"], by_label[f"tr_1150haber/{b}"])
    parsed = {n: parse((scenario.root / n).read_bytes()) for n in names}
    usable = [
        n
        for n, a in parsed.items()
        if a.headline and len([s for p in a.paragraphs for s in sentences(p)]) >= 6
    ]
    heads = {
        c: [w for n in usable if n.startswith(c) for w in parsed[n].headline.split()]
        for c in ("bbc", "tr")
    }
    (scenario.root / "arriving").mkdir()
    made = []
    chosen = [
        n
        for c in ("bbc", "tr")
        for n in rng.sample([n for n in usable if n.startswith(c)], count // 2)
    ]
    for k, name in enumerate(chosen):
        corpus = "bbc" if name.startswith("bbc") else "tr"
        lead = leads["bbc" if corpus == "bbc" else "tr_"].pop()
        kind, text = make_rewrite(rng, parsed[name], lead, heads[corpus])
        target = f"arriving/{kind}_{k:04d}.txt"
        (scenario.root / target).write_text(text, encoding="utf-8")
        scenario.truth[target] = ("edited", name)
        scenario.groups.union(target, name)
        made.append(
            (kind, "BBC" if corpus == "bbc" else "Turkish", parsed[name], parse(text.encode()))
        )
    truth_from_groups(scenario, names)
    ingest(scenario, "arriving", f"sqlite:///{work / 'rewrites.db'}")
    score(scenario, ("edited",))
    ratios = sorted(compare(a.body, b.body).ratio for _, _, a, b in made)
    jaccards = sorted(_jaccard(a, b) for _, _, a, b in made)
    mid = len(made) // 2
    print(
        f"  the rewrites against their articles: word ratio median {ratios[mid]:.2f} "
        f"(quartiles {ratios[mid // 2]:.2f}-{ratios[mid + mid // 2]:.2f}), 5-word-shingle Jaccard "
        f"median {jaccards[mid]:.2f} (quartiles {jaccards[mid // 2]:.2f}-{jaccards[mid + mid // 2]:.2f})"
    )
    results = scenario.results
    article_of = {n: r.article_id for n, r in results.items()}
    for kind in ("rewrite", "stub"):
        arrived = [n for n in results if n.startswith(f"arriving/{kind}_")]
        joined = [n for n in arrived if article_of[n] == article_of[scenario.truth[n][1]]]
        by_rule = [n for n in joined if results[n].reason]
        wrong = [n for n in arrived if results[n].outcome != "new" and n not in joined]
        print(
            f"  {kind}s: {len(joined)} of {len(arrived)} joined their article ({len(by_rule)} by "
            f"the rewrite rule, {len(joined) - len(by_rule)} by the text rule), "
            f"{len(wrong)} joined another"
        )
    found = [r for n, r in results.items() if n.startswith("arriving/") and r.reason]
    print("  each link the rewrite rule made says why, e.g.:")
    for result in found[:3]:
        print(f"      {result.path.split('/')[-1]}: {result.reason}")
    return made


def _index_found(articles: dict[str, ParsedArticle], same: set[frozenset[str]]) -> list:
    """Pairs of distinct texts that the passage index makes candidates of each other and
    the text rule turns down: what the rewrite rule is asked about."""
    from newswatch.match.index import MemoryIndex
    from newswatch.match.rules import overlap

    rule = Thresholds()
    prints = {n: fingerprint(a) for n, a in articles.items()}
    order = list(prints)
    index = MemoryIndex()
    for number, name in enumerate(order):
        index.add(number, prints[name].keys)
    found, seen = [], set()
    for name, fp in prints.items():
        for number, shared in index.shared(fp.keys).items():
            other = order[number]
            pair = frozenset((name, other))
            if other == name or pair in seen or pair in same:
                continue
            seen.add(pair)
            if overlap(shared, len(fp.keys), len(prints[other].keys), rule) is None:
                continue
            similarity, headlines = _similarity(articles[name], articles[other])
            if not same_story(similarity, rule, headlines):
                found.append((articles[name], articles[other]))
    return found


def rewrite_tradeoff(made: list) -> None:
    """The rewrite rule's evidence thresholds against what they link, pair by pair."""
    from dataclasses import replace

    from newswatch.match.evidence import features, weigh

    duplicates, edits, distinct = bbc_pairs()
    bbc = {
        str(p.relative_to(SHARED / "bbc")): parse(p.read_bytes())
        for p in (SHARED / "bbc").rglob("*.txt")
        if not p.name.lower().startswith("readme")
    }
    tr = {
        _label(str(p.relative_to(SHARED / "tr_1150haber"))): parse(p.read_bytes())
        for p in (SHARED / "tr_1150haber").rglob("*.txt")
    }
    same_bbc = {frozenset(p) for p in [*duplicates, *edits]}
    same_tr = {frozenset(p) for p in [*TR_IDENTICAL, *TR_SAME_TEXT, *TR_ONE_EVENT]}

    def turned_down(a: ParsedArticle, b: ParsedArticle) -> bool:
        from newswatch.match.rules import overlap

        fa, fb = fingerprint(a), fingerprint(b)
        shared = len(set(fa.keys) & set(fb.keys))
        if overlap(shared, len(fa.keys), len(fb.keys), Thresholds()) is None:
            return False  # the index would not offer it as a candidate
        similarity, headlines = _similarity(a, b)
        return not same_story(similarity, Thresholds(), headlines)

    sets = {
        "BBC rewrites": [(a, b) for _, c, a, b in made if c == "BBC" and turned_down(a, b)],
        "TR rewrites": [(a, b) for _, c, a, b in made if c == "Turkish" and turned_down(a, b)],
        "BBC distinct": [(bbc[a], bbc[b]) for a, b in distinct],
        "BBC found": _index_found(bbc, same_bbc),
        "TR found": _index_found(tr, same_tr),
        "TR one event": [(tr[a], tr[b]) for a, b in TR_ONE_EVENT],
    }
    evidence = {
        k: [weigh(features(a.headline, a.body), features(b.headline, b.body)) for a, b in pairs]
        for k, pairs in sets.items()
    }
    default = Thresholds().rewrite
    print("\n== Trade-off: the rewrite rule, pair by pair")
    print(
        "   (pairs the index offers as candidates and the text rule turns down; all within the "
        "time window, the corpora carrying no capture times)"
    )
    print(
        f"  {'headline':>8} {'names':>5} {'share':>5} {'q+n':>4} "
        + " ".join(f"{k:>13}" for k in sets)
    )
    for headline, names, share, quotes in [
        (0.3, 2, 0.5, 0),
        (0.4, 2, 0.6, 0),
        (0.4, 3, 0.6, 1),
        (0.4, 3, 0.65, 1),
        (0.4, 2, 0.7, 1),
        (0.4, 3, 0.7, 0),
        (0.4, 3, 0.7, 1),
        (0.3, 3, 0.75, 1),
        (0.4, 3, 0.75, 0),
        (0.4, 3, 0.75, 1),
        (0.4, 4, 0.75, 1),
        (0.5, 3, 0.75, 1),
        (0.4, 3, 0.8, 1),
        (0.5, 4, 0.8, 2),
        (0.6, 3, 0.75, 1),
    ]:
        rule = replace(
            default, headline=headline, names=names, name_share=share, quotes_or_numbers=quotes
        )
        cells = [
            f"{sum(1 for e in found if rule.holds(e))}/{len(found)}" for found in evidence.values()
        ]
        mark = "  <- default" if rule == default else ""
        print(
            f"  {headline:>8.2f} {names:>5} {share:>5.2f} {quotes:>4} "
            + " ".join(f"{c:>13}" for c in cells)
            + mark
        )
    print(
        "  (headline: share of the shorter headline's words; names: how many, and what share of "
        "the names of both texts, both hold; q+n: quotations and numbers both hold. "
        "BBC found, TR found: distinct pairs the index offers; TR one event: two papers' "
        "write-ups of one event, neither right nor wrong)"
    )


# --- real human edits (Wikinews) ------------------------------------------------------------

WIKINEWS = SHARED / "wikinews_edits" / "pairs.jsonl"


def wikinews_section(work: Path) -> dict[str, tuple[int, int]]:
    """Real human edits: every revision's text before is ingested, then its text after as
    another file (no URL, no headline: one paragraph, as Wikinews gives it). Each text after
    must be ``edited``, a new version of its text before's article (or its ``duplicate``,
    where it is word for word a text before of the same article). Identity is printed for
    the tune and the report half of the fixed split (``halves.split_by_doc``)."""
    if not WIKINEWS.is_file():
        print(f"\nreal edits skipped: {WIKINEWS} is absent")
        return {}
    rows = [json.loads(line) for line in WIKINEWS.read_text(encoding="utf-8").splitlines()]
    tune, report, told = split_by_doc(rows, lambda row: row["doc_id"])
    scenario = Scenario("Real human edits (Wikinews, IteraTeR-HUMAN)", work / "wikinews")
    names: dict[str, tuple[str, str, str]] = {}  # file name -> doc_id, before, after
    for row in rows:
        name = f"{row['doc_id']}_{row['revision_depth']}.txt"
        for side, text in (("before", row["before_revision"]), ("after", row["after_revision"])):
            (scenario.root / side).mkdir(parents=True, exist_ok=True)
            (scenario.root / side / name).write_text(text.strip() + "\n", encoding="utf-8")
        names[name] = (row["doc_id"], f"before/{name}", f"after/{name}")
    ingest(scenario, "after", f"sqlite:///{work / 'wikinews.db'}")
    results = scenario.results
    doc_of_article: dict[int | None, set[str]] = defaultdict(set)
    for doc_id, before, after in names.values():
        for side in (before, after):
            if side in results:
                doc_of_article[results[side].article_id].add(doc_id)
    print(f"\n== {scenario.name}: {len(results):,} files in {scenario.seconds:.1f} s")
    print(f"  {told}")
    figures = {}
    for half, part in (("tune", tune), ("report", report)):
        right, missed = 0, []
        for row in part:
            _, before, after = names[f"{row['doc_id']}_{row['revision_depth']}.txt"]
            got = results.get(after)
            # A revision of an article that has several is right in the article of any of
            # its texts before (the benchmark's runs hold each before as its own file); a
            # text after that is word for word another revision's text before (a revert)
            # is that text's duplicate.
            joined = (
                got is not None
                and got.outcome in ("edited", "duplicate")
                and doc_of_article.get(got.article_id) == {row["doc_id"]}
            )
            right += joined
            if not joined:
                missed.append(f"{after} got={got.outcome.value if got else None}")
        figures[half] = (right, len(part))
        print(f"  {half:6}: identity {right / len(part):.3f} ({right} of {len(part)} edits)")
        for line in missed:
            print(f"      missed: {line}")
    wrong = sum(len(docs) - 1 for docs in doc_of_article.values())
    print(f"  wrong merges of distinct articles: {wrong}")
    return figures


# --- a one-topic news day (generated from real BBC text) ------------------------------------

NEWS_DAYS = (("tune", "politics", 101), ("report", "business", 202))
"""The tune day (its rules were set on it) and the report day: another category's stories,
another seed."""


def news_day_section(work: Path) -> dict[str, dict[str, tuple[int, int, int, int, int]]]:
    """``news_day.build_day``: for each day and each format, wrong links (an edit or a copy
    between different stories), copies found and edits found."""
    involved = {f for pair in [*bbc_pairs()[0], *bbc_pairs()[1], *bbc_pairs()[2]] for f in pair}
    others = [
        p
        for p in sorted((SHARED / "bbc").glob("*/*.txt"))
        if f"{p.parent.name}/{p.name}" not in involved
    ]
    figures: dict[str, dict[str, tuple[int, int, int, int, int]]] = {}
    print(
        "\n== One-topic news day (generated from real BBC text: one category's stories made "
        "one event, ~60 outlets of 2-5 articles, junk headlines, per-outlet furniture)"
    )
    for half, category, seed in NEWS_DAYS:
        stories = [p for p in others if p.parent.name == category]
        donors = [p for p in others if p.parent.name not in (category,)]
        day = build_day(seed, stories, donors)
        figures[half] = {}
        for suffix in (".txt", ".html"):
            scenario = Scenario(f"{half} day {suffix}", work / f"day-{half}{suffix}")
            write_day(day, scenario.root, suffix)
            ingest(scenario, "arriving", f"sqlite:///{work / f'day-{half}{suffix}.db'}")
            found = score_day(day, scenario.results, suffix)
            figures[half][suffix] = found
            wrong, copies, copies_all, edits, edits_all = found
            print(
                f"  {half:6} ({category}, seed {seed}, {len(day)} files, "
                f"{len({f.outlet for f in day})} outlets) {suffix:5}: wrong links {wrong}; "
                f"copies found {copies} of {copies_all}; edits found {edits} of {edits_all}"
            )
    return figures


def score_day(
    day: list[DayFile], results: dict[str, FileResult], suffix: str
) -> tuple[int, int, int, int, int]:
    """Wrong links, copies found (of all), edits found (of all); the wrong links printed."""
    story_of: dict[str, str] = {}
    result_of: dict[str, FileResult] = {}
    for file in day:
        path = f"{'arriving/' if file.wave == 2 else ''}{file.name}{suffix}"
        story_of[path] = file.story
        if path in results:
            result_of[file.name] = results[path]
    stories: dict[int | None, set[str]] = defaultdict(set)
    for path, result in results.items():
        if result.article_id is not None and path in story_of:
            stories[result.article_id].add(story_of[path])
    wrong = []
    for file in day:
        result = result_of.get(file.name)
        if result is None:
            continue
        if result.outcome == "edited" and len(stories[result.article_id]) > 1:
            wrong.append(
                f"{file.name} edited {sorted(stories[result.article_id])} "
                f"similarity {result.similarity} {result.reason or ''}"
            )
        if result.outcome == "near_duplicate" and file.story not in stories.get(
            result.matched_article_id, set()
        ):
            wrong.append(
                f"{file.name} copy of {sorted(stories[result.matched_article_id])} "
                f"similarity {result.similarity}"
            )
    originals = {f.story: f.name for f in day if f.kind == "original"}
    copies = [f for f in day if f.kind == "copy"]
    edits = [f for f in day if f.kind == "edit"]
    copies_found = sum(
        1
        for f in copies
        if (r := result_of.get(f.name)) is not None
        and r.outcome == "near_duplicate"
        and f.story in stories.get(r.matched_article_id, set())
    )
    edits_found = sum(
        1
        for f in edits
        if (r := result_of.get(f.name)) is not None
        and r.outcome == "edited"
        and r.article_id == result_of[originals[f.story]].article_id
    )
    for line in wrong[:6]:
        print(f"      wrong: {line}")
    for f in [*copies, *edits]:
        r = result_of.get(f.name)
        if r is not None and r.outcome.value not in ("near_duplicate", "edited"):
            print(f"      missed: {f.kind} {f.name} of {originals[f.story]}: {r.outcome.value}")
    return len(wrong), copies_found, len(copies), edits_found, len(edits)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--synthetic", type=int, default=400, help="synthetic BBC edits (and half as many copies)"
    )
    parser.add_argument(
        "--containment", type=int, default=400, help="synthetic partial copies and updates"
    )
    parser.add_argument("--traps", type=int, default=15, help="boilerplate trap pairs per kind")
    parser.add_argument("--rewrites", type=int, default=400, help="synthetic rewrites")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--only",
        choices=["traps", "rewrites", "wikinews", "day"],
        help="run only the boilerplate traps or rewrites",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder to inspect")
    args = parser.parse_args()
    if not (SHARED / "bbc").is_dir() or not (SHARED / "tr_1150haber").is_dir():
        print(f"skipped: the corpora are not at {SHARED} (benchmarks read ../shared/corpus)")
        return 0
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="newswatch-matching-"))
    try:
        if not args.only:
            bbc_section(rng, work, args.synthetic)
            turkish_section(work)
            wikinews_section(work)
            news_day_section(work)
            _, pairs = containment_section(rng, work, args.containment)
            tradeoff(pairs, work)
        if args.only == "wikinews":
            wikinews_section(work)
        if args.only == "day":
            news_day_section(work)
        if args.only in (None, "traps"):
            trap_section(random.Random(args.seed + 1), work, args.traps)
        if args.only in (None, "rewrites"):
            made = rewrite_section(random.Random(args.seed + 2), work, args.rewrites)
            rewrite_tradeoff(made)
    finally:
        if args.keep:
            print("kept", work)
        else:
            shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Score the matcher on the BBC corpus: real duplicates and edits, hard negatives, and
edits and syndicated copies made from the corpus itself.

    .venv/bin/python benchmarks/matching.py [--synthetic 400] [--seed 7]

Reads ../shared/corpus (skips with a message when it is absent). Prints precision and
recall for `edited` and `near_duplicate`, the wrong merges of distinct stories, and the
similarity spread behind the default thresholds.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from newswatch.fingerprint import fingerprint
from newswatch.ingest import run
from newswatch.parse import parse
from newswatch.settings import get_settings
from newswatch.similarity import compare, sentences

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"

# Read by hand (see the closing note of the matching issue): every pair in
# bbc_similar_pairs.tsv at Jaccard >= 0.55 is one story edited (headline rewritten,
# sentences added, "BBC Two" -> "BBC2"); below that they are distinct stories on one
# subject, except politics/111 + 293: the same text lightly reworded with readers'
# comments appended.
EDIT_JACCARD = 0.55
EXTRA_EDITS = {("politics/111.txt", "politics/293.txt")}

OUTLETS = ["Reuters", "Hurriyet Daily News", "The Guardian", "Anadolu Agency", "AP"]
BOILERPLATE = [
    "This article was first published by BBC News and is republished with permission.",
    "Follow us on social media for the latest updates.",
    "Copyright {outlet} 2005. All rights reserved.",
]


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


def load_pairs() -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, str]]]:
    with open(SHARED / "bbc_exact_duplicates.tsv") as handle:
        duplicates = [tuple(r[:2]) for r in csv.reader(handle, delimiter="\t") if len(r) >= 2]
    edits, distinct = [], []
    with open(SHARED / "bbc_similar_pairs.tsv") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))[1:]
    for jaccard, a, b in rows:
        if float(jaccard) >= EDIT_JACCARD or (a, b) in EXTRA_EDITS:
            edits.append((a, b))
        else:
            distinct.append((a, b))
    return duplicates, edits, distinct  # type: ignore[return-value]


def headline_and_body(raw: bytes) -> tuple[str, list[str]]:
    parsed = parse(raw)
    return parsed.headline, parsed.paragraphs


_NUMBER = re.compile(r"\b\d+(?:\.\d+)?\b")


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


def make_syndicated(rng: random.Random, headline: str, paragraphs: list[str]) -> tuple[str, str]:
    """Another outlet's copy: its own header and boilerplate, sometimes the last sentences cut."""
    outlet = rng.choice(OUTLETS)
    parts = _split(paragraphs)
    if rng.random() < 0.5:
        for _ in range(rng.randint(1, 2)):
            last = max(k for k, x in enumerate(parts) if x)
            parts[last].pop()
    furniture = [line.format(outlet=outlet) for line in rng.sample(BOILERPLATE, 2)]
    lines = [
        headline.upper() if rng.random() < 0.3 else headline,
        "14.03.2005",
        f"{outlet}, 14 March 2005",
    ]
    lines += (
        _join(parts) + furniture + [f"Kaynak/Source: https://example.org/{rng.randrange(10**6)}"]
    )
    return outlet, "\n\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--synthetic", type=int, default=400, help="synthetic edits (and half as many copies)"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the work folder to inspect")
    args = parser.parse_args()
    if not (SHARED / "bbc").is_dir():
        print(f"skipped: the BBC corpus is not at {SHARED} (benchmarks read ../shared/corpus)")
        return 0
    rng = random.Random(args.seed)
    duplicates, edits, distinct = load_pairs()
    involved = {f for pair in [*duplicates, *edits, *distinct] for f in pair}

    work = Path(tempfile.mkdtemp(prefix="newswatch-matching-"))
    root = work / "watched"
    shutil.copytree(SHARED / "bbc", root / "bbc")
    names = sorted(str(p.relative_to(root / "bbc")) for p in (root / "bbc").rglob("*.txt"))
    groups = Groups()
    for a, b in [*duplicates, *edits]:
        groups.union(f"bbc/{a}", f"bbc/{b}")

    # Synthetic edits (same outlet: none, like the corpus) and syndicated copies.
    sources = rng.sample([n for n in names if n not in involved], args.synthetic)
    donors = [
        sentence
        for n in rng.sample(names, 200)
        for paragraph in headline_and_body((root / "bbc" / n).read_bytes())[1]
        for sentence in sentences(paragraph)
    ]
    truth_outcome: dict[str, tuple[str, str]] = {}
    for k, name in enumerate(sources):
        headline, paragraphs = headline_and_body((root / "bbc" / name).read_bytes())
        new_headline, new_paragraphs = headline, paragraphs
        while (new_headline, new_paragraphs) == (headline, paragraphs):  # an edit must change
            new_headline, new_paragraphs, _ = make_edit(rng, headline, paragraphs, donors)
        edited = f"synthetic/edit_{k:04d}.txt"
        (root / edited).parent.mkdir(parents=True, exist_ok=True)
        (root / edited).write_text("\n\n".join([new_headline, *new_paragraphs]) + "\n")
        truth_outcome[edited] = ("edited", f"bbc/{name}")
        groups.union(edited, f"bbc/{name}")
        if k % 2 == 0:
            _, text = make_syndicated(rng, headline, paragraphs)
            copy = f"synthetic/copy_{k:04d}.txt"
            (root / copy).write_text(text)
            truth_outcome[copy] = ("near_duplicate", f"bbc/{name}")
            groups.union(copy, f"bbc/{name}")

    # Real corpus truth in ingest order: first of a group is new, equal text a duplicate.
    seen_texts: dict[str, set[str]] = defaultdict(set)
    group_seen: set[str] = set()
    for name in names:
        key = f"bbc/{name}"
        group = groups.find(key)
        content = fingerprint(parse((root / key).read_bytes())).content_hash
        if group in group_seen:
            truth_outcome[key] = ("duplicate" if content in seen_texts[group] else "edited", "")
        group_seen.add(group)
        seen_texts[group].add(content)

    database = f"sqlite:///{work / 'bench.db'}"
    started = time.perf_counter()
    # The corpus first (it is what the database already knows), then the new files.
    synthetic = root / "synthetic"
    hold = work / "synthetic-hold"
    synthetic.rename(hold)
    first = run(get_settings(watch_dir=root, database_url=database))
    hold.rename(synthetic)
    second = run(get_settings(watch_dir=root, database_url=database))
    elapsed = time.perf_counter() - started
    results = {
        str(Path(r.path).relative_to(root)): r
        for r in [*first.results, *second.results]
        if r.outcome != "unchanged"
    }

    article_of = {name: r.article_id for name, r in results.items()}
    print(
        f"ingested {len(results)} files ({len(names)} corpus, {len(truth_outcome) - sum(1 for k in truth_outcome if k.startswith('bbc/'))} synthetic) in {elapsed:.1f} s"
    )
    print(f"corpus run: {first.counts}")
    print(f"synthetic run: {second.counts}")
    print()
    print(f"{'class':<16}{'truth':>7}{'predicted':>11}{'correct':>9}{'precision':>11}{'recall':>8}")
    for outcome in ("duplicate", "edited", "near_duplicate"):
        truth = {k for k, (o, _) in truth_outcome.items() if o == outcome}
        predicted = {k for k, r in results.items() if r.outcome == outcome}
        correct = set()
        for k in truth & predicted:
            source = truth_outcome[k][1]
            if outcome == "near_duplicate":
                if results[k].matched_article_id == article_of.get(source):
                    correct.add(k)
            elif source == "" or article_of[k] == article_of.get(source):
                correct.add(k)
        precision = len(correct) / len(predicted) if predicted else 1.0
        recall = len(correct) / len(truth) if truth else 1.0
        print(
            f"{outcome:<16}{len(truth):>7}{len(predicted):>11}{len(correct):>9}{precision:>11.3f}{recall:>8.3f}"
        )
        for k in sorted((truth ^ predicted) | (truth - correct))[:8]:
            print(
                f"    miss/false: {k} truth={truth_outcome.get(k, ('new',))[0]} got={results[k].outcome} sim={results[k].similarity}"
            )

    # Wrong merges: an article (or a near-duplicate link) joining files of distinct stories.
    members: dict[int, set[str]] = defaultdict(set)
    for name, r in results.items():
        if r.article_id is not None:
            members[r.article_id].add(groups.find(name))
    wrong = sum(len(g) - 1 for g in members.values())
    wrong_links = sum(
        1
        for name, r in results.items()
        if r.outcome == "near_duplicate"
        and r.matched_article_id is not None
        and groups.find(name) not in members.get(r.matched_article_id, set())
    )
    hard = sum(1 for a, b in distinct if article_of[f"bbc/{a}"] == article_of[f"bbc/{b}"])
    print()
    print(
        f"wrong merges of distinct stories: {wrong} (articles), {wrong_links} (near-duplicate links)"
    )
    print(f"hard negatives (distinct BBC pairs on one subject) merged: {hard} of {len(distinct)}")

    ratios = lambda pairs: list(  # noqa: E731
        compare(
            parse((root / "bbc" / a).read_bytes()).body, parse((root / "bbc" / b).read_bytes()).body
        )
        for a, b in pairs
    )
    edit_sims, distinct_sims = ratios(edits), ratios(distinct)
    edit_low = min(s.ratio for s in edit_sims)
    edit_contained = max(s.containment for s in edit_sims if s.ratio < 0.75)
    distinct_high = max(s.ratio for s in distinct_sims)
    distinct_contained = max(s.containment for s in distinct_sims)
    print(
        f"similarity spread: real edits ratio >= {edit_low:.3f} (or containment {edit_contained:.3f}); "
        f"distinct ratio <= {distinct_high:.3f}, containment <= {distinct_contained:.3f}"
    )
    if "--keep" in sys.argv:
        print("kept", work)
    else:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())

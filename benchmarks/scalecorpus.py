"""A folder of N articles made from the BBC corpus, for benchmarks/scale.py.

About 85% are distinct stories, 10% edited versions of an earlier story (same outlet: the
matcher must find them) and 5% syndicated copies (another outlet's header and boilerplate).
Distinct stories are BBC articles whose paragraphs are mixed with another article's and
whose words are partly replaced from the corpus vocabulary, so no two of them are one story
while each reads like (and is as long as) a real article. Files are written in the order a
folder fills up: ``NNN/NNNNNN.txt``, an edit or copy always after its original.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from matching import make_edit, make_syndicated  # type: ignore[import-not-found]

from newswatch.match.similarity import sentences
from newswatch.read.parse import parse

_WORD = re.compile(r"[A-Za-z]{4,}")


@dataclass
class Story:
    headline: str
    paragraphs: list[str]
    header: list[str]


def load_bbc(bbc: Path) -> list[tuple[str, list[str]]]:
    out = []
    for path in sorted(bbc.rglob("*.txt")):
        if path.name.lower().startswith("readme"):
            continue
        parsed = parse(path.read_bytes())
        out.append((parsed.headline, parsed.paragraphs))
    return out


def load_mixed(bbc: Path) -> list[tuple[str, list[str]]]:
    """The BBC texts and the 1150haber Turkish ones beside them: half again as many texts,
    in two languages, so distinct stories share fewer phrases."""
    turkish = bbc.parent / "tr_1150haber"
    return load_bbc(bbc) + [t for t in load_bbc(turkish) if t[0] and len(t[1]) >= 2]


def _distinct(
    rng: random.Random, base: list[tuple[str, list[str]]], vocabulary: list[str], n: int
) -> Story:
    headline, paragraphs = rng.choice(base)
    _, others = rng.choice(base)
    mixed = [p if rng.random() < 0.6 or not others else rng.choice(others) for p in paragraphs]

    def scramble(text: str) -> str:
        words = text.split()
        for k in range(len(words)):
            if rng.random() < 0.3:
                words[k] = rng.choice(vocabulary)
        return " ".join(words)

    header = []
    if rng.random() < 0.5:
        day = rng.randint(1, 28)
        header = [f"{day:02d}.03.2005", f"BBC, {day} March 2005"]
    return Story(f"{scramble(headline)} {n}", [scramble(p) for p in mixed], header)


def _text(story: Story, trailer: bool = True) -> str:
    lines = [story.headline, *story.header, *story.paragraphs]
    if trailer and story.header:
        lines.append("Kaynak/Source:")
    return "\n\n".join(lines) + "\n"


def build(
    bbc: Path, folder: Path, count: int, seed: int = 11, mixed: bool = False
) -> dict[str, int]:
    """Write the folder (once: reused while its manifest says the same N and seed);
    ``mixed`` draws stories from the BBC and the Turkish texts (``load_mixed``)."""
    manifest = folder / "manifest.json"
    wanted: dict[str, object] = {"count": count, "seed": seed, "version": 2}
    if mixed:
        wanted["mixed"] = True
    if manifest.is_file() and json.loads(manifest.read_text()).get("params") == wanted:
        return dict(json.loads(manifest.read_text())["kinds"])
    rng = random.Random(seed)
    base = load_mixed(bbc) if mixed else load_bbc(bbc)
    vocabulary = sorted({w for _, ps in base for p in ps for w in _WORD.findall(p)})
    donors = [s for _, ps in rng.sample(base, 200) for p in ps for s in sentences(p)]
    stories: list[Story] = []
    kinds = {"distinct": 0, "edit": 0, "copy": 0}
    for n in range(count):
        path = folder / f"{n // 1000:03d}" / f"{n:06d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        roll = rng.random()
        if stories and roll < 0.10:
            original = rng.choice(stories)
            headline, paragraphs = original.headline, original.paragraphs
            while (headline, paragraphs) == (original.headline, original.paragraphs):
                headline, paragraphs, _ = make_edit(
                    rng, original.headline, original.paragraphs, donors
                )
            text = _text(Story(headline, paragraphs, original.header))
            kinds["edit"] += 1
        elif stories and roll < 0.15:
            original = rng.choice(stories)
            _, text = make_syndicated(rng, original.headline, original.paragraphs)
            kinds["copy"] += 1
        else:
            story = _distinct(rng, base, vocabulary, n)
            stories.append(story)
            text = _text(story)
            kinds["distinct"] += 1
        path.write_text(text, encoding="utf-8")
    manifest.write_text(json.dumps({"params": wanted, "kinds": kinds}))
    return kinds


def change_some(folder: Path, share: float, seed: int = 5) -> list[Path]:
    """Edit ``share`` of the files in place (a newsroom's updates between two runs)."""
    rng = random.Random(seed)
    files = sorted(folder.rglob("*.txt"))
    chosen = rng.sample(files, max(1, int(len(files) * share)))
    for path in chosen:
        parsed = parse(path.read_bytes())
        donors = [s for p in parsed.paragraphs for s in sentences(p)]
        headline, paragraphs, _ = make_edit(rng, parsed.headline, parsed.paragraphs, donors)
        header = []
        if parsed.published and parsed.outlet:
            header = [
                f"{parsed.published:%d.%m.%Y}",
                f"{parsed.outlet}, {parsed.published.day} {parsed.published:%B %Y}",
            ]
        path.write_text(_text(Story(headline, paragraphs, header)), encoding="utf-8")
    return chosen

"""A one-topic news day, generated from real BBC text: many outlets, each with a few
articles, all about one event, under junk headlines and page furniture.

Generated data (say so wherever a figure from it is quoted): the stories are real BBC
articles of one category (``../shared/corpus/bbc/<category>``), the rest is made here with a
fixed seed:

- about 60 outlets, each with 2 to 5 stories, so no outlet prints a block five times (the
  store's furniture count is not reached);
- one event: every story is given two sentences naming the day's people, places and figures
  (the same few names and numbers in every story, from a handful of sentence forms);
- headlines: the story's own for some outlets; for the others a number in brackets
  (``[12]``), digits, the site's name, ``Home``, or none;
- page furniture shared within each outlet, in forms that vary from outlet to outlet: a
  weather box, a photo gallery of the day's agency pictures (the same captions at every
  outlet that carries them, credited ``(AP Photo/…)``, ``AP Photo/…``, ``Photo: … / AP``,
  ``— … /Associated Press``), ``Save``, ``Close``, ``1 of 12``, a "Most read" list, a
  newsletter box;
- real copies: a story again at another outlet, under that outlet's headline style and
  furniture, with a sentence dropped and a word changed;
- real edits: a story again at its own outlet under another file name (no URL), one or two
  sentences changed.

Each day is written twice: as text files in the aggregator's layout (headline, date line,
``Outlet, D Month YYYY``, body) and as web pages (``.html``, read by ``read/page.py``).
``benchmarks/matching.py`` builds a tune day and a report day (another category, another
seed) and prints, for each: wrong links (an edit or a copy between two different stories),
copy recall and edit recall.
"""

from __future__ import annotations

import html
import random
import re
from dataclasses import dataclass
from pathlib import Path

from newswatch.read.parse import parse
from newswatch.read.text import sentences

DAY = "14.03.2024"
DATELINE_DAY = "14 March 2024"
NAMES = [
    "President Elena Marsh",
    "Chancellor Viktor Hale",
    "Prime Minister Amara Osei",
    "Secretary General Tomas Lind",
    "Foreign Minister Ruth Calder",
]
PLACES = ["Geneva", "the Palais des Nations", "Lake Geneva"]
FIGURES = ["$4.2bn", "27 nations", "1,500 delegates", "48 hours", "12%"]
EVENT_SENTENCES = [
    "{n0} and {n1} met in {p0} on Tuesday, where {f1} were represented.",
    "The summit in {p0}, attended by {f2}, was opened by {n2}.",
    "{n3} said the {f0} fund agreed at {p1} would be reviewed within {f3}.",
    "Talks at {p1} ran late into the night, {n0} told reporters in {p0}.",
    "{n1} warned that growth could fall by {f4} if the {p0} talks failed.",
    "Protesters gathered on the shore of {p2} as {n4} arrived for the talks.",
    "Delegates from {f1} are expected to sign the {p0} declaration, {n3} said.",
    "{n2} and {n4} held a separate meeting at {p1} on the fringes of the summit.",
]
GALLERY = [
    "{n0} arrives at {p1} for the opening session of the summit in {p0}, Switzerland",
    "{n1}, left, shakes hands with {n2} before talks in {p0} on Tuesday",
    "Police officers stand guard outside {p1} as leaders gather for the summit",
    "Demonstrators hold banners on the shore of {p2} during the summit in {p0}",
    "{n3} speaks during a news conference at {p1} in {p0}, Switzerland",
    "Delegates listen to a speech by {n4} at the summit in {p0} on Tuesday",
    "A motorcade carrying {n0} drives through central {p0} ahead of the talks",
    "{n2} waves to reporters as she leaves {p1} after the first day of talks",
    "Flags of the {f1} taking part fly outside {p1} in {p0}",
    "{n1} and {n3} talk during a break in the summit at {p1}",
]
PHOTOGRAPHERS = [
    "Markus Schreiber",
    "Evan Vucci",
    "Martial Trezzini",
    "Susan Walsh",
    "Jean-Francois Badias",
]
CITIES = [
    "London",
    "Leeds",
    "Cardiff",
    "Bristol",
    "Glasgow",
    "Dublin",
    "York",
    "Bath",
    "Derby",
    "Hull",
]
CREDITS = [
    " (AP Photo/{who})",
    " AP Photo/{who}",
    " (Photo by {who}/AP)",
    " — {who}/Associated Press",
    "\nPhoto: {who} / AP",
]
SITE_WORDS = [
    ("Daily", "Courier"),
    ("Evening", "Post"),
    ("Morning", "Star"),
    ("Northern", "Echo"),
    ("Valley", "Gazette"),
    ("City", "Herald"),
    ("County", "Times"),
    ("Coastal", "Mail"),
    ("Western", "Argus"),
    ("Border", "Chronicle"),
    ("Weekly", "Observer"),
    ("Metro", "Journal"),
]
HEADLINE_STYLES = ["own", "own", "own", "bracket", "digits", "site", "home", "none"]


@dataclass(frozen=True)
class DayFile:
    name: str
    """The file's path in the day's folder, without its suffix."""
    story: str
    """The BBC file the story comes from: files of one story may be linked, no others."""
    kind: str
    """``original``, ``copy`` or ``edit``."""
    wave: int
    """1: what the database knows; 2: what arrives later (copies and edits)."""
    outlet: str
    headline: str
    blocks: tuple[tuple[str, str], ...]
    """The page from top to bottom: (kind, text), kind ``story`` or a furniture kind."""


@dataclass
class Outlet:
    name: str
    headline_style: str
    top: list[tuple[str, str]]
    middle: list[tuple[str, str]]
    bottom: list[tuple[str, str]]
    paragraphs: int
    """How much of each story the outlet prints: a wire brief of a few paragraphs, or all."""


def _event(rng: random.Random, form: str) -> str:
    values = {f"n{k}": v for k, v in enumerate(NAMES)}
    values |= {f"p{k}": v for k, v in enumerate(PLACES)}
    values |= {f"f{k}": v for k, v in enumerate(FIGURES)}
    text = form.format(**values)
    return text[0].upper() + text[1:]


def _furniture(rng: random.Random, name: str, most_read: list[str]) -> Outlet:
    """One outlet's blocks, in its own forms."""
    city = rng.choice(CITIES)
    degrees = rng.randint(4, 19)
    weather = rng.choice(
        [
            f"Weather\n{city} {degrees}°C Cloudy\nTomorrow: {degrees + 2}°C, showers",
            f"{city} weather: {degrees}C, light rain. Wind {rng.randint(5, 25)} mph.",
            f"TODAY {degrees}° / {degrees - 4}° Sunny spells in {city}",
        ]
    )
    credit = rng.choice(CREDITS)
    who = rng.choice(PHOTOGRAPHERS)
    shown = rng.sample(GALLERY, rng.randint(4, 10))
    controls = rng.choice([["Save", "Close"], ["Save"], ["Close", "Share"], []])
    gallery_lines = []
    for k, caption in enumerate(shown, start=1):
        if rng.random() < 0.5 or k == 1:
            gallery_lines.append(f"{k} of {len(shown)}")
        gallery_lines.append(_event(rng, caption) + credit.format(who=who))
        gallery_lines += controls
    heading = rng.choice(["Most read", "MOST POPULAR", "Trending now", "Top stories"])
    numbered = rng.random() < 0.5
    read_list = [heading] + [
        f"{k}. {h}" if numbered else h for k, h in enumerate(most_read, start=1)
    ]
    newsletter = rng.choice(
        [
            f"Get the {name} morning briefing: the day's top stories in your inbox, free.",
            "Newsletter\nThe Briefing - sign up to receive our best stories every weekday",
            "Enter your email address\nSubscribe\nWe will never share your details.",
        ]
    )
    kinds = {
        "weather": weather,
        "gallery": "\n".join(gallery_lines),
        "most read": "\n".join(read_list),
        "newsletter": newsletter,
        "controls": rng.choice(["Save\nShare", "Close", "Print\nSave"]),
    }
    chosen = rng.sample(sorted(kinds), rng.randint(3, 5))
    if "gallery" not in chosen and rng.random() < 0.7:
        chosen.append("gallery")
    top, middle, bottom = [], [], []
    for kind in chosen:
        place = rng.choice([top, middle, bottom] if kind != "most read" else [bottom, top])
        place.append((kind, kinds[kind]))
    paragraphs = rng.choice([2, 3, 4, 100])
    return Outlet(name, rng.choice(HEADLINE_STYLES), top, middle, bottom, paragraphs)


def _headline(rng: random.Random, outlet: Outlet, own: str) -> str:
    style = outlet.headline_style
    if style == "own":
        return own
    if style == "bracket":
        return f"[{rng.randint(1, 40)}]"
    if style == "digits":
        return rng.choice(["2024", "14 03", str(rng.randint(100, 99999))])
    if style == "site":
        return outlet.name
    if style == "home":
        return rng.choice(["Home", "HOME", "News"])
    return ""


def _story(rng: random.Random, paragraphs: list[str]) -> list[str]:
    """The story with the day's event put in: a sentence ending its lead, one paragraph."""
    forms = rng.sample(EVENT_SENTENCES, 2)
    told = [p for p in paragraphs]
    told[0] = f"{told[0]} {_event(rng, forms[0])}"
    told.insert(rng.randint(1, max(1, len(told) - 1)), _event(rng, forms[1]))
    return told


def _page(outlet: Outlet, story: list[str]) -> tuple[tuple[str, str], ...]:
    cut = min(2, len(story))
    return (
        *outlet.top,
        *(("story", p) for p in story[:cut]),
        *outlet.middle,
        *(("story", p) for p in story[cut:]),
        *outlet.bottom,
    )


def _changed(rng: random.Random, story: list[str], donor: list[str], count: int) -> list[str]:
    """The story with ``count`` sentences changed (a sentence replaced, a figure updated)."""
    parts = [sentences(p) for p in story]
    places = [(i, j) for i, p in enumerate(parts) for j in range(len(p))]
    for i, j in rng.sample(places, min(count, len(places))):
        sentence = parts[i][j]
        if re.search(r"\d", sentence) and rng.random() < 0.5:
            parts[i][j] = re.sub(r"\d+", lambda m: str(int(m.group()) + 3), sentence, count=1)
        else:
            parts[i][j] = rng.choice(donor)
    return [" ".join(p) for p in parts if p]


def _copied(rng: random.Random, story: list[str]) -> list[str]:
    """Another outlet's copy: its last sentence dropped, a word changed."""
    parts = [sentences(p) for p in story]
    last = max(k for k, p in enumerate(parts) if p)
    if len(parts[last]) > 1 or last > 0:
        parts[last].pop()
    words = parts[0][0].split()
    if len(words) > 6:
        words[rng.randrange(2, len(words))] = rng.choice(["also", "now", "reportedly"])
        parts[0][0] = " ".join(words)
    return [" ".join(p) for p in parts if p]


def build_day(
    seed: int,
    stories: list[Path],
    donors: list[Path],
    outlets: int = 60,
    copies: int = 12,
    edits: int = 12,
) -> list[DayFile]:
    """One news day from ``stories`` (BBC files of one category); ``donors`` (files of other
    categories) give the "Most read" headlines and the sentences an edit puts in."""
    rng = random.Random(seed)
    pool = list(stories)
    rng.shuffle(pool)
    donor_articles = [parse(p.read_bytes()) for p in rng.sample(donors, 60)]
    donor_headlines = [a.headline for a in donor_articles if a.headline]
    donor_sentences = [s for a in donor_articles for p in a.paragraphs for s in sentences(p)]
    names = rng.sample(
        [f"The {a} {b}" if rng.random() < 0.3 else f"{a} {b}" for a, b in SITE_WORDS] * 6, outlets
    )
    names = [f"{n} {k}" if names.count(n) > 1 else n for k, n in enumerate(names)]
    day: list[DayFile] = []
    told: dict[str, tuple[Outlet, str, list[str], str]] = {}
    all_outlets = []
    for k, name in enumerate(names):
        outlet = _furniture(rng, name, rng.sample(donor_headlines, 5))
        all_outlets.append(outlet)
        for n in range(rng.randint(2, 5)):
            if not pool:
                break
            path = pool.pop()
            article = parse(path.read_bytes())
            paragraphs = article.paragraphs[: outlet.paragraphs]
            story = _story(rng, paragraphs)
            key = f"{path.parent.name}/{path.name}"
            file_name = f"o{k:02d}/{n}"
            told[file_name] = (outlet, key, story, article.headline)
            day.append(
                DayFile(
                    file_name,
                    key,
                    "original",
                    1,
                    name,
                    _headline(rng, outlet, article.headline),
                    _page(outlet, story),
                )
            )
    originals = sorted(told)
    for n, source in enumerate(rng.sample(originals, copies)):
        outlet, key, story, own = told[source]
        other = rng.choice([o for o in all_outlets if o is not outlet])
        day.append(
            DayFile(
                f"copies/{n}",
                key,
                "copy",
                2,
                other.name,
                _headline(rng, other, own),
                _page(other, _copied(rng, story)),
            )
        )
    for n, source in enumerate(rng.sample(originals, edits)):
        outlet, key, story, _ = told[source]
        original = next(f for f in day if f.name == source)
        day.append(
            DayFile(
                f"edits/{n}",
                key,
                "edit",
                2,
                outlet.name,
                original.headline,
                _page(outlet, _changed(rng, story, donor_sentences, rng.randint(1, 2))),
            )
        )
    return day


def as_text(file: DayFile) -> str:
    """The aggregator's layout: headline, date line, ``Outlet, D Month YYYY``, the page."""
    lines = [file.headline] if file.headline else []
    lines += [DAY, f"{file.outlet}, {DATELINE_DAY}"]
    for _, block in file.blocks:
        lines += block.split("\n")
    return "\n\n".join(lines) + "\n"


def as_html(file: DayFile) -> str:
    """A web page as a news site serves it, the furniture inside the article."""
    e = html.escape
    head = [
        '<meta charset="utf-8">',
        f'<meta property="og:site_name" content="{e(file.outlet)}">',
        '<meta property="og:type" content="article">',
        '<meta property="article:published_time" content="2024-03-14T09:00:00Z">',
    ]
    if file.headline:
        head.append(f'<meta property="og:title" content="{e(file.headline)}">')
    body = [f"<h1>{e(file.headline)}</h1>"] if file.headline else []
    for kind, block in file.blocks:
        lines = block.split("\n")
        if kind == "story":
            body.append(f"<p>{e(block)}</p>")
        elif kind == "gallery":
            body.append(
                '<div class="gallery">' + "".join(f"<p>{e(line)}</p>" for line in lines) + "</div>"
            )
        else:
            body.append(
                f'<div class="{kind.replace(" ", "-")}">'
                + "".join(f"<p>{e(line)}</p>" for line in lines)
                + "</div>"
            )
    title = e(file.headline or file.outlet)
    return (
        f"<!doctype html><html><head><title>{title}</title>{''.join(head)}</head><body>"
        f"<header><a href='/'>{e(file.outlet)}</a></header><main><article>"
        f"{''.join(body)}</article></main></body></html>\n"
    )


def write_day(day: list[DayFile], root: Path, suffix: str) -> None:
    """The day's files under ``root``: wave 1 in ``root``, wave 2 in ``root/arriving``."""
    for file in day:
        folder = root / "arriving" if file.wave == 2 else root
        path = folder / f"{file.name}{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(as_text(file) if suffix == ".txt" else as_html(file), encoding="utf-8")

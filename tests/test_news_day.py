"""A one-topic news day: outlets with a few articles each, all about one event, under junk
headlines and the same page blocks. Distinct stories stay apart; a copy and an edit are
still found."""

from __future__ import annotations

from pathlib import Path

from newswatch.match.evidence import carries_words
from newswatch.match.rules import Thresholds
from newswatch.match.similarity import compare
from newswatch.models import FileResult, Outcome
from newswatch.pipeline.run import run
from newswatch.read.parse import parse
from newswatch.settings import get_settings
from tests.articles import Article, distinct_story
from tests.desk import Desk

EVENT = [
    "President Elena Marsh and Chancellor Viktor Hale met in Geneva on Tuesday, where "
    "27 nations were represented.",
    "Secretary General Tomas Lind said the $4.2bn fund agreed at the Palais des Nations "
    "would be reviewed within 48 hours.",
]
GALLERY = [
    "President Elena Marsh arrives at the Palais des Nations for the opening session of "
    "the summit in Geneva, Switzerland",
    "Chancellor Viktor Hale, left, shakes hands with Secretary General Tomas Lind before "
    "talks in Geneva on Tuesday",
    "Police officers stand guard outside the Palais des Nations as leaders gather for the summit",
    "Demonstrators hold banners on the shore of Lake Geneva during the summit in Geneva",
    "Flags of the 27 nations taking part fly outside the Palais des Nations in Geneva",
    "Secretary General Tomas Lind speaks during a news conference at the Palais des "
    "Nations in Geneva, Switzerland",
]
# Each outlet prints the day's agency gallery in its own form, and its own blocks.
VALLEY = {
    "top": ["Weather", "Bath 14°C Cloudy", "Tomorrow: 16°C, showers"],
    "gallery": [
        line
        for k, caption in enumerate(GALLERY, start=1)
        for line in (f"{k} of {len(GALLERY)}", f"{caption} AP Photo/Evan Vucci", "Save", "Close")
    ],
    "bottom": ["Most read", "Storm closes coastal road", "Council backs new school"],
}
COASTAL = {
    "top": ["York weather: 11C, light rain. Wind 12 mph."],
    "gallery": [line for caption in GALLERY for line in (caption, "Photo: Susan Walsh / AP")],
    "bottom": ["Newsletter", "The Briefing - sign up to receive our best stories every weekday"],
}

METRO = {
    "top": [],
    "gallery": [f"{caption} (Photo by Markus Schreiber/AP)" for caption in GALLERY],
    "bottom": ["Print", "Save"],
}


def _story(seed: int, words: int = 90) -> list[str]:
    first, second = distinct_story(seed, words=words)
    return [f"{first} {EVENT[0]}", EVENT[1], second]


def _page(outlet: str, headline: str, story: list[str], blocks: dict[str, list[str]]) -> str:
    paragraphs = [*blocks["top"], *story[:1], *blocks["gallery"], *story[1:], *blocks["bottom"]]
    return Article(headline, paragraphs, "14.03.2024", f"{outlet}, 14 March 2024", None).text()


def _ingest(folder: Path, database: str) -> dict[str, FileResult]:
    summary = run(get_settings(watch_dir=folder, database_url=database, settle_seconds=0))
    return {Path(r.path).name: r for r in summary.results}


def test_a_one_topic_day_links_no_two_stories_and_finds_the_copy_and_the_edit(
    tmp_path: Path,
) -> None:
    day = tmp_path / "day"
    day.mkdir()
    stories = {seed: _story(seed) for seed in range(1, 6)} | {6: _story(6, words=40)}
    story_of = {}
    for name, outlet, headline, seed, blocks in [
        ("valley-1.txt", "Valley Gazette", "[3]", 1, VALLEY),
        ("valley-2.txt", "Valley Gazette", "[7]", 2, VALLEY),
        ("valley-3.txt", "Valley Gazette", "Home", 3, VALLEY),
        ("coastal-1.txt", "Coastal Mail", "Coastal Mail", 4, COASTAL),
        ("coastal-2.txt", "Coastal Mail", "2024", 5, COASTAL),
    ]:
        (day / name).write_text(_page(outlet, headline, stories[seed], blocks))
        story_of[name] = seed
    database = f"sqlite:///{tmp_path / 'day.db'}"
    first = _ingest(day, database)

    copied = [
        stories[2][0].replace("Geneva on Tuesday", "Geneva on Tuesday morning"),
        *stories[2][1:],
    ]
    (day / "coastal-copy.txt").write_text(_page("Coastal Mail", "[1]", copied, COASTAL))
    edited = [*stories[3][:2], "The council said a decision would follow next week."]
    (day / "valley-3-later.txt").write_text(_page("Valley Gazette", "Home", edited, VALLEY))
    # Later in the day, another outlet's brief under the whole gallery of the day.
    (day / "metro-1.txt").write_text(_page("Metro Journal", "", stories[6], METRO))
    story_of |= {"coastal-copy.txt": 2, "valley-3-later.txt": 3, "metro-1.txt": 6}
    second = _ingest(day, database)
    results = {**first, **{n: r for n, r in second.items() if r.outcome != Outcome.UNCHANGED}}

    stories_of_article: dict[int | None, set[int]] = {}
    for name, result in results.items():
        stories_of_article.setdefault(result.article_id, set()).add(story_of[name])
    wrong = [
        name
        for name, result in results.items()
        if len(stories_of_article[result.article_id]) > 1
        or (
            result.outcome is Outcome.NEAR_DUPLICATE
            and stories_of_article[result.matched_article_id] != {story_of[name]}
        )
    ]
    assert wrong == []
    assert [r.outcome for r in first.values()] == [Outcome.NEW] * 5
    assert results["metro-1.txt"].outcome is Outcome.NEW
    copy = results["coastal-copy.txt"]
    assert (copy.outcome, copy.matched_article_id) == (
        Outcome.NEAR_DUPLICATE,
        results["valley-2.txt"].article_id,
    )
    edit = results["valley-3-later.txt"]
    assert (edit.outcome, edit.article_id) == (Outcome.EDITED, results["valley-3.txt"].article_id)


# Spelling and grammar fixed all through a one-paragraph text without a headline: its
# words are 0.70 alike, its letters 0.92.
MISSPELT = (
    "1500 peeple in the nothern Nevada town of Winnemuca had to be evacuate this week-end as a "
    "8,000-acre wild fire burned danger close to the towns sothern end. The county sheriff said "
    "the evacuation order would stay in place while crews held the line along the river and the "
    "old railway bridge. The fire threatend homes,business and a powr substation the cause of "
    "the wildfire is beleived to lighting strikes. Firefighters from three countys worked thru "
    "the night to protect the substaton and the higway, and resident's were told to stay away "
    "untill monday."
)
CORRECTED = (
    "1500 people in the northern Nevada town of Winnemucca had to be evacuated this weekend as "
    "an 8,000-acre wildfire burned dangerously close to the town's southern end. The county "
    "sheriff said the evacuation order would stay in place while crews held the line along the "
    "river and the old railway bridge. The fire threatened homes, businesses and a power "
    "substation. Lightning strikes are believed to have started the blaze. Firefighters from "
    "three counties worked through the night to protect the substation and the highway, and "
    "residents were told to stay away until Monday."
)


def test_a_text_whose_spelling_was_fixed_throughout_is_an_edit() -> None:
    assert compare(MISSPELT, CORRECTED).ratio < Thresholds().edit
    desk = Desk()
    first = desk.file("wildfire.txt", MISSPELT + "\n")
    fixed = desk.file("wildfire-2.txt", CORRECTED + "\n")
    assert (fixed.outcome, fixed.article_id) == (Outcome.EDITED, first.article_id)


def test_an_unrelated_text_of_the_same_words_is_not_an_edit_by_its_letters() -> None:
    shuffled = " ".join(sorted(CORRECTED.split(), key=len))
    desk = Desk()
    desk.file("wildfire.txt", MISSPELT + "\n")
    assert desk.file("other.txt", shuffled + "\n").outcome is Outcome.NEW


def test_a_headline_that_names_nothing_carries_no_words() -> None:
    for junk in ("[12]", "2024", "Home", "NEWS", "Daily Courier", "The Daily Courier"):
        assert not carries_words(junk, "the daily courier"), junk
    assert carries_words("Putin rejects war crimes claims", "the daily courier")
    assert carries_words("Courier strike closes depots", "the daily courier")


def test_a_first_line_of_digits_is_no_headline_and_the_outlet_under_it_is_read() -> None:
    raw = "[12]\n\n14.03.2024\n\nValley Gazette, 14 March 2024\n\n" + CORRECTED + "\n"
    article = parse(raw.encode())
    assert (article.headline, article.outlet) == ("", "Valley Gazette")
    assert article.paragraphs == [CORRECTED]

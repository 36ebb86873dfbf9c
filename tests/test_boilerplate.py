"""Matching that boilerplate cannot fool: a text's own repetition counts once, and the
lines many of an outlet's articles print (footers, link blocks) are no evidence of a copy.

Captions and credits the parser knows are debris (``test_parse``); these tests are about what
no pattern can know: a caption without a credit, said twice, and a chain's own footer.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rapidfuzz.distance import Indel
from sqlalchemy import create_engine, text

from newswatch.match.fingerprint import fingerprint
from newswatch.match.similarity import compare
from newswatch.models import Outcome
from newswatch.pipeline.run import run
from newswatch.read.parse import parse
from newswatch.read.text import counted_once, words
from newswatch.settings import get_settings
from tests.articles import OTHER_PARAGRAPHS, UPDATE_PARAGRAPHS, Article, distinct_story
from tests.desk import Desk

CAPTION = (
    "Rescue workers search the rubble of a collapsed apartment block in the north of the city "
    "after the earthquake struck early on Tuesday morning, while residents who escaped wait "
    "for news of relatives still missing beneath the concrete and the twisted steel."
)
LINKS = (
    "More from the Courier today: Council approves new harbour bridge; Festival crowds break "
    "records again; Railway station to close for winter repairs; Library extends its opening "
    "hours; Farmers warn of a poor harvest after the dry summer; Museum wins a national award "
    "for its new gallery; Hospital opens a children's ward; College plans a second campus in "
    "the valley; Theatre season opens with a sold-out comedy; Airport expansion vote delayed "
    "until spring; Police appeal for witnesses after a crash on the coast road."
)
FOOTER = (
    "The Northern Courier and the Evening Courier are published by Courier Media Group, which "
    "owns twelve regional titles across the north of England and the Midlands."
)
CHAIN = ("Northern Courier", "Evening Courier")


def _held_share(a: list[str], b: list[str]) -> float:
    """How much of the shorter text the other holds in runs of four words or more, counting
    every line as often as it occurs: what the text rule saw before repetition counted once."""
    wa, wb = words("\n".join(a)), words("\n".join(b))
    runs = sum(
        op.src_end - op.src_start
        for op in Indel.opcodes(wa, wb)
        if op.tag == "equal" and op.src_end - op.src_start >= 4
    )
    return runs / min(len(wa), len(wb))


# --- a text's own repetition ----------------------------------------------------------------


def test_a_paragraph_said_twice_counts_once() -> None:
    assert counted_once(["Intro here.", CAPTION, "More text.", CAPTION]) == [
        "Intro here.",
        CAPTION,
        "More text.",
    ]


def test_a_long_sentence_said_again_in_another_paragraph_counts_once() -> None:
    long = "The caption of the photograph names everyone standing in the front row."
    short = "He said so."
    paragraphs = [f"{long} {short} First.", f"Second. {long}", f"{short} Third."]
    assert counted_once(paragraphs) == [f"{long} {short} First.", "Second.", f"{short} Third."]


def test_a_text_that_repeats_nothing_is_returned_as_it_is() -> None:
    paragraphs = ["One sentence.", "", "Another one."]
    assert counted_once(paragraphs) is paragraphs


def test_repetition_counts_once_in_the_ratio_the_containment_and_the_passage_keys() -> None:
    story = [*OTHER_PARAGRAPHS[:2], CAPTION, *OTHER_PARAGRAPHS[2:]]
    twice = [*story, CAPTION]
    other = "\n\n".join([*UPDATE_PARAGRAPHS[:3], CAPTION])
    assert compare("\n\n".join(twice), other) == compare("\n\n".join(story), other)
    once_fp = fingerprint(parse(Article.other().but(paragraphs=story).text().encode()))
    twice_fp = fingerprint(parse(Article.other().but(paragraphs=twice).text().encode()))
    assert twice_fp.keys == once_fp.keys
    assert twice_fp.content_hash != once_fp.content_hash, "it is still another text"


def test_distinct_stories_sharing_a_caption_said_twice_are_not_copies() -> None:
    first = [OTHER_PARAGRAPHS[0], CAPTION, OTHER_PARAGRAPHS[1], CAPTION]
    second = [UPDATE_PARAGRAPHS[0], CAPTION, UPDATE_PARAGRAPHS[1], CAPTION]
    assert _held_share(first, second) >= 0.6, "counted twice, the caption is a copy's share"
    desk = Desk()
    desk.file("a.txt", Article.other().from_outlet("BBC").but(paragraphs=first))
    other = desk.file("b.txt", Article.sample().from_outlet("BBC Scotland").but(paragraphs=second))
    assert other.outcome is Outcome.NEW


def test_a_real_copy_under_the_same_caption_is_still_a_copy() -> None:
    first = [*OTHER_PARAGRAPHS[:2], CAPTION, *OTHER_PARAGRAPHS[2:], CAPTION]
    desk = Desk()
    original = desk.file("a.txt", Article.other().from_outlet("BBC").but(paragraphs=first))
    copy = desk.file(
        "b.txt", Article.other().from_outlet("BBC Scotland").but(paragraphs=first[:-2])
    )
    assert (copy.outcome, copy.matched_article_id) == (
        Outcome.NEAR_DUPLICATE,
        original.article_id,
    )


# --- furniture, known from what is stored -----------------------------------------------------


def _stub(seed: int, outlet: str, words: int = 60) -> Article:
    """A short story of the chain, under its links block and footer."""
    return Article(
        f"Story number {seed} of the day",
        [*distinct_story(seed, words), LINKS, FOOTER],
        dateline=f"{outlet}, 14 March 2005",
    )


def test_two_stubs_of_a_chain_sharing_only_its_links_and_footer_look_like_a_copy_at_first() -> None:
    """The trap: nothing stored yet says the block and the footer are furniture."""
    desk = Desk()
    desk.file("a.txt", _stub(1, CHAIN[0]))
    assert desk.file("b.txt", _stub(2, CHAIN[1])).outcome is Outcome.NEAR_DUPLICATE


def test_a_footer_many_of_an_outlets_articles_print_is_no_evidence_of_a_copy() -> None:
    desk = Desk()
    for seed in range(10, 15):  # the chain's ordinary stories, long enough to stay apart
        assert desk.file(f"{seed}.txt", _stub(seed, CHAIN[0], words=400)).outcome is Outcome.NEW
    desk.file("a.txt", _stub(1, CHAIN[0]))
    assert desk.file("b.txt", _stub(2, CHAIN[1])).outcome is Outcome.NEW


def test_a_copy_of_a_chain_story_is_still_found_under_the_footer() -> None:
    desk = Desk()
    for seed in range(10, 15):
        desk.file(f"{seed}.txt", _stub(seed, CHAIN[0], words=400))
    original = desk.file("a.txt", _stub(1, CHAIN[0], words=120))
    copy = desk.file("b.txt", _stub(1, CHAIN[1], words=120))
    assert (copy.outcome, copy.matched_article_id) == (
        Outcome.NEAR_DUPLICATE,
        original.article_id,
    )


@pytest.mark.parametrize("merged", [False, True], ids=["newest-versions", "merged-counts"])
def test_the_store_counts_an_outlets_lines_and_keeps_them_in_the_text(
    watched: Path, database_url: str, monkeypatch: pytest.MonkeyPatch, merged: bool
) -> None:
    """Counted from the versions' line keys until a merge, from ``line_counts`` after it."""
    from newswatch.store import passages

    if merged:
        monkeypatch.setattr(passages, "MERGE_MIN_VERSIONS", 1)
    for seed in range(10, 16):
        _stub(seed, CHAIN[0], words=400).write(watched, f"earlier/{seed}.txt")
    settings = get_settings(watch_dir=watched, database_url=database_url, workers=1)
    run(settings)
    _stub(1, CHAIN[0]).write(watched, "a.txt")
    _stub(2, CHAIN[1]).write(watched, "b.txt")
    results = {Path(r.path).name: r for r in run(settings).results}
    assert results["b.txt"].outcome is Outcome.NEW
    engine = create_engine(database_url)
    with engine.connect() as conn:
        counted = conn.execute(text("select line_key, articles from line_counts")).all()
        keyed = conn.execute(text("select count(*) from versions where line_keys is not null"))
        bodies = conn.execute(text("select body from versions")).scalars().all()
        assert keyed.scalar() == 8
    engine.dispose()
    # Merged: the links block and the footer, printed by the six earlier articles and a.txt
    # (b.txt is the other outlet's: its lines count under it).
    assert sorted(n for _, n in counted) == ([7, 7] if merged else [])
    assert all(FOOTER in body for body in bodies), "furniture is discounted, not deleted"

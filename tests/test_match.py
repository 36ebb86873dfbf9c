"""Fuzzy matching: edits keep their article, copies from other outlets are linked, and
distinct stories stay apart."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from newswatch.pipeline.batch import run
from newswatch.settings import get_settings
from tests.articles import OTHER_PARAGRAPHS, PARAGRAPHS, UPDATE_PARAGRAPHS, Article, bump_mtime


def _results(folder: Path, url: str) -> dict[str, object]:
    summary = run(get_settings(watch_dir=folder, database_url=url, workers=1))
    return {Path(r.path).name: r for r in summary.results}


def _edited() -> Article:
    paragraphs = [p.replace("25 people", "27 people") for p in PARAGRAPHS]
    paragraphs.insert(3, "The Kremlin later said the talks would go ahead as planned.")
    return Article.sample().but(
        headline="Putin dismisses war crimes claims as rhetoric", paragraphs=paragraphs
    )


def test_edited_article_keeps_its_identity_across_rename(watched: Path, database_url: str) -> None:
    Article.sample().write(watched, "story.txt")
    first = _results(watched, database_url)["story.txt"]
    (watched / "story.txt").unlink()
    _edited().write(watched, "story-updated.txt")
    result = _results(watched, database_url)["story-updated.txt"]
    assert result.outcome == "edited"  # type: ignore[attr-defined]
    assert result.article_id == first.article_id  # type: ignore[attr-defined]
    assert result.version == 2  # type: ignore[attr-defined]


def test_a_copy_from_another_outlet_with_boilerplate_is_a_near_duplicate(
    watched: Path, database_url: str
) -> None:
    Article.sample().write(watched, "bbc.txt")
    copy = (
        Article.sample()
        .from_outlet("Reuters")
        .but(
            headline=Article.sample().headline.title(),
            paragraphs=PARAGRAPHS[:-1],
            extra_lines=["This article first appeared on BBC News.", "Copyright Reuters 2016."],
        )
    )
    copy.write(watched, "reuters.txt")
    results = _results(watched, database_url)
    assert results["reuters.txt"].outcome == "near_duplicate"  # type: ignore[attr-defined]
    assert results["reuters.txt"].matched_article_id == results["bbc.txt"].article_id  # type: ignore[attr-defined]
    assert results["reuters.txt"].article_id != results["bbc.txt"].article_id  # type: ignore[attr-defined]


def test_the_own_outlets_edit_is_an_edit_even_when_a_syndicated_copy_exists(
    watched: Path, database_url: str
) -> None:
    Article.sample().write(watched, "a_bbc.txt")
    Article.sample().from_outlet("Reuters").write(watched, "b_reuters.txt")
    _edited().write(watched, "c_bbc_update.txt")
    results = _results(watched, database_url)
    assert results["c_bbc_update.txt"].outcome == "edited"  # type: ignore[attr-defined]
    assert results["c_bbc_update.txt"].article_id == results["a_bbc.txt"].article_id  # type: ignore[attr-defined]


def test_a_partial_copy_in_another_outlets_file_is_a_near_duplicate(
    watched: Path, database_url: str
) -> None:
    """A third of the story, with another outlet's header and furniture, whichever comes first."""
    Article.sample().write(watched, "a_bbc.txt")
    third = (
        Article.sample()
        .from_outlet("Hurriyet Daily News")
        .but(
            headline="Putin rejects war crimes claims",
            paragraphs=PARAGRAPHS[1:4],
            extra_lines=["This article was first published by BBC News.", "Follow us for updates."],
        )
    )
    third.write(watched, "b_copy.txt")
    results = _results(watched, database_url)
    assert results["b_copy.txt"].outcome == "near_duplicate"  # type: ignore[attr-defined]
    assert results["b_copy.txt"].matched_article_id == results["a_bbc.txt"].article_id  # type: ignore[attr-defined]


def test_an_update_that_grew_around_the_old_text_is_an_edit(
    watched: Path, database_url: str
) -> None:
    Article.sample().write(watched, "story.txt")
    first = _results(watched, database_url)["story.txt"]
    grown = Article.sample().but(
        headline="Aleppo: Russia rejects calls for war crimes inquiry",
        paragraphs=[
            *PARAGRAPHS[:4],
            *UPDATE_PARAGRAPHS[:5],
            *PARAGRAPHS[4:],
            *UPDATE_PARAGRAPHS[5:],
        ],
    )
    grown.write(watched, "story-later.txt")  # 2.5 times as long, a new headline, a new file
    result = _results(watched, database_url)["story-later.txt"]
    assert (result.outcome, result.article_id, result.version) == ("edited", first.article_id, 2)  # type: ignore[attr-defined]


def test_the_shorter_earlier_text_arriving_after_the_update_joins_it(
    watched: Path, database_url: str
) -> None:
    grown = Article.sample().but(paragraphs=[*PARAGRAPHS, *UPDATE_PARAGRAPHS])
    grown.write(watched, "later.txt")
    first = _results(watched, database_url)["later.txt"]
    Article.sample().write(watched, "earlier.txt")
    result = _results(watched, database_url)["earlier.txt"]
    assert (result.outcome, result.article_id) == ("edited", first.article_id)  # type: ignore[attr-defined]


def test_an_update_keeping_its_headline_needs_less_of_its_text(
    watched: Path, database_url: str
) -> None:
    """Under the same headline, an update keeping two thirds of the text is one story; under
    another headline, the same overlap is a follow-up reusing background, and stays apart."""
    kept = [*PARAGRAPHS[:2], *PARAGRAPHS[5:]]
    Article.sample().write(watched, "a.txt")
    Article.sample().but(paragraphs=[*kept, *UPDATE_PARAGRAPHS[:4]]).write(watched, "b_same.txt")
    Article.sample().but(
        headline="Syria talks open in Lausanne", paragraphs=[*kept, *UPDATE_PARAGRAPHS[4:8]]
    ).write(watched, "c_other.txt")
    results = _results(watched, database_url)
    assert results["b_same.txt"].outcome == "edited"  # type: ignore[attr-defined]
    assert results["b_same.txt"].article_id == results["a.txt"].article_id  # type: ignore[attr-defined]
    assert results["c_other.txt"].outcome == "new"  # type: ignore[attr-defined]


def test_an_article_without_a_headline_matches_one_with_it(
    watched: Path, database_url: str
) -> None:
    """The same story saved on one line, its headline run into the text."""
    Article.sample().but(date_line=None, dateline=None, trailer=None).write(watched, "a.txt")
    one_line = " ".join([Article.sample().headline, *PARAGRAPHS])
    (watched / "b.txt").write_text(one_line + "\n")
    results = _results(watched, database_url)
    assert results["b.txt"].outcome == "edited"  # type: ignore[attr-defined]
    assert results["b.txt"].article_id == results["a.txt"].article_id  # type: ignore[attr-defined]


def test_distinct_stories_on_one_subject_stay_apart(watched: Path, database_url: str) -> None:
    Article.sample().write(watched, "a.txt")
    follow_up = Article.sample().but(
        headline="Aleppo strikes resume as talks stall",
        paragraphs=[
            "Air strikes on the rebel-held east of Aleppo resumed on Friday, a day before talks "
            "on Syria were due to begin in Switzerland.",
            "Activists said at least 40 people had been killed in the latest bombardment.",
            "Russia's Foreign Minister Sergei Lavrov will now meet his US counterpart John Kerry "
            "and other key regional powers in Switzerland on Saturday.",
            "Aid agencies say food and medicine are running out in the besieged districts.",
        ],
    )
    follow_up.write(watched, "b.txt")
    Article.other().write(watched, "c.txt")
    results = _results(watched, database_url)
    assert [results[n].outcome for n in ("a.txt", "b.txt", "c.txt")] == ["new", "new", "new"]  # type: ignore[attr-defined]


def test_a_revert_points_back_to_the_earlier_version_and_adds_none(
    watched: Path, database_url: str
) -> None:
    path = Article.sample().write(watched, "a.txt")
    _results(watched, database_url)
    outcomes = []
    for step, article in enumerate(
        [_edited(), Article.sample(), _edited(), Article.sample()], start=1
    ):
        article.write(watched, "a.txt")
        bump_mtime(path, 10 * step)
        result = _results(watched, database_url)["a.txt"]
        outcomes.append((result.outcome, result.version, result.reverted))  # type: ignore[attr-defined]
    assert outcomes == [
        ("edited", 2, False),
        ("edited", 1, True),
        ("edited", 2, True),
        ("edited", 1, True),
    ]
    engine = create_engine(database_url)
    with engine.connect() as conn:
        assert conn.execute(text("select count(*) from versions")).scalar() == 2
        assert conn.execute(text("select current_version, version_count from articles")).one() == (
            1,
            2,
        )
    engine.dispose()


def test_a_path_overwritten_with_another_story_is_a_new_article(
    watched: Path, database_url: str
) -> None:
    path = Article.sample().write(watched, "a.txt")
    first = _results(watched, database_url)["a.txt"]
    Article.other().write(watched, "a.txt")
    bump_mtime(path)
    result = _results(watched, database_url)["a.txt"]
    assert result.outcome == "new"  # type: ignore[attr-defined]
    assert result.article_id != first.article_id  # type: ignore[attr-defined]


def test_candidates_come_from_the_persisted_passage_index(watched: Path, database_url: str) -> None:
    Article.sample().write(watched, "a.txt")
    _results(watched, database_url)
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("delete from passages"))
        # ...and the newest versions' keys, which the index reads from the versions.
        conn.execute(text("update versions set signature = :empty"), {"empty": b""})
    engine.dispose()
    _edited().write(watched, "b.txt")
    assert _results(watched, database_url)["b.txt"].outcome == "new"  # type: ignore[attr-defined]


def test_merged_passage_keys_still_find_candidates(
    watched: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newswatch.store import passages

    monkeypatch.setattr(passages, "MERGE_MIN_VERSIONS", 1)  # merge after every batch
    Article.sample().write(watched, "a.txt")
    _results(watched, database_url)
    engine = create_engine(database_url)
    with engine.connect() as conn:
        counts = conn.execute(
            text(
                "select (select count(*) from passages), (select value from store_state "
                "where name = 'passages_merged_through')"
            )
        ).one()
    engine.dispose()
    assert counts[0] > 0 and counts[1] == 1, "the keys moved to the big index"
    _edited().write(watched, "b.txt")
    assert _results(watched, database_url)["b.txt"].outcome == "edited"  # type: ignore[attr-defined]


def test_other_paragraphs_fixture_is_unrelated() -> None:
    assert not set(OTHER_PARAGRAPHS) & set(PARAGRAPHS)


def test_a_story_copied_more_often_than_a_key_lists_versions_is_still_found(
    watched: Path, database_url: str
) -> None:
    """Each key lists at most 16 versions; the 25th copy still finds the story's first ones."""
    from newswatch.match.index import KEY_POSTINGS_CAP

    Article.sample().write(watched, "000-bbc.txt")
    for n in range(1, KEY_POSTINGS_CAP + 8):
        Article.sample().from_outlet(f"Outlet {n}").write(watched, f"{n:03d}-copy.txt")
    _results(watched, database_url)
    Article.sample().from_outlet("Late Outlet").but(paragraphs=PARAGRAPHS[:-1]).write(
        watched, "999-late.txt"
    )
    late = _results(watched, database_url)["999-late.txt"]
    assert late.outcome == "near_duplicate"  # type: ignore[attr-defined]

"""Fuzzy matching: edits keep their article, copies from other outlets are linked, and
distinct stories stay apart.

The rules are tested on matching alone (``Desk``: texts decided one after another against
an in-memory catalog, as one batch decides its files), no database; a few tests at the end
run whole ingests to keep the database path honest.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from newswatch.models import Outcome
from newswatch.pipeline.run import run
from newswatch.settings import get_settings
from tests.articles import OTHER_PARAGRAPHS, PARAGRAPHS, UPDATE_PARAGRAPHS, Article, bump_mtime
from tests.desk import Desk


def _results(folder: Path, url: str) -> dict[str, object]:
    summary = run(get_settings(watch_dir=folder, database_url=url, workers=1))
    return {Path(r.path).name: r for r in summary.results}


def _edited() -> Article:
    paragraphs = [p.replace("25 people", "27 people") for p in PARAGRAPHS]
    paragraphs.insert(3, "The Kremlin later said the talks would go ahead as planned.")
    return Article.sample().but(
        headline="Putin dismisses war crimes claims as rhetoric", paragraphs=paragraphs
    )


def test_edited_article_keeps_its_identity_across_rename() -> None:
    desk = Desk()
    first = desk.file("story.txt", Article.sample())
    result = desk.file("story-updated.txt", _edited())
    assert (result.outcome, result.article_id, result.version) == (
        Outcome.EDITED,
        first.article_id,
        2,
    )


def test_an_outlet_written_reuters_reuters_or_reuters_is_one_outlet_to_matching() -> None:
    """'Reuters', 'REUTERS' and ' reuters ' name one outlet: its edit stays an edit, its text
    seen again a duplicate, never another outlet's copy."""
    desk = Desk()
    first = desk.file("a.txt", Article.sample().from_outlet("Reuters"))
    edit = desk.file("b.txt", _edited().from_outlet("REUTERS"))
    again = desk.file("c.txt", _edited().from_outlet("  reuters "))
    assert (edit.outcome, edit.article_id, edit.version) == (Outcome.EDITED, first.article_id, 2)
    assert (again.outcome, again.article_id) == (Outcome.DUPLICATE, first.article_id)
    copy = desk.file("d.txt", _edited().from_outlet("Reuters Ltd"))
    assert copy.outcome is Outcome.NEAR_DUPLICATE  # another outlet's copy stays a copy


def test_a_copy_from_another_outlet_with_boilerplate_is_a_near_duplicate() -> None:
    desk = Desk()
    bbc = desk.file("bbc.txt", Article.sample())
    copy = (
        Article.sample()
        .from_outlet("Reuters")
        .but(
            headline=Article.sample().headline.title(),
            paragraphs=PARAGRAPHS[:-1],
            extra_lines=["This article first appeared on BBC News.", "Copyright Reuters 2016."],
        )
    )
    reuters = desk.file("reuters.txt", copy)
    assert reuters.outcome is Outcome.NEAR_DUPLICATE
    assert reuters.matched_article_id == bbc.article_id
    assert reuters.article_id != bbc.article_id


def test_the_own_outlets_edit_is_an_edit_even_when_a_syndicated_copy_exists() -> None:
    desk = Desk()
    bbc = desk.file("a_bbc.txt", Article.sample())
    desk.file("b_reuters.txt", Article.sample().from_outlet("Reuters"))
    update = desk.file("c_bbc_update.txt", _edited())
    assert (update.outcome, update.article_id) == (Outcome.EDITED, bbc.article_id)


def test_a_partial_copy_in_another_outlets_file_is_a_near_duplicate() -> None:
    """A third of the story, with another outlet's header and furniture, whichever comes first."""
    desk = Desk()
    bbc = desk.file("a_bbc.txt", Article.sample())
    third = (
        Article.sample()
        .from_outlet("Hurriyet Daily News")
        .but(
            headline="Putin rejects war crimes claims",
            paragraphs=PARAGRAPHS[1:4],
            extra_lines=["This article was first published by BBC News.", "Follow us for updates."],
        )
    )
    copy = desk.file("b_copy.txt", third)
    assert (copy.outcome, copy.matched_article_id) == (Outcome.NEAR_DUPLICATE, bbc.article_id)


def test_an_update_that_grew_around_the_old_text_is_an_edit() -> None:
    desk = Desk()
    first = desk.file("story.txt", Article.sample())
    grown = Article.sample().but(
        headline="Aleppo: Russia rejects calls for war crimes inquiry",
        paragraphs=[
            *PARAGRAPHS[:4],
            *UPDATE_PARAGRAPHS[:5],
            *PARAGRAPHS[4:],
            *UPDATE_PARAGRAPHS[5:],
        ],
    )
    # 2.5 times as long, a new headline, a new file
    result = desk.file("story-later.txt", grown)
    assert (result.outcome, result.article_id, result.version) == (
        Outcome.EDITED,
        first.article_id,
        2,
    )


def test_the_shorter_earlier_text_arriving_after_the_update_joins_it() -> None:
    desk = Desk()
    first = desk.file(
        "later.txt", Article.sample().but(paragraphs=[*PARAGRAPHS, *UPDATE_PARAGRAPHS])
    )
    result = desk.file("earlier.txt", Article.sample())
    assert (result.outcome, result.article_id) == (Outcome.EDITED, first.article_id)


def test_an_update_keeping_its_headline_needs_less_of_its_text() -> None:
    """Under the same headline, an update keeping two thirds of the text is one story; under
    another headline, the same overlap is a follow-up reusing background, and stays apart."""
    kept = [*PARAGRAPHS[:2], *PARAGRAPHS[5:]]
    desk = Desk()
    first = desk.file("a.txt", Article.sample())
    same = desk.file("b_same.txt", Article.sample().but(paragraphs=[*kept, *UPDATE_PARAGRAPHS[:4]]))
    other = desk.file(
        "c_other.txt",
        Article.sample().but(
            headline="Syria talks open in Lausanne", paragraphs=[*kept, *UPDATE_PARAGRAPHS[4:8]]
        ),
    )
    assert (same.outcome, same.article_id) == (Outcome.EDITED, first.article_id)
    assert other.outcome is Outcome.NEW


def test_an_article_without_a_headline_matches_one_with_it() -> None:
    """The same story saved on one line, its headline run into the text."""
    desk = Desk()
    first = desk.file("a.txt", Article.sample().but(date_line=None, dateline=None, trailer=None))
    one_line = " ".join([Article.sample().headline, *PARAGRAPHS])
    result = desk.file("b.txt", one_line + "\n")
    assert (result.outcome, result.article_id) == (Outcome.EDITED, first.article_id)


def test_distinct_stories_on_one_subject_stay_apart() -> None:
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
    desk = Desk()
    outcomes = [
        desk.file(name, article).outcome
        for name, article in (
            ("a.txt", Article.sample()),
            ("b.txt", follow_up),
            ("c.txt", Article.other()),
        )
    ]
    assert outcomes == [Outcome.NEW, Outcome.NEW, Outcome.NEW]


def test_a_revert_is_an_edit_back_to_the_earlier_version() -> None:
    desk = Desk()
    desk.file("a.txt", Article.sample())
    steps = [desk.file("a.txt", a) for a in (_edited(), Article.sample(), _edited())]
    assert [(s.outcome, s.version, s.reverted) for s in steps] == [
        (Outcome.EDITED, 2, False),
        (Outcome.EDITED, 1, True),
        (Outcome.EDITED, 2, True),
    ]


def test_a_path_overwritten_with_another_story_is_a_new_article() -> None:
    desk = Desk()
    first = desk.file("a.txt", Article.sample())
    result = desk.file("a.txt", Article.other())
    assert result.outcome is Outcome.NEW
    assert result.article_id != first.article_id


def test_an_unchanged_text_at_its_path_is_unchanged_and_a_copy_elsewhere_a_duplicate() -> None:
    desk = Desk()
    first = desk.file("a.txt", Article.sample())
    again = desk.file("a.txt", Article.sample().but(extra_lines=[]))
    elsewhere = desk.file("b.txt", Article.sample())
    wire = desk.file("c.txt", Article.sample().from_outlet("Reuters").but(date_line="13.10.2016"))
    assert (again.outcome, again.article_id) == (Outcome.UNCHANGED, first.article_id)
    assert (elsewhere.outcome, elsewhere.article_id) == (Outcome.DUPLICATE, first.article_id)
    assert (wire.outcome, wire.matched_article_id) == (Outcome.NEAR_DUPLICATE, first.article_id)


# --- through the database -------------------------------------------------------------------


def test_an_edit_keeps_its_article_across_runs_and_renames(
    watched: Path, database_url: str
) -> None:
    Article.sample().write(watched, "story.txt")
    first = _results(watched, database_url)["story.txt"]
    (watched / "story.txt").unlink()
    _edited().write(watched, "story-updated.txt")
    result = _results(watched, database_url)["story-updated.txt"]
    assert result.outcome == "edited"  # type: ignore[attr-defined]
    assert result.article_id == first.article_id  # type: ignore[attr-defined]
    assert result.version == 2  # type: ignore[attr-defined]


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


def test_candidates_come_from_the_persisted_passage_index(watched: Path, database_url: str) -> None:
    Article.sample().write(watched, "a.txt")
    _results(watched, database_url)
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("delete from passages"))
        # ...and the newest versions' keys, which the index reads from the versions.
        conn.execute(text("update versions set passage_keys = :empty"), {"empty": b""})
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


def test_the_big_index_gives_every_posting_of_the_keys_asked_in_key_order(
    watched: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What ``passages`` lists under the keys asked (one array on PostgreSQL, IN lists on
    SQLite), in the primary key's order on both, and nothing for a key it lacks."""
    from newswatch.store import passages

    monkeypatch.setattr(passages, "MERGE_MIN_VERSIONS", 1)
    Article.sample().write(watched, "a.txt")
    Article.other().write(watched, "b.txt")
    _results(watched, database_url)
    engine = create_engine(database_url)
    with engine.connect() as conn:
        stored = [
            (int(key), int(version), int(count))
            for key, version, count in conn.execute(
                text(
                    "select passage_key, version_id, key_count from passages "
                    "order by passage_key, version_id"
                )
            )
        ]
        asked = {key for key, _, _ in stored[::2]} | {12345}
        found = passages.SqlIndex(conn).postings(asked)
    engine.dispose()
    assert len({version for _, version, _ in stored}) == 2
    listed = zip(
        found.keys.tolist(), found.versions.tolist(), found.key_counts.tolist(), strict=True
    )
    assert list(listed) == [row for row in stored if row[0] in asked]

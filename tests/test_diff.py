"""Diffs: each kind of change is named, and numbers and quotes that changed are called out."""

from __future__ import annotations

from newswatch.diff import diff_versions, word_diff
from tests.articles import PARAGRAPHS


def _diff(new: list[str], headline: str = "Old headline"):  # type: ignore[no-untyped-def]
    return diff_versions("Old headline", PARAGRAPHS, headline, new)


def test_identical_versions_have_no_changes() -> None:
    result = _diff(PARAGRAPHS)
    assert result.changes == [] and result.numbers == [] and result.quotes == []
    assert result.sentences["unchanged"] == len(PARAGRAPHS)
    assert not result.headline_changed


def test_an_added_sentence() -> None:
    result = _diff([*PARAGRAPHS[:2], "A wholly new sentence about the talks.", *PARAGRAPHS[2:]])
    assert result.sentences["added"] == 1
    assert [c.new for c in result.changes if c.kind == "added"] == [
        "A wholly new sentence about the talks."
    ]
    assert result.paragraphs["added"] == 1


def test_a_deleted_sentence() -> None:
    result = _diff(PARAGRAPHS[:3] + PARAGRAPHS[4:])
    assert result.sentences["deleted"] == 1
    assert [c.old for c in result.changes] == [PARAGRAPHS[3]]


def test_a_moved_sentence() -> None:
    moved = [PARAGRAPHS[0], *PARAGRAPHS[2:6], PARAGRAPHS[1], *PARAGRAPHS[6:]]
    result = _diff(moved)
    assert result.sentences["moved"] == 1
    assert result.sentences["added"] == result.sentences["deleted"] == 0


def test_an_updated_sentence_shows_its_word_changes_and_the_changed_number() -> None:
    result = _diff([p.replace("total of 25 people", "total of 27 people") for p in PARAGRAPHS])
    assert result.sentences["updated"] == 1
    change = result.changes[0]
    assert [(w.old, w.new) for w in change.words if w.op != "equal"] == [("25", "27")]
    assert [str(n) for n in result.numbers] == ["25 -> 27 people dead"]


def test_a_changed_quote_is_called_out() -> None:
    result = _diff([p.replace('"rhetoric"', '"pure political rhetoric"') for p in PARAGRAPHS])
    assert [(q.old, q.new) for q in result.quotes] == [("rhetoric", "pure political rhetoric")]


def test_a_rewritten_headline_is_diffed_word_by_word() -> None:
    result = _diff(PARAGRAPHS, headline="New headline")
    assert result.headline_changed
    assert [(w.op, w.old, w.new) for w in result.headline_words] == [
        ("replace", "Old", "New"),
        ("equal", "headline", "headline"),
    ]


def test_word_diff_merges_delete_and_insert_into_a_replacement() -> None:
    assert [(w.op, w.old, w.new) for w in word_diff("a b c", "a x c")] == [
        ("equal", "a", "a"),
        ("replace", "b", "x"),
        ("equal", "c", "c"),
    ]

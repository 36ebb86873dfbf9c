"""`newswatch outlets`: figures per outlet. The arithmetic is tested on facts built in
memory; the command on the seed's story, ingested once for the session."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from newswatch.cli.app import app
from newswatch.models import VersionCounts
from newswatch.outlets.figures import Tallies
from newswatch.read.text import outlet_key
from newswatch.store.stories import ArticleFacts
from tests.articles import Article
from tests.runs import query
from tests.stories import ingest

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _cli(*arguments: str) -> str:
    result = CliRunner().invoke(app, list(arguments))
    assert result.exit_code == 0, result.output
    return result.stdout


def _article(
    article_id: int,
    outlet: str | None,
    versions: int = 1,
    first_edit_after: timedelta | None = None,
    is_copy: bool = False,
) -> ArticleFacts:
    return ArticleFacts(
        id=article_id,
        outlet=outlet,
        outlet_key=outlet_key(outlet),
        version_count=versions,
        first_seen_at=T0,
        first_edit_at=T0 + first_edit_after if first_edit_after is not None else None,
        copies_outlet=None,
        is_copy=is_copy,
    )


def _counts(numbers: int = 0, quotes: int = 0, headline: bool = False) -> VersionCounts:
    return VersionCounts(
        numbers=numbers,
        quotes=quotes,
        headline=headline,
        sentences_added=0,
        sentences_deleted=0,
        sentences_updated=1,
        sentences_moved=0,
    )


def test_figures_count_articles_edits_shares_medians_reverts_and_copies() -> None:
    tallies = Tallies(reverts={2: 1}, copies={1: 2})
    tallies.add_article(_article(1, "BBC", versions=3, first_edit_after=timedelta(hours=1)))
    tallies.add_article(_article(2, "BBC", versions=2, first_edit_after=timedelta(hours=4)))
    tallies.add_article(_article(3, "BBC"))
    tallies.add_article(_article(4, "Reuters", is_copy=True))
    tallies.add_edit(1, _counts(numbers=1))  # version 2 of article 1
    tallies.add_edit(1, _counts(numbers=2, quotes=1))  # version 3
    tallies.add_edit(2, _counts(headline=True))
    bbc, reuters = tallies.figures()
    assert (bbc.outlet, bbc.articles, bbc.edited) == ("BBC", 3, 2)
    assert bbc.edited_share == round(2 / 3, 4)
    assert (bbc.versions_per_edited_median, bbc.versions_per_edited_max) == (2.5, 3)
    assert bbc.first_edit_median_hours == 2.5  # the median of 1 h and 4 h
    assert bbc.edits == 3
    # An edit counts under every kind it changed: two of three changed numbers.
    assert (bbc.edits_numbers_share, bbc.edits_quotes_share) == (round(2 / 3, 4), 0.3333)
    assert bbc.edits_headline_share == 0.3333
    assert (bbc.reverts, bbc.copied_by_others, bbc.copies_of_others) == (1, 2, 0)
    assert (reuters.articles, reuters.edited, reuters.edits) == (1, 0, 0)
    assert reuters.edited_share == 0.0 and reuters.edits_numbers_share is None
    assert reuters.first_edit_median_hours is None and reuters.copies_of_others == 1


def test_an_outlet_is_its_key_shown_as_its_first_article_wrote_it() -> None:
    tallies = Tallies(reverts={}, copies={})
    tallies.add_article(_article(1, "Reuters"))
    tallies.add_article(_article(2, "REUTERS "))
    tallies.add_article(_article(3, None))
    reuters, no_outlet = tallies.figures()
    assert (reuters.outlet, reuters.articles) == ("Reuters", 2)  # most articles first
    assert (no_outlet.outlet, no_outlet.articles) == (None, 1)


def test_only_the_outlets_asked_for_are_counted() -> None:
    tallies = Tallies(reverts={}, copies={}, only={"reuters"})
    tallies.add_article(_article(1, "BBC", versions=2, first_edit_after=timedelta(hours=1)))
    tallies.add_article(_article(2, "Reuters"))
    (reuters,) = tallies.figures()
    assert reuters.outlet == "Reuters" and 1 not in tallies.edited


def test_outlets_json_counts_bbcs_edits_and_the_copy_each_way(seeded: str) -> None:
    figures = {
        f["outlet"]: f for f in json.loads(_cli("outlets", "--json", "--database-url", seeded))
    }
    assert set(figures) == {"BBC", "Reuters"}
    bbc, reuters = figures["BBC"], figures["Reuters"]
    assert (bbc["articles"], bbc["edited"], bbc["edited_share"]) == (1, 1, 1.0)
    assert (bbc["versions_per_edited_median"], bbc["versions_per_edited_max"]) == (3, 3)
    assert bbc["edits"] == 2  # 25 -> 27, then the quote
    assert (bbc["edits_numbers_share"], bbc["edits_quotes_share"]) == (0.5, 0.5)
    assert bbc["edits_headline_share"] == 0.0
    ((v1, v2),) = query(
        seeded,
        "SELECT (SELECT first_seen_at FROM versions WHERE number = 1 AND article_id = 1),"
        " (SELECT first_seen_at FROM versions WHERE number = 2 AND article_id = 1)",
    )
    waited = datetime.fromisoformat(str(v2)) - datetime.fromisoformat(str(v1))
    assert bbc["first_edit_median_hours"] == round(waited.total_seconds() / 3600, 3)
    assert (bbc["copied_by_others"], bbc["copies_of_others"], bbc["reverts"]) == (1, 0, 0)
    assert (reuters["articles"], reuters["edited"], reuters["edits"]) == (1, 0, 0)
    assert (reuters["copied_by_others"], reuters["copies_of_others"]) == (0, 1)
    table = _cli("outlets", "--database-url", seeded)
    assert "BBC" in table and "Reuters" in table and "50%" in table
    later = _cli("outlets", "--json", "--since", "2999-01-01", "--database-url", seeded)
    assert json.loads(later) == []


def test_outlet_figures_read_the_edits_a_report_stored_and_diff_only_the_others(
    seeded: str,
) -> None:
    from newswatch.outlets.figures import read_figures
    from newswatch.store import Store

    with Store.open(seeded) as store:
        figures, unstored = read_figures(store)
        assert [(e.article_id, e.version) for e in unstored] == [(1, 2), (1, 3)]
        with store.writing() as tx:
            tx.save_edits(unstored)
            tx.save_edits(unstored)  # a second run storing them again changes nothing
            # Stored, an edit is read, not diffed: say the toll edit changed no number.
            tx.query("UPDATE edits SET numbers_changed = 0 WHERE version = 2")
        again, none_left = read_figures(store)
    assert none_left == []
    before = {f.outlet: f for f in figures}["BBC"]
    after = {f.outlet: f for f in again}["BBC"]
    assert (before.edits_numbers_share, after.edits_numbers_share) == (0.5, 0.0)
    assert after.edits == 2 and after.edits_quotes_share == 0.5


def test_an_edit_under_another_spelling_of_the_outlet_stays_an_edit_of_one_outlet(
    watched: Path, database_url: str
) -> None:
    Article.sample().from_outlet("Reuters").write(watched, "a.txt")
    ingest(watched, database_url)
    Article.sample().from_outlet("REUTERS").but(headline="Putin rejects claim").write(
        watched, "b.txt"
    )
    (edit,) = [r for r in ingest(watched, database_url).results if r.path.endswith("b.txt")]
    assert (edit.outcome.value, edit.article_id, edit.version) == ("edited", 1, 2)
    (reuters,) = json.loads(_cli("outlets", "--json", "--database-url", database_url))
    assert reuters["outlet"] == "Reuters"  # as its first article wrote it
    assert (reuters["articles"], reuters["edited"], reuters["copies_of_others"]) == (1, 1, 0)
    assert reuters["edits_headline_share"] == 1.0

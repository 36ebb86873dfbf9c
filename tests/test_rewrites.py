"""Rewrites kept in their story: an outlet's update that rewrote most sentences is an edit when
the evidence is strong (headline, names, quotations and numbers, time), and says why."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from newswatch.cli.app import app
from newswatch.match.evidence import features, weigh
from newswatch.match.rules import Thresholds
from newswatch.match.similarity import compare
from newswatch.models import Outcome
from newswatch.pipeline.run import run
from newswatch.read.parse import parse
from newswatch.settings import get_settings
from tests.articles import PARAGRAPHS, Article
from tests.desk import Desk

# The sample story rewritten: a new lead, two sentences said again, two kept; the same
# people, the same numbers, half the headline.
REWRITE = [
    "President Vladimir Putin has rejected any suggestion that Russia's bombing of Aleppo could "
    "bring war crimes charges, a day after French President Francois Hollande raised it.",
    'Speaking to French media, he called the accusations "rhetoric that ignores the realities in '
    'Syria".',
    PARAGRAPHS[4],
    "Activists say 15 people, children among them, died when a market in the rebel-held part of "
    "the city was hit on Wednesday, one of 25 strikes that day.",
    PARAGRAPHS[7],
]
REWRITTEN_HEADLINE = "Putin rejects war crimes claims over Aleppo strikes"


def _rewrite(**changes: object) -> Article:
    return Article.sample().but(
        **{"headline": REWRITTEN_HEADLINE, "paragraphs": REWRITE, **changes}
    )


def test_the_rewrite_is_one_the_text_rule_turns_down() -> None:
    """The fixture is what the issue describes: words lost, the story kept."""
    similarity = compare("\n\n".join(PARAGRAPHS), "\n\n".join(REWRITE))
    assert similarity.ratio < Thresholds().edit
    assert similarity.containment < Thresholds().containment_copy


def test_a_rewrite_of_an_outlets_story_keeps_its_identity_and_says_why() -> None:
    desk = Desk()
    first = desk.file("story.txt", Article.sample())
    later = desk.file("story-0930.txt", _rewrite())
    assert (later.outcome, later.article_id, later.version) == (
        Outcome.EDITED,
        first.article_id,
        2,
    )
    assert later.reason == "rewrite: headline 0.43, names 5 of 6, quotes 0, numbers 3"


def test_another_outlets_rewrite_is_no_copy() -> None:
    """A copy is judged on words; the rewrite rule is for an outlet's own texts."""
    desk = Desk()
    desk.file("bbc.txt", Article.sample())
    assert desk.file("other.txt", _rewrite().from_outlet("Reuters")).outcome is Outcome.NEW


def test_a_follow_up_that_brings_new_people_stays_apart() -> None:
    follow_up = [
        *REWRITE[:3],
        "Germany's Chancellor Angela Merkel and UN envoy Staffan de Mistura called for an "
        "immediate pause, and Foreign Secretary Boris Johnson summoned the Russian ambassador.",
        "Human Rights Watch and Amnesty International said hospitals in Eastern Ghouta had also "
        "been hit, and the International Criminal Court said it was following events closely.",
    ]
    desk = Desk()
    desk.file("story.txt", Article.sample())
    assert desk.file("next.txt", _rewrite(paragraphs=follow_up)).outcome is Outcome.NEW


def test_a_rewrite_seen_days_after_its_story_stays_apart() -> None:
    seen = datetime(2016, 10, 13, 9, tzinfo=UTC)
    hours_later, days_later = Desk(), Desk()
    for desk in (hours_later, days_later):
        desk.file("story.txt", Article.sample(), seen_at=seen)
    near = hours_later.file("b.txt", _rewrite(), seen_at=seen + timedelta(hours=30))
    far = days_later.file("b.txt", _rewrite(), seen_at=seen + timedelta(hours=72))
    assert (near.outcome, far.outcome) == (Outcome.EDITED, Outcome.NEW)


def test_a_rewrite_dated_days_after_its_story_stays_apart() -> None:
    desk = Desk()
    desk.file("story.txt", Article.sample())  # dated 13.10.2016
    assert desk.file("b.txt", _rewrite(date_line="17.10.2016")).outcome is Outcome.NEW


def test_a_window_of_zero_turns_the_rewrite_rule_off() -> None:
    rule = replace(Thresholds().rewrite, window_hours=0)
    desk = Desk(Thresholds(rewrite=rule))
    desk.file("story.txt", Article.sample())
    assert desk.file("b.txt", _rewrite()).outcome is Outcome.NEW


def test_names_are_capitalised_runs_without_a_sentences_first_word_or_a_case_ending() -> None:
    found = features(
        "Başlık",
        "Said Mr Blair, the prime minister said. Vladimir Putin met John Kerry in Geneva.\n\n"
        "Cumhur Asparuk’un konuşması Milli Güvenlik Kurulu önünde yapıldı. The Kremlin agreed.",
    )
    assert found.names == {
        "mr blair",
        "vladimir putin",
        "john kerry",
        "cumhur asparuk",
        "milli güvenlik kurulu",
    }


def test_numbers_leave_out_years_and_single_digits() -> None:
    found = features("Headline", "In 2016, 25 people and 1.4 million pounds; 3 more; 2.000 kişi.")
    assert found.numbers == {"25", "1.4", "2.000"}


def test_quotations_count_when_the_other_text_holds_their_words() -> None:
    a = features("A", 'He said: "we will not give up the fight for the city".')
    b = features("B", "The minister said they would not give up the fight for the city.")
    assert weigh(a, b).quotes == 0  # "we will not..." is not in b as a run
    c = features("C", "Officials insisted we will not give up the fight for the city, he added.")
    assert weigh(a, c).quotes == 1


def test_a_rewrite_link_carries_its_reason_to_the_sighting_and_the_result(
    watched: Path, database_url: str
) -> None:
    settings = get_settings(watch_dir=watched, database_url=database_url, workers=1)
    Article.sample().write(watched, "story.txt")
    run(settings)
    _rewrite().write(watched, "story-0930.txt")
    result = next(r for r in run(settings).results if r.path.endswith("story-0930.txt"))
    reason = "rewrite: headline 0.43, names 5 of 6, quotes 0, numbers 3"
    assert (result.outcome, result.version, result.reason) == (Outcome.EDITED, 2, reason)
    assert result.reason_code == "rewrite"
    assert f'"reason":"{reason}"' in result.model_dump_json()  # the --json line
    engine = create_engine(database_url)
    with engine.connect() as conn:
        sighting = conn.execute(
            text("select reason, reason_code from sightings where path like '%story-0930.txt'")
        ).one()
        file_reason = conn.execute(
            text("select reason from files where path like '%story-0930.txt'")
        ).scalar()
    engine.dispose()
    assert tuple(sighting) == (reason, "rewrite")
    assert file_reason is None, "the reason is the sighting's: a file's own is a rejection's"
    shown = CliRunner().invoke(app, ["history", "1", "--database-url", database_url, "--json"])
    assert json.loads(shown.stdout)["versions"][1]["sightings"][0]["reason"] == reason
    plain = CliRunner().invoke(app, ["history", "1", "--database-url", database_url])
    assert "rewrite: headline" in plain.stdout  # the table wraps the rest


def test_parsing_the_rewrite_fixture_keeps_its_paragraphs() -> None:
    assert parse(_rewrite().text().encode()).paragraphs == REWRITE


def test_the_window_is_a_setting(watched: Path, database_url: str) -> None:
    settings = get_settings(
        watch_dir=watched, database_url=database_url, workers=1, rewrite_window_hours=0
    )
    Article.sample().write(watched, "story.txt")
    run(settings)
    _rewrite().write(watched, "story-0930.txt")
    result = next(r for r in run(settings).results if r.path.endswith("story-0930.txt"))
    assert (result.outcome, result.reason) == (Outcome.NEW, None)


def test_the_change_report_says_why_a_rewrite_joined_its_article(
    watched: Path, database_url: str
) -> None:
    from newswatch.report.markdown import article_markdown
    from newswatch.store import Store
    from tests.runs import whole_report

    settings = get_settings(watch_dir=watched, database_url=database_url, workers=1)
    Article.sample().write(watched, "story.txt")
    run(settings)
    _rewrite().write(watched, "story-0930.txt")
    summary = run(settings)
    with Store.open(database_url) as store:
        report = whole_report(summary, store, watched.parent / "reports").head
    (change,) = report.edits
    assert change.reason == "rewrite: headline 0.43, names 5 of 6, quotes 0, numbers 3"
    shown = article_markdown(change, summary.run_id).replace("\\", "")  # markdown escapes
    assert f"Joined as a {change.reason}." in shown

"""The events a run emits, built from a ChangeReport: no server needed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newswatch.changes.diff import diff_versions
from newswatch.models import RunSummary
from newswatch.notify import events
from newswatch.report.model import ArticleChange, ChangeReport, NearDuplicateLink
from newswatch.server.addresses import article_page_key
from tests.articles import Article

FLOW_RUN = "0f6d2c1e-3b4a-4c5d-8e9f-0a1b2c3d4e5f"


def _change(article_id: int, new: Article, outlet: str | None = "BBC") -> ArticleChange:
    old = Article.sample()
    return ArticleChange(
        article_id=article_id,
        outlet=outlet,
        path=f"{article_id}.txt",
        from_version=1,
        to_version=2,
        reverted=False,
        similarity=0.93,
        diff=diff_versions(old.headline, old.paragraphs, new.headline, new.paragraphs),
    )


def _toll_changed() -> Article:
    sample = Article.sample()
    return sample.but(
        headline="SYRIA CONFLICT: PUTIN REJECTS WAR CRIMES CLAIM",
        paragraphs=[
            p.replace("25 people", "27 people").replace('"rhetoric"', '"pure rhetoric"')
            for p in sample.paragraphs
        ],
    )


def _reworded() -> Article:
    sample = Article.sample()
    return sample.but(
        paragraphs=[
            p.replace("renewed bombardment", "heavy bombardment") for p in sample.paragraphs
        ]
    )


DATABASE = "sqlite:////srv/news/newswatch.db"
"""An absolute path: its key is the same wherever the tests run."""


def _report(
    edits: list[ArticleChange], copies: list[NearDuplicateLink] | None = None
) -> ChangeReport:
    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    return ChangeReport(
        run=RunSummary(
            run_id=7,
            watch_dir="/news",
            database=DATABASE,
            started_at=now,
            finished_at=now,
            counts={"new": 3, "edited": len(edits), "near_duplicate": len(copies or [])},
        ),
        flow_run_id=FLOW_RUN,
        files=[],
        edits=edits,
        near_duplicates=copies or [],
    )


def _copy(article_id: int) -> NearDuplicateLink:
    return NearDuplicateLink(
        path=f"wire-{article_id}.txt",
        article_id=article_id,
        outlet="Reuters",
        headline="Putin dismisses war crimes claim",
        copies_article_id=1,
        copies_outlet="BBC",
        similarity=0.91,
    )


def test_an_edited_article_names_its_resource_outlet_changes_and_flow_run() -> None:
    change = _change(1, _toll_changed())
    (edited, completed) = events.for_report(
        _report([change]),
        limit=10,
        artifacts={article_page_key(1, DATABASE): "0b9e7c1e-5d4c-4c8e-9d0a-3f1e2a7b6c5d"},
    )

    assert edited.event == "newswatch.article.edited"
    resource = edited.resource
    assert resource["prefect.resource.id"] == "newswatch.article.1"
    assert resource["prefect.resource.name"] == "SYRIA CONFLICT: PUTIN REJECTS WAR CRIMES CLAIM"
    assert resource["newswatch.outlet"] == "bbc"
    assert resource["newswatch.changed.numbers"] == "true"
    assert resource["newswatch.changed.quotes"] == "true"
    assert resource["newswatch.changed.headline"] == "true"
    assert all(isinstance(value, str) for value in resource.values())
    assert edited.related == [
        {"prefect.resource.id": f"prefect.flow-run.{FLOW_RUN}", "prefect.resource.role": "flow-run"}
    ]
    payload = edited.payload
    assert isinstance(payload, events.EditedPayload)
    assert (payload.from_version, payload.to_version, payload.similarity) == (1, 2, 0.93)
    assert payload.numbers == [str(n) for n in change.diff.numbers]
    assert any("25" in line and "27" in line for line in payload.numbers)
    assert payload.quotes[0].old == "rhetoric" and payload.quotes[0].new == "pure rhetoric"
    assert payload.artifact_key == article_page_key(1, DATABASE)
    assert payload.artifact_id == "0b9e7c1e-5d4c-4c8e-9d0a-3f1e2a7b6c5d"
    assert payload.headline_old == Article.sample().headline

    assert completed.event == "newswatch.run.completed"
    assert completed.resource["prefect.resource.id"] == "newswatch.run.7"
    assert isinstance(completed.payload, events.RunPayload)
    assert completed.payload.counts == {"new": 3, "edited": 1, "near_duplicate": 0}
    assert completed.payload.events_omitted == 0


def test_an_edit_without_numbers_quotes_or_headline_is_labelled_false_for_each() -> None:
    (edited, _) = events.for_report(_report([_change(2, _reworded())]), limit=10)
    for kind in ("numbers", "quotes", "headline"):
        assert edited.resource[f"newswatch.changed.{kind}"] == "false"
    assert isinstance(edited.payload, events.EditedPayload)
    assert edited.payload.numbers == [] and edited.payload.quotes == []
    assert edited.payload.artifact_key is None  # no artifact was made for it


def test_headline_words_old_and_new_are_labels_so_a_keyword_trigger_can_match() -> None:
    (edited, _) = events.for_report(_report([_change(1, _toll_changed())]), limit=10)
    words = {k.removeprefix("newswatch.word.") for k in edited.resource if "word." in k}
    assert {"syria", "putin", "rejects", "rhetoric", "says"} <= words  # "says": old headline
    assert "'rhetoric'" not in words and "s" not in words


def test_keywords_fold_case_and_drop_punctuation_and_single_letters() -> None:
    assert events.keywords("Putin's 'RHETORIC': a Türkiye ŞOK, 27 dead") == [
        "putin",
        "rhetoric",
        "türkiye",
        "şok",
        "27",
        "dead",
    ]


def test_a_near_duplicate_is_a_copied_event_related_to_the_original() -> None:
    (copied, completed) = events.for_report(_report([], [_copy(5)]), limit=10)
    assert copied.event == "newswatch.article.copied"
    assert copied.resource["prefect.resource.id"] == "newswatch.article.5"
    assert copied.resource["newswatch.outlet"] == "reuters"
    assert {
        "prefect.resource.id": "newswatch.article.1",
        "prefect.resource.role": "original",
        "newswatch.outlet": "bbc",
    } in copied.related
    assert isinstance(copied.payload, events.CopiedPayload)
    assert copied.payload.copies_article_id == 1 and copied.payload.similarity == 0.91
    assert isinstance(completed.payload, events.RunPayload) and completed.payload.copied == 1


def test_the_cap_keeps_edits_with_changed_numbers_first_and_counts_what_it_left_out() -> None:
    edits = [_change(i, _reworded()) for i in range(1, 4)] + [_change(9, _toll_changed())]
    copies = [_copy(i) for i in range(20, 25)]
    emitted = events.for_report(_report(edits, copies), limit=2)
    assert [e.resource["prefect.resource.id"] for e in emitted[:-1]] == [
        "newswatch.article.9",
        "newswatch.article.1",
    ]
    completed = emitted[-1].payload
    assert isinstance(completed, events.RunPayload)
    assert completed.edited == 4 and completed.copied == 5 and completed.events_omitted == 7

    only_run = events.for_report(_report(edits, copies), limit=0)
    assert [e.event for e in only_run] == ["newswatch.run.completed"]


def test_a_run_with_only_new_articles_emits_one_event() -> None:
    assert [e.event for e in events.for_report(_report([]), limit=100)] == [
        "newswatch.run.completed"
    ]


def test_long_quotes_and_many_numbers_are_bounded() -> None:
    sample = Article.sample()
    long_quote = " ".join(["word"] * 200)
    old = sample.but(
        paragraphs=[f'He said "{long_quote}".', *(f"Line {i} has {i} dead." for i in range(40))]
    )
    new = sample.but(
        paragraphs=[
            f'He said "{long_quote} more".',
            *(f"Line {i} has {i + 100} dead." for i in range(40)),
        ]
    )
    change = ArticleChange(
        article_id=3,
        outlet=None,
        path="3.txt",
        from_version=1,
        to_version=2,
        reverted=False,
        similarity=None,
        diff=diff_versions(old.headline, old.paragraphs, new.headline, new.paragraphs),
    )
    (edited, _) = events.for_report(_report([change]), limit=1)
    payload = edited.payload
    assert isinstance(payload, events.EditedPayload)
    assert payload.numbers_total > events.MAX_LISTED == len(payload.numbers)
    assert (
        payload.quotes[0].new is not None and len(payload.quotes[0].new) <= events.MAX_QUOTE_CHARS
    )
    assert "newswatch.outlet" not in edited.resource  # no outlet, no label


def test_every_event_is_valid_for_prefect() -> None:
    from prefect.events import Event

    built = events.for_report(
        _report([_change(1, _toll_changed())], [_copy(4)]),
        limit=10,
        artifacts={article_page_key(1, DATABASE): "0b9e7c1e-5d4c-4c8e-9d0a-3f1e2a7b6c5d"},
    )
    assert [e.event for e in built] == [events.EDITED, events.COPIED, events.RUN_COMPLETED]
    for event in built:
        accepted = Event(
            event=event.event,
            resource=event.resource,
            related=event.related,
            payload=event.payload.model_dump(mode="json"),
        )
        # Prefect takes every label as given, and the payload as it was sent.
        assert dict(accepted.resource.items()) == event.resource
        assert [dict(r.items()) for r in accepted.related] == event.related
        assert accepted.payload == event.payload.model_dump(mode="json")


def test_publish_never_raises_when_prefect_refuses_an_event(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import prefect.events

    def refuse(**_: object) -> None:
        raise RuntimeError("events are down")

    monkeypatch.setattr(prefect.events, "emit_event", refuse)
    built = events.for_report(_report([_change(1, _toll_changed())]), limit=10)
    assert events.publish(built) == 0

"""Prefect events for what a run changed, so automations can tell people about it.

    for_report  ChangeReport -> the events to emit (pure)
    publish     hand them to Prefect's events worker (the one edge; never raises)

Prefect triggers filter on resource labels only, never on the payload, so everything an
alert may ask about is a string label: the outlet, which kinds of change happened
(``newswatch.changed.numbers`` / ``.quotes`` / ``.headline``: ``"true"``/``"false"``) and
each headline word (``newswatch.word.<word>``; Prefect's label patterns match exact values
or a prefix, never a word inside a value, so a keyword needs a label of its own). The
payload holds what a message shows: versions, numbers, quotes, similarity, artifact key.

New articles get no event of their own (a cold run of 100,000 files would be 100,000
events); edits and copies are capped per run by ``NEWSWATCH_EVENT_LIMIT``, and one
``newswatch.run.completed`` carries the counts and says how many were left out.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from newswatch.models import NOTABLE, ChangeKind
from newswatch.read.text import outlet_key, words
from newswatch.server.addresses import article_page_key

if TYPE_CHECKING:  # annotations only: `newswatch alerts` needs the labels, not the database
    from newswatch.report.model import ArticleChange, ChangeReport, NearDuplicateLink, Totals

EDITED = "newswatch.article.edited"
COPIED = "newswatch.article.copied"
RUN_COMPLETED = "newswatch.run.completed"

ARTICLE_RESOURCE = "newswatch.article."
OUTLET_LABEL = "newswatch.outlet"
CHANGED_LABEL = "newswatch.changed."
WORD_LABEL = "newswatch.word."

# Bounds that keep one event small whatever the article: Prefect refuses events over
# 1.5 MB and resources with more than 500 labels.
MAX_LISTED = 20
MAX_QUOTE_CHARS = 300
MAX_WORDS = 40


class QuoteLine(BaseModel):
    old: str | None = None
    new: str | None = None


class EditedPayload(BaseModel):
    run_id: int
    article_id: int
    outlet: str | None
    path: str
    from_version: int
    to_version: int
    reverted: bool
    similarity: float | None
    headline_old: str
    headline_new: str
    numbers: list[str] = Field(
        description="Changed numbers, one line each: `25 -> 27 people dead`."
    )
    numbers_total: int
    quotes: list[QuoteLine] = Field(description="Changed quotes, before and after.")
    quotes_total: int
    artifact_key: str | None = Field(
        description="The `article-<id>-<database>` key: the article's history of pages in the UI; None "
        "beyond NEWSWATCH_REPORT_ARTIFACT_LIMIT (the report files hold every edit)."
    )
    artifact_id: str | None = Field(
        default=None, description="This run's page of the article: the full diff of this edit."
    )


class CopiedPayload(BaseModel):
    run_id: int
    article_id: int
    outlet: str | None
    path: str
    headline: str
    copies_article_id: int
    copies_outlet: str | None
    similarity: float | None
    artifact_id: str | None = Field(
        default=None, description="This run's page of the copy: what it changed."
    )


class RunPayload(BaseModel):
    run_id: int
    watch_dir: str
    counts: dict[str, int]
    edited: int
    copied: int
    events_omitted: int = Field(description="Article events left out by NEWSWATCH_EVENT_LIMIT.")


class NewswatchEvent(BaseModel):
    """One event as ``prefect.events.emit_event`` takes it."""

    event: str
    resource: dict[str, str]
    related: list[dict[str, str]] = Field(default_factory=list)
    payload: EditedPayload | CopiedPayload | RunPayload


# --- labels ------------------------------------------------------------------------------------


def keywords(text: str) -> list[str]:
    """The words a keyword alert can match, in the form their labels use: folded as
    matching folds them (``read.text.words``: 'İSTANBUL' is 'istanbul')."""
    return list(dict.fromkeys(w for w in words(text) if len(w) > 1))


def changed_kinds(change: ArticleChange) -> dict[ChangeKind, bool]:
    """Which of the kinds an alert can ask for the edit changed (a label each)."""
    diff = change.diff
    kinds = ChangeKind.of(len(diff.numbers), len(diff.quotes), diff.headline_changed)
    return {kind: kind in kinds for kind in NOTABLE}


def _article_resource(
    article_id: int,
    headline: str,
    outlet: str | None,
    changed: dict[ChangeKind, bool],
    words_from: Iterable[str],
) -> dict[str, str]:
    resource = {
        "prefect.resource.id": f"{ARTICLE_RESOURCE}{article_id}",
        "prefect.resource.name": headline,
    }
    if outlet:
        resource[OUTLET_LABEL] = outlet_key(outlet) or ""
    resource.update({CHANGED_LABEL + kind: str(flag).lower() for kind, flag in changed.items()})
    labelled = keywords(" ".join(words_from))[:MAX_WORDS]
    resource.update({f"{WORD_LABEL}{word}": "true" for word in labelled})
    return resource


def _related(report: ChangeReport) -> list[dict[str, str]]:
    """The flow run; Prefect's events worker adds the flow and task run from the context."""
    if not report.flow_run_id:
        return []
    return [
        {
            "prefect.resource.id": f"prefect.flow-run.{report.flow_run_id}",
            "prefect.resource.role": "flow-run",
        }
    ]


# --- events ------------------------------------------------------------------------------------


def edited_event(
    change: ArticleChange, report: ChangeReport, artifacts: Mapping[str, str] | None = None
) -> NewswatchEvent:
    diff = change.diff
    resource = _article_resource(
        change.article_id,
        diff.headline_new or change.title,  # a text without a headline: its first words
        change.outlet,
        changed_kinds(change),
        (diff.headline_new or change.title, diff.headline_old),
    )
    key = article_page_key(change.article_id, report.run.database)
    artifacts = artifacts or {}
    return NewswatchEvent(
        event=EDITED,
        resource=resource,
        related=_related(report),
        payload=EditedPayload(
            run_id=report.run.run_id,
            article_id=change.article_id,
            outlet=change.outlet,
            path=change.path,
            from_version=change.from_version,
            to_version=change.to_version,
            reverted=change.reverted,
            similarity=change.similarity,
            headline_old=diff.headline_old,
            headline_new=diff.headline_new,
            numbers=[str(n) for n in diff.numbers[:MAX_LISTED]],
            numbers_total=len(diff.numbers),
            quotes=[
                QuoteLine(old=_clip(q.old), new=_clip(q.new)) for q in diff.quotes[:MAX_LISTED]
            ],
            quotes_total=len(diff.quotes),
            artifact_key=key if key in artifacts else None,
            artifact_id=artifacts.get(key) or None,
        ),
    )


def copied_event(
    link: NearDuplicateLink, report: ChangeReport, artifacts: Mapping[str, str] | None = None
) -> NewswatchEvent:
    nothing: dict[ChangeKind, bool] = dict.fromkeys(NOTABLE, False)
    resource = _article_resource(
        link.article_id, link.headline, link.outlet, nothing, (link.headline,)
    )
    original = {
        "prefect.resource.id": f"{ARTICLE_RESOURCE}{link.copies_article_id}",
        "prefect.resource.role": "original",
    }
    if link.copies_outlet:
        original[OUTLET_LABEL] = outlet_key(link.copies_outlet) or ""
    return NewswatchEvent(
        event=COPIED,
        resource=resource,
        related=[*_related(report), original],
        payload=CopiedPayload(
            run_id=report.run.run_id,
            article_id=link.article_id,
            outlet=link.outlet,
            path=link.path,
            headline=link.headline,
            copies_article_id=link.copies_article_id,
            copies_outlet=link.copies_outlet,
            similarity=link.similarity,
            artifact_id=(artifacts or {}).get(
                article_page_key(link.article_id, report.run.database)
            )
            or None,
        ),
    )


def for_report(
    report: ChangeReport,
    limit: int,
    artifacts: Mapping[str, str] | None = None,
    totals: Totals | None = None,
) -> list[NewswatchEvent]:
    """At most ``limit`` article events, then ``newswatch.run.completed``.

    Edits whose numbers, quotes or headline changed come first: those are what alerts
    are for, and a cap should cut plain rewording before a changed death toll.
    ``artifacts`` are the ``article-<id>-<database>`` pages the run published (key -> artifact id),
    which a message links to. ``totals``: the run's, where ``report`` holds only the
    edits and copies an event may go to (``stream.StreamedReport.alerting``).
    """
    from newswatch.report.model import Totals  # here: events load without the report models

    totals = totals or Totals.of(report)
    edits = sorted(report.edits, key=lambda change: not change.diff.notable)
    articles = [edited_event(change, report, artifacts) for change in edits[:limit]]
    room = max(limit - len(articles), 0)
    articles += [copied_event(link, report, artifacts) for link in report.near_duplicates[:room]]
    total = totals.edits + totals.near_duplicates
    completed = NewswatchEvent(
        event=RUN_COMPLETED,
        resource={
            "prefect.resource.id": f"newswatch.run.{report.run.run_id}",
            "prefect.resource.name": f"newswatch run {report.run.run_id}",
        },
        related=_related(report),
        payload=RunPayload(
            run_id=report.run.run_id,
            watch_dir=report.run.watch_dir,
            counts=report.run.counts,
            edited=totals.edits,
            copied=totals.near_duplicates,
            events_omitted=total - len(articles),
        ),
    )
    return [*articles, completed]


def _clip(text: str | None) -> str | None:
    if text is None or len(text) <= MAX_QUOTE_CHARS:
        return text
    return text[: MAX_QUOTE_CHARS - 1].rstrip() + "…"


# --- the edge ----------------------------------------------------------------------------------


def publish(events: Iterable[NewswatchEvent]) -> int:
    """Emit each event through Prefect; returns how many were handed over.

    Never raises: an event that cannot be sent is logged and the run goes on, because
    telling people about a change must not lose the change itself. Prefect's events
    worker sends in the background and drains before the process exits.
    """
    from prefect.events import emit_event

    sent = 0
    for event in events:
        try:
            emitted = emit_event(
                event=event.event,
                resource=event.resource,
                related=event.related,
                payload=event.payload.model_dump(mode="json"),
            )
        except Exception as exc:
            _logger().warning("event %s not sent: %s", event.event, exc)
            continue
        sent += emitted is not None
    return sent


def _logger() -> logging.Logger | logging.LoggerAdapter[logging.Logger]:
    from prefect.exceptions import MissingContextError
    from prefect.logging import get_run_logger

    try:
        return get_run_logger()
    except MissingContextError:
        return logging.getLogger(__name__)

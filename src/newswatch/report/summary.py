"""The run summary's text, shared by its artifact (``markdown.run_markdown``, capped) and
``run-N.md`` (``files.ReportWriter``, every item streamed in): its head and tail around four
lists, and a line for each item of them."""

from __future__ import annotations

from collections.abc import Mapping

from newswatch.models import FileResult
from newswatch.render.phrasing import (
    MARKDOWN,
    Style,
    lead,
    page_link,
    summary_sentence,
    what_changed,
    withheld_sentence,
)
from newswatch.report.model import (
    ArticleChange,
    ChangeReport,
    NearDuplicateLink,
    NewArticle,
    Totals,
)
from newswatch.server.addresses import ARTIFACT_ROUTE, KEY_ROUTE, article_page_key
from newswatch.times import utc_text


def summary_lines(
    report: ChangeReport,
    style: Style,
    totals: Totals,
    lists: list[tuple[int, list[str]]],
) -> list[str]:
    """The run summary around its four lists (edits, copies, new, rejected), each given as
    (total, its lines): ``run_markdown`` caps them, ``run-N.md`` streams them whole."""
    lines = [
        f"# newswatch run {report.run.run_id}",
        "",
        f"{summary_sentence(report.run.counts)}.",
        "",
        f"Folder {style.text(report.run.watch_dir)}, database {style.text(report.run.database)}, "
        f"started {utc_text(report.run.started_at, seconds=True)}, took {report.seconds:.2f} s.",
        "",
        *([f"{withheld_sentence(report.claims_withheld)}.", ""] if report.claims_withheld else []),
        "| outcome | files |",
        "| --- | ---: |",
        *(f"| {outcome} | {count:,} |" for outcome, count in report.run.counts.items()),
        "",
    ]
    titles = ("Edited articles", "Syndicated copies", "New articles", "Rejected files")
    for title, (total, listed) in zip(titles, lists, strict=True):
        if total:
            lines += [f"## {title} ({total:,})", "", *listed, ""]
    if report.run.skipped_files:
        lines += [
            f"## Skipped ({len(report.run.skipped_files):,}): types newswatch does not read",
            "",
        ]
        lines += [
            f"- {style.text(f.path)}: {style.text(f.reason)}" for f in report.run.skipped_files
        ]
        lines.append("")
    if report.run.deferred:
        lines += [
            f"## Still being written ({len(report.run.deferred):,}), left for the next run",
            "",
        ]
        lines += [f"- {style.text(d.path)}: {style.text(d.reason)}" for d in report.run.deferred]
        lines.append("")
    if report.unpublished_runs:
        for run_id in report.unpublished_runs:
            lines += [
                f"The Prefect server went away during run {run_id}: its artifacts and events "
                f"were not published; its report files hold everything (run-{run_id}.md).",
                "",
            ]
    if report.run.found_crashed:
        found = ", ".join(str(n) for n in report.run.found_crashed)
        lines += [
            f"Found dead and marked crashed: run {found} (what it committed is kept; this "
            "run ingests the rest).",
            "",
        ]
    if not (totals.edits or totals.near_duplicates or totals.rejected or totals.new_articles):
        lines += ["Nothing was new, edited, copied or rejected in this run.", ""]
    return lines


class SummaryLines:
    """A line of the run summary's lists, for each kind of item; an article is linked to
    its page where ``pages`` (key -> artifact id, or "" for the key alone) has one, or to
    the artifact that holds its page where ``shared`` (key -> artifact id) has one."""

    def __init__(
        self,
        style: Style = MARKDOWN,
        pages: Mapping[str, str] | None = None,
        database: str = "",
        shared: Mapping[str, str] | None = None,
    ) -> None:
        self.style, self.pages, self.database = style, pages or {}, database
        self.shared = shared or {}

    def ref(self, article_id: int) -> str:
        key, style = article_page_key(article_id, self.database), self.style
        if key in self.shared:
            return style.link(key, ARTIFACT_ROUTE.format(id=self.shared[key]))
        if key not in self.pages:
            return f"article {article_id}"
        history = style.link(key, KEY_ROUTE.format(key=key))
        if not self.pages[key]:
            return history
        page = style.link(key, ARTIFACT_ROUTE.format(id=self.pages[key]))
        return f"{page} ({style.link('history', KEY_ROUTE.format(key=key))})"

    def edit(self, change: ArticleChange) -> str:
        style = self.style
        what = "; ".join(style.text(w) for w in what_changed(change.diff)) or "no change"
        return (
            f"- {self.ref(change.article_id)} {lead(change.outlet, style)}"
            f"“{style.text(change.title)}”{_at(change.url, style)} v{change.from_version} → "
            f"v{change.to_version}{' (revert)' if change.reverted else ''}: {what}"
        )

    def copy(self, link: NearDuplicateLink) -> str:
        style = self.style
        similarity = f"{link.similarity:.2f}" if link.similarity is not None else "unknown"
        return (
            f"- {self.ref(link.article_id)} {lead(link.outlet, style)}"
            f"“{style.text(link.headline)}”{_at(link.url, style)} copies "
            f"{self.ref(link.copies_article_id)} {lead(link.copies_outlet, style)}"
            f"“{style.text(link.copies_headline)}”, similarity {similarity}"
        )

    def new(self, article: NewArticle) -> str:
        style = self.style
        return (
            f"- article {article.article_id} {lead(article.outlet, style)}"
            f"“{style.text(article.headline)}”{_at(article.url, style)}"
        )

    def rejected(self, result: FileResult) -> str:
        style = self.style
        return (
            f"- {style.text(result.reason_code or 'rejected')}: {style.text(result.path)}: "
            f"{style.text(result.reason or '')}"
        )


def _at(url: str | None, style: Style) -> str:
    """' at <the article's URL>' after a headline, where the text gave one."""
    return f" at {page_link(url, style)}" if url else ""

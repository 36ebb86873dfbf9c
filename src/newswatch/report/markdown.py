"""A ChangeReport as Markdown: the run summary artifact, the ``article-<id>-<database>`` pages, the
run's log lines, and ``run-N.md``.

    run_markdown      the run summary artifact: counts, edits, copies, new, rejected
    article_pages     one ``article-<id>-<database>`` page per edited article, per syndicated copy and
                      per original that spread, with a one-sentence description each
    published_pages   the artifacts they go out as: an edit's page keyed, copies and
                      originals ``PAGE_GROUP`` to an artifact
    log_lines         one line per edited or copied article, for the run's log
    report_markdown   the whole report as one document (``run-N.md``, ``newswatch report``)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial

from newswatch.render.diffs import diff_lines
from newswatch.render.escaping import log_safe
from newswatch.render.phrasing import MARKDOWN, PLAIN, Style, lead, outlet_name, page_link, plural
from newswatch.report.model import (
    ArticleChange,
    ChangeReport,
    NearDuplicateLink,
    Spread,
    Totals,
)
from newswatch.report.sentences import copy_sentence, edit_sentence, spread_sentence
from newswatch.report.summary import SummaryLines, summary_lines
from newswatch.server.addresses import article_page_key
from newswatch.times import utc_text


def _spread_lines(spread: Spread | None, style: Style) -> list[str]:
    if spread is None or not spread.copies:
        return []
    lines = [f"## Where this story spread ({plural(len(spread.copies), 'copy')})", ""]
    for copy in spread.copies:
        similarity = f", similarity {copy.similarity:.2f}" if copy.similarity is not None else ""
        lines.append(
            f"- {style.text(outlet_name(copy.outlet))}, first seen {utc_text(copy.first_seen_at)}: "
            f"“{style.text(copy.headline)}” (article {copy.article_id}"
            + (f", {style.text(copy.path)}" if copy.path else "")
            + f"{similarity})"
        )
    return [*lines, ""]


def article_markdown(
    change: ArticleChange,
    run_id: int,
    spread: Spread | None = None,
    style: Style = MARKDOWN,
    picture: list[str] | None = None,
) -> str:
    """The keyed artifact ``article-<id>-<database>``: each run that edits it adds a version in the UI.

    ``picture``: the story's time line (``story_page.picture_markdown``), above the diff.
    """
    lines = [
        f"# Article {change.article_id}: version {change.from_version} → {change.to_version}"
        + (" (reverted to an earlier text)" if change.reverted else ""),
        "",
        f"{lead(change.outlet, style)}“{style.text(change.title)}”"
        + (f" at {page_link(change.url, style)}" if change.url else "")
        + f". File {style.text(change.path)}, run {run_id}"
        + (f", similarity {change.similarity:.3f}" if change.similarity is not None else "")
        + ".",
        "",
        *([f"Joined as a {style.text(change.reason)}.", ""] if change.reason else []),
        *(picture or []),
        *diff_lines(change.diff, style),
        *_spread_lines(spread, style),
    ]
    return "\n".join(lines)


def copy_markdown(
    link: NearDuplicateLink,
    run_id: int,
    style: Style = MARKDOWN,
    picture: list[str] | None = None,
    spread: Spread | None = None,
) -> str:
    """``article-<id>-<database>`` of a syndicated copy: the original it copies, and what it changed
    (``picture``: the original's time line, where this copy has its lane); ``spread``: where
    the copy itself was copied in this run, so an article has one page."""
    similarity = f"{link.similarity:.2f}" if link.similarity is not None else "unknown"
    original = (
        (f"{style.text(link.copies_outlet)}’s " if link.copies_outlet else "")
        + f"“{style.text(link.copies_headline)}” "
        f"(article {link.copies_article_id}"
        + (f", version {link.copies_version}" if link.copies_version else "")
        + (f", file {style.text(link.copies_path)}" if link.copies_path else "")
        + ")"
    )
    lines = [
        f"# Article {link.article_id}: a syndicated copy of article {link.copies_article_id}",
        "",
        f"{style.text(outlet_name(link.outlet))} published “{style.text(link.headline)}” "
        + (f"at {page_link(link.url, style)} " if link.url else "")
        + f"(file {style.text(link.path)}, run {run_id}), a copy of {original}; "
        f"similarity {similarity}.",
        "",
        *(picture or []),
    ]
    if link.diff is None:
        lines += ["The original's text is not stored; no diff.", ""]
    else:
        lines += [
            "What the copy changed (before: the original, after: the copy).",
            "",
            *diff_lines(link.diff, style, before="Original", after="Copy"),
        ]
    return "\n".join([*lines, *_spread_lines(spread, style)])


def spread_markdown(
    spread: Spread, run_id: int, style: Style = MARKDOWN, picture: list[str] | None = None
) -> str:
    """``article-<id>-<database>`` of an original copied in this run but not edited: where it spread."""
    lines = [
        f"# Article {spread.article_id}: where this story spread",
        "",
        f"{lead(spread.outlet, style)}“{style.text(spread.headline)}”"
        + (f", file {style.text(spread.path)}" if spread.path else "")
        + f". Copied in run {run_id}.",
        "",
        *(picture or []),
        *_spread_lines(spread, style),
    ]
    return "\n".join(lines)


@dataclass(frozen=True)
class ArticlePage:
    key: str
    markdown: str
    description: str
    """A sentence with outlet and headline (Markdown: the UIs render descriptions)."""
    log: str
    """The same, as plain text for the run's log."""
    kind: str = "edited"
    """'edited', 'syndicated copy' or 'spread'."""


PAGE_GROUP = 10
"""Pages of syndicated copies and of originals that spread to one artifact. An artifact
costs the Prefect server about the same whatever its size (8 ms keyed, 4.5 ms unkeyed on
this machine: docs/performance.md), and a copy's page has no history of runs to keep, so
they go ten to an artifact; an edit's page stays keyed, a version of the article's
history in the UI for each run that edits it."""


@dataclass(frozen=True)
class PageGroup:
    """Several articles' pages as one unkeyed artifact."""

    keys: tuple[str, ...]
    """The ``article-<id>`` keys of the pages it holds, in order."""
    markdown: str
    description: str
    key: None = None


def published_pages(
    pages: list[ArticlePage], size: int = PAGE_GROUP
) -> list[ArticlePage | PageGroup]:
    """The artifacts a run's pages go out as: each edit's page keyed, the copies' and the
    spread originals' pages ``size`` to an artifact, in order, divided by rules."""
    edits: list[ArticlePage | PageGroup] = [p for p in pages if p.kind == "edited"]
    others = [p for p in pages if p.kind != "edited"]
    groups: list[ArticlePage | PageGroup] = [
        PageGroup(
            keys=tuple(p.key for p in group),
            markdown="\n\n---\n\n".join(p.markdown for p in group),
            description="; ".join(p.description for p in group),
        )
        for group in (others[i : i + size] for i in range(0, len(others), size))
    ]
    return edits + groups


def _page(
    article_id: int, database: str, markdown: str, kind: str, sentence: Callable[[Style], str]
) -> ArticlePage:
    """``article-<id>-<database>``: its page, the sentence that describes it, and its log
    line."""
    key = article_page_key(article_id, database)
    return ArticlePage(
        key=key,
        markdown=markdown,
        description=sentence(MARKDOWN),
        log=f"{kind}: {sentence(PLAIN)} ({key})",
        kind=kind,
    )


def article_pages(
    report: ChangeReport,
    limit: int | None = None,
    pictures: Mapping[int, list[str]] | None = None,
) -> list[ArticlePage]:
    """Pages for edited articles, syndicated copies, and originals that spread.

    ``limit`` caps the edits and the copies each (the files hold all of them).
    ``pictures``: each story's time line by article id (a copy's page shows its original's).
    """
    pictures = pictures or {}
    spread = {s.article_id: s for s in report.spread}
    run_id, database = report.run.run_id, report.run.database
    edits = report.edits[:limit] if limit is not None else report.edits
    copies = report.near_duplicates[:limit] if limit is not None else report.near_duplicates
    pages = [
        _page(
            change.article_id,
            database,
            article_markdown(
                change,
                run_id,
                spread.get(change.article_id),
                picture=pictures.get(change.article_id),
            ),
            "edited",
            partial(edit_sentence, change),
        )
        for change in edits
    ]
    pages += [
        _page(
            link.article_id,
            database,
            copy_markdown(
                link,
                run_id,
                picture=pictures.get(link.copies_article_id),
                spread=spread.get(link.article_id),
            ),
            "syndicated copy",
            partial(copy_sentence, link),
        )
        for link in copies
    ]
    # One page an article: an edit's or a copy's page says where it spread too.
    paged = {change.article_id for change in edits} | {link.article_id for link in copies}
    shown_originals = {link.copies_article_id for link in copies}
    pages += [
        _page(
            original.article_id,
            database,
            spread_markdown(original, run_id, picture=pictures.get(original.article_id)),
            "spread",
            partial(spread_sentence, original),
        )
        for original in report.spread
        if original.article_id not in paged and original.article_id in shown_originals
    ]
    return pages


def log_lines(
    report: ChangeReport,
    limit: int | None = None,
    urls: dict[str, str] | None = None,
    totals: Totals | None = None,
) -> list[str]:
    """One plain line per edited or copied article (the Logs tab tells the run's story),
    ending in the address of its page in this run when ``urls`` (key -> address) has one.
    Article text is made safe for the log (``escaping.log_safe``); our address is not."""
    urls = urls or {}
    lines = [
        log_safe(p.log) + (f" {urls[p.key]}" if p.key in urls else "")
        for p in article_pages(report, limit)
        if not p.log.startswith("spread:")
    ]
    totals = totals or Totals.of(report)
    hidden = totals.edits + totals.near_duplicates - len(lines)
    if hidden > 0:
        lines.append(
            f"… and {hidden:,} more edited or copied articles: see reports/{report.name}.md"
        )
    return lines


# --- the run summary ---------------------------------------------------------------------------


def run_markdown(
    report: ChangeReport,
    limit: int | None = None,
    style: Style = MARKDOWN,
    pages: dict[str, str] | None = None,
    totals: Totals | None = None,
    shared: Mapping[str, str] | None = None,
) -> str:
    """The run summary; ``limit`` caps each list (the files keep everything).

    ``pages`` are the ``article-<id>-<database>`` pages published in the UI (key -> artifact id), which
    get links: to this run's page, and to the article's history of pages. Without it,
    every page the report would have is linked by its key. ``shared``: the pages published
    in groups (key -> the group's artifact id), linked to that artifact. ``totals``: the
    run's, where ``report`` holds only the head of each list.
    """
    if pages is None:
        pages = {p.key: "" for p in article_pages(report, limit)}
    totals = totals or Totals.of(report)
    line = SummaryLines(style, pages, report.run.database, shared)
    shown = slice(None) if limit is None else slice(limit)
    listed = (
        [line.edit(c) for c in report.edits[shown]],
        [line.copy(n) for n in report.near_duplicates[shown]],
        [line.new(a) for a in report.new_articles[shown]],
        [line.rejected(r) for r in report.rejected[shown]],
    )
    lists: list[tuple[int, list[str]]] = []
    for total, lines, what in zip(
        (totals.edits, totals.near_duplicates, totals.new_articles, totals.rejected),
        listed,
        ("edited articles", "syndicated copies", "new articles", "rejected files"),
        strict=True,
    ):
        if total > len(lines):
            lines.append(
                f"- … and {total - len(lines):,} more {what}: see reports/{report.name}.md"
            )
        lists.append((total, lines))
    return "\n".join(summary_lines(report, style, totals, lists))


def report_markdown(report: ChangeReport, style: Style = MARKDOWN) -> str:
    """The whole report as one document: the summary, then every article page."""
    spread = {s.article_id: s for s in report.spread}
    parts = [run_markdown(report, style=style, pages={})]
    parts += [
        article_markdown(c, report.run.run_id, spread.get(c.article_id), style)
        for c in report.edits
    ]
    parts += [copy_markdown(n, report.run.run_id, style) for n in report.near_duplicates]
    return "\n".join(parts)

"""A ChangeReport rendered for people: Markdown (Prefect UI, run-N.md), plain text, HTML.

    run_markdown      the run summary artifact: counts, edits, copies, new, rejected
    article_pages     one ``article-<id>`` page per edited article, per syndicated copy and
                      per original that spread, with a one-sentence description each
    summary_sentence  "4 edited, 1 syndicated copy, 31 new, 0 rejected"
    log_lines         one line per edited or copied article, for the run's log
    render_html       a self-contained page with a side-by-side diff per article
    write_files       reports/run-N.md, .json and .html

Every renderer takes a :class:`Style`: Markdown escapes untrusted text (``escaping.py``)
and marks words with ``~~struck~~`` and ``**bold**``; plain text (a pipe, ``NO_COLOR``)
writes ``[-old-]{+new+}`` as ``git diff --word-diff`` does, so old and new stay apart
without colour.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newswatch.changes.diff import NumberChange, QuoteChange, VersionDiff, WordChange, render_words
from newswatch.report.build import ArticleChange, ChangeReport, NearDuplicateLink, Spread
from newswatch.report.escaping import md_escape

ARTIFACT_ROUTE = "../../artifacts/key/{key}"
"""Where the UI shows an artifact key, relative to any page two levels deep.

Both UIs use ``/artifacts/key/<key>`` (the V2 UI under ``/v2``), and the pages that show a
summary (``/artifacts/artifact/<id>``, ``/artifacts/key/<key>``, ``/runs/flow-run/<id>``) are
all two levels deep: so one relative link stays in whichever UI the reader uses, and under
``PREFECT_UI_SERVE_BASE`` too.
"""
HAIR_SPACE = "\u200a"


@dataclass(frozen=True)
class Style:
    text: Callable[[str], str]
    """Untrusted text."""
    removed: Callable[[str], str]
    added: Callable[[str], str]
    strong: Callable[[str], str]
    """Our own emphasis (never untrusted text)."""
    link: Callable[[str, str], str]
    between: str
    """Between the old and the new half of a replaced run."""
    glue: str
    """Between a changed run and a word it touches (``world,`` -> ``world.``)."""


def _md_struck(word: str) -> str:
    return f"~~{md_escape(word)}~~"


def _md_bold(word: str) -> str:
    return f"**{md_escape(word)}**"


MARKDOWN = Style(
    text=md_escape,
    removed=_md_struck,
    added=_md_bold,
    strong=lambda s: f"**{s}**",
    link=lambda label, key: f"[{label}]({ARTIFACT_ROUTE.format(key=key)})",
    between=" ",
    # A delimiter run glued to a letter cannot open or close when the text inside starts or
    # ends with punctuation (CommonMark's flanking rules): a hair space, which counts as
    # white space, lets "Syria~~,~~" strike the comma.
    glue=HAIR_SPACE,
)
PLAIN = Style(
    text=lambda s: " ".join(s.split()),
    removed=lambda w: f"[-{w}-]",
    added=lambda w: f"{{+{w}+}}",
    strong=lambda s: s,
    link=lambda label, key: label,
    between="",
    glue="",
)


# --- small words ------------------------------------------------------------------------------


def plural(count: int, noun: str, many: str | None = None) -> str:
    """'1 sentence', '2 sentences', '1 syndicated copy', '3 syndicated copies'."""
    if count == 1:
        return f"{count:,} {noun}"
    if many is None:
        many = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{count:,} {many}"


def utc(moment: datetime, seconds: bool = False) -> str:
    """A time with its zone: stored times are UTC (SQLite hands them back without one)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime(
        "%Y-%m-%d %H:%M:%S UTC" if seconds else "%Y-%m-%d %H:%M UTC"
    )


def shorten(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _outlet(outlet: str | None) -> str:
    return outlet or "no outlet"


def _lead(outlet: str | None, style: Style) -> str:
    """'BBC: ' before a headline (the space outside the escaping, which trims text)."""
    return f"{style.text(outlet)}: " if outlet else ""


def _by(outlet: str | None) -> str:
    """'BBC: ' before a headline, nothing for a file without a dateline."""
    return f"{outlet}: " if outlet else ""


def summary_sentence(counts: dict[str, int]) -> str:
    """'4 edited, 1 syndicated copy, 31 new, 0 rejected' (duplicates when there are any)."""
    parts = [
        f"{counts.get('edited', 0):,} edited",
        plural(counts.get("near_duplicate", 0), "syndicated copy"),
        f"{counts.get('new', 0):,} new",
    ]
    if counts.get("duplicate"):
        parts.append(plural(counts["duplicate"], "duplicate"))
    parts.append(f"{counts.get('rejected', 0):,} rejected")
    return ", ".join(parts)


# --- one article ----------------------------------------------------------------------------


def _what_changed(diff: VersionDiff) -> list[str]:
    """Short phrases, most telling first: numbers, the headline, quotes, sentences."""
    what = [str(n) for n in diff.numbers]
    if diff.headline_changed:
        what.append("headline rewritten")
    if diff.quotes:
        what.append(plural(len(diff.quotes), "quote") + " changed")
    counts = diff.sentences
    moved = [
        f"{plural(counts[k], 'sentence')} {k}"
        for k in ("added", "deleted", "updated", "moved")
        if counts[k]
    ]
    if moved:
        what.append(", ".join(moved))
    return what


def edit_sentence(change: ArticleChange, style: Style = PLAIN) -> str:
    """'BBC: "SYRIA CONFLICT: PUTIN…" v1 → v2, 25 → 27 people dead'."""
    what = _what_changed(change.diff)
    tail = (", " + what[0]) if what else ", no change in the text"
    revert = " (a revert)" if change.reverted else ""
    return style.text(
        f'{_by(change.outlet)}"{shorten(change.title, 50)}" '
        f"v{change.from_version} → v{change.to_version}{revert}{tail}"
    )


def copy_sentence(link: NearDuplicateLink, style: Style = PLAIN) -> str:
    """'Reuters: "Mobile gaming…" copies BBC article 2, similarity 0.93'."""
    similarity = f", similarity {link.similarity:.2f}" if link.similarity is not None else ""
    return style.text(
        f'{_by(link.outlet)}"{shorten(link.headline, 50)}" copies '
        f"{link.copies_outlet + ' ' if link.copies_outlet else ''}article "
        f"{link.copies_article_id}{similarity}"
    )


def spread_sentence(spread: Spread, style: Style = PLAIN) -> str:
    outlets = sorted({_outlet(c.outlet) for c in spread.copies})
    return style.text(
        f'{_by(spread.outlet)}"{shorten(spread.headline, 50)}" spread to '
        + (", ".join(outlets) or "no other outlet")
    )


def _number_line(number: NumberChange, style: Style) -> str:
    if number.kind in ("date", "year"):
        return f"{style.strong(style.text(f'{number.old} → {number.new}'))} ({number.kind})"
    core = style.strong(style.text(f"{number.old} → {number.new}"))
    before = f"{style.text(number.before)} " if number.before and not number.context else ""
    after = f" {style.text(number.context)}" if number.context else ""
    return f"{before}{core}{after}"


def _words(changes: list[WordChange], style: Style) -> str:
    return render_words(
        changes, style.text, style.removed, style.added, between=style.between, glue=style.glue
    )


def _quote_line(quote: QuoteChange, style: Style) -> str:
    who = f", {style.text(quote.speaker)}" if quote.speaker else ""
    where = " (headline)" if quote.in_headline else ""
    if quote.old and quote.new:
        return f"- *changed{who}{where}:* “{_words(quote.words, style)}”"
    if quote.old:
        return f"- *removed{who}{where}:* “{style.text(quote.old)}”"
    return f"- *added{who}{where}:* “{style.text(quote.new or '')}”"


def _paragraphs(old: int | None, new: int | None) -> str:
    if old is not None and new is not None and old != new:
        return f"paragraph {old} → {new}"
    return f"paragraph {new or old}"


def diff_lines(
    diff: VersionDiff, style: Style, before: str = "Before", after: str = "After"
) -> list[str]:
    """Headline, numbers, quotes and sentences of one diff, as Markdown (or plain) lines."""
    lines = ["## Headline", ""]
    if diff.headline_changed:
        lines += [
            f"{before}: {style.text(diff.headline_old or '(none)')}",
            "",
            f"{after}: {style.text(diff.headline_new or '(none)')}",
            "",
            f"Words: {_words(diff.headline_words, style)}",
        ]
    elif diff.headline_new:
        lines.append(f"{style.text(diff.headline_new)} (unchanged)")
    else:
        lines.append("None: the file's first line is its text (unchanged)")
    lines.append("")
    if diff.numbers:
        lines += [f"## Numbers changed ({len(diff.numbers)})", ""]
        lines += [f"- {_number_line(n, style)}" for n in diff.numbers]
        lines.append("")
    if diff.quotes:
        lines += [f"## Quotes changed ({len(diff.quotes)})", ""]
        lines += [_quote_line(q, style) for q in diff.quotes]
        lines.append("")
    counts = diff.sentences
    lines += [
        f"## Sentences: {counts['added']:,} added, {counts['deleted']:,} deleted, "
        f"{counts['updated']:,} updated, {counts['moved']:,} moved, "
        f"{counts['unchanged']:,} unchanged",
        "",
    ]
    for sentence in diff.changes:
        place = _paragraphs(sentence.old_paragraph, sentence.new_paragraph)
        if sentence.kind == "updated":
            lines.append(f"- *updated ({place}):* {_words(sentence.words, style)}")
        elif sentence.kind == "added":
            lines.append(f"- *added ({place}):* {style.added(sentence.new or '')}")
        elif sentence.kind == "deleted":
            lines.append(f"- *deleted ({place}):* {style.removed(sentence.old or '')}")
        else:
            lines.append(f"- *moved ({place}):* {style.text(sentence.new or '')}")
    if not diff.changes:
        lines.append("No sentence changed.")
    lines.append("")
    return lines


def _spread_lines(spread: Spread | None, style: Style) -> list[str]:
    if spread is None or not spread.copies:
        return []
    lines = [f"## Where this story spread ({plural(len(spread.copies), 'copy')})", ""]
    for copy in spread.copies:
        similarity = f", similarity {copy.similarity:.2f}" if copy.similarity is not None else ""
        lines.append(
            f"- {style.text(_outlet(copy.outlet))}, first seen {utc(copy.first_seen_at)}: "
            f"“{style.text(copy.headline)}” (article {copy.article_id}"
            + (f", {style.text(copy.path)}" if copy.path else "")
            + f"{similarity})"
        )
    return [*lines, ""]


def article_markdown(
    change: ArticleChange, run_id: int, spread: Spread | None = None, style: Style = MARKDOWN
) -> str:
    """The keyed artifact ``article-<id>``: each run that edits it adds a version in the UI."""
    lines = [
        f"# Article {change.article_id}: version {change.from_version} → {change.to_version}"
        + (" (reverted to an earlier text)" if change.reverted else ""),
        "",
        f"{_lead(change.outlet, style)}“{style.text(change.title)}”. "
        f"File {style.text(change.path)}, run {run_id}"
        + (f", similarity {change.similarity:.3f}" if change.similarity is not None else "")
        + ".",
        "",
        *diff_lines(change.diff, style),
        *_spread_lines(spread, style),
    ]
    return "\n".join(lines)


def copy_markdown(link: NearDuplicateLink, run_id: int, style: Style = MARKDOWN) -> str:
    """``article-<id>`` of a syndicated copy: the original it copies, and what it changed."""
    similarity = f"{link.similarity:.2f}" if link.similarity is not None else "unknown"
    original = (
        f"{style.text(_outlet(link.copies_outlet))}’s “{style.text(link.copies_headline)}” "
        f"(article {link.copies_article_id}"
        + (f", version {link.copies_version}" if link.copies_version else "")
        + (f", file {style.text(link.copies_path)}" if link.copies_path else "")
        + ")"
    )
    lines = [
        f"# Article {link.article_id}: a syndicated copy of article {link.copies_article_id}",
        "",
        f"{style.text(_outlet(link.outlet))} published “{style.text(link.headline)}” "
        f"(file {style.text(link.path)}, run {run_id}), a copy of {original}; "
        f"similarity {similarity}.",
        "",
    ]
    if link.diff is None:
        lines += ["The original's text is not stored; no diff.", ""]
    else:
        lines += [
            "What the copy changed (before: the original, after: the copy).",
            "",
            *diff_lines(link.diff, style, before="Original", after="Copy"),
        ]
    return "\n".join(lines)


def spread_markdown(spread: Spread, run_id: int, style: Style = MARKDOWN) -> str:
    """``article-<id>`` of an original copied in this run but not edited: where it spread."""
    lines = [
        f"# Article {spread.article_id}: where this story spread",
        "",
        f"{_lead(spread.outlet, style)}“{style.text(spread.headline)}”"
        + (f", file {style.text(spread.path)}" if spread.path else "")
        + f". Copied again in run {run_id}.",
        "",
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


def article_pages(report: ChangeReport, limit: int | None = None) -> list[ArticlePage]:
    """Pages for edited articles, syndicated copies, and originals that spread.

    ``limit`` caps the edits and the copies each (the files hold all of them).
    """
    spread = {s.article_id: s for s in report.spread}
    pages: list[ArticlePage] = []
    edits = report.edits[:limit] if limit is not None else report.edits
    copies = report.near_duplicates[:limit] if limit is not None else report.near_duplicates
    for change in edits:
        pages.append(
            ArticlePage(
                key=f"article-{change.article_id}",
                markdown=article_markdown(change, report.run_id, spread.get(change.article_id)),
                description=edit_sentence(change, MARKDOWN),
                log=f"edited: {edit_sentence(change)} (article-{change.article_id})",
            )
        )
    for link in copies:
        pages.append(
            ArticlePage(
                key=f"article-{link.article_id}",
                markdown=copy_markdown(link, report.run_id),
                description=copy_sentence(link, MARKDOWN),
                log=f"syndicated copy: {copy_sentence(link)} (article-{link.article_id})",
            )
        )
    edited = {change.article_id for change in edits}
    shown_originals = {link.copies_article_id for link in copies}
    for original in report.spread:
        if original.article_id in edited or original.article_id not in shown_originals:
            continue
        pages.append(
            ArticlePage(
                key=f"article-{original.article_id}",
                markdown=spread_markdown(original, report.run_id),
                description=spread_sentence(original, MARKDOWN),
                log=f"spread: {spread_sentence(original)} (article-{original.article_id})",
            )
        )
    return pages


def log_lines(report: ChangeReport, limit: int | None = None) -> list[str]:
    """One plain line per edited or copied article (the Logs tab tells the run's story)."""
    lines = [p.log for p in article_pages(report, limit) if not p.log.startswith("spread:")]
    hidden = len(report.edits) + len(report.near_duplicates) - len(lines)
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
    pages: set[str] | None = None,
) -> str:
    """The run summary; ``limit`` caps each list (the files keep everything).

    ``pages`` are the ``article-<id>`` keys published in the UI, which get links.
    """
    pages = pages if pages is not None else {p.key for p in article_pages(report, limit)}

    def capped(items: list[Any], what: str) -> tuple[list[Any], list[str]]:
        if limit is None or len(items) <= limit:
            return items, []
        more = f"- … and {len(items) - limit:,} more {what}: see reports/{report.name}.md"
        return items[:limit], [more]

    def ref(article_id: int) -> str:
        key = f"article-{article_id}"
        return style.link(key, key) if key in pages else f"article {article_id}"

    lines = [
        f"# newswatch run {report.run_id}",
        "",
        f"{summary_sentence(report.counts)}.",
        "",
        f"Folder {style.text(report.watch_dir)}, database {style.text(report.database)}, "
        f"started {utc(report.started_at, seconds=True)}, took {report_seconds(report):.2f} s.",
        "",
        "| outcome | files |",
        "| --- | ---: |",
        *(f"| {outcome} | {count:,} |" for outcome, count in report.counts.items()),
        "",
    ]
    if report.edits:
        lines += [f"## Edited articles ({len(report.edits):,})", ""]
        shown, more = capped(report.edits, "edited articles")
        for change in shown:
            what = "; ".join(style.text(w) for w in _what_changed(change.diff)) or "no change"
            lines.append(
                f"- {ref(change.article_id)} {_lead(change.outlet, style)}"
                f"“{style.text(change.title)}” v{change.from_version} → "
                f"v{change.to_version}{' (revert)' if change.reverted else ''}: {what}"
            )
        lines += more
        lines.append("")
    if report.near_duplicates:
        lines += [f"## Syndicated copies ({len(report.near_duplicates):,})", ""]
        shown, more = capped(report.near_duplicates, "syndicated copies")
        for link in shown:
            similarity = f"{link.similarity:.2f}" if link.similarity is not None else "unknown"
            lines.append(
                f"- {ref(link.article_id)} {style.text(_outlet(link.outlet))}: "
                f"“{style.text(link.headline)}” copies {ref(link.copies_article_id)} "
                f"{style.text(_outlet(link.copies_outlet))}: "
                f"“{style.text(link.copies_headline)}”, similarity {similarity}"
            )
        lines += more
        lines.append("")
    if report.new_articles:
        lines += [f"## New articles ({len(report.new_articles):,})", ""]
        shown, more = capped(report.new_articles, "new articles")
        lines += [
            f"- article {a.article_id} {_lead(a.outlet, style)}“{style.text(a.headline)}”"
            for a in shown
        ]
        lines += more
        lines.append("")
    if report.rejected:
        lines += [f"## Rejected files ({len(report.rejected):,})", ""]
        shown, more = capped(report.rejected, "rejected files")
        lines += [
            f"- {style.text(r.reason_code or 'rejected')}: {style.text(r.reason or r.path)}"
            for r in shown
        ]
        lines += more
        lines.append("")
    if report.settling:
        lines += [f"## Still being written ({len(report.settling):,}), left for the next run", ""]
        lines += [f"- {style.text(path)}" for path in report.settling]
        lines.append("")
    if not (report.edits or report.near_duplicates or report.rejected or report.new_articles):
        lines += ["Nothing was new, edited, copied or rejected in this run.", ""]
    return "\n".join(lines)


def report_seconds(report: ChangeReport) -> float:
    return (report.finished_at - report.started_at).total_seconds()


def report_markdown(report: ChangeReport, style: Style = MARKDOWN) -> str:
    """The whole report as one document: the summary, then every article page."""
    spread = {s.article_id: s for s in report.spread}
    parts = [run_markdown(report, style=style, pages=set())]
    parts += [
        article_markdown(c, report.run_id, spread.get(c.article_id), style) for c in report.edits
    ]
    parts += [copy_markdown(n, report.run_id, style) for n in report.near_duplicates]
    return "\n".join(parts)


def file_rows(report: ChangeReport) -> list[dict[str, object]]:
    """The table artifact: one row per file that was not unchanged (cells escaped by the
    caller, see ``escaping.cell_escape``)."""
    return [
        {
            "path": r.path,
            "outcome": r.outcome.value,
            "article": r.article_id,
            "version": r.version,
            "matched article": r.matched_article_id,
            "similarity": r.similarity,
            "reason": r.reason or "",
        }
        for r in report.files
    ]


# --- HTML (reports/run-N.html) ---------------------------------------------------------------

_CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:75em;color:#222}
table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}
table.diff{table-layout:fixed} table.diff col{width:50%}
td,th{border:1px solid #ccc;padding:.35em .5em;vertical-align:top;text-align:left;overflow-wrap:anywhere}
th{background:#f3f3f3} del{background:#fdd;color:#900} ins{background:#dfd;color:#060;text-decoration:none}
.added{background:#efe}.deleted{background:#fee}.moved{background:#eef}.num{font-weight:bold;color:#a50}
.label{display:block;font-size:.8em;color:#666;font-style:italic}
.legend span{margin-right:1.5em;padding:.1em .4em}
nav ul{columns:2}
"""


def _h(text: str | None) -> str:
    return html.escape(text or "")


def _html_words(changes: Iterable[WordChange], side: str) -> str:
    parts: list[str] = []
    for change in changes:
        if change.op == "equal":
            piece = _h(change.new)
        elif side == "old" and change.old:
            piece = f"<del>{_h(change.old)}</del>"
        elif side == "new" and change.new:
            piece = f"<ins>{_h(change.new)}</ins>"
        else:
            continue
        # A replacement's spacing is the new text's; the old side keeps a space before a word.
        spaced = change.space or (
            side == "old" and change.op == "replace" and change.old[:1].isalnum()
        )
        parts.append((" " if parts and spaced else "") + piece)
    return "".join(parts)


def _html_diff(diff: VersionDiff, before: str, after: str) -> list[str]:
    out = [
        f"<table class=diff><colgroup><col><col></colgroup><tr><th>{before}</th><th>{after}</th></tr>"
    ]
    if diff.headline_changed:
        out.append(
            f"<tr><td><b>{_html_words(diff.headline_words, 'old')}</b></td>"
            f"<td><b>{_html_words(diff.headline_words, 'new')}</b></td></tr>"
        )
    else:
        out.append(
            f"<tr><td colspan=2><b>{_h(diff.headline_new)}</b> (headline unchanged)</td></tr>"
        )
    for sentence in diff.changes:
        place = _h(_paragraphs(sentence.old_paragraph, sentence.new_paragraph))
        if sentence.kind == "updated":
            left = _html_words(sentence.words, "old")
            right = _html_words(sentence.words, "new")
        else:
            left, right = _h(sentence.old), _h(sentence.new)
        if sentence.kind == "moved":
            # One text in two places: say so on both sides rather than repeat it unmarked.
            left = f"<span class=label>moved from paragraph {sentence.old_paragraph}</span>{left}"
            right = f"<span class=label>moved to paragraph {sentence.new_paragraph}</span>{right}"
        else:
            # Each row says what it is and where, on the side that has no text for added.
            left = f"<span class=label>{sentence.kind}, {place}</span>{left}"
        out.append(f"<tr class={sentence.kind}><td>{left}</td><td>{right}</td></tr>")
    out.append("</table>")
    if diff.numbers:
        out.append(
            "<p>Numbers: "
            + "; ".join(f"<span class=num>{_h(str(n))}</span>" for n in diff.numbers)
            + "</p>"
        )
    for quote in diff.quotes:
        who = f" ({_h(quote.speaker)})" if quote.speaker else ""
        if quote.old and quote.new:
            out.append(
                f"<p>Quote changed{who}: “{_html_words(quote.words, 'old')}” → “{_html_words(quote.words, 'new')}”</p>"
            )
        elif quote.old:
            out.append(f"<p>Quote removed{who}: “{_h(quote.old)}”</p>")
        else:
            out.append(f"<p>Quote added{who}: “{_h(quote.new)}”</p>")
    return out


_LEGEND = (
    "<p class=legend><span class=deleted><del>struck</del>: removed</span>"
    "<span class=added><ins>green</ins>: added</span>"
    "<span class=moved>blue: moved (paragraphs given)</span>"
    "<span>rows in white: updated, word by word</span></p>"
)


def render_html(report: ChangeReport) -> str:
    """One file, no scripts, no external resources: safe to open or mail."""
    spread = {s.article_id: s for s in report.spread}
    toc = ["<nav><h2>Contents</h2><ul>"]
    toc += [
        f"<li><a href=#article-{c.article_id}>Article {c.article_id}</a>: "
        f"{_h(edit_sentence(c))}</li>"
        for c in report.edits
    ]
    toc += [
        f"<li><a href=#article-{n.article_id}>Article {n.article_id}</a>: {_h(copy_sentence(n))}</li>"
        for n in report.near_duplicates
    ]
    for anchor, title, present in (
        ("new", f"New articles ({len(report.new_articles):,})", report.new_articles),
        ("rejected", f"Rejected files ({len(report.rejected):,})", report.rejected),
    ):
        if present:
            toc.append(f"<li><a href=#{anchor}>{title}</a></li>")
    toc.append("</ul></nav>")
    out = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        f"<title>newswatch run {report.run_id}</title><style>{_CSS}</style></head><body>",
        f"<h1>newswatch run {report.run_id}</h1>",
        f"<p>{_h(summary_sentence(report.counts))}.</p>",
        f"<p>Folder {_h(report.watch_dir)}, database {_h(report.database)}, "
        f"started {utc(report.started_at, seconds=True)}, took {report_seconds(report):.2f} s.</p>",
        "<table><tr><th>outcome</th><th>files</th></tr>",
        *(f"<tr><td>{_h(k)}</td><td>{v:,}</td></tr>" for k, v in report.counts.items()),
        "</table>",
    ]
    if report.edits or report.near_duplicates or report.new_articles or report.rejected:
        out += toc
    if report.edits or report.near_duplicates:
        out.append(_LEGEND)
    for change in report.edits:
        out.append(
            f"<h2 id=article-{change.article_id}>Article {change.article_id}: version "
            f"{change.from_version} → {change.to_version}{' (revert)' if change.reverted else ''}"
            f"</h2><p>{_h(_outlet(change.outlet))} · {_h(change.path)}</p>"
        )
        out += _html_diff(
            change.diff, f"version {change.from_version}", f"version {change.to_version}"
        )
        original = spread.get(change.article_id)
        if original and original.copies:
            out.append(_html_spread(original))
    for link in report.near_duplicates:
        similarity = f"{link.similarity:.2f}" if link.similarity is not None else "unknown"
        out.append(
            f"<h2 id=article-{link.article_id}>Article {link.article_id}: a syndicated copy of "
            f"article {link.copies_article_id}</h2>"
            f"<p>{_h(_outlet(link.outlet))} · {_h(link.path)} copies "
            f"{_h(_outlet(link.copies_outlet))}’s “{_h(link.copies_headline)}”"
            + (f" · {_h(link.copies_path)}" if link.copies_path else "")
            + f", similarity {similarity}</p>"
        )
        if link.diff is not None:
            out += _html_diff(link.diff, "original", "copy")
        original = spread.get(link.copies_article_id)
        if original and original.copies:
            out.append(_html_spread(original))
    if report.new_articles:
        out.append(f"<h2 id=new>New articles ({len(report.new_articles):,})</h2><ul>")
        out += [
            f"<li>article {a.article_id} ({_h(_outlet(a.outlet))}): {_h(a.headline)} · {_h(a.path)}</li>"
            for a in report.new_articles
        ]
        out.append("</ul>")
    if report.rejected:
        out.append(f"<h2 id=rejected>Rejected files ({len(report.rejected):,})</h2><ul>")
        out += [
            f"<li><code>{_h(r.reason_code)}</code> {_h(r.reason or r.path)}</li>"
            for r in report.rejected
        ]
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out)


def _html_spread(spread: Spread) -> str:
    items = "".join(
        f"<li>{_h(_outlet(c.outlet))}, first seen {utc(c.first_seen_at)}: “{_h(c.headline)}” "
        f"(article {c.article_id}{', ' + _h(c.path) if c.path else ''})</li>"
        for c in spread.copies
    )
    return f"<p>Where article {spread.article_id} spread:</p><ul>{items}</ul>"


# --- files ------------------------------------------------------------------------------------


def write_files(report: ChangeReport, folder: Path) -> dict[str, Path]:
    """``run-N.md``, ``run-N.json`` and ``run-N.html``; written whole or not at all."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    # One at a time: a 100,000-file run's three renderings together were 300 MB at once.
    for suffix, render in (
        ("json", report.model_dump_json),
        ("md", lambda: report_markdown(report)),
        ("html", lambda: render_html(report)),
    ):
        path = folder / f"{report.name}.{suffix}"
        partial = path.with_suffix(f".{suffix}.partial")
        partial.write_text(render(), encoding="utf-8")
        partial.replace(path)
        written[suffix] = path
    return written

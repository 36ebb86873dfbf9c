"""A ChangeReport as one self-contained HTML page (``run-N.html``): a side-by-side diff per
article, no scripts and no external resources, so it is safe to open or mail."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from newswatch.changes.diff import VersionDiff, WordChange
from newswatch.models import FileResult
from newswatch.report.escaping import safe_href
from newswatch.report.markdown import paragraphs_label
from newswatch.report.model import (
    ArticleChange,
    ChangeReport,
    NearDuplicateLink,
    NewArticle,
    Spread,
    Totals,
)
from newswatch.report.sentences import (
    copy_sentence,
    edit_sentence,
    outlet_name,
    summary_sentence,
    utc,
    withheld_sentence,
)
from newswatch.report.story import Story
from newswatch.report.timeline import timeline_svg

CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:75em;color:#222}
table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}
table.diff{table-layout:fixed} table.diff col{width:50%}
td,th{border:1px solid #ccc;padding:.35em .5em;vertical-align:top;text-align:left;overflow-wrap:anywhere}
th{background:#f3f3f3} del{background:#fdd;color:#900} ins{background:#dfd;color:#060;text-decoration:none}
.added{background:#efe}.deleted{background:#fee}.moved{background:#eef}.num{font-weight:bold;color:#a50}
.label{display:block;font-size:.8em;color:#666;font-style:italic}
.legend span{margin-right:1.5em;padding:.1em .4em}
nav ul{columns:2}
figure.timeline{margin:.5em 0 1em}table.versions :is(td,th):nth-child(-n+3){white-space:nowrap}figure.timeline svg{width:100%;height:auto;max-width:1000px}
"""


def _h(text: str | None) -> str:
    return html.escape(text or "")


def _page(url: str | None) -> str:
    """' · ' and the article's URL, a link to its page when it is an http(s) URL."""
    if not url:
        return ""
    href = safe_href(url)
    if href is None:
        return f" · {_h(url)}"
    return f' · <a href="{_h(href)}" rel="noopener noreferrer nofollow">{_h(url)}</a>'


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
        # Each side keeps its own text's spacing (a report written before ``old_space``
        # existed keeps a space before a replaced word on the old side).
        if side == "old" and change.old_space is not None:
            spaced = change.old_space
        else:
            spaced = change.space or (
                side == "old" and change.op == "replace" and change.old[:1].isalnum()
            )
        parts.append((" " if parts and spaced else "") + piece)
    return "".join(parts)


def html_diff(diff: VersionDiff, before: str, after: str) -> list[str]:
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
        place = _h(paragraphs_label(sentence.old_paragraph, sentence.new_paragraph))
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
    if diff.claims_withheld:
        out.append(f"<p class=withheld>{_h(withheld_sentence(diff.claims_withheld))}.</p>")
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


DIFF_LEGEND = (
    "<p class=legend><span class=deleted><del>struck</del>: removed</span>"
    "<span class=added><ins>green</ins>: added</span>"
    "<span class=moved>blue: moved (paragraphs given)</span>"
    "<span>rows in white: updated, word by word</span></p>"
)


def render_html(report: ChangeReport, stories: Mapping[int, Story] | None = None) -> str:
    """One file, no scripts, no external resources: safe to open or mail.

    ``stories`` by article id: each edited article's picture above its diff, and a copy's
    original's (where the copy has its lane).
    """
    return "\n".join(html_lines(report, Totals.of(report), HtmlBlocks.of(report, stories)))


@dataclass
class HtmlBlocks:
    """The page's lists, each as its lines: whole in memory for one report, or a streamed
    report's placeholders for its files (``stream.ReportWriter``)."""

    toc_edits: list[str]
    toc_copies: list[str]
    edits: list[str]
    copies: list[str]
    new: list[str]
    rejected: list[str]

    @classmethod
    def of(cls, report: ChangeReport, stories: Mapping[int, Story] | None = None) -> HtmlBlocks:
        stories = stories or {}
        spread = {s.article_id: s for s in report.spread}
        return cls(
            toc_edits=[toc_edit(c) for c in report.edits],
            toc_copies=[toc_copy(n) for n in report.near_duplicates],
            edits=[
                line
                for c in report.edits
                for line in edit_section(c, stories.get(c.article_id), spread)
            ],
            copies=[
                line
                for n in report.near_duplicates
                for line in copy_section(n, stories.get(n.copies_article_id), spread)
            ],
            new=[new_item(a) for a in report.new_articles],
            rejected=[rejected_item(r) for r in report.rejected],
        )


def html_lines(report: ChangeReport, totals: Totals, blocks: HtmlBlocks) -> list[str]:
    """The page's lines around its blocks; ``totals`` count what the blocks hold."""
    toc = ["<nav><h2>Contents</h2><ul>", *blocks.toc_edits, *blocks.toc_copies]
    for anchor, title, present in (
        ("new", f"New articles ({totals.new_articles:,})", totals.new_articles),
        ("rejected", f"Rejected files ({totals.rejected:,})", totals.rejected),
    ):
        if present:
            toc.append(f"<li><a href=#{anchor}>{title}</a></li>")
    toc.append("</ul></nav>")
    out = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        f"<title>newswatch run {report.run.run_id}</title><style>{CSS}</style></head><body>",
        f"<h1>newswatch run {report.run.run_id}</h1>",
        f"<p>{_h(summary_sentence(report.run.counts))}.</p>",
        f"<p>Folder {_h(report.run.watch_dir)}, database {_h(report.run.database)}, "
        f"started {utc(report.run.started_at, seconds=True)}, took {report.seconds:.2f} s.</p>",
        *(
            [f"<p class=withheld>{_h(withheld_sentence(report.claims_withheld))}.</p>"]
            if report.claims_withheld
            else []
        ),
        "<table><tr><th>outcome</th><th>files</th></tr>",
        *(f"<tr><td>{_h(k)}</td><td>{v:,}</td></tr>" for k, v in report.run.counts.items()),
        "</table>",
    ]
    if totals.edits or totals.near_duplicates or totals.new_articles or totals.rejected:
        out += toc
    if totals.edits or totals.near_duplicates:
        out.append(DIFF_LEGEND)
    out += blocks.edits
    out += blocks.copies
    if totals.new_articles:
        out.append(f"<h2 id=new>New articles ({totals.new_articles:,})</h2><ul>")
        out += blocks.new
        out.append("</ul>")
    if totals.rejected:
        out.append(f"<h2 id=rejected>Rejected files ({totals.rejected:,})</h2><ul>")
        out += blocks.rejected
        out.append("</ul>")
    out.append("</body></html>")
    return out


def toc_edit(change: ArticleChange) -> str:
    return (
        f"<li><a href=#article-{change.article_id}>Article {change.article_id}</a>: "
        f"{_h(edit_sentence(change))}</li>"
    )


def toc_copy(link: NearDuplicateLink) -> str:
    return (
        f"<li><a href=#article-{link.article_id}>Article {link.article_id}</a>: "
        f"{_h(copy_sentence(link))}</li>"
    )


def edit_section(
    change: ArticleChange, story: Story | None, spread: Mapping[int, Spread]
) -> list[str]:
    out = [
        f"<h2 id=article-{change.article_id}>Article {change.article_id}: version "
        f"{change.from_version} → {change.to_version}{' (revert)' if change.reverted else ''}"
        f"</h2><p>{_h(outlet_name(change.outlet))} · {_h(change.path)}{_page(change.url)}</p>"
    ]
    out += _picture(story)
    out += html_diff(change.diff, f"version {change.from_version}", f"version {change.to_version}")
    original = spread.get(change.article_id)
    if original and original.copies:
        out.append(_html_spread(original))
    return out


def copy_section(
    link: NearDuplicateLink, story: Story | None, spread: Mapping[int, Spread]
) -> list[str]:
    similarity = f"{link.similarity:.2f}" if link.similarity is not None else "unknown"
    out = [
        f"<h2 id=article-{link.article_id}>Article {link.article_id}: a syndicated copy of "
        f"article {link.copies_article_id}</h2>"
        f"<p>{_h(outlet_name(link.outlet))} · {_h(link.path)}{_page(link.url)} copies "
        f"{_h(outlet_name(link.copies_outlet))}’s “{_h(link.copies_headline)}”"
        + (f" · {_h(link.copies_path)}" if link.copies_path else "")
        + f", similarity {similarity}</p>"
    ]
    out += _picture(story)
    if link.diff is not None:
        out += html_diff(link.diff, "original", "copy")
    original = spread.get(link.copies_article_id)
    if original and original.copies:
        out.append(_html_spread(original))
    return out


def new_item(article: NewArticle) -> str:
    return (
        f"<li>article {article.article_id} ({_h(outlet_name(article.outlet))}): "
        f"{_h(article.headline)} · {_h(article.path)}{_page(article.url)}</li>"
    )


def rejected_item(result: FileResult) -> str:
    return f"<li><code>{_h(result.reason_code)}</code> {_h(result.path)}: {_h(result.reason)}</li>"


def _picture(story: Story | None) -> list[str]:
    return [f"<figure class=timeline>{timeline_svg(story)}</figure>"] if story else []


def _html_spread(spread: Spread) -> str:
    items = "".join(
        f"<li>{_h(outlet_name(c.outlet))}, first seen {utc(c.first_seen_at)}: “{_h(c.headline)}” "
        f"(article {c.article_id}{', ' + _h(c.path) if c.path else ''})</li>"
        for c in spread.copies
    )
    return f"<p>Where article {spread.article_id} spread:</p><ul>{items}</ul>"

"""A ChangeReport as one self-contained HTML page (``run-N.html``): a side-by-side diff per
article, no scripts and no external resources, so it is safe to open or mail."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from newswatch.models import FileResult
from newswatch.render.diffs import DIFF_LEGEND, html_diff
from newswatch.render.escaping import html_text
from newswatch.render.pages import PAGE_END, page_head, url_html
from newswatch.render.phrasing import outlet_name, summary_sentence, withheld_sentence
from newswatch.report.model import (
    ArticleChange,
    ChangeReport,
    NearDuplicateLink,
    NewArticle,
    Spread,
    Totals,
)
from newswatch.report.sentences import copy_sentence, edit_sentence
from newswatch.story.model import Story
from newswatch.story.timeline import timeline_svg
from newswatch.times import utc_text


def _page(url: str | None) -> str:
    """' · ' and the article's URL (a link to its page when it is http(s)), if it has one."""
    return f" · {url_html(url)}" if url else ""


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
        *page_head(f"newswatch run {report.run.run_id}"),
        f"<h1>newswatch run {report.run.run_id}</h1>",
        f"<p>{html_text(summary_sentence(report.run.counts))}.</p>",
        f"<p>Folder {html_text(report.run.watch_dir)}, database {html_text(report.run.database)}, "
        f"started {utc_text(report.run.started_at, seconds=True)}, took {report.seconds:.2f} s.</p>",
        *(
            [f"<p class=withheld>{html_text(withheld_sentence(report.claims_withheld))}.</p>"]
            if report.claims_withheld
            else []
        ),
        "<table><tr><th>outcome</th><th>files</th></tr>",
        *(f"<tr><td>{html_text(k)}</td><td>{v:,}</td></tr>" for k, v in report.run.counts.items()),
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
    out.append(PAGE_END)
    return out


def _toc(article_id: int, sentence: str) -> str:
    return f"<li><a href=#article-{article_id}>Article {article_id}</a>: {html_text(sentence)}</li>"


def toc_edit(change: ArticleChange) -> str:
    return _toc(change.article_id, edit_sentence(change))


def toc_copy(link: NearDuplicateLink) -> str:
    return _toc(link.article_id, copy_sentence(link))


def edit_section(
    change: ArticleChange, story: Story | None, spread: Mapping[int, Spread]
) -> list[str]:
    out = [
        f"<h2 id=article-{change.article_id}>Article {change.article_id}: version "
        f"{change.from_version} → {change.to_version}{' (revert)' if change.reverted else ''}"
        f"</h2><p>{html_text(outlet_name(change.outlet))} · {html_text(change.path)}{_page(change.url)}</p>"
    ]
    out += _picture(story)
    out += html_diff(change.diff, f"version {change.from_version}", f"version {change.to_version}")
    return out + _spread_of(spread, change.article_id)


def copy_section(
    link: NearDuplicateLink, story: Story | None, spread: Mapping[int, Spread]
) -> list[str]:
    similarity = f"{link.similarity:.2f}" if link.similarity is not None else "unknown"
    out = [
        f"<h2 id=article-{link.article_id}>Article {link.article_id}: a syndicated copy of "
        f"article {link.copies_article_id}</h2>"
        f"<p>{html_text(outlet_name(link.outlet))} · {html_text(link.path)}{_page(link.url)} copies "
        + (f"{html_text(link.copies_outlet)}’s " if link.copies_outlet else "")
        + f"“{html_text(link.copies_headline)}”"
        + (f" · {html_text(link.copies_path)}" if link.copies_path else "")
        + f", similarity {similarity}</p>"
    ]
    out += _picture(story)
    if link.diff is not None:
        out += html_diff(link.diff, "original", "copy")
    return out + _spread_of(spread, link.copies_article_id)


def new_item(article: NewArticle) -> str:
    return (
        f"<li>article {article.article_id} ({html_text(outlet_name(article.outlet))}): "
        f"{html_text(article.headline)} · {html_text(article.path)}{_page(article.url)}</li>"
    )


def rejected_item(result: FileResult) -> str:
    return f"<li><code>{html_text(result.reason_code)}</code> {html_text(result.path)}: {html_text(result.reason)}</li>"


def _picture(story: Story | None) -> list[str]:
    return [f"<figure class=timeline>{timeline_svg(story)}</figure>"] if story else []


def _spread_of(spread: Mapping[int, Spread], article_id: int) -> list[str]:
    """Where the article's story spread, if it has copies."""
    original = spread.get(article_id)
    return [_html_spread(original)] if original and original.copies else []


def _html_spread(spread: Spread) -> str:
    items = "".join(
        f"<li>{html_text(outlet_name(c.outlet))}, first seen {utc_text(c.first_seen_at)}: “{html_text(c.headline)}” "
        f"(article {c.article_id}{', ' + html_text(c.path) if c.path else ''})</li>"
        for c in spread.copies
    )
    return f"<p>Where article {spread.article_id} spread:</p><ul>{items}</ul>"

"""A story as a page: ``newswatch story`` in HTML or Markdown, and the picture the Prefect
article pages show.

The page is the picture (``timeline``), a table of the versions and of the copies, then
every change, version by version, as the run report shows it (``render.diffs``). Times
are UTC and say so.
"""

from __future__ import annotations

from collections.abc import Mapping

from newswatch.changes.diff import VersionDiff
from newswatch.render.diffs import DIFF_LEGEND, diff_lines, html_diff
from newswatch.render.escaping import html_text
from newswatch.render.pages import PAGE_END, page_head, url_html
from newswatch.render.phrasing import MARKDOWN, Style, outlet_name, page_link, plural, what_changed
from newswatch.story.model import Story, StoryVersion
from newswatch.story.timeline import IMAGE_WIDTH, data_uri, timeline_svg
from newswatch.times import utc_text


def summary_line(story: Story) -> str:
    """'BBC · 3 versions, first seen …, last …; 1 revert; 1 copy by another outlet'."""
    first, last = story.versions[0], story.versions[-1]
    parts = [outlet_name(story.outlet), plural(len(story.versions), "version")]
    seen = f"first seen {utc_text(first.first_seen)}"
    if len(story.versions) > 1:
        seen += f", version {last.version} {utc_text(last.first_seen)}"
    parts.append(seen)
    if story.reverts:
        parts.append(plural(len(story.reverts), "revert"))
    parts.append(
        plural(len(story.copies), "copy by another outlet", "copies by other outlets")
        if story.copies
        else "no copies by other outlets"
    )
    if story.copy_of is not None:
        parts.append(f"itself a copy of article {story.copy_of}")
    return " · ".join(parts)


def version_change(version: StoryVersion, diff: VersionDiff | None = None) -> str:
    """What a version changed, in words: the diff's own phrases when it is at hand."""
    if version.counts is None:
        return "first version"
    if diff is not None:
        return "; ".join(what_changed(diff)) or "paragraphs only"
    counts = version.counts
    parts = []
    if counts.numbers:
        parts.append(plural(counts.numbers, "number") + " changed")
    if counts.quotes:
        parts.append(plural(counts.quotes, "quote") + " changed")
    if counts.headline:
        parts.append("headline rewritten")
    parts.append(plural(counts.size - int(counts.headline), "sentence") + " changed")
    return "; ".join(parts)


def story_html(
    story: Story,
    diffs: Mapping[int, VersionDiff],
    revert_diffs: Mapping[int, VersionDiff] | None = None,
) -> str:
    """One self-contained page: no scripts, no external resources."""
    revert_diffs = revert_diffs or {}
    title = f"Article {story.article_id}: {story.headline}"
    out = [
        *page_head(title),
        f"<h1>{html_text(title)}</h1>",
        *([f"<p>URL {url_html(story.url)}</p>"] if story.url else []),
        f"<p>{html_text(summary_line(story))}. Times are UTC.</p>",
        f"<figure class=timeline>{timeline_svg(story)}</figure>",
        f"<h2>Versions ({len(story.versions):,})</h2>",
        "<table class=versions><tr><th>version</th><th>first seen (UTC)</th><th>words</th>"
        "<th>what changed</th><th>headline</th></tr>",
    ]
    for version in story.versions:
        anchor = f"<a href=#v{version.version}>{version.version}</a>" if version.counts else "1"
        out.append(
            f"<tr><td>{anchor}</td><td>{utc_text(version.first_seen)}</td>"
            f"<td>{version.words:,}</td>"
            f"<td>{html_text(version_change(version, diffs.get(version.version)))}</td>"
            f"<td>{html_text(version.headline)}</td></tr>"
        )
    for revert in story.reverts:
        out.append(
            f"<tr class=moved><td>revert</td><td>{utc_text(revert.seen_at)}</td><td></td>"
            f"<td>back to version {revert.to_version}"
            + (f" from version {revert.from_version}" if revert.from_version else "")
            + f"</td><td>{html_text(revert.path)}</td></tr>"
        )
    out.append("</table>")
    if story.copies:
        out += [
            f"<h2>Copies by other outlets ({len(story.copies):,})</h2>",
            "<table class=versions><tr><th>article</th><th>outlet</th><th>first seen (UTC)</th>"
            "<th>similarity</th><th>of version</th><th>headline</th></tr>",
        ]
        out += [
            f"<tr><td>{c.article_id}</td><td>{html_text(outlet_name(c.outlet))}</td>"
            f"<td>{utc_text(c.first_seen)}</td>"
            f"<td>{'' if c.similarity is None else f'{c.similarity:.2f}'}</td>"
            f"<td>{c.version_copied or ''}</td><td>{html_text(c.headline)}</td></tr>"
            for c in story.copies
        ]
        out.append("</table>")
    if len(story.versions) == 1 and not story.reverts:
        out.append("<p>One version: nothing has changed since it was first seen.</p>")
    else:
        out += ["<h2>Changes, version by version</h2>", DIFF_LEGEND]
    for version in story.versions:
        diff = diffs.get(version.version)
        if diff is None:
            continue
        out.append(
            f"<h3 id=v{version.version}>Version {version.version - 1} → {version.version}, "
            f"first seen {utc_text(version.first_seen)}</h3>"
        )
        out += html_diff(diff, f"version {version.version - 1}", f"version {version.version}")
    for index, revert in enumerate(story.reverts):
        if index in revert_diffs and revert.from_version:
            out.append(
                f"<h3>Revert to version {revert.to_version} (from version "
                f"{revert.from_version}), seen {utc_text(revert.seen_at)}</h3>"
            )
            out += html_diff(
                revert_diffs[index],
                f"version {revert.from_version}",
                f"version {revert.to_version}",
            )
    out.append(PAGE_END)
    return "\n".join(out)


def _cell(text: str, style: Style) -> str:
    return style.text(text) or " "


def versions_table(
    story: Story, diffs: Mapping[int, VersionDiff] | None = None, style: Style = MARKDOWN
) -> list[str]:
    """The time line as a Markdown table: a row per version and per revert, oldest first."""
    diffs = diffs or {}
    rows: list[tuple[object, str]] = [
        (
            v.first_seen,
            f"| {v.version} | {utc_text(v.first_seen)} | {v.words:,} | "
            f"{_cell(version_change(v, diffs.get(v.version)), style)} | "
            f"{_cell(v.headline, style)} |",
        )
        for v in story.versions
    ]
    rows += [
        (
            r.seen_at,
            f"| revert | {utc_text(r.seen_at)} |  | back to version {r.to_version}"
            + (f" from version {r.from_version}" if r.from_version else "")
            + f" | {_cell(r.path, style)} |",
        )
        for r in story.reverts
    ]
    rows.sort(key=lambda row: row[0])  # type: ignore[arg-type,return-value]
    return [
        "| version | first seen (UTC) | words | what changed | headline |",
        "| ---: | --- | ---: | --- | --- |",
        *(line for _, line in rows),
    ]


def copies_table(story: Story, style: Style = MARKDOWN) -> list[str]:
    return [
        "| article | outlet | first seen (UTC) | similarity | of version | headline |",
        "| ---: | --- | --- | ---: | ---: | --- |",
        *(
            f"| {c.article_id} | {_cell(outlet_name(c.outlet), style)} | {utc_text(c.first_seen)} | "
            f"{'' if c.similarity is None else f'{c.similarity:.2f}'} | "
            f"{c.version_copied or ''} | {_cell(c.headline, style)} |"
            for c in story.copies
        ),
    ]


def story_markdown(
    story: Story,
    diffs: Mapping[int, VersionDiff],
    revert_diffs: Mapping[int, VersionDiff] | None = None,
    style: Style = MARKDOWN,
) -> str:
    """The page as Markdown: the time line as tables, then every change."""
    revert_diffs = revert_diffs or {}
    lines = [
        f"# Article {story.article_id}: {style.text(story.headline)}",
        "",
        *([f"URL {page_link(story.url, style)}", ""] if story.url else []),
        f"{style.text(summary_line(story))}. Times are UTC.",
        "",
        *versions_table(story, diffs, style),
        "",
    ]
    if story.copies:
        lines += [f"## Copies by other outlets ({len(story.copies):,})", ""]
        lines += [*copies_table(story, style), ""]
    for version in story.versions:
        diff = diffs.get(version.version)
        if diff is not None:
            lines += [
                f"## Version {version.version - 1} → {version.version}, first seen "
                f"{utc_text(version.first_seen)}",
                "",
                *_nested(diff_lines(diff, style)),
            ]
    for index, revert in enumerate(story.reverts):
        if index in revert_diffs and revert.from_version:
            lines += [
                f"## Revert to version {revert.to_version} (from version "
                f"{revert.from_version}), seen {utc_text(revert.seen_at)}",
                "",
                *_nested(diff_lines(revert_diffs[index], style)),
            ]
    return "\n".join(lines)


def _nested(lines: list[str]) -> list[str]:
    """A diff's own headings one level down, under its version's."""
    return ["#" + line if line.startswith("## ") else line for line in lines]


def picture_markdown(story: Story) -> list[str]:
    """The picture for a Prefect article page, as an image both UIs render (tested with
    Chromium: each shows a data-URI image; neither keeps inline SVG)."""
    alt = (
        f"Time line of article {story.article_id}: {plural(len(story.versions), 'version')}, "
        f"{plural(len(story.copies), 'copy', 'copies')}"
    )
    return [f"![{alt}]({data_uri(timeline_svg(story, IMAGE_WIDTH))})", ""]

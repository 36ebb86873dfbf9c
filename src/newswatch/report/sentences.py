"""The one-line sentences that describe what a run found: an edit, a copy, a story's spread.

They are the run report's: its summary, its article pages' descriptions and its log lines
say them (words and styles: ``render.phrasing``).
"""

from __future__ import annotations

from newswatch.render.phrasing import PLAIN, Style, by, outlet_name, shorten, what_changed
from newswatch.report.model import ArticleChange, NearDuplicateLink, Spread


def edit_sentence(change: ArticleChange, style: Style = PLAIN) -> str:
    """'BBC: "SYRIA CONFLICT: PUTIN…" v1 → v2, 25 → 27 people dead'."""
    what = what_changed(change.diff)
    tail = (", " + what[0]) if what else ", no change in the text"
    revert = " (a revert)" if change.reverted else ""
    return style.text(
        f'{by(change.outlet)}"{shorten(change.title, 50)}" '
        f"v{change.from_version} → v{change.to_version}{revert}{tail}"
    )


def copy_sentence(link: NearDuplicateLink, style: Style = PLAIN) -> str:
    """'Reuters: "Mobile gaming…" copies BBC article 2, similarity 0.93'."""
    similarity = f", similarity {link.similarity:.2f}" if link.similarity is not None else ""
    return style.text(
        f'{by(link.outlet)}"{shorten(link.headline, 50)}" copies '
        f"{link.copies_outlet + ' ' if link.copies_outlet else ''}article "
        f"{link.copies_article_id}{similarity}"
    )


def spread_sentence(spread: Spread, style: Style = PLAIN) -> str:
    outlets = sorted({outlet_name(c.outlet) for c in spread.copies})
    return style.text(
        f'{by(spread.outlet)}"{shorten(spread.headline, 50)}" spread to '
        + (", ".join(outlets) or "no other outlet")
    )

"""How newswatch words what it shows: styles, small words, and a word diff as one line.

A :class:`Style` says how text is marked: Markdown escapes untrusted text
(``escaping.md_escape``) and marks words with ``~~struck~~`` and ``**bold**``; plain text (a
pipe, ``NO_COLOR``) writes ``[-old-]{+new+}`` as ``git diff --word-diff`` does, so old and new
stay apart without colour; the terminal's style (``cli``) uses Rich markup. Every rendering
(the run report, the story, the outlet figures, the CLI) words counts, outlets and what a
diff changed with these.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from newswatch.changes.diff import VersionDiff, WordChange
from newswatch.render.escaping import md_escape, safe_href, url_label

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
    """A label and a route relative to a page two levels deep."""
    between: str
    """Between the old and the new half of a replaced run."""
    glue: str
    """Between a changed run and a word it touches (``world,`` -> ``world.``)."""
    page: Callable[[str, str], str] | None = None
    """A label and an article's own URL (``escaping.safe_href``) as a link, where this
    style makes links; None: the URL is shown as text."""


def _md_struck(word: str) -> str:
    return f"~~{md_escape(word)}~~"


def _md_bold(word: str) -> str:
    return f"**{md_escape(word)}**"


MARKDOWN = Style(
    text=md_escape,
    removed=_md_struck,
    added=_md_bold,
    strong=lambda s: f"**{s}**",
    link=lambda label, route: f"[{label}]({route})",
    between=" ",
    # A delimiter run glued to a letter cannot open or close when the text inside starts or
    # ends with punctuation (CommonMark's flanking rules): a hair space, which counts as
    # white space, lets "Syria~~,~~" strike the comma.
    glue=HAIR_SPACE,
    page=lambda label, href: f"[{label}](<{href}>)",
)
PLAIN = Style(
    text=lambda s: " ".join(s.split()),
    removed=lambda w: f"[-{w}-]",
    added=lambda w: f"{{+{w}+}}",
    strong=lambda s: s,
    link=lambda label, route: label,
    between="",
    glue="",
)


def plural(count: int, noun: str, many: str | None = None) -> str:
    """'1 sentence', '2 sentences', '1 syndicated copy', '3 syndicated copies'."""
    if count == 1:
        return f"{count:,} {noun}"
    if many is None:
        many = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{count:,} {many}"


def shorten(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def outlet_name(outlet: str | None) -> str:
    return outlet or "no outlet"


def lead(outlet: str | None, style: Style) -> str:
    """'BBC: ' before a headline (the space outside the escaping, which trims text)."""
    return f"{style.text(outlet)}: " if outlet else ""


def page_link(url: str | None, style: Style) -> str:
    """An article's own URL: a link where the style makes links and the URL is http(s), its
    address as inert text otherwise; '' when it has none."""
    if not url:
        return ""
    href = safe_href(url)
    if style.page is not None and href is not None:
        return style.page(url_label(url), href)
    return style.text(url)


def by(outlet: str | None) -> str:
    """'BBC: ' before a headline, nothing for a file without a dateline."""
    return f"{outlet}: " if outlet else ""


def summary_sentence(counts: dict[str, int]) -> str:
    """'4 edited, 1 syndicated copy, 31 new, 0 rejected' (duplicates and files skipped when
    there are any)."""
    parts = [
        f"{counts.get('edited', 0):,} edited",
        plural(counts.get("near_duplicate", 0), "syndicated copy"),
        f"{counts.get('new', 0):,} new",
    ]
    if counts.get("duplicate"):
        parts.append(plural(counts["duplicate"], "duplicate"))
    parts.append(f"{counts.get('rejected', 0):,} rejected")
    if counts.get("skipped"):
        parts.append(f"{counts['skipped']:,} skipped (not read)")
    return ", ".join(parts)


def withheld_sentence(count: int) -> str:
    """What a reader is told of claims that did not check out: their number, never them."""
    return (
        f"{plural(count, 'number or quotation change')} found but not borne out by the two "
        "texts, and so not shown"
    )


def what_changed(diff: VersionDiff) -> list[str]:
    """Short phrases, most telling first: numbers, the headline, quotes, sentences."""
    what = [str(n) for n in diff.numbers]
    if diff.headline_changed:
        what.append("headline changed")
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


def render_words(
    changes: list[WordChange],
    kept: Callable[[str], str],
    removed: Callable[[str], str],
    added: Callable[[str], str],
    between: str = " ",
    glue: str = "",
) -> str:
    """A word diff as one line of text, each kind of run wrapped by its own formatter.

    Runs keep the spacing of the text (no space before a comma). ``between`` separates the
    removed and the added half of a replacement; ``glue`` goes between a changed run and a
    neighbour it touches without a space (Markdown needs one there, see render.py).
    """
    parts: list[str] = []
    previous_changed = False
    for index, change in enumerate(changes):
        changed = change.op != "equal"
        if index and change.space:
            parts.append(" ")
        elif index and (changed or previous_changed):
            parts.append(glue)
        if change.op == "equal":
            parts.append(kept(change.new))
        elif change.op == "delete":
            parts.append(removed(change.old))
        elif change.op == "insert":
            parts.append(added(change.new))
        else:
            parts.append(removed(change.old) + between + added(change.new))
        previous_changed = changed
    return "".join(parts)


def styled_words(changes: list[WordChange], style: Style) -> str:
    return render_words(
        changes, style.text, style.removed, style.added, between=style.between, glue=style.glue
    )

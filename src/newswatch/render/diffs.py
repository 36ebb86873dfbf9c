"""One diff, as people read it: Markdown (or plain) lines, and an HTML table.

The run report, the story page and ``newswatch diff`` show a diff the same way: the
headline, the numbers and quotations that changed, and each sentence added, deleted,
updated (word by word) or moved, with the paragraphs it stood in.
"""

from __future__ import annotations

from collections.abc import Iterable

from newswatch.changes.diff import NumberChange, QuoteChange, VersionDiff, WordChange
from newswatch.render.escaping import html_text
from newswatch.render.phrasing import Style, styled_words, withheld_sentence


def _number_line(number: NumberChange, style: Style) -> str:
    if number.kind in ("date", "year"):
        return f"{style.strong(style.text(f'{number.old} → {number.new}'))} ({number.kind})"
    core = style.strong(style.text(f"{number.old} → {number.new}"))
    before = f"{style.text(number.before)} " if number.before and not number.context else ""
    after = f" {style.text(number.context)}" if number.context else ""
    return f"{before}{core}{after}"


def _quote_line(quote: QuoteChange, style: Style) -> str:
    who = f", {style.text(quote.speaker)}" if quote.speaker else ""
    where = " (headline)" if quote.in_headline else ""
    if quote.old and quote.new:
        return f"- *changed{who}{where}:* “{styled_words(quote.words, style)}”"
    if quote.old:
        return f"- *removed{who}{where}:* “{style.text(quote.old)}”"
    return f"- *added{who}{where}:* “{style.text(quote.new or '')}”"


def paragraphs_label(old: int | None, new: int | None) -> str:
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
            f"Words: {styled_words(diff.headline_words, style)}",
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
    if diff.claims_withheld:
        lines += [f"{withheld_sentence(diff.claims_withheld)}.", ""]
    counts = diff.sentences
    lines += [
        f"## Sentences: {counts['added']:,} added, {counts['deleted']:,} deleted, "
        f"{counts['updated']:,} updated, {counts['moved']:,} moved, "
        f"{counts['unchanged']:,} unchanged",
        "",
    ]
    for sentence in diff.changes:
        place = paragraphs_label(sentence.old_paragraph, sentence.new_paragraph)
        if sentence.kind == "updated":
            lines.append(f"- *updated ({place}):* {styled_words(sentence.words, style)}")
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


def _html_words(changes: Iterable[WordChange], side: str) -> str:
    parts: list[str] = []
    for change in changes:
        if change.op == "equal":
            piece = html_text(change.new)
        elif side == "old" and change.old:
            piece = f"<del>{html_text(change.old)}</del>"
        elif side == "new" and change.new:
            piece = f"<ins>{html_text(change.new)}</ins>"
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
            f"<tr><td colspan=2><b>{html_text(diff.headline_new)}</b> (headline unchanged)</td></tr>"
        )
    for sentence in diff.changes:
        place = html_text(paragraphs_label(sentence.old_paragraph, sentence.new_paragraph))
        if sentence.kind == "updated":
            left = _html_words(sentence.words, "old")
            right = _html_words(sentence.words, "new")
        else:
            left, right = html_text(sentence.old), html_text(sentence.new)
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
            + "; ".join(f"<span class=num>{html_text(str(n))}</span>" for n in diff.numbers)
            + "</p>"
        )
    if diff.claims_withheld:
        out.append(f"<p class=withheld>{html_text(withheld_sentence(diff.claims_withheld))}.</p>")
    for quote in diff.quotes:
        who = f" ({html_text(quote.speaker)})" if quote.speaker else ""
        if quote.old and quote.new:
            out.append(
                f"<p>Quote changed{who}: “{_html_words(quote.words, 'old')}” → “{_html_words(quote.words, 'new')}”</p>"
            )
        elif quote.old:
            out.append(f"<p>Quote removed{who}: “{html_text(quote.old)}”</p>")
        else:
            out.append(f"<p>Quote added{who}: “{html_text(quote.new)}”</p>")
    return out


DIFF_LEGEND = (
    "<p class=legend><span class=deleted><del>struck</del>: removed</span>"
    "<span class=added><ins>green</ins>: added</span>"
    "<span class=moved>blue: moved (paragraphs given)</span>"
    "<span>rows in white: updated, word by word</span></p>"
)

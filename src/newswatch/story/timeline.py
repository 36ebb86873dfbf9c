"""A story's life as one picture: an SVG time line, drawn here (no JavaScript, no network).

The article's versions sit on the top lane, each a mark at the time it was first seen: its
colour says what changed from the version before (numbers, quotes, headline, or the text
only; the first that applies, in that order), its size how much (sentences changed, and
the headline), a hollow ring is the first version. A revert is an orange diamond with a
dashed arc back to the version it restored. Copies by other outlets sit below, a lane per
outlet, each a green square joined to the version it copies. Every mark has a ``<title>``
tooltip (version, time, headline) where the picture is inline; the legend is in the
picture, so it travels with it as an image (``data_uri``) into the Prefect UIs.

The horizontal axis is time, except that two events never come closer than ``MIN_GAP``
(quiet spells give up width to busy ones): marks stay apart at 80 versions, and the tick
labels, placed at real event times, stay true.
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from itertools import pairwise

from newswatch.models import ChangeKind
from newswatch.read.text import outlet_key
from newswatch.render.escaping import html_text
from newswatch.render.phrasing import outlet_name, shorten
from newswatch.story.model import Story, StoryCopy, StoryVersion
from newswatch.times import utc_text

WIDTH = 1000
"""The picture's width in a page; the Prefect UIs' narrower columns get ``IMAGE_WIDTH``."""
IMAGE_WIDTH = 760
LABELS = 140
"""Width of the column of lane names on the left."""
PLOT_LEFT, PLOT_RIGHT = LABELS + 24, WIDTH - 36
RIGHT_MARGIN = WIDTH - PLOT_RIGHT
MIN_GAP = 26.0
TICK_SPACING = 112
TOP = 30
"""Above the top lane: room for its largest mark; reverts' arcs get ``ARC`` more."""
ARC = 26
LANE_GAP = 30
LARGEST, SMALLEST = 13.0, 2.5

COLOURS: dict[str, str] = {
    # Okabe & Ito's palette, told apart with every common colour-vision deficiency.
    ChangeKind.NUMBERS: "#D55E00",
    ChangeKind.QUOTES: "#0072B2",
    ChangeKind.HEADLINE: "#CC79A7",
    ChangeKind.TEXT: "#8C8C8C",
    "revert": "#E69F00",
    "copy": "#009E73",
}
LEGEND_NAMES: dict[ChangeKind, str] = {
    ChangeKind.NUMBERS: "numbers changed",
    ChangeKind.QUOTES: "quotes changed",
    ChangeKind.HEADLINE: "headline changed",
    ChangeKind.TEXT: "text only",
}


def text(value: str) -> str:
    """Untrusted text in the picture: on one line, escaped (``escaping.html_text``)."""
    return html_text(" ".join(value.split()))


@dataclass(frozen=True)
class _Scale:
    """Time -> x: proportional to time, but no two event times closer than ``gap``."""

    places: dict[float, float]
    gap: float

    @classmethod
    def over(cls, moments: list[datetime], right: float = PLOT_RIGHT) -> _Scale:
        times = sorted({m.timestamp() for m in moments})
        width = right - PLOT_LEFT
        if len(times) == 1:
            return cls({times[0]: PLOT_LEFT + width / 2}, MIN_GAP)
        gaps = [b - a for a, b in pairwise(times)]
        gap = min(MIN_GAP, width / len(gaps))
        low, high = 0.0, width / sum(gaps)
        for _ in range(60):  # the k at which the stretched gaps fill the width
            middle = (low + high) / 2
            if sum(max(gap, middle * g) for g in gaps) > width:
                high = middle
            else:
                low = middle
        places, x = {times[0]: float(PLOT_LEFT)}, float(PLOT_LEFT)
        for moment, g in zip(times[1:], gaps, strict=True):
            x += max(gap, low * g)
            places[moment] = x
        # Rounding leaves the last place a hair short of the edge; spread that evenly.
        stretch = width / (x - PLOT_LEFT)
        return cls({t: PLOT_LEFT + (p - PLOT_LEFT) * stretch for t, p in places.items()}, gap)

    def x(self, moment: datetime) -> float:
        return self.places[moment.timestamp()]


def _radius(version: StoryVersion, scale: _Scale) -> float:
    """Size shows how much changed; crowded lanes shrink every mark alike."""
    size = version.counts.size if version.counts else 0
    full = 6.0 if version.counts is None else 3.5 + 2.1 * math.sqrt(min(size, 20))
    fit = min(1.0, 0.48 * scale.gap / LARGEST)
    return round(max(SMALLEST, full * fit), 1)


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _version_title(version: StoryVersion) -> str:
    parts = [f"Version {version.version}", f"first seen {utc_text(version.first_seen)}"]
    parts.append(f"“{shorten(version.headline, 90)}”")
    counts = version.counts
    if counts is None:
        parts.append(f"first version, {version.words:,} words")
    else:
        what = []
        if counts.numbers:
            what.append(f"{counts.numbers} number{'s' if counts.numbers > 1 else ''}")
        if counts.quotes:
            what.append(f"{counts.quotes} quote{'s' if counts.quotes > 1 else ''}")
        if counts.headline:
            what.append("headline")
        sentences = {
            "added": counts.sentences_added,
            "deleted": counts.sentences_deleted,
            "updated": counts.sentences_updated,
            "moved": counts.sentences_moved,
        }
        moved = ", ".join(f"{n} {k}" for k, n in sentences.items() if n)
        what.append(f"sentences: {moved}" if moved else "no sentence changed")
        parts.append("changed: " + "; ".join(what))
    return " · ".join(parts)


def _copy_title(copy: StoryCopy) -> str:
    parts = [
        f"{outlet_name(copy.outlet)} copy (article {copy.article_id})",
        f"first seen {utc_text(copy.first_seen)}",
    ]
    if copy.similarity is not None:
        parts.append(f"similarity {copy.similarity:.2f}")
    if copy.version_copied is not None:
        parts.append(f"of version {copy.version_copied}")
    parts.append(f"“{shorten(copy.headline, 90)}”")
    return " · ".join(parts)


def _mark(kind: str, x: float, y: float, r: float) -> str:
    """One mark's shape: circle (a version), ring (version 1), diamond, square."""
    if kind == "first":
        return (
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" fill="#fff" stroke="#222" '
            'stroke-width="2"/>'
        )
    if kind == "revert":
        points = f"{_n(x)},{_n(y - r)} {_n(x + r)},{_n(y)} {_n(x)},{_n(y + r)} {_n(x - r)},{_n(y)}"
        return f'<polygon points="{points}" fill="{COLOURS["revert"]}" stroke="#222"/>'
    if kind == "copy":
        return (
            f'<rect x="{_n(x - r)}" y="{_n(y - r)}" width="{_n(2 * r)}" height="{_n(2 * r)}" '
            f'fill="{COLOURS["copy"]}" stroke="#222"/>'
        )
    return (
        f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" fill="{COLOURS[kind]}" '
        'stroke="#222" stroke-width="0.8"/>'
    )


def _tick_times(scale: _Scale) -> list[float]:
    """Event times to label, at least ``TICK_SPACING`` apart; the last event always."""
    times = sorted(scale.places)
    kept = [times[0]]
    for moment in times[1:]:
        if scale.places[moment] - scale.places[kept[-1]] >= TICK_SPACING:
            kept.append(moment)
    last = times[-1]
    if (
        kept[-1] != last
        and len(kept) > 1
        and scale.places[last] - scale.places[kept[-2]] >= TICK_SPACING
    ):
        kept[-1] = last
    return kept


def _axis(scale: _Scale, y: float, span: float, right: float) -> list[str]:
    out = [
        f'<line x1="{PLOT_LEFT - 12}" y1="{y}" x2="{_n(right + 12)}" y2="{y}" stroke="#444"/>',
        f'<text x="{LABELS}" y="{y + 4}" text-anchor="end" fill="#555">first seen (UTC)</text>',
    ]
    shown_date = ""
    for moment in _tick_times(scale):
        x = _n(scale.places[moment])
        stamp = utc_text(
            datetime.fromtimestamp(moment, UTC), seconds=True
        )  # YYYY-MM-DD HH:MM:SS UTC
        date, clock = stamp[:10], stamp[11:19] if 0 < span < 600 else stamp[11:16]
        out.append(f'<line x1="{x}" y1="{y - 5}" x2="{x}" y2="{y + 5}" stroke="#444"/>')
        if date != shown_date:
            out.append(f'<text x="{x}" y="{y + 17}" text-anchor="middle" fill="#333">{date}</text>')
            shown_date = date
        out.append(f'<text x="{x}" y="{y + 31}" text-anchor="middle" fill="#333">{clock}</text>')
    return out


LEGEND_NOTES = (
    "Colour: what changed from the version before (the first that applies, in this order).",
    "Size: sentences changed, and the headline. Marks closer than their width are spread",
    "apart; the ticks stay at the real times.",
)


@cache
def _legend(y: float, width: int) -> tuple[tuple[str, ...], float]:
    """The legend from ``y`` down, in as many rows as the width needs; and its bottom
    (kept: a run's report draws a picture for every edit, and few legends differ)."""
    items = [("first", "version 1"), *((k, LEGEND_NAMES[k]) for k in ChangeKind)]
    items += [("revert", "revert"), ("copy", "copy by another outlet")]
    out, x = [], 24.0
    for kind, name in items:
        wide = 30 + 7.2 * len(name)
        if x + wide > width:
            x, y = 24.0, y + 20
        out.append(_mark(kind, x, y, 5.5))
        out.append(f'<text x="{_n(x + 10)}" y="{_n(y + 4)}" fill="#333">{name}</text>')
        x += wide
    for note in LEGEND_NOTES:
        y += 15
        out.append(f'<text x="24" y="{_n(y + 9)}" fill="#555" font-size="11">{note}</text>')
    return tuple(out), y + 9


def data_uri(svg: str) -> str:
    """The picture as an image address, for Markdown: both Prefect UIs show it (their
    Markdown drops inline SVG), without its tooltips, as images have none."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def timeline_svg(story: Story, width: int = WIDTH) -> str:
    """The picture: a standalone SVG document (inline in HTML, or as an image)."""
    right = width - RIGHT_MARGIN
    versions = story.versions
    by_number = {v.version: v for v in versions}
    lanes: dict[str, list[StoryCopy]] = {}
    for copy in sorted(story.copies, key=lambda c: (c.first_seen, c.article_id)):
        lanes.setdefault(outlet_key(copy.outlet) or "", []).append(copy)
    moments = [v.first_seen for v in versions] + [r.seen_at for r in story.reverts]
    moments += [c.first_seen for c in story.copies]
    scale = _Scale.over(moments, right)
    main = TOP + (ARC if story.reverts else 0)
    axis = main + 34 + LANE_GAP * len(lanes)
    legend, bottom = _legend(axis + 58, width)
    height = round(bottom + 12)
    span = max(m.timestamp() for m in moments) - min(m.timestamp() for m in moments)
    label = (
        f"Time line of article {story.article_id}: {len(versions)} version"
        f"{'s' if len(versions) != 1 else ''}, {len(story.reverts)} revert"
        f"{'s' if len(story.reverts) != 1 else ''}, {len(story.copies)} cop"
        f"{'ies' if len(story.copies) != 1 else 'y'} by other outlets"
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="nw-timeline" viewBox="0 0 {width} '
        f'{height}" width="{width}" height="{height}" role="img" aria-label="{text(label)}" '
        'font-family="system-ui, sans-serif" font-size="12">',
        f"<title>{text(label)}</title>",
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
    ]
    # Lanes and their names.
    out.append(
        f'<text x="{LABELS}" y="{main + 4}" text-anchor="end" font-weight="bold" '
        f'fill="#222">{text(shorten(outlet_name(story.outlet), 20))}</text>'
    )
    out.append(
        f'<line x1="{PLOT_LEFT - 12}" y1="{main}" x2="{_n(right + 12)}" y2="{main}" '
        'stroke="#bbb" stroke-width="2"/>'
    )
    lane_y: dict[str, float] = {}
    for index, (key, copies) in enumerate(lanes.items()):
        y = main + 40 + LANE_GAP * index
        lane_y[key] = y
        name = shorten(outlet_name(copies[0].outlet), 20)
        out.append(
            f'<text x="{LABELS}" y="{y + 4}" text-anchor="end" fill="#222">{text(name)}</text>'
        )
        out.append(
            f'<line x1="{PLOT_LEFT - 12}" y1="{y}" x2="{_n(right + 12)}" y2="{y}" '
            'stroke="#ddd" stroke-dasharray="2 3"/>'
        )
    # Joins under the marks: copy -> the version it copies, revert -> the version restored.
    for key, copies in lanes.items():
        for copy in copies:
            if copy.version_copied not in by_number:
                continue
            x1, x2 = scale.x(by_number[copy.version_copied].first_seen), scale.x(copy.first_seen)
            y1, y2 = main, lane_y[key]
            middle = (y1 + y2) / 2
            out.append(
                f'<path d="M{_n(x1)} {y1} C{_n(x1)} {_n(middle)} {_n(x2)} {_n(middle)} '
                f'{_n(x2)} {_n(y2)}" fill="none" stroke="{COLOURS["copy"]}" '
                'stroke-opacity="0.7" stroke-width="1.3"/>'
            )
    for revert in story.reverts:
        if revert.to_version not in by_number:
            continue
        x1, x2 = scale.x(revert.seen_at), scale.x(by_number[revert.to_version].first_seen)
        out.append(
            f'<path d="M{_n(x1)} {main} C{_n(x1)} {main - 34} {_n(x2)} '
            f'{main - 34} {_n(x2)} {main}" fill="none" stroke="{COLOURS["revert"]}" '
            'stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
    # Marks, each with its tooltip.
    for version in versions:
        kind = version.changed[0] if version.changed else "first"
        x, r = scale.x(version.first_seen), _radius(version, scale)
        out.append(
            f"<g><title>{text(_version_title(version))}</title>{_mark(kind, x, main, r)}</g>"
        )
    for revert in story.reverts:
        title = (
            f"Revert to version {revert.to_version}"
            + (f" (from version {revert.from_version})" if revert.from_version else "")
            + f" · seen {utc_text(revert.seen_at)} · {revert.path}"
        )
        size = max(SMALLEST + 1, min(7.0, 0.5 * scale.gap))
        out.append(
            f"<g><title>{text(title)}</title>"
            f"{_mark('revert', scale.x(revert.seen_at), main, size)}</g>"
        )
    for key, copies in lanes.items():
        for copy in copies:
            size = max(SMALLEST, min(5.5, 0.45 * scale.gap))
            out.append(
                f"<g><title>{text(_copy_title(copy))}</title>"
                f"{_mark('copy', scale.x(copy.first_seen), lane_y[key], size)}</g>"
            )
    out += _axis(scale, axis, span, right)
    out += legend
    out.append("</svg>")
    return "\n".join(out)

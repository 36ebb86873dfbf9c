"""The outlets table artifact a run publishes: a row per outlet seen in the run, with its
figures over the whole database (cells escaped: ``escaping.cell_escape``)."""

from __future__ import annotations

from newswatch.outlets.figures import OutletFigures
from newswatch.render.escaping import cell_escape
from newswatch.render.phrasing import outlet_name


def _percent(share: float | None) -> str:
    return "" if share is None else f"{share:.0%}"


def outlets_table(figures: list[OutletFigures], run_id: int) -> tuple[list[dict[str, object]], str]:
    """The outlets table artifact: a row per outlet seen in the run, figures over the whole
    database (defined in docs/reports.md), and its description."""
    rows: list[dict[str, object]] = [
        {
            "outlet": cell_escape(outlet_name(f.outlet)),
            "articles": f.articles,
            "edited": f.edited,
            "edited share": _percent(f.edited_share),
            "versions per edited (median)": f.versions_per_edited_median,
            "versions per edited (max)": f.versions_per_edited_max,
            "hours to first edit (median)": f.first_edit_median_hours,
            "edits": f.edits,
            "edits: numbers": _percent(f.edits_numbers_share),
            "edits: quotes": _percent(f.edits_quotes_share),
            "edits: headline": _percent(f.edits_headline_share),
            "reverts": f.reverts,
            "copied by others": f.copied_by_others,
            "copies of others": f.copies_of_others,
        }
        for f in figures
    ]
    description = (
        f"Outlets seen in run {run_id}: their figures over the whole database "
        "(docs/reports.md defines each)"
    )
    return rows, description

"""What the flow publishes besides Markdown pages: the files and outlets table artifacts' rows.

Table cells are escaped here (``escaping.cell_escape``): the default UI renders them as
Markdown, the V2 UI as plain text.
"""

from __future__ import annotations

from newswatch.report.escaping import cell_escape
from newswatch.report.model import ChangeReport, Totals
from newswatch.report.outlets import OutletFigures
from newswatch.report.sentences import outlet_name

FILES_TABLE_ROWS_PER_ARTICLE_PAGE = 20
"""The table shows 20 files for each article page the run may publish; the files keep all."""


def files_table(
    report: ChangeReport, limit: int, totals: Totals | None = None
) -> tuple[list[dict[str, object]], str]:
    """The files table artifact: one row per file that was not unchanged (at most
    ``limit`` × 20), and its description (``totals``: the run's, where ``report`` holds
    only the head of its files)."""
    rows: list[dict[str, object]] = [
        {
            column: cell_escape(value) if isinstance(value, str) else value
            for column, value in {
                "path": r.path,
                "outcome": r.outcome.value,
                "article": r.article_id,
                "version": r.version,
                "matched article": r.matched_article_id,
                "similarity": r.similarity,
                "reason": r.reason or "",
            }.items()
        }
        for r in report.files[: max(limit, 1) * FILES_TABLE_ROWS_PER_ARTICLE_PAGE]
    ]
    total = (totals or Totals.of(report)).files
    shown = max(limit, 1) * FILES_TABLE_ROWS_PER_ARTICLE_PAGE
    description = f"Files of run {report.run.run_id} whose outcome was not unchanged" + (
        f" (first {shown:,} of {total:,})" if total > shown else ""
    )
    return rows[:shown], description


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

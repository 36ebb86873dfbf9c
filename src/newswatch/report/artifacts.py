"""What the flow publishes besides Markdown pages: the files table artifact's rows.

Table cells are escaped here (``escaping.cell_escape``): the default UI renders them as
Markdown, the V2 UI as plain text.
"""

from __future__ import annotations

from newswatch.render.escaping import cell_escape
from newswatch.report.model import ChangeReport, Totals

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

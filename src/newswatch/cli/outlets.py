"""``newswatch outlets``: per outlet, how much it edits, how soon, what, and how its stories
spread (every figure is defined in docs/reports.md, "A story's life")."""

from __future__ import annotations

import json
from typing import Annotated

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from newswatch.cli.context import (
    DatabaseOption,
    SinceOption,
    load_settings,
    open_store,
    parse_since,
)
from newswatch.cli.output import JsonOption, chosen_format, format_option, out
from newswatch.render.formats import Format

FORMATS = (Format.TEXT, Format.JSON)


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


def _hours(value: float | None) -> str:
    if value is None:
        return ""
    if value < 1:
        return f"{value * 60:.0f} min"
    return f"{value:.1f} h" if value < 48 else f"{value / 24:.1f} d"


def outlets_command(
    fmt: Annotated[str | None, format_option(FORMATS, "a table, or JSON")] = None,
    as_json: JsonOption = False,
    since: SinceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Figures per outlet: edits, versions, time to first edit, what edits change, copies.

    Articles and the share edited, versions per edited article, the time from the first
    version to the first edit, the share of edits that changed numbers, quotes or the
    headline, reverts, and copies made of and by the outlet (docs/reports.md defines each).
    """
    from newswatch.outlets.figures import read_figures
    from newswatch.render.phrasing import outlet_name

    chosen = chosen_format(fmt, FORMATS, as_json)
    moment = parse_since(since)
    store = open_store(load_settings(database_url=database_url).database_url, create=False)
    figures, _ = read_figures(store, since=moment)  # a read command stores nothing
    if chosen is Format.JSON:
        print(json.dumps([f.model_dump() for f in figures], indent=2))
        return
    if not figures:
        out.print("No articles" + (f" first seen since {since}." if since else "."))
        return
    table = Table(show_edge=False)
    for column in (
        "outlet",
        "articles",
        "edited",
        "versions\nmed/max",
        "first edit\nmedian",
        "edits",
        "numbers",
        "quotes",
        "headline",
        "reverts",
        "copied\nby others",
        "copies\nof others",
    ):
        table.add_column(column, justify="left" if column == "outlet" else "right")
    for f in figures:
        table.add_row(
            escape(outlet_name(f.outlet)),
            f"{f.articles:,}",
            f"{f.edited:,} {_share(f.edited_share)}",
            f"{f.versions_per_edited_median:g}/{f.versions_per_edited_max}" if f.edited else "",
            _hours(f.first_edit_median_hours),
            f"{f.edits:,}",
            _share(f.edits_numbers_share),
            _share(f.edits_quotes_share),
            _share(f.edits_headline_share),
            f"{f.reverts:,}",
            f"{f.copied_by_others:,}",
            f"{f.copies_of_others:,}",
        )
    # Piped, the table keeps its width (Rich would squeeze it into 80 columns).
    console = out if out.is_terminal else Console(width=200)
    console.print(table)
    console.print(
        "numbers, quotes, headline: the share of edits that changed them; first edit: the "
        "time from version 1 to version 2 (docs/reports.md defines each figure)",
        style="dim",
        soft_wrap=True,
    )

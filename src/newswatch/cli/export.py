"""``newswatch export``: versions, sentence edits and copies as files a researcher can load
(CSV named as NewsEdits names its columns, or JSON lines), with a SCHEMA.md beside them."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from newswatch.cli.context import (
    DatabaseOption,
    SinceOption,
    load_settings,
    open_store,
    parse_since,
)
from newswatch.cli.output import chosen_format, fail, format_option, say
from newswatch.export.tables import FORMATS


def export_command(
    directory: Annotated[
        Path, typer.Argument(help="Folder to write into: new or empty (see --force).")
    ],
    fmt: Annotated[
        str | None, format_option(FORMATS, "CSV with NewsEdits' column names, or JSON lines")
    ] = None,
    since: SinceOption = None,
    outlet: Annotated[
        str | None,
        typer.Option(
            "--outlet",
            help="Only this outlet's articles (case ignored), and copies made by or of it.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Write into a folder that is not empty.")
    ] = False,
    database_url: DatabaseOption = None,
) -> None:
    """Export versions, sentence edits (NewsEdits actions) and copies for research."""
    chosen = chosen_format(fmt, FORMATS)
    moment = parse_since(since)
    if outlet is not None and not outlet.strip():
        fail("--outlet is empty: give an outlet's name, as `newswatch outlets` lists them.")
    if directory.exists() and not directory.is_dir():
        fail(f"{directory} is a file, not a folder: give a new or empty folder.")
    if directory.is_dir() and any(directory.iterdir()) and not force:
        fail(
            f"{directory} is not empty: give a new or empty folder, or --force to write the "
            "export's files into it (files of the same names are replaced)."
        )
    from newswatch.export.write import Filters, write_export
    from newswatch.read.text import outlet_key

    store = open_store(load_settings(database_url=database_url).database_url, create=False)
    key = outlet_key(outlet)
    if key is not None and not store.has_outlet(key):
        fail(
            f"no outlet {outlet!r} in {store.display_url}: give its name as "
            "`newswatch outlets` lists it."
        )
    started = time.perf_counter()
    wanted = [f"--format {chosen}"]
    if since:
        wanted.append(f"--since {since}")
    if outlet:
        wanted.append(f"--outlet {outlet}")

    def header(counts: dict[str, int]) -> str:
        rows = ", ".join(f"{name} {count:,}" for name, count in counts.items())
        return (
            f"Exported from {store.display_url} ({' '.join(wanted)}). Rows: {rows}. Times are UTC."
        )

    try:
        counts = write_export(store, directory, chosen, Filters(moment, key), header)
    except OSError as exc:
        fail(f"cannot write the export into {directory}: {exc.strerror or exc}")
    from newswatch.render.phrasing import plural

    written = ", ".join(f"{name} ({plural(count, 'row')})" for name, count in counts.items())
    say(f"Wrote {written} and SCHEMA.md into {directory} in {time.perf_counter() - started:.1f} s.")

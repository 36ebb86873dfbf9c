"""``newswatch history`` and ``newswatch diff``: one article's versions, and what changed."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from newswatch.changes.diff import VersionDiff
from newswatch.cli.context import DatabaseOption, load_settings, open_store
from newswatch.cli.output import (
    JsonOption,
    chosen_format,
    coloured,
    fail,
    format_option,
    out,
    terminal_style,
)
from newswatch.render.formats import Format
from newswatch.store import Store
from newswatch.store.rows import ArticleRow, VersionRow

FORMATS = (Format.TEXT, Format.JSON)


@dataclass
class _Article:
    store: Store
    id: int
    row: ArticleRow
    versions: list[VersionRow]


def held_articles(store: Store, reference: str) -> list[int]:
    """The articles a file of several holds (a WARC, JSON Lines), in the file's order."""
    if reference.isdigit() or "://" in reference:
        return []
    return list(dict.fromkeys(a for _, a in store.parts_of(reference) if a is not None))


def load_article(database_url: str | None, reference: str, command: str = "history") -> _Article:
    """The article a reference names, with its versions, or a clear exit; a file that holds
    several articles names them, and the exit says which (``command``: what to give one
    of their ids to)."""
    url = load_settings(database_url=database_url).database_url
    store = open_store(url, create=False)
    article_id = store.resolve_article(reference)
    if article_id is None and len(held := held_articles(store, reference)) == 1:
        article_id = held[0]
    elif article_id is None and held:
        ids = ", ".join(map(str, held[:20])) + (", …" if len(held) > 20 else "")
        fail(
            f"{reference} holds {len(held)} articles ({ids}): give one of their ids, e.g. "
            f"`newswatch {command} {held[0]}`; `newswatch history {reference}` lists them."
        )
    row = store.article(article_id) if article_id is not None else None
    if article_id is None or row is None:
        where = store.display_url
        if reference.isdigit():
            fail(
                f"no article {reference} in {where}: give an id from "
                "`newswatch ingest --json` or a report, or the path of an ingested file."
            )
        if Path(reference).exists():
            fail(
                f"{reference} is not in this database ({where}): ingest its folder "
                "first, or give the --database-url it was ingested into."
            )
        fail(
            f"{reference!r} is neither an article id nor an existing file (nor a stored "
            "article's URL): give an article id (a number), its URL, or the path of an "
            "ingested file."
        )
    return _Article(store, article_id, row, store.article_versions(article_id))


def history_command(
    article: Annotated[str, typer.Argument(help="Article id, or the path of a file holding it.")],
    database_url: DatabaseOption = None,
    fmt: Annotated[str | None, format_option(FORMATS, "a table, or JSON")] = None,
    as_json: JsonOption = False,
) -> None:
    """An article's versions: when each was first seen and from which files."""
    from newswatch.story.history import article_history
    from newswatch.times import utc_text

    chosen = chosen_format(fmt, FORMATS, as_json)
    if _list_held(database_url, article, chosen):
        return
    found = load_article(database_url, article)
    row = found.row
    history = article_history(row, found.versions, found.store.sightings_by_version(found.id))
    if chosen is Format.JSON:
        print(history.model_dump_json(indent=2))
        return
    title = f"Article {found.id}: {row.headline}"
    if row.outlet:
        title += f" ({row.outlet})"
    out.print(f"[bold]{escape(title)}[/bold]")
    urls = list(dict.fromkeys(v.url for v in history.versions if v.url))
    if len(urls) == 1:
        out.print(f"URL {escape(urls[0])}", highlight=False)
    if row.near_duplicate_of:
        out.print(
            f"copies article {row.near_duplicate_of} (similarity {row.near_duplicate_similarity:.2f})"
        )
    table = Table(show_edge=False)
    moved = len(urls) > 1  # versions under more than one URL: each says its own
    for column in ("version", "first seen", "headline", *(["URL"] * moved), "similarity"):
        table.add_column(column)
    table.add_column("seen in")
    for v in history.versions:
        paths = sorted(
            {
                f"{s.path} (run {s.run_id}, {s.outcome}{', revert' if s.reverted else ''}"
                f"{f': {s.reason}' if s.reason else ''})"
                for s in v.sightings
            }
        )
        marker = " *" if v.version == row.current_version else ""
        similarity = (
            f"{v.similarity_to_previous:.3f}" if v.similarity_to_previous is not None else ""
        )
        table.add_row(
            f"{v.version}{marker}",
            utc_text(v.first_seen_at),
            escape(v.headline),
            *([escape(v.url or "")] * moved),
            similarity,
            escape("\n".join(paths)),
        )
    out.print(table)
    out.print("[dim]* current version[/dim]")


def _list_held(database_url: str | None, reference: str, chosen: Format) -> bool:
    """For a file that holds several articles (a WARC, JSON Lines): each article, its
    versions and URL, and where in the file; False for anything else."""
    store = open_store(load_settings(database_url=database_url).database_url, create=False)
    parts = store.parts_of(reference) if not reference.isdigit() else []
    held = held_articles(store, reference)
    if len(held) < 2:
        return False
    where: dict[int, list[str]] = {}
    for path, article_id in parts:
        if article_id is not None:
            where.setdefault(article_id, []).append(path.rpartition("#")[2])
    rows = [(article_id, store.article(article_id)) for article_id in held]
    refused = sum(article_id is None for _, article_id in parts)
    if chosen is Format.JSON:
        listing = [
            {
                "article_id": article_id,
                "headline": row.headline if row else None,
                "outlet": row.outlet if row else None,
                "url": store.latest_url(article_id),
                "versions": row.version_count if row else None,
                "offsets": [int(o) for o in where[article_id]],
            }
            for article_id, row in rows
        ]
        print(json.dumps({"path": reference, "articles": listing, "refused": refused}, indent=2))
        return True
    out.print(
        f"[bold]{escape(reference)}[/bold] holds {len(held)} articles"
        + (f" and {refused} refused records" if refused else "")
        + ": `newswatch history ID` shows one."
    )
    table = Table(show_edge=False)
    for column in ("article", "versions", "outlet", "headline", "URL", "at offset"):
        table.add_column(column)
    for article_id, row in rows:
        table.add_row(
            str(article_id),
            str(row.version_count) if row else "",
            escape(row.outlet or "") if row else "",
            escape(row.headline) if row else "",
            escape(store.latest_url(article_id) or ""),
            ", ".join(where[article_id]),
        )
    out.print(table)
    return True


def diff_command(
    article: Annotated[str, typer.Argument(help="Article id, or the path of a file holding it.")],
    from_version: Annotated[
        int | None, typer.Option("--from", help="Older version (default: the one before --to).")
    ] = None,
    to_version: Annotated[
        int | None, typer.Option("--to", help="Newer version (default: the current one).")
    ] = None,
    database_url: DatabaseOption = None,
    fmt: Annotated[str | None, format_option(FORMATS, "the diff as text, or as JSON")] = None,
    as_json: JsonOption = False,
) -> None:
    """What changed between two versions of an article: headline, sentences, words, numbers."""
    from newswatch.changes.diff import diff_stored

    as_json = chosen_format(fmt, FORMATS, as_json) is Format.JSON
    found = load_article(database_url, article, "diff")
    article_id, row = found.id, found.row
    versions = {v.number: v for v in found.versions}
    numbers = f"{min(versions)} to {max(versions)}" if len(versions) > 1 else f"{min(versions)}"
    for option, asked in (("--from", from_version), ("--to", to_version)):
        if asked is not None and asked not in versions:
            fail(f"{option} {asked}: article {article_id} has versions {numbers}.")
    to_number = row.current_version if to_version is None else to_version
    from_number = (
        max((n for n in versions if n < to_number), default=to_number)
        if from_version is None
        else from_version
    )
    if from_number == to_number and not as_json:
        only = "has one version" if len(versions) == 1 else f"version {to_number} against itself"
        out.print(f"Article {article_id} {only}: nothing to compare.")
        return
    result = diff_stored(versions[from_number], versions[to_number])
    url = versions[to_number].source_url
    if as_json:
        print(
            json.dumps(
                {
                    "article_id": article_id,
                    "from": from_number,
                    "to": to_number,
                    "url": url,
                    **result.model_dump(),
                },
                indent=2,
            )
        )
        return
    _print_diff(article_id, from_number, to_number, result, url)


def _print_diff(
    article_id: int, from_number: int, to_number: int, result: VersionDiff, url: str | None
) -> None:
    from newswatch.render.diffs import diff_lines

    style = terminal_style()
    lines = [f"# Article {article_id}: version {from_number} → {to_number}", ""]
    if url:
        lines += [f"URL {style.text(url)}", ""]
    lines += diff_lines(result, style)
    text = "\n".join(lines).rstrip() + "\n"
    if coloured():
        out.print(text, highlight=False, end="")
    else:
        sys.stdout.write(text)

"""``newswatch story``: one article's life, as a picture, its versions and copies, and every
change, version by version."""

from __future__ import annotations

import sys
import webbrowser
from typing import Annotated

import typer

from newswatch.cli.articles import load_article
from newswatch.cli.context import DatabaseOption, load_settings
from newswatch.cli.output import chosen_format, format_option, out, say
from newswatch.render.formats import Format

FORMATS = (Format.MD, Format.HTML, Format.JSON)


def story_command(
    article: Annotated[str, typer.Argument(help="Article id, or the path of a file holding it.")],
    fmt: Annotated[str | None, format_option(FORMATS, "html is one self-contained page")] = None,
    open_it: Annotated[
        bool,
        typer.Option(
            "--open",
            help="Write the HTML page into the database's reports folder and open it in a browser.",
        ),
    ] = False,
    database_url: DatabaseOption = None,
) -> None:
    """A story's life at a glance: a picture of its versions and copies, then every change.
    On a terminal it is drawn; piped, or with ``--format md``, it is Markdown."""
    chosen = chosen_format(fmt, FORMATS)
    from newswatch.story.build import build_story, counts_of, revert_diffs, story_diffs
    from newswatch.story.page import story_html, story_markdown

    found = load_article(database_url, article, "story")
    with found.store.reading() as tx:
        rows = tx.stories([found.id])[found.id]
    diffs = story_diffs(rows)
    story = build_story(rows, {number: counts_of(diff) for number, diff in diffs.items()})
    if open_it:
        folder = load_settings(database_url=database_url).reports_folder
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"story-{found.id}.html"
        path.write_text(story_html(story, diffs, revert_diffs(rows)), encoding="utf-8")
        if not webbrowser.open(path.resolve().as_uri()):
            say(f"No browser available; the page is {path.resolve()}")
        return
    if chosen is Format.JSON:
        print(story.model_dump_json(indent=2))
    elif chosen is Format.HTML:
        sys.stdout.write(story_html(story, diffs, revert_diffs(rows)) + "\n")
    elif fmt is None and out.is_terminal:
        # A person reading: the Markdown drawn (headings, tables, struck and bold words),
        # without the backslashes that keep its text inert where Markdown is rendered.
        from rich.markdown import Markdown

        out.print(Markdown(story_markdown(story, diffs, revert_diffs(rows))))
    else:
        sys.stdout.write(story_markdown(story, diffs, revert_diffs(rows)) + "\n")

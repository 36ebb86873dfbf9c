"""What the CLI prints, and its one way to fail: one line on stderr, exit status 2.

Results go to stdout (:data:`out`); progress, notices and errors to stderr (:data:`err`).
Colour only on a terminal and never with ``NO_COLOR``; piped, a diff is plain text in
``git diff --word-diff``'s notation.
"""

from __future__ import annotations

import os
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from newswatch.render.phrasing import PLAIN, Style

out = Console()
err = Console(stderr=True)


def fail(message: str, status: int = 2) -> NoReturn:
    """One line on stderr, no traceback: what is wrong and what to do. Every command fails
    this way; status 2 is bad input (an option, a file, a database), 1 a run that failed."""
    err.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True, highlight=False)
    raise typer.Exit(status)


def say(text: str, console: Console = err) -> None:
    """A line as it is: no markup read from it, no wrapping, no highlighting."""
    console.print(text, soft_wrap=True, highlight=False, markup=False)


def coloured() -> bool:
    """Colour only on a terminal, and never with NO_COLOR (Rich reads it too)."""
    return out.is_terminal and not out.no_color and "NO_COLOR" not in os.environ


def terminal_style() -> Style:
    """Rich markup on a colour terminal; ``[-old-]{+new+}`` text otherwise (pipes, NO_COLOR)."""
    if not coloured():
        return PLAIN
    return Style(
        text=escape,
        removed=lambda w: f"[red strike]{escape(w)}[/red strike]",
        added=lambda w: f"[green bold]{escape(w)}[/green bold]",
        strong=lambda s: f"[bold]{s}[/bold]",
        link=lambda label, key: label,
        between=" ",
        glue="",
    )

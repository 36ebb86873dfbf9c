"""What the CLI prints, and its one way to fail: one line on stderr, exit status 2.

Results go to stdout (:data:`out`); progress, notices and errors to stderr (:data:`err`).
Colour only on a terminal and never with ``NO_COLOR``; piped, a diff is plain text in
``git diff --word-diff``'s notation. Every command that prints results takes ``--format``
from one choice (:class:`Format`), checked in one place (:func:`chosen_format`); ``--json``
stays as the short way to say ``--format json`` where a command had it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from newswatch.render.formats import Format
from newswatch.render.phrasing import PLAIN, Style

out = Console()
err = Console(stderr=True)


def fail(message: str, status: int = 2) -> NoReturn:
    """One line on stderr, no traceback: what is wrong and what to do. Every command fails
    this way; status 2 is bad input (an option, a file, a database), 1 a run that failed."""
    err.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True, highlight=False)
    raise typer.Exit(status)


def print_lines(lines: Iterable[str]) -> bool:
    """Print result lines to stdout until the reader stops reading (``| head``): then the
    rest is not wanted, stdout is pointed at nothing so no later flush fails, and what the
    command says on stderr (a run's summary) still follows. False when the reader left."""
    try:
        for line in lines:
            print(line)
        sys.stdout.flush()
    except BrokenPipeError:
        nothing = os.open(os.devnull, os.O_WRONLY)
        os.dup2(nothing, sys.stdout.fileno())
        os.close(nothing)
        return False
    return True


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


JsonOption = Annotated[bool, typer.Option("--json", help="The same as --format json.")]


def format_option(choices: Sequence[Format], meaning: str = "") -> Any:
    """The ``--format`` option of a command that prints ``choices`` (the first by default):
    ``fmt: Annotated[str | None, format_option(...)] = None``, then :func:`chosen_format`."""
    listed = [f"{choices[0]} (the default)", *choices[1:]]
    described = f"{', '.join(listed[:-1])} or {listed[-1]}{f': {meaning}' if meaning else ''}."
    return typer.Option("--format", help=described, show_default=False)


def chosen_format(given: str | None, choices: Sequence[Format], as_json: bool = False) -> Format:
    """``--format`` checked against a command's choices (the first is the default), with
    ``--json`` as ``--format json``; anything else is the command's one-line error."""
    if as_json:
        if given not in (None, Format.JSON):
            fail(f"--json is --format json: give one of them, not --format {given} too.")
        given = Format.JSON
    if given is None:
        return choices[0]
    if given not in choices:
        names = [str(c) for c in choices]
        fail(f"--format is {', '.join(names[:-1])} or {names[-1]}.")
    return Format(given)

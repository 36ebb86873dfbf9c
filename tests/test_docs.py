"""The README cannot drift from the code (as sqlite-utils' tests/test_docs.py does it).

Every setting, with its default, is in the README's settings table, and every row there is
a setting; every command and each of its options appears in the README's usage lines for
that command and in its ``--help``; every ``newswatch`` command the README shows exists.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from newswatch.cli.app import app
from newswatch.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def _settings_table() -> dict[str, str]:
    rows = re.findall(r"^\| `(NEWSWATCH_\w+)` \| ([^|]+) \|", _section("Settings"), re.MULTILINE)
    return {name: default.strip() for name, default in rows}


def _commands(group: Any = None, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    group = group or typer.main.get_command(app)
    for name, command in sorted(group.commands.items()):
        if hasattr(command, "commands"):
            yield from _commands(command, (*path, name))
        else:
            yield " ".join((*path, name)), command


COMMANDS = dict(_commands())


def _options(command: Any) -> list[str]:
    return [
        option
        for parameter in command.params
        for option in parameter.opts
        if option.startswith("--") and option != "--help"
    ]


def test_every_setting_and_its_default_is_in_the_readme_table() -> None:
    table = _settings_table()
    fields = {f"NEWSWATCH_{name.upper()}": field for name, field in Settings.model_fields.items()}
    assert sorted(table) == sorted(fields), "the README's settings table and Settings differ"
    for variable, field in fields.items():
        shown = table[variable]
        if field.default is None:
            # No single default: the row says in words what happens.
            assert not shown.startswith("`") and len(shown) > 3, variable
            continue
        assert shown.startswith("`") and shown.endswith("`"), variable
        assert type(field.default)(shown.strip("`")) == field.default, (variable, shown)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_and_option_is_in_the_readme_and_its_help(name: str) -> None:
    command = COMMANDS[name]
    usage = [
        line for line in README.splitlines() if re.search(rf"\bnewswatch {name}(?![\w-])", line)
    ]
    assert usage, f"`newswatch {name}` appears nowhere in the README"
    shown = "\n".join(usage)
    for option in _options(command):
        assert option in shown, f"{option} of `newswatch {name}` is not in its README lines"
    help_text = CliRunner().invoke(
        app, [*name.split(), "--help"], env={"COLUMNS": "200", "TERMINAL_WIDTH": "200"}
    )
    assert help_text.exit_code == 0, help_text.output
    for option in _options(command):
        assert option in help_text.output, f"{option} is missing from `newswatch {name} --help`"
    assert (command.help or "").split("\n")[0].strip() in " ".join(help_text.output.split())


def test_every_command_the_readme_shows_exists() -> None:
    """In code blocks and in code spans that start with the command (not in messages)."""
    blocks = re.findall(r"```bash\n(.*?)```", README, re.DOTALL)
    lines = [line.split(" # ")[0] for block in blocks for line in block.splitlines()]
    lines += [
        span
        for span in re.findall(r"`((?:\.venv/bin/)?newswatch [^`\n]+)`", README)
        if not re.match(r"newswatch run \S+:", span)  # a flow run's name, not a command
    ]
    groups = "|".join(sorted({name.split()[0] for name in COMMANDS if " " in name}))
    invocation = re.compile(rf"(?:^|[\s/(\"])newswatch ((?:(?:{groups}) )?[a-z]+)")
    shown = {name for line in lines for name in invocation.findall(line)}
    assert {"ingest", "history", "diff", "report", "serve"} <= shown
    unknown = shown - set(COMMANDS) - set(groups.split("|"))  # a group named on its own
    assert not unknown, f"the README shows commands that do not exist: {sorted(unknown)}"

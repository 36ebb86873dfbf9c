"""Every command that prints results takes ``--format`` from one choice, checked by one
rule (one line and status 2 for a format it does not print), and ``--json`` is
``--format json`` where a command has it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newswatch.cli.app import app

COMMANDS = [
    ["history", "1"],
    ["diff", "1"],
    ["outlets"],
    ["story", "1"],
    ["report"],
    ["export", "OUT"],
    ["ingest", "DIR"],
    ["alerts", "list"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0] if c[0] != "alerts" else "alerts")
def test_a_format_a_command_does_not_print_is_one_line_naming_those_it_does(
    command: list[str], seeded: str, tmp_path: Path
) -> None:
    arguments = [
        str(tmp_path / "out") if a == "OUT" else str(tmp_path) if a == "DIR" else a for a in command
    ]
    if command[0] != "alerts":
        arguments += ["--database-url", seeded]
    wrong = CliRunner().invoke(app, [*arguments, "--format", "xml"])
    assert wrong.exit_code == 2, wrong.output
    assert len(wrong.output.strip().splitlines()) == 1 and "Traceback" not in wrong.output
    assert wrong.output.startswith("error: --format is ") and " or " in wrong.output


@pytest.mark.parametrize("command", [["history", "1"], ["diff", "1"], ["outlets"]])
def test_json_is_format_json_and_not_both_ways_at_once(command: list[str], seeded: str) -> None:
    arguments = [*command, "--database-url", seeded]
    as_format = CliRunner().invoke(app, [*arguments, "--format", "json"])
    as_alias = CliRunner().invoke(app, [*arguments, "--json"])
    assert as_format.exit_code == as_alias.exit_code == 0, as_format.output
    assert json.loads(as_format.stdout) == json.loads(as_alias.stdout)
    both = CliRunner().invoke(app, [*arguments, "--format", "text", "--json"])
    assert both.exit_code == 2 and "--json is --format json" in both.output


def test_a_command_without_format_prints_its_first_choice(seeded: str) -> None:
    given = CliRunner().invoke(app, ["story", "1", "--database-url", seeded])
    markdown = CliRunner().invoke(app, ["story", "1", "--format", "md", "--database-url", seeded])
    assert given.exit_code == 0 and given.stdout == markdown.stdout
    assert given.stdout.startswith("# Article 1:")

"""The README and docs/ cannot drift from the code (as sqlite-utils' tests/test_docs.py does
it).

Every setting, with its default, is in the README's settings table, and every row there is
a setting; every command and each of its options appears in the README's usage lines for
that command and in its ``--help``; every ``newswatch`` command the README or the docs show
exists; every file they name and every link between them resolves; the SQL they show runs
against a real database; docs/design.md's tree lists every package and module.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from newswatch.cli.app import app
from newswatch.pipeline.run import run
from newswatch.settings import Settings, get_settings
from tests.articles import Article, bump_mtime

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = {
    path.name: path.read_text(encoding="utf-8") for path in sorted((ROOT / "docs").glob("*.md"))
}
PAGES = {"README.md": README, **{f"docs/{name}": page for name, page in DOCS.items()}}


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


def test_every_command_the_readme_and_the_docs_show_exists() -> None:
    """In code blocks and in code spans that start with the command (not in messages)."""
    pages = "\n".join(PAGES.values())
    blocks = re.findall(r"```bash\n(.*?)```", pages, re.DOTALL)
    lines = [
        line.split(" # ")[0]
        for block in blocks
        for line in block.splitlines()
        if not line.lstrip().startswith("#")  # a comment line, not a command
    ]
    lines += [
        span
        for span in re.findall(r"`((?:\.venv/bin/)?newswatch [^`\n]+)`", pages)
        if not re.match(r"newswatch run \S+:", span)  # a flow run's name, not a command
    ]
    groups = "|".join(sorted({name.split()[0] for name in COMMANDS if " " in name}))
    invocation = re.compile(rf"(?:^|[\s/(\"])newswatch ((?:(?:{groups}) )?[a-z]+)")
    shown = {name for line in lines for name in invocation.findall(line)}
    assert {"ingest", "history", "diff", "report", "serve"} <= shown
    unknown = shown - set(COMMANDS) - set(groups.split("|"))  # a group named on its own
    assert not unknown, f"the README shows commands that do not exist: {sorted(unknown)}"


def _anchor(heading: str) -> str:
    """A heading's anchor as GitHub makes it."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_docs_page_is_linked_from_the_readme() -> None:
    for name in DOCS:
        assert f"(docs/{name}" in README, f"docs/{name} is not linked from the README"


def test_every_link_between_the_pages_resolves() -> None:
    for page, body in PAGES.items():
        here = (ROOT / page).parent
        for target in re.findall(r"\]\(([^)\s]+)\)", body):
            if target.startswith(("http://", "https://", "../../", "data:")):
                continue  # a web address, a UI route or a data URI shown as an example
            file, _, anchor = target.partition("#")
            found = (here / file).resolve() if file else ROOT / page
            assert found.is_file(), f"{page}: link to {target} finds no file"
            if anchor:
                headings = re.findall(r"^#+ (.+)$", found.read_text(encoding="utf-8"), re.M)
                assert anchor in {_anchor(h) for h in headings}, f"{page}: no #{anchor} in {file}"


def test_every_file_the_pages_name_exists() -> None:
    for page, body in PAGES.items():
        for named in re.findall(r"`((?:src|benchmarks|schemas|tests|db|flows)/[\w./-]+)`", body):
            assert (ROOT / named).exists(), f"{page} names {named}, which does not exist"
        for module in re.findall(
            r"`((?:read|match|store|pipeline|changes|report|notify|cli)/\w+\.py)`", body
        ):
            assert (ROOT / "src" / "newswatch" / module).exists(), f"{page} names {module}"


def test_the_sql_the_pages_show_runs_on_a_real_database(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    url = f"sqlite:///{tmp_path / 'news.db'}"
    path = Article.sample().write(folder, "a.txt")
    run(get_settings(watch_dir=folder, database_url=url, workers=1))
    Article.sample().but(
        paragraphs=[p.replace("25 people", "27 people") for p in Article.sample().paragraphs]
    ).write(folder, "a.txt")
    bump_mtime(path)
    run(get_settings(watch_dir=folder, database_url=url, workers=1))
    statements = [
        statement.strip()
        for block in re.findall(r"```sql\n(.*?)```", "\n".join(PAGES.values()), re.DOTALL)
        for statement in re.sub(r"--[^\n]*", "", block).split(";")
        if statement.strip()
    ]
    assert statements, "the pages show no SQL"
    engine = create_engine(url)
    with engine.connect() as conn:
        answers = [conn.execute(text(statement)).all() for statement in statements]
    engine.dispose()
    assert answers[0] == [(1, "BBC", Article.sample().headline, 2)]  # the edited article


def test_the_design_tree_lists_every_package_and_module() -> None:
    tree = DOCS["design.md"].split("```")[1]
    package_root = ROOT / "src" / "newswatch"
    for module in sorted(package_root.glob("*.py")):
        if module.name != "__init__.py":
            assert module.name in tree, f"{module.name} is missing from docs/design.md"
    for package in sorted(p for p in package_root.iterdir() if (p / "__init__.py").is_file()):
        assert f"{package.name}/" in tree, f"{package.name}/ is missing from docs/design.md"
        for module in sorted(package.rglob("*.py")):
            if module.name != "__init__.py":
                assert re.search(rf"\b{module.stem}\b", tree), (
                    f"{package.name}/{module.name} is missing from docs/design.md's tree"
                )


def test_every_table_is_in_the_operations_guide() -> None:
    from newswatch.store.schema import metadata

    listed = set(re.findall(r"^\| `(\w+)` \|", DOCS["operations.md"], re.MULTILINE))
    assert set(metadata.tables) <= listed, set(metadata.tables) - listed

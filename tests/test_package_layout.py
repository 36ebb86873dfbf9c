"""The tree shows the pipeline: a package per step, no import cycle, SQL only in the store.

Read from the source with ``ast`` (every import counts, inside functions and
``TYPE_CHECKING`` blocks too), so a cycle or a stray ``import sqlalchemy`` fails here
before anyone has to find it by reading.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src"
PACKAGE = SOURCE / "newswatch"
FLOWS = ROOT / "flows"

MAX_TOP_LEVEL_MODULES = 8
MAX_MODULE_LINES = 450
SQL_LIBRARIES = ("sqlalchemy", "alembic")


def _module_name(path: Path) -> str:
    base = SOURCE if path.is_relative_to(SOURCE) else ROOT
    parts = list(path.relative_to(base).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {
    _module_name(path): path for folder in (PACKAGE, FLOWS) for path in sorted(folder.rglob("*.py"))
}


def _imports(path: Path) -> set[str]:
    """Every module a file imports, as absolute dotted names."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            # `from newswatch.store import writer` imports a module, not just a name.
            found.update(
                f"{node.module}.{alias.name}"
                for alias in node.names
                if f"{node.module}.{alias.name}" in MODULES
            )
    return found


def _depends_on(module: str) -> set[str]:
    """The project's modules this one needs loaded: each import and its parent packages
    (importing ``newswatch.store.rows`` runs ``newswatch/store/__init__.py`` first), but
    not the packages that hold this module, which are loaded before it anyway."""
    own = {".".join(module.split(".")[:end]) for end in range(1, module.count(".") + 2)}
    needed: set[str] = set()
    for name in _imports(MODULES[module]):
        parts = name.split(".")
        for end in range(2, len(parts) + 1):
            candidate = ".".join(parts[:end])
            if candidate in MODULES and candidate not in own:
                needed.add(candidate)
    return needed


GRAPH = {module: _depends_on(module) for module in MODULES}


def _cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(GRAPH[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)
    return found


def test_no_module_imports_one_that_imports_it_back() -> None:
    assert _cycles() == [], "import cycles"


def test_the_cycle_check_finds_a_cycle() -> None:
    GRAPH["newswatch.read.text"].add("newswatch.read.parse")
    try:
        assert any({"newswatch.read.parse", "newswatch.read.text"} <= set(c) for c in _cycles())
    finally:
        GRAPH["newswatch.read.text"].discard("newswatch.read.parse")


def test_the_graph_sees_imports_inside_functions() -> None:
    """The check would be blind without this: the CLI imports most things lazily."""
    assert "newswatch.pipeline.progress" in GRAPH["newswatch.cli.ingest"]
    assert "newswatch.store" in GRAPH["newswatch.cli.context"]


def test_only_the_store_talks_sql() -> None:
    offenders = sorted(
        module
        for module in MODULES
        if not module.startswith("newswatch.store")
        and any(name.split(".")[0] in SQL_LIBRARIES for name in _imports(MODULES[module]))
    )
    assert offenders == [], f"outside store/, these import {SQL_LIBRARIES}: {offenders}"


def test_only_the_store_opens_a_connection() -> None:
    """Every read and write is a method of a store transaction (``Store.reading``,
    ``Store.writing``): no module outside the store reaches for the engine, opens a
    connection or handles one."""
    offenders = sorted(
        module
        for module, path in MODULES.items()
        if not module.startswith("newswatch.store")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if (isinstance(node, ast.Attribute) and node.attr in ("engine", "connect", "conn"))
        or (isinstance(node, ast.Name) and node.id == "Connection")
        or (isinstance(node, ast.alias) and node.name == "Connection")
    )
    assert offenders == [], f"outside store/, these handle a connection: {offenders}"


def test_each_step_is_a_package_and_few_modules_sit_at_the_top() -> None:
    steps = {"read", "match", "store", "pipeline", "changes", "report", "notify", "cli"}
    steps |= {"render", "story", "outlets", "export", "server"}
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert steps <= packages
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_MODULES, top


def test_no_module_does_two_jobs_by_its_length() -> None:
    long = {
        module: lines
        for module, path in MODULES.items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}, f"modules over {MAX_MODULE_LINES} lines: split them along their seams"


def test_the_pipeline_flows_one_way() -> None:
    """Steps import the steps before them, never after: ``read`` knows nothing of
    matching, matching nothing of the store, the store nothing of the pipeline or the
    report, and the batch step nothing of the run that chains it."""
    order = [
        *("read", "match", "store", "pipeline", "changes"),
        *("render", "story", "outlets", "export", "server", "report", "notify", "cli"),
    ]
    later = {step: order[position + 1 :] for position, step in enumerate(order)}
    later["changes"] += ["pipeline", "store"]  # diffs are pure
    backwards = sorted(
        (module, target)
        for module, targets in GRAPH.items()
        if module.startswith("newswatch.") and module.count(".") >= 1
        for target in targets
        if (step := module.split(".")[1]) in later
        and target.startswith("newswatch.")
        and target.count(".") >= 1
        and target.split(".")[1] in later[step]
    )
    assert backwards == []


def test_workers_import_only_the_batch_step() -> None:
    pipeline = {
        t for t in GRAPH["newswatch.pipeline.workers"] if t.startswith("newswatch.pipeline")
    }
    assert pipeline <= {
        "newswatch.pipeline",
        "newswatch.pipeline.batch",
        "newswatch.pipeline.progress",
    }


def test_one_run_chain_serves_the_flow_and_the_plain_run() -> None:
    flow_source = (FLOWS / "ingest.py").read_text(encoding="utf-8")
    assert "ingest_run(" in flow_source
    assert "in_flight(" not in flow_source and "finish_run(" not in flow_source


def test_the_flow_patches_nothing_and_the_prefect_plumbing_is_one_package() -> None:
    """flows/ is the flow and its tasks: it sets no attribute of anything (Prefect's
    objects are configured through newswatch.server, never patched), and nothing outside
    newswatch.server builds a Prefect UI address or quiets a logger."""
    tree = ast.parse((FLOWS / "ingest.py").read_text(encoding="utf-8"))
    module_names = (
        {  # what the module defines or imports: its flow, tasks, Prefect's names
            name.asname or name.name
            for node in tree.body
            if isinstance(node, ast.Import | ast.ImportFrom)
            for name in node.names
        }
        | {
            target.id
            for node in tree.body
            for target in (node.targets if isinstance(node, ast.Assign) else [])
            if isinstance(target, ast.Name)
        }
        | {node.name for node in tree.body if isinstance(node, ast.FunctionDef | ast.ClassDef)}
    )
    patched = [
        ast.unparse(target)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign | ast.AugAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Attribute)
        and isinstance(target.value, ast.Name)
        and target.value.id in module_names
    ]
    assert patched == []
    plumbing = re.compile(r"runs/flow-run|artifacts/(?:artifact|key)/|\.setLevel\(|addFilter\(")
    outside = sorted(
        module
        for module, path in MODULES.items()
        if not module.startswith("newswatch.server")
        and plumbing.search(path.read_text(encoding="utf-8"))
    )
    assert outside == []

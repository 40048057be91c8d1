"""The layering of `reader`, enforced: import-linter's contracts (pyproject.toml) and import
cycles found on the import graph (grimp, which import-linter is built on), counting imports inside
functions but not those under TYPE_CHECKING.

There are none (the features no longer register into the start-up module, and logging has a
module of its own); KNOWN_CYCLES stays as the place to list one on the way, never to grow."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

grimp = pytest.importorskip("grimp", reason="import-linter (and grimp) come with the test extra")

KNOWN_CYCLES: set[str] = set()  # none left: keep it so


def cycles(graph) -> list[set[str]]:  # type: ignore[no-untyped-def]
    """Strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[set[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in graph.modules:
                    continue
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


def test_import_linter_contracts_hold() -> None:
    lint = Path(sys.executable).parent / "lint-imports"  # installed beside the interpreter
    if not lint.exists():
        pytest.skip("import-linter is not installed (it comes with the test extra)")
    done = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_no_new_import_cycles() -> None:
    graph = grimp.build_graph("reader", cache_dir=None, exclude_type_checking_imports=True)
    in_cycles = set().union(*cycles(graph)) if cycles(graph) else set()
    joined = in_cycles - KNOWN_CYCLES
    left = KNOWN_CYCLES - in_cycles
    assert not joined, f"modules now in an import cycle: {sorted(joined)}"
    assert not left, f"no longer in a cycle (take them off KNOWN_CYCLES): {sorted(left)}"


def test_the_cycle_finder_finds_a_cycle() -> None:
    class Graph:
        modules = {"a", "b", "c", "d"}
        edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}

        def find_modules_directly_imported_by(self, module: str) -> set[str]:
            return self.edges.get(module, set())

    assert cycles(Graph()) == [{"a", "b", "c"}]


def test_nothing_reaches_features_through_attributes_on_the_window() -> None:
    """Features find each other through the window's FeatureHost (`window.features.get(Kind)`),
    never by getattr/setattr/hasattr on the window."""
    import ast

    found = []
    for path in sorted((ROOT / "reader" / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in {"getattr", "setattr", "hasattr"} and node.args
                    and ast.unparse(node.args[0]) in {"window", "w", "self.window", "self.window_"}):
                found.append(f"{path.name}:{node.lineno} {ast.unparse(node)}")
    assert not found, found


def widget_imports(graph, package: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Lines of `package`'s modules that import PySide6's widgets (import-linter cannot forbid a
    submodule of an external package, so this reads the lines grimp records)."""
    found = []
    for module in sorted(graph.find_descendants(package) | {package}):
        if not graph.direct_import_exists(importer=module, imported="PySide6"):
            continue
        for detail in graph.get_import_details(importer=module, imported="PySide6"):
            if "QtWidgets" in detail["line_contents"]:
                found.append(f"{module}:{detail['line_number']} {detail['line_contents']}")
    return found


def test_headless_qt_and_the_command_line_import_no_widgets() -> None:
    graph = grimp.build_graph("reader", cache_dir=None, exclude_type_checking_imports=True,
                              include_external_packages=True)
    assert not widget_imports(graph, "reader.qtgui")
    assert not widget_imports(graph, "reader.cli")
    # and the check sees widget imports where they are
    assert any("reader.ui.shell.main_window" in line for line in widget_imports(graph, "reader.ui"))

"""build.spec names every Markdown extension module the renderer uses: the frozen app's module
collector cannot see the ones loaded by name (SuperFences registers pymdownx.highlight so)."""

from __future__ import annotations

import ast

from reader.content.render import _extensions
from tests.conftest import ROOT


def spec_list() -> set[str]:
    tree = ast.parse((ROOT / "build.spec").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "MARKDOWN_EXTENSIONS" for t in node.targets):
            return set(ast.literal_eval(node.value))
    raise AssertionError("build.spec has no MARKDOWN_EXTENSIONS list")


def test_the_spec_lists_every_extension_module() -> None:
    used = {type(ext).__module__ for ext in _extensions()} | {"pymdownx.highlight"}
    assert used == spec_list()
    assert "MARKDOWN_EXTENSIONS" in (ROOT / "build.spec").read_text().split("hiddenimports=")[1][:200]

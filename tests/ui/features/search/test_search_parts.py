"""The search feature's parts (reader/ui/features/search): the panel knows no window and only
emits signals, the indexer knows no widgets, and opening a hit re-enters nothing."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from reader.ui.features.search.panel import SearchPanel
from tests.ui.features.search.test_search_panel import search
from tests.ui.features_of import search_hits_of, search_panel_of

grimp = pytest.importorskip("grimp", reason="import-linter (and grimp) come with the test extra")
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")
PACKAGE = "reader.ui.features.search"


def reached(graph, module: str) -> set[str]:  # type: ignore[no-untyped-def]
    """Every `reader` module `module` imports, directly or not."""
    return {m for m in graph.find_upstream_modules(module) if m.startswith("reader.")}


def test_the_panel_imports_nothing_of_the_window_not_even_for_type_hints() -> None:
    graph = grimp.build_graph("reader", cache_dir=None, exclude_type_checking_imports=False)
    panel = reached(graph, f"{PACKAGE}.panel")
    assert not sorted(m for m in panel if m.startswith(("reader.ui.shell", "reader.ui.reading")))
    # The indexer and the highlighter need no window either (the highlighter: the article).
    for part in ("indexer", "hits"):
        modules = reached(graph, f"{PACKAGE}.{part}")
        assert not sorted(m for m in modules if m.startswith("reader.ui.shell")), part
    # ... and the check sees the window where it is imported
    assert "reader.ui.shell.main_window" in reached(graph, f"{PACKAGE}.feature")


def test_the_indexer_imports_no_widgets() -> None:
    graph = grimp.build_graph("reader", cache_dir=None, exclude_type_checking_imports=True,
                              include_external_packages=True)
    lines = []
    for module in reached(graph, f"{PACKAGE}.indexer") | {f"{PACKAGE}.indexer"}:
        if graph.direct_import_exists(importer=module, imported="PySide6"):
            lines += [d["line_contents"] for d in
                      graph.get_import_details(importer=module, imported="PySide6")]
    assert lines and not [line for line in lines if "QtWidgets" in line], lines


def test_the_panel_alone_emits_what_the_user_does(qtbot) -> None:
    """Under any parent: a pause in typing is one `query_changed`, Esc is `cleared`."""
    parent = QWidget()
    qtbot.addWidget(parent)
    panel = SearchPanel(parent)
    with qtbot.waitSignal(panel.query_changed, timeout=2000) as blocker:
        qtbot.keyClicks(panel.field, "drone")
    assert blocker.args == ["drone"]
    with qtbot.waitSignal(panel.cleared, timeout=1000):
        qtbot.keyClick(panel.field, Qt.Key.Key_Escape)
    assert panel.field.text() == ""
    with qtbot.waitSignal(panel.cleared, timeout=1000):  # Esc in an empty field clears hits too
        qtbot.keyClick(panel.field, Qt.Key.Key_Escape)
    with qtbot.assertNotEmitted(panel.hit_chosen):
        panel.open_current()  # no results: nothing to open


def test_opening_a_hit_re_enters_nothing(qtbot, window, monkeypatch) -> None:  # noqa: F811
    """Opening a result shows its section, then the highlighter paints once: the panel's list,
    status and results are not touched again on the way (it used to be re-entered through
    the window's section_shown)."""
    panel, hits = search_panel_of(window), search_hits_of(window)
    search(qtbot, window, "sanctions")
    calls: Counter[str] = Counter()

    def counting(name: str, real):  # type: ignore[no-untyped-def]
        def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
            calls[name] += 1
            return real(*args, **kwargs)
        return spy

    for name in ("show_results", "show_message", "clear", "query"):
        monkeypatch.setattr(panel, name, counting(f"panel.{name}", getattr(panel, name)))
    monkeypatch.setattr(hits, "show", counting("hits.show", hits.show))
    set_marks = window.article.set_marks
    monkeypatch.setattr(window.article, "set_marks", lambda layer, marks: (  # annotations paint too
        calls.update(["set_marks search"] if layer == "search" else []), set_marks(layer, marks)))
    for signal in ("modelReset", "rowsInserted", "rowsRemoved", "dataChanged"):
        getattr(panel.model, signal).connect(lambda *_a, s=signal: calls.update([f"model {s}"]))
    for signal in ("cleared", "query_changed", "results_shown"):
        getattr(panel, signal).connect(lambda *_a, s=signal: calls.update([f"panel {s}"]))
    status, row = panel.status.text(), panel.view.currentIndex().row()

    qtbot.keyClick(panel.field, Qt.Key.Key_Return)

    assert window.current.key == panel.model.hit(row).section
    assert calls == Counter({"hits.show": 1, "set_marks search": 1}), calls
    assert window.article.marks("search") and hits.current_hit() >= 0
    assert panel.status.text() == status and panel.view.currentIndex().row() == row


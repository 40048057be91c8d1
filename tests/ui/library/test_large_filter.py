"""The section filter on a large library (issue 18): worked out in slices between events, a
new keystroke dropping the old work, the tree given the answer at once and opened to the
matches only as far as stays quick; Expand All on a large tree opens rows as they come into view."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication

from reader.content import load_library
from reader.content.title_filter import SLICE, TitleIndex
from reader.ui.library import tree_filter
from reader.ui.library.tree_filter import search_fold
from tests.conftest import write_briefing

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")


def big_library(folder: Path, briefings: int = 30, per: int = 40) -> Path:
    for b in range(briefings):
        body = "".join(f"## Topic {b}-{s} {'Alpha' if s % 7 == 0 else 'Beta'}\ntext\n"
                       f"### Detail {b}-{s}\nmore\n" for s in range(per))
        write_briefing(folder, f"b{b:03d}.md", body, title=f"Briefing {b}", id=f"b{b:03d}")
    return folder


def visible_titles(window) -> list[str]:
    proxy = window.proxy
    out, stack = [], [proxy.index(r, 0) for r in range(proxy.rowCount())]
    while stack:
        index = stack.pop()
        section = proxy.section(index)
        out.append(section.title)
        stack += [proxy.index(r, 0, index) for r in range(proxy.rowCount(index))]
    return out


def test_the_title_index_finds_matches_with_their_ancestors_in_slices(tmp_path: Path) -> None:
    library = load_library([big_library(tmp_path / "c")])
    titles = TitleIndex(library.sections, search_fold)
    steps = list(titles.search("alpha"))
    assert steps[-1] is not None and all(s is None for s in steps[:-1])
    slices = -(-len(titles) // SLICE)
    assert len(steps) - 1 == 2 * slices  # folding the titles, then matching, SLICE at a time
    assert len(list(titles.search("beta"))) - 1 == slices  # folded once
    result = steps[-1]
    assert result.matches and all("Alpha" in s.title for s in result.matches)
    for s in result.matches:
        node = s
        while node is not None:
            assert id(node) in result.visible
            node = node.parent
    narrower = titles.run("alpha", within=titles.run("alp"))
    assert [s.key for s in narrower.matches] == [s.key for s in result.matches]
    assert search_fold("Économie ЁЖ می‌توانیم") == "economie еж میتوانیم"


def test_a_large_library_is_filtered_between_events_and_a_new_key_cancels(
        open_window, tmp_path: Path, monkeypatch, qtbot) -> None:
    monkeypatch.setattr(tree_filter, "SYNC_LIMIT", 100)  # this library counts as large
    monkeypatch.setattr(tree_filter, "EXPAND_LIMIT", 60)
    window = open_window(big_library(tmp_path / "c"))
    pane = window.tree_pane
    sliced = []
    monkeypatch.setattr("reader.content.title_filter.SLICE", 200)
    original = pane._work

    def counting() -> None:
        sliced.append(pane.box.text())
        original()

    monkeypatch.setattr(pane, "_work", counting)
    pane._step.timeout.disconnect()
    pane._step.timeout.connect(counting)
    window.tree.expandAll()
    QApplication.processEvents()
    window.tree.verticalScrollBar().setValue(window.tree.verticalScrollBar().maximum())
    window.filter_box.setText("Bet")
    assert pane.pending  # not worked out inside the keystroke
    window.filter_box.setText("Alpha")  # typed on before the answer came
    qtbot.waitUntil(lambda: not pane.pending)
    assert pane.result is not None and pane.result.text == "Alpha"
    assert len(sliced) > 2  # several turns of the event loop
    titles = visible_titles(window)
    assert all(t.startswith("Briefing") or "Alpha" in t for t in titles), titles
    assert any("Alpha" in t for t in titles)
    assert "matching sections" in pane.hint.text() and "first ones opened" in pane.hint.text()
    assert window.tree.verticalScrollBar().value() == 0  # the matches from the first one
    opened = sum(1 for r in range(window.proxy.rowCount())
                 if window.tree.isExpanded(window.proxy.index(r, 0)))
    qtbot.wait(200)  # the rest is opened a slice at a time, up to EXPAND_LIMIT rows
    assert 0 < opened < window.proxy.rowCount()
    window.filter_box.setText("")
    qtbot.waitUntil(lambda: not pane.pending)
    assert len(visible_titles(window)) == sum(1 for _ in window.library.sections())


def rows_in_view(tree) -> list:  # QTreeView -> the indexes it shows, top to bottom
    out, index = [], tree.indexAt(QPoint(0, 0))
    while index.isValid() and tree.visualRect(index).top() < tree.viewport().height():
        out.append(index)
        index = tree.indexBelow(index)
    return out


def closed_in_view(window) -> list[str]:
    return [window.proxy.section(i).title for i in rows_in_view(window.tree)
            if window.proxy.hasChildren(i) and not window.tree.isExpanded(i)]


def test_expand_all_on_a_large_tree_opens_rows_as_they_come_into_view(
        open_window, tmp_path: Path, monkeypatch, qtbot) -> None:
    monkeypatch.setattr(tree_filter, "EXPAND_ALL_AT_ONCE", 100)  # this library counts as large
    window = open_window(big_library(tmp_path / "c"))
    pane, tree, proxy = window.tree_pane, window.tree, window.proxy
    opened: list[str] = []
    tree.expanded.connect(lambda index: opened.append(proxy.section(index).title))
    window.actions_by_name["expand_all"].trigger()
    viewport_rows = tree.viewport().height() // tree.visualRect(proxy.index(0, 0)).height() + 1
    assert 0 < len(opened) <= viewport_rows  # the call opened one viewport's worth at most
    assert closed_in_view(window) == []
    assert pane.expanding_all and pane.hint.isVisibleTo(pane)
    assert pane.hint.text() == tree_filter.LAZY_HINT == "Expanding as you scroll"
    last = proxy.index_of(window.library.briefings[-1].root.children[0])
    assert not tree.isExpanded(last)  # far below: not opened yet

    tree.scrollTo(last, QAbstractItemView.ScrollHint.PositionAtTop)  # opened before it is painted
    assert tree.isExpanded(last) and closed_in_view(window) == []
    tree.scrollToTop()
    tree.setFocus()
    tree.setCurrentIndex(proxy.index(0, 0))
    for _ in range(3):  # the keyboard scrolls too
        qtbot.keyClick(tree, Qt.Key.Key_PageDown)
        assert closed_in_view(window) == []
    kept = next(i for i in rows_in_view(tree) if proxy.hasChildren(i))
    tree.collapse(kept)  # the reader closes one: it stays closed
    bar = tree.verticalScrollBar()
    bar.setValue(bar.value() + 1)
    bar.setValue(bar.value() - 1)
    assert not tree.isExpanded(kept)
    window.resize(1200, 1000)  # a taller view shows more rows: those are opened too
    qtbot.waitUntil(lambda: closed_in_view(window) == [proxy.section(kept).title])

    window.actions_by_name["collapse_all"].trigger()  # ends the mode
    assert not pane.expanding_all and not pane.hint.isVisibleTo(pane)
    count = len(opened)
    tree.scrollTo(proxy.index_of(window.library.briefings[-1].root))
    tree.scrollToBottom()
    QApplication.processEvents()
    assert len(opened) == count


def test_a_new_filter_ends_expand_all_and_a_small_tree_opens_at_once(
        open_window, tmp_path: Path, monkeypatch, qtbot) -> None:
    monkeypatch.setattr(tree_filter, "EXPAND_ALL_AT_ONCE", 100)
    window = open_window(big_library(tmp_path / "c"))
    pane = window.tree_pane
    window.actions_by_name["expand_all"].trigger()
    assert pane.expanding_all
    window.filter_box.setText("Alpha")
    qtbot.waitUntil(lambda: not pane.pending)
    assert not pane.expanding_all and pane.hint.text() != tree_filter.LAZY_HINT

    monkeypatch.setattr(tree_filter, "EXPAND_ALL_AT_ONCE", 5_000)  # now a small tree
    window.filter_box.setText("")
    window.actions_by_name["expand_all"].trigger()
    assert not pane.expanding_all
    parents = [s for s in window.library.sections() if s.children]
    assert all(window.tree.isExpanded(window.proxy.index_of(s)) for s in parents)

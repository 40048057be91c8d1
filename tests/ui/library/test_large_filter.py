"""The section filter on a large library (issue 18): worked out in slices between events, a
new keystroke dropping the old work, the tree given the answer at once and opened to the
matches only as far as stays quick; Expand All on a large tree opens rows as they come into view."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QToolButton

from reader.content import Section, load_library, title_filter
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


def test_the_title_index_finds_matches_with_their_ancestors_in_slices(
        tmp_path: Path, monkeypatch) -> None:
    library = load_library([big_library(tmp_path / "c")])
    monkeypatch.setattr(title_filter, "SLICE_MS", 10_000.0)  # slices ended by count only
    titles = TitleIndex(library.sections, search_fold, count=lambda: len(library))
    assert len(titles) == len(library) and titles._listed is None  # counted, not listed
    steps = list(titles.search("alpha"))
    assert steps[-1] is not None and all(s is None for s in steps[:-1])
    slices = -(-len(titles) // SLICE)
    assert len(steps) - 1 == 2 * slices  # folding the titles, then matching, SLICE at a time
    assert len(list(titles.search("beta"))) - 1 == slices  # folded once
    monkeypatch.setattr(title_filter, "SLICE_MS", 0.0)  # out of time after every chunk
    assert len(list(titles.search("beta"))) - 1 == -(-len(titles) // title_filter.CHUNK)
    result = steps[-1]
    assert result.matches and all("Alpha" in s.title for s in result.matches)
    for s in result.matches:
        node = s
        while node is not None:
            assert id(node) in result.visible
            if node.parent is not None:
                assert id(node.parent) in result.parents
            node = node.parent
    shown = [s for s in library.sections() if id(s) in result.visible]
    assert {id(s) for s in shown if any(id(c) in result.visible for c in s.children)} \
        == result.parents
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


def walk_model(model) -> list:  # every row's index, checked against the model's own answers
    out, stack = [], [(model.index(r, 0), None) for r in range(model.rowCount())]
    while stack:
        index, parent = stack.pop()
        assert index.isValid()
        assert (index.parent().internalPointer() if index.parent().isValid() else None) is parent
        section = model.section(index)
        assert model.index_of(section) == index  # the row the filtered list gives it
        rows = model.rowCount(index)
        assert model.hasChildren(index) == (rows > 0), section.title
        assert not model.index(rows, 0, index).isValid()
        out.append(index)
        stack += [(model.index(r, 0, index), section) for r in range(rows)]
    return out


def test_the_filtered_model_shows_the_matches_and_their_ancestors_with_consistent_rows(
        open_window, tmp_path: Path, qtmodeltester) -> None:
    window = open_window(big_library(tmp_path / "c", briefings=6, per=15))
    model = window.sections_model
    window.filter_box.setText("alpha")
    expected = TitleIndex(model.iter_sections, search_fold).run("alpha")
    indexes = walk_model(window.proxy)
    assert {id(window.proxy.section(i)) for i in indexes} == expected.visible
    titles = visible_titles(window)
    assert sorted(titles) == sorted(s.title for s in model.iter_sections()
                                    if id(s) in expected.visible)
    hidden = next(s for s in model.iter_sections() if id(s) not in expected.visible)
    assert not model.index_of(hidden).isValid()
    qtmodeltester.check(window.proxy, force_py=True)  # and it keeps checking the changes
    window.filter_box.setText("")
    assert len(walk_model(window.proxy)) == len(window.library)


def ghost(root: Section, title: str) -> Section:
    return Section(id=title.lower().replace(" ", "-"), title=title, level=2, markdown="",
                   line=0, parent=root, briefing=root.briefing)


def test_extra_rows_with_and_without_a_filter(open_window, tmp_path: Path, qtmodeltester) -> None:
    window = open_window(big_library(tmp_path / "c", briefings=4, per=8))
    model, proxy = window.sections_model, window.proxy
    root, other = window.library.briefings[1].root, window.library.briefings[2].root
    window.filter_box.setText("alpha")
    model.set_extra_rows(root, [ghost(root, "Removed Alpha one"), ghost(root, "Removed Beta")])
    assert "Removed Alpha one" in visible_titles(window)  # worked out again with the new rows
    assert "Removed Beta" not in visible_titles(window)
    walk_model(proxy)
    qtmodeltester.check(model, force_py=True)  # and it keeps checking the changes
    kept = [model.section(model.index(r, 0, model.index_of(root)))
            for r in range(model.rowCount(model.index_of(root)))]
    assert kept[-1].title == "Removed Alpha one"  # after the briefing's own sections
    model.set_extra_rows(root, [])
    model.set_extra_rows(other, [ghost(other, "Removed Beta two")])  # not kept: no row
    assert not any(t.startswith("Removed") for t in visible_titles(window))
    walk_model(proxy)
    window.filter_box.setText("")
    model.set_extra_rows(root, [ghost(root, "Removed Gamma")])
    assert {"Removed Gamma", "Removed Beta two"} <= set(visible_titles(window))
    walk_model(proxy)


def test_clearing_the_filter_restores_the_tree_with_the_read_section_selected_in_view(
        open_window, tmp_path: Path, qtbot) -> None:
    window = open_window(big_library(tmp_path / "c"))
    target = window.library.briefings[20].root.children[30]
    window.show_section(target)
    window.filter_box.setText("Alpha")
    assert len(visible_titles(window)) < len(window.library)
    window.filter_box.setText("")
    assert len(visible_titles(window)) == len(window.library)
    tree = window.tree
    assert window.proxy.section(tree.currentIndex()) is target
    assert tree.selectionModel().isSelected(tree.currentIndex())
    assert tree.viewport().rect().intersects(tree.visualRect(tree.currentIndex()))


def test_a_filter_answers_has_children_without_listing_each_rows_children(
        open_window, tmp_path: Path, monkeypatch, qtbot) -> None:
    """The tree asks hasChildren of every top-level row it lays out; the old filter proxy
    answered by filtering all of that row's children (a call into Python each)."""
    monkeypatch.setattr(tree_filter, "EXPAND_LIMIT", 1)  # open one row for the matches
    window = open_window(big_library(tmp_path / "c", briefings=40, per=10))
    model, tree = window.sections_model, window.tree
    listed = model.kept_lists
    window.filter_box.setText("Alpha")  # each briefing's first topic: all 40 briefings shown
    tree.grab()  # laid out and painted: every top-level row asked for its children
    QApplication.processEvents()
    shown = model.rowCount()
    assert shown == 40 and all(model.hasChildren(model.index(r, 0)) for r in range(shown))
    listed = model.kept_lists - listed  # before walking the model lists every parent's rows
    opened = sum(tree.isExpanded(i) for i in walk_model(window.proxy))
    assert opened <= 2 and listed <= opened + 2  # the rows opened, not each shown row's


def test_a_new_key_drops_the_opening_of_the_last_filters_rows(
        open_window, tmp_path: Path, monkeypatch, qtbot) -> None:
    monkeypatch.setattr(tree_filter, "FIRST_ROWS", 5)
    monkeypatch.setattr(tree_filter, "SLICE_ROWS", 5)
    window = open_window(big_library(tmp_path / "c"))
    pane, tree = window.tree_pane, window.tree
    window.filter_box.setText("Alpha")
    assert pane._opening is not None  # the rest is opened between events
    window.filter_box.setText("Alpha no such title")
    assert pane._opening is None
    QApplication.processEvents()
    assert window.proxy.rowCount() == 0 and not tree.isExpanded(tree.rootIndex())


@pytest.mark.parametrize("big", [False, True], ids=["shipped", "2,400 sections (sliced filter)"])
def test_the_read_section_stays_selected_and_in_view_however_the_filter_is_cleared(
        open_window, tmp_path: Path, qtbot, big: bool, monkeypatch) -> None:
    """Typed key by key, the section read hidden by the filter or one chosen among its
    matches, then cleared by Esc, by the clear button or by deleting the text: the section
    being read is the tree's selected row, scrolled into view, every time. (A large library
    selects it a turn of the event loop after showing the rows: `pending` until then.)"""
    if big:
        monkeypatch.setattr(tree_filter, "SYNC_LIMIT", 100)  # sliced, as 100,000 sections are
    window = open_window(big_library(tmp_path / "c") if big else None)
    tree, pane = window.tree, window.tree_pane

    def typed(text: str) -> None:
        window.filter_box.setFocus()
        qtbot.keyClicks(window.filter_box, text)
        qtbot.waitUntil(lambda: not pane.pending, timeout=30_000)

    def read_is_selected_in_view() -> None:
        qtbot.waitUntil(lambda: not pane.pending, timeout=30_000)
        assert len(visible_titles(window)) == len(window.library)
        current = window.proxy.section(tree.currentIndex())
        assert current is window.current, (current, window.current)
        assert tree.selectionModel().isSelected(tree.currentIndex())
        tree.viewport().grab()  # laid out
        assert tree.viewport().rect().intersects(tree.visualRect(tree.currentIndex()))

    sections = [s for s in window.library.sections() if s.parent is not None]
    window.show_section(sections[len(sections) * 2 // 3])
    typed("qqqzz")  # hides the section read
    assert visible_titles(window) == []
    qtbot.keyClick(window.filter_box, Qt.Key.Key_Escape)
    read_is_selected_in_view()

    typed("Alpha" if big else "synergies")
    qtbot.keyClick(window.filter_box, Qt.Key.Key_Down)  # into the tree, onto a match
    qtbot.keyClick(tree, Qt.Key.Key_End)
    chosen = window.proxy.section(tree.currentIndex())
    qtbot.waitUntil(lambda: window.current is chosen)
    window.filter_box.setFocus()
    clear_button = window.filter_box.findChild(QToolButton)  # the line edit's clear button
    clear_button.show()  # (hidden while the text is short of its fade-in; a click is a click)
    qtbot.mouseClick(clear_button, Qt.MouseButton.LeftButton)
    assert window.filter_box.text() == ""
    read_is_selected_in_view()
    assert window.current is chosen

    typed("Al" if big else "syn")
    for _ in range(3):
        qtbot.keyClick(window.filter_box, Qt.Key.Key_Backspace)
        qtbot.waitUntil(lambda: not pane.pending, timeout=30_000)
    read_is_selected_in_view()


def test_a_large_trees_read_section_is_selected_a_turn_after_its_rows_are_shown(
        open_window, tmp_path: Path, monkeypatch, qtbot) -> None:
    """Selecting lays the tree out, a call into Python per top-level row (12-40 ms at 100,000
    sections): not in the same turn of the event loop as the filter's reset and first rows,
    and a new key drops the opening of the last answer's rows before its own filter starts."""
    monkeypatch.setattr(tree_filter, "SYNC_LIMIT", 100)
    window = open_window(big_library(tmp_path / "c"))
    pane = window.tree_pane
    told: list[bool] = []
    pane.filtered.connect(lambda: told.append(True))
    real_apply, told_within = pane._apply, []

    def apply(result):  # noqa: ANN001, ANN202
        before = len(told)
        real_apply(result)
        told_within.append(len(told) - before)
        assert pane.pending  # shown, not yet selected

    monkeypatch.setattr(pane, "_apply", apply)
    window.filter_box.setText("Alpha")
    qtbot.waitUntil(lambda: not pane.pending)
    assert told_within == [0] and told == [True]
    assert window.proxy.section(window.tree.currentIndex()) in (window.current, None)
    window.filter_box.setText("Alph")  # the rows of "Alpha" were still being opened
    assert pane._opening is None and not pane._open_timer.isActive()

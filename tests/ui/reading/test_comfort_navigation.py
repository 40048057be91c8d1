"""Back/forward with scroll positions, mouse side buttons, next/previous section, the tree filter."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPointF, Qt
from PySide6.QtGui import QKeySequence, QMouseEvent
from PySide6.QtWidgets import QApplication

from reader.ui.library.tree_filter import SectionFilterProxy
from reader.ui.library.tree_model import BadgeRole
from reader.ui.shell.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")


def select(window: MainWindow, key: str) -> None:
    """Click-equivalent: make a section current in the (filtered) tree."""
    section = window.library.find(key)
    assert section is not None
    window.tree.selectionModel().setCurrentIndex(
        window.model.index_of(section), QItemSelectionModel.SelectionFlag.ClearAndSelect)


def scroll(window: MainWindow) -> int:
    return window.article.verticalScrollBar().value()


def visible_titles(proxy: SectionFilterProxy, parent: QModelIndex | None = None) -> list[str]:
    parent = parent or QModelIndex()
    out = []
    for row in range(proxy.rowCount(parent)):
        index = proxy.index(row, 0, parent)
        out.append(proxy.section(index).id)
        out.extend(visible_titles(proxy, index))
    return out


def test_back_and_forward_restore_section_and_scroll(open_window) -> None:
    window = open_window()
    acts = window.actions_by_name
    assert not acts["back"].isEnabled() and not acts["forward"].isEnabled()
    window.article.verticalScrollBar().setValue(900)
    first_scroll = scroll(window)
    select(window, "iran-russia/looking-ahead")
    assert window.current.id == "looking-ahead"
    window.article.verticalScrollBar().setValue(300)

    acts["back"].trigger()
    assert window.current.id == "iran-russia"
    assert scroll(window) == first_scroll
    assert window.model.section(window.tree.currentIndex()).id != "looking-ahead"
    assert acts["forward"].isEnabled()

    acts["forward"].trigger()
    assert window.current.id == "looking-ahead"
    assert scroll(window) == 300
    assert not acts["forward"].isEnabled()

    acts["back"].trigger()
    select(window, "iran-russia/wrap-up")  # a new visit forgets the forward places
    assert not acts["forward"].isEnabled()


def test_history_keys_and_mouse_buttons(open_window) -> None:
    window = open_window()
    assert QKeySequence("Alt+Left") in window.actions_by_name["back"].shortcuts()
    assert QKeySequence("Alt+Right") in window.actions_by_name["forward"].shortcuts()
    select(window, "iran-russia/wrap-up")
    viewport = window.article.viewport()
    for button, expected in ((Qt.MouseButton.BackButton, "iran-russia"),
                             (Qt.MouseButton.ForwardButton, "wrap-up")):
        event = QMouseEvent(QMouseEvent.Type.MouseButtonPress, QPointF(20, 20),
                            QPointF(viewport.mapToGlobal(QPointF(20, 20))), button, button,
                            Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(viewport, event)
        assert window.current.id == expected


def test_in_page_links_are_history_too(open_window) -> None:
    window = open_window()
    assert scroll(window) == 0
    window.open_reference("global-impact")  # a section on the shown page: scrolls
    assert window.current.id == "iran-russia" and scroll(window) > 0
    window.actions_by_name["back"].trigger()
    assert scroll(window) == 0


def test_next_and_previous_section_keep_their_keys(open_window) -> None:
    window = open_window(section="iran-russia/wrap-up")
    acts = window.actions_by_name
    assert acts["next_section"].shortcut() == QKeySequence("Ctrl+PgDown")
    assert acts["previous_section"].shortcut() == QKeySequence("Ctrl+PgUp")
    acts["previous_section"].trigger()
    assert window.current.id == "global-impact"
    acts["next_section"].trigger()
    assert window.current.id == "wrap-up"


def test_collapse_and_expand_all(open_window) -> None:
    window = open_window()
    deepening = window.model.index_of(window.library.find("deepening-ties"))
    window.actions_by_name["collapse_all"].trigger()
    assert not window.tree.isExpanded(deepening)
    window.actions_by_name["expand_all"].trigger()
    assert window.tree.isExpanded(deepening)


def test_tree_filter_keeps_parents_of_matches(open_window, qtbot, qtmodeltester) -> None:
    window = open_window()
    window.actions_by_name["filter_tree"].trigger()
    qtbot.keyClicks(window.filter_box, "synergies")
    assert visible_titles(window.proxy) == ["iran-russia", "deepening-ties", "economic-synergies"]
    economic = window.model.index_of(window.library.find("economic-synergies"))
    assert window.tree.isExpanded(economic.parent())  # the match is shown, not folded away
    qtmodeltester.check(window.proxy)

    qtbot.keyClick(window.filter_box, Qt.Key.Key_Down)  # into the tree
    assert window.tree.hasFocus() or QApplication.focusWidget() is window.tree
    select(window, "iran-russia/economic-synergies")
    assert window.current.id == "economic-synergies"

    window.filter_box.clear()
    assert len(visible_titles(window.proxy)) == len(window.library)
    assert window.model.section(window.tree.currentIndex()).id == "economic-synergies"


def test_tree_filter_is_case_insensitive_and_ignores_badges(open_window) -> None:
    window = open_window()
    window.model.badge = lambda section: " ✎SYNERGIES"  # a feature's decoration
    window.filter_box.setText("WRAP")
    assert visible_titles(window.proxy) == ["iran-russia", "wrap-up"]
    window.filter_box.setText("no such title")
    assert visible_titles(window.proxy) == []
    window.model.badge = None


def test_refreshing_all_badges_through_the_filter_keeps_the_tree_valid(open_window) -> None:
    """Features repaint every badge with `window.model.refresh()`; the proxy must survive it."""
    window = open_window()
    select(window, "iran-russia/economic-synergies")
    window.filter_box.setText("e")
    window.model.badge = lambda section: " ✓"
    assert window.sections_model.badge is window.model.badge  # set through to the source
    window.model.some_feature_hook = 1  # not a source attribute: stays on the proxy
    assert not hasattr(window.sections_model, "some_feature_hook")
    window.model.refresh()
    window.tree.grab()  # paints every row with the selection: crashed before the fix
    assert window.model.data(window.tree.currentIndex()).endswith("Sanctions Together")
    assert window.model.data(window.tree.currentIndex(), BadgeRole) == "✓"  # drawn beside it
    window.model.badge = None
    window.model.refresh(window.library.find("economic-synergies"))
    assert window.model.section(window.tree.currentIndex()).id == "economic-synergies"

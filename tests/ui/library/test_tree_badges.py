"""Tree badges (✎N notes, ✓ read, a change) have their own space at the row's trailing edge —
the right of a left-to-right title, the left of a right-to-left one — and stay in view with a
300-character title at the default window width: the title elides instead."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem

from reader.ui.library.tree_badges import BadgedRows, RowLayout
from reader.ui.library.tree_model import BadgeRole
from reader.ui.shell.main_window import MainWindow
from tests.conftest import write_briefing

LONG = "A very long heading about sanctions, drones and pipelines " * 5  # ~300 characters
ELLIPSIS = ("…", "...")  # "..." where the font has no ellipsis glyph
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")
PERSIAN = "همکاری نظامی ایران و روسیه در سال‌های اخیر و پیامدهای آن برای منطقه " * 3


def badged_window(open_window, tmp_path: Path, **kwargs) -> MainWindow:
    write_briefing(
        tmp_path,
        "t.md",
        f"## Short\ntext\n## {LONG.strip()} {{#long}}\nlong text\n## {PERSIAN.strip()} {{#fa}}\nمتن فارسی\n",
    )
    window = open_window(content=tmp_path, section="t/short", **kwargs)
    for key in ("t/long", "t/fa"):  # read marks, made as the reader makes them: ✓
        window.show_section(window.library.find(key))
        window.actions_by_name["toggle_read"].trigger()
    QApplication.processEvents()
    return window


def row_layout(window: MainWindow, key: str) -> RowLayout:
    """The delegate's layout of a row, for the option the tree paints it with."""
    index = window.model.index_of(window.library.find(key))
    window.tree.scrollTo(index)
    option = QStyleOptionViewItem()
    window.tree.initViewItemOption(option)
    option.rect = window.tree.visualRect(index)
    delegate = window.tree.itemDelegate()
    assert isinstance(delegate, BadgedRows)
    return delegate.layout(option, index)


def inside(window: MainWindow, row: RowLayout) -> bool:
    return window.tree.viewport().rect().contains(row.badge)


def test_display_text_is_the_title_and_badges_have_their_own_role(open_window, tmp_path: Path) -> None:
    window = badged_window(open_window, tmp_path)
    index = window.model.index_of(window.library.find("t/long"))
    assert window.model.data(index) == LONG.strip()
    assert window.model.data(index, BadgeRole) == "✓"


def test_badge_of_a_long_title_is_in_view_at_the_default_width(open_window, tmp_path: Path) -> None:
    window = badged_window(open_window, tmp_path, size=None)  # the first-run size
    row = row_layout(window, "t/long")
    assert row.badge_text == "✓"
    assert inside(window, row), (row.badge, window.tree.viewport().rect())
    assert row.title_text.endswith(ELLIPSIS) and len(row.title_text) < len(LONG)
    assert row.title.right() < row.badge.left()  # the title gives way: no overlap
    window.tree.viewport().grab()  # paints the rows through the same layout


def test_badge_of_a_right_to_left_title_sits_at_the_left(open_window, tmp_path: Path) -> None:
    window = badged_window(open_window, tmp_path, size=None)
    row = row_layout(window, "t/fa")
    assert row.badge_text == "✓"
    assert inside(window, row)
    assert row.badge.right() < row.title.left()  # trailing edge of a right-to-left row: the left
    assert row.title_text.endswith(ELLIPSIS)


@pytest.mark.parametrize("zoom_steps", [0, 4])
def test_badges_stay_in_view_with_a_narrow_tree_and_zoom(
    open_window, tmp_path: Path, qtbot, zoom_steps: int
) -> None:
    window = badged_window(open_window, tmp_path, size=(1366, 768))
    window.resizeDocks([window.contents_dock], [200], Qt.Orientation.Horizontal)
    window.article.setFocus()
    for _ in range(zoom_steps):  # zooms the article: the tree keeps its font
        qtbot.keyClick(window.article, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    QApplication.processEvents()
    for key in ("t/long", "t/fa"):
        assert inside(window, row_layout(window, key)), key
    short = row_layout(window, "t/short")
    assert short.badge.isEmpty() and short.title_text == "Short"  # no badge: a plain row

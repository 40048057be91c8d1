"""Rows run the way their text does (issue 17): the section tree, the annotations list and the
What Changed list lay out a Persian title right to left (its English words in order) and an
English one left to right, in a left-to-right window."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QStyleOptionViewItem

from reader.annotations import AnnotationStore, service
from reader.ui.kit.text_direction import TextDirectionDelegate
from tests.ui.features_of import annotations_of

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")
BRIEFING = Path(__file__).resolve().parents[2] / "qtgui" / "persian_briefing.md"


def directions(view: QAbstractItemView) -> dict[str, Qt.LayoutDirection]:
    """The text of each row the view shows and the direction its delegate paints it in."""
    model, out = view.model(), {}
    delegate = view.itemDelegate()
    assert isinstance(delegate, TextDirectionDelegate)

    def walk(parent) -> None:
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            option = QStyleOptionViewItem()
            option.initFrom(view)
            delegate.initStyleOption(option, index)
            out[option.text] = option.direction
            walk(index)

    walk(view.rootIndex())
    return out


@pytest.fixture
def persian(tmp_path: Path) -> Path:
    folder = tmp_path / "content" / "fa"
    folder.mkdir(parents=True)
    shutil.copy(BRIEFING, folder / "briefing.md")
    return tmp_path / "content"


def test_tree_rows_take_their_titles_direction(open_window, persian: Path) -> None:
    window = open_window(persian)
    assert window.layoutDirection() == Qt.LayoutDirection.LeftToRight
    rows = directions(window.tree)
    rtl = Qt.LayoutDirection.RightToLeft
    assert rows["همکاری نظامی با NATO 2026"] == rtl
    assert rows["گزارش ایران و روسیه"] == rtl
    assert rows["Energy and نفت"] != rtl


def test_annotation_rows_take_their_texts_direction(open_window, persian: Path, data_dir: Path) -> None:
    window = open_window(persian)
    section = window.library.find("nato-2026")
    assert section is not None
    store = AnnotationStore.in_folder(data_dir)
    ann = service.create_for_quote(section, "رزمایش مشترک", note="یادداشت")
    assert ann is not None
    store.add(ann)
    store.close()
    controller = annotations_of(window)
    controller.refresh()
    QApplication.processEvents()
    view = controller.dock.all.view
    view.expandAll()
    rows = directions(view)
    assert rows and all(d == Qt.LayoutDirection.RightToLeft for d in rows.values()), rows

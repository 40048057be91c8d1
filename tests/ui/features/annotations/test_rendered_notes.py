"""Notes are shown rendered, never as raw Markdown: the annotations panel and the hover tooltip."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont, QTextDocument
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QApplication, QLabel, QToolTip

from reader.annotations import service
from reader.ui.features.annotations.note_tooltip import note_tooltip
from reader.ui.shell.main_window import MainWindow
from tests.ui.features_of import annotations_of

QUOTE = "strategic partnership between Iran and Russia"
NOTE = "**revisionist** and _x_ <script>alert(1)</script>"
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")


def bold_words(rich_text: str) -> list[str]:
    """The words Qt itself shows in bold when it lays `rich_text` out."""
    doc = QTextDocument()
    doc.setHtml(rich_text)
    words, block = [], doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().fontWeight() >= QFont.Weight.Bold:
                words.append(fragment.text())
            it += 1
        block = block.next()
    return words


@pytest.fixture
def window(open_window) -> MainWindow:
    w = open_window(size=(1100, 800), restore=False)
    section = w.library.find("deepening-ties")
    w.show_section(section)
    annotations_of(w).store.add(service.create_for_quote(section, QUOTE, note=NOTE))
    return w


def test_the_panel_lists_the_note_rendered(window: MainWindow, qtbot, qtmodeltester) -> None:
    pane = annotations_of(window).dock.all
    qtbot.waitUntil(lambda: pane.model.rowCount() == 1)
    qtmodeltester.check(pane.model)
    entry = pane.model.index(0, 0, pane.model.index(0, 0))
    label = entry.data(Qt.ItemDataRole.DisplayRole)
    assert label.endswith("— revisionist and x <script>alert(1)</script>")
    tip = entry.data(Qt.ItemDataRole.ToolTipRole)
    assert "<strong>revisionist</strong> and <em>x</em>" in tip and "<script" not in tip
    assert bold_words(tip)[-1] == "revisionist"  # after the section title
    doc = QTextDocument()
    doc.setHtml(tip)
    assert "**" not in doc.toPlainText() and "_x_" not in doc.toPlainText()
    assert "alert(1)" in doc.toPlainText()  # the typed tag as text, not a script
    pane.filter.setText("revisionist and x")  # the words shown, not the Markdown typed
    assert pane.proxy.rowCount() == 1


def test_the_tooltip_over_a_note_is_its_rendered_html(window: MainWindow, qtbot) -> None:
    [painted] = annotations_of(window).painted
    tip = note_tooltip(painted.annotation)
    assert tip == "<p><strong>revisionist</strong> and <em>x</em> &lt;script&gt;alert(1)&lt;/script&gt;</p>"
    assert GuiQt.mightBeRichText(tip)
    assert bold_words(tip) == ["revisionist"]
    viewport = window.article.viewport()
    QToolTip.showText(viewport.mapToGlobal(QPoint(20, 20)), tip, viewport)
    qtbot.waitUntil(QToolTip.isVisible)
    [label] = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, QLabel) and w.objectName() == "qtooltip_label" and w.isVisible()]
    assert label.wordWrap()  # taken as rich text: Qt wraps only rich tooltips
    assert label.text() == tip
    QToolTip.hideText()
    qtbot.waitUntil(lambda: not QToolTip.isVisible())
    assert note_tooltip(service.create_for_quote(window.current, QUOTE)) == ""

"""Zoom (keys, wheel, menu), body font and reading width; all remembered."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QKeySequence, QWheelEvent
from PySide6.QtWidgets import QApplication

from reader.ui.kit.settings import Settings
from reader.ui.reading.typography import BASE_SIZE, scale_css, step_size
from reader.ui.shell.main_window import MainWindow
from tests.ui.comfort_support import close

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)")


def body_size(window: MainWindow) -> float:
    return window.article.document().defaultFont().pointSizeF()


def h1_size(window: MainWindow) -> float:
    cursor = window.article.document().find("Iran And Russia")
    return cursor.charFormat().fontPointSize()


def test_zoom_keys_are_the_standard_ones(open_window) -> None:
    window = open_window()
    acts = window.actions_by_name
    assert QKeySequence("Ctrl+=") in acts["zoom_in"].shortcuts()
    assert QKeySequence(QKeySequence.StandardKey.ZoomIn) in acts["zoom_in"].shortcuts()
    assert QKeySequence("Ctrl+-") in acts["zoom_out"].shortcuts()
    assert acts["zoom_reset"].shortcut() == QKeySequence("Ctrl+0")


def test_zoom_scales_body_and_headings_and_persists(open_window, data_dir) -> None:
    window = open_window()
    before_body, before_h1 = body_size(window), h1_size(window)
    window.actions_by_name["zoom_in"].trigger()
    window.actions_by_name["zoom_in"].trigger()
    assert body_size(window) == step_size(BASE_SIZE, 2) > before_body
    assert h1_size(window) > before_h1  # headings scale too, not only the body
    close(window)
    assert Settings(data_dir / "settings.ini").font_size == step_size(BASE_SIZE, 2)

    again = open_window()
    assert body_size(again) == step_size(BASE_SIZE, 2)
    again.actions_by_name["zoom_reset"].trigger()
    assert body_size(again) == BASE_SIZE
    assert h1_size(again) == before_h1


def test_ctrl_wheel_zooms_and_plain_wheel_scrolls(open_window) -> None:
    window = open_window()
    viewport = window.article.viewport()

    def wheel(dy: int, mods: Qt.KeyboardModifier) -> None:
        event = QWheelEvent(QPointF(50, 50), QPointF(viewport.mapToGlobal(QPoint(50, 50))),
                            QPoint(0, 0), QPoint(0, dy), Qt.MouseButton.NoButton, mods,
                            Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(viewport, event)

    wheel(120, Qt.KeyboardModifier.ControlModifier)
    assert body_size(window) == step_size(BASE_SIZE, 1)
    wheel(-240, Qt.KeyboardModifier.ControlModifier)
    assert body_size(window) == step_size(BASE_SIZE, -1)
    assert window.article.verticalScrollBar().value() == 0
    wheel(-120, Qt.KeyboardModifier.NoModifier)
    assert window.article.verticalScrollBar().value() > 0
    assert body_size(window) == step_size(BASE_SIZE, -1)


def test_font_family_and_width_are_applied_and_remembered(open_window, data_dir) -> None:
    window = open_window(size=(1600, 900))  # room for margins at "medium"
    serif = window.article.document().defaultFont().family()
    margin = window.article.viewportMargins().left()
    window.actions_by_name["font_sans"].trigger()
    window.actions_by_name["width_narrow"].trigger()
    assert window.article.document().defaultFont().family() != serif
    assert window.article.viewportMargins().left() > margin  # a narrower column
    window.actions_by_name["width_full"].trigger()
    assert window.article.viewportMargins().left() < margin
    close(window)
    s = Settings(data_dir / "settings.ini")
    assert (s.font_family, s.text_width) == ("sans", 0)
    again = open_window()
    assert again.article.document().defaultFont().family() != serif
    assert again.actions_by_name["font_sans"].isChecked()
    assert again.actions_by_name["width_full"].isChecked()


def test_scale_css_only_touches_point_sizes() -> None:
    assert scale_css("h1 { font-size: 22pt; margin-top: 8px; }", 2) == \
        "h1 { font-size: 44pt; margin-top: 8px; }"
    assert step_size(13, 100) == 32 and step_size(13, -100) == 8


def line_height(window: MainWindow) -> float:
    """The line height (per cent of the font's) of a body paragraph, as laid out."""
    return window.article.document().find("Hey everyone").block().blockFormat().lineHeight()


def line_step(window: MainWindow) -> float:
    """Pixels from one line of a long body paragraph to the next."""
    layout = window.article.document().find("Hey everyone").block().layout()
    assert layout.lineCount() > 1
    return layout.lineAt(1).y() - layout.lineAt(0).y()


def test_line_spacing_and_page_margins_apply_live_and_persist(open_window, qtbot, data_dir) -> None:
    window = open_window()
    assert line_height(window) == 150  # the style sheet's own spacing
    step, margin = line_step(window), window.article.document().documentMargin()
    dialog = window.show_preferences()
    assert dialog.line_spacing.value() == 1.5
    dialog.line_spacing.setFocus()
    for _ in range(7):  # 1.5 -> 2.0, and no further
        qtbot.keyClick(dialog.line_spacing, Qt.Key.Key_Up)
    assert dialog.line_spacing.value() == 2.0
    assert line_height(window) == 200  # live, before OK
    assert line_step(window) > step * 1.2
    qtbot.keyClick(dialog.margins, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.margins, Qt.Key.Key_Down)
    assert dialog.margins.currentData() == "large"
    assert window.article.document().documentMargin() == 48 > margin
    dialog.accept()
    window.set_theme("dark")  # a live theme switch keeps them
    assert line_height(window) == 200 and window.article.document().documentMargin() == 48
    window.actions_by_name["zoom_in"].trigger()
    assert window.article.document().documentMargin() > 48  # grows with the text
    close(window)
    s = Settings(data_dir / "settings.ini")
    assert (s.line_spacing, s.page_margin) == (2.0, 48)
    again = open_window()
    assert line_height(again) == 200
    assert again.article.document().documentMargin() > 48  # still zoomed in
    again.actions_by_name["zoom_reset"].trigger()
    assert again.article.document().documentMargin() == 48


def test_cancel_puts_back_the_spacing_and_margins_tried(open_window, qtbot) -> None:
    window = open_window()
    dialog = window.show_preferences()
    dialog.line_spacing.setValue(1.2)
    dialog.margins.setCurrentIndex(dialog.margins.findData("medium"))
    assert line_height(window) == 120 and window.article.document().documentMargin() == 24
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert line_height(window) == 150 and window.article.document().documentMargin() == 4
    assert (window.settings.line_spacing, window.settings.page_margin) == (1.5, 4)


def test_line_spacing_from_a_hand_edited_settings_file_is_clamped(open_window, data_dir) -> None:
    Settings(data_dir / "settings.ini").line_spacing = 9.0
    window = open_window()
    assert line_height(window) == 200

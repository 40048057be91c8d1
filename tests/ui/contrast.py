"""Contrast of text as it is painted: grab a widget, take the most common colour as its
background and the pixel farthest from it in luminance as its text. Palettes alone do not tell
(style sheets, cached palettes and hard-coded colours all paint over them)."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QDockWidget,
    QLabel,
    QMainWindow,
    QTabBar,
    QTextBrowser,
    QToolButton,
    QWidget,
)

WCAG_AA = 4.5


def luminance(c: QColor) -> float:
    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue())


def ratio(a: QColor, b: QColor) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def painted_colours(widget: QWidget) -> tuple[QColor, QColor] | None:
    """(background, text) as painted, or None when the grab shows a single colour."""
    return colours_of(grab_in_window(widget, QRect(QPoint(0, 0), widget.size())))


def grab_in_window(widget: QWidget, rect: QRect) -> QImage:
    """What the window shows in `rect` of `widget`: grabbing the widget alone would paint its
    own palette's background under it, not what its parent really paints there."""
    top = widget.window()
    return top.grab(QRect(widget.mapTo(top, rect.topLeft()), rect.size())).toImage()


def colours_of(image: QImage) -> tuple[QColor, QColor] | None:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    w, h = image.width(), image.height()
    counts: Counter[int] = Counter(image.pixel(x, y) for y in range(0, h) for x in range(0, w))
    if len(counts) < 2:
        return None
    background = QColor.fromRgb(counts.most_common(1)[0][0])
    text = max((QColor.fromRgb(p) for p in counts), key=lambda c: ratio(c, background))
    return background, text


def text_widgets(window: QMainWindow) -> list[tuple[str, QWidget]]:
    """Visible, enabled widgets that show text: labels, buttons with text, tab bars, dock title
    bars (as their dock's title), the text views of docks."""
    out: list[tuple[str, QWidget]] = []
    for w in window.findChildren(QWidget):
        if not w.isVisible() or not w.isEnabled() or w.width() < 4 or w.height() < 4:
            continue
        if isinstance(w, QLabel) and w.text().strip() and w.pixmap().isNull():
            out.append((f"label {w.text()[:30]!r}", w))
        elif isinstance(w, QToolButton):
            # An icon-only button shows its text when it has no icon.
            if w.text().strip() and (w.icon().isNull() or
                                     w.toolButtonStyle() != Qt.ToolButtonStyle.ToolButtonIconOnly):
                out.append((f"tool button {w.text()!r}", w))
        elif isinstance(w, QAbstractButton) and w.text().strip():
            out.append((f"button {w.text()!r}", w))
        elif isinstance(w, QTabBar) and w.count():
            out.append((f"tabs {w.tabText(0)!r}", w))
        elif isinstance(w, QTextBrowser) and isinstance(w.parentWidget(), QWidget) and \
                w.objectName() == "DiffView" and w.toPlainText().strip():
            out.append(("diff view", w.viewport()))
    return out


def title_bar_colours(dock: QDockWidget) -> tuple[QColor, QColor] | None:
    """(background, text) of a dock's title bar: the strip above its widget."""
    inner = dock.widget()
    height = inner.geometry().top() if inner is not None else 0
    if height < 6:
        return None
    return colours_of(grab_in_window(dock, QRect(0, 0, dock.width(), height)))


def low_contrast(window: QMainWindow, minimum: float = WCAG_AA) -> list[str]:
    """What falls short of `minimum`, one line each."""
    bad = []
    measured = [(name, painted_colours(widget)) for name, widget in text_widgets(window)]
    measured += [(f"dock title {d.windowTitle()!r}", title_bar_colours(d))
                 for d in window.findChildren(QDockWidget) if d.isVisible() and not d.isFloating()]
    for name, colours in measured:
        if colours is None:
            continue
        bg, fg = colours
        r = ratio(bg, fg)
        if r < minimum:
            bad.append(f"{name}: {fg.name()} on {bg.name()} = {r:.2f}")
    return bad

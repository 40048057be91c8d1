"""Accessible names and descriptions for the parts of the main window that Qt cannot name by
itself (containers, scroll bars, bars), and the helpers the tests use to check that every
visible widget a screen reader reaches has a name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractScrollArea, QSizeGrip, QWidget

if TYPE_CHECKING:
    from reader.ui.shell.main_window import MainWindow

# Qt's own sub-parts (toolbar separators and extension buttons, the size grip; viewports and
# splitter handles are named qt_*): they are exposed through their owners' roles.
DECORATION_CLASSES = {"QToolBarSeparator", "QSizeGrip", "QToolBarExtension"}


def label_window(window: MainWindow) -> None:
    """Name the containers and scroll bars of the window (the leaf widgets name themselves)."""
    window.contents_dock.setAccessibleDescription("The sections of every briefing, with a filter")
    window.menuBar().setAccessibleName("Menu bar")
    window.statusBar().setAccessibleName("Status bar")
    window.statusBar().setAccessibleDescription("Messages and the reading position")
    for grip in window.statusBar().findChildren(QSizeGrip):
        grip.setAccessibleName("Resize window")
    name_scroll_bars(window.article, "Article")
    name_scroll_bars(window.tree, "Sections")


def name_scroll_bars(area: QAbstractScrollArea, owner: str) -> None:
    area.verticalScrollBar().setAccessibleName(f"{owner} vertical scroll bar")
    area.horizontalScrollBar().setAccessibleName(f"{owner} horizontal scroll bar")


def is_decoration(widget: QWidget) -> bool:
    """Parts a screen reader need not name: Qt's internals, plain `QWidget` layout containers
    (their children carry the names) and paint-only overlays that take no input."""
    return (widget.objectName().startswith("qt_")
            or widget.metaObject().className() in DECORATION_CLASSES
            or widget.metaObject().className() == "QWidget"
            or (widget.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
                and widget.focusPolicy() == Qt.FocusPolicy.NoFocus))


def accessible_name(widget: QWidget) -> str:
    """The name a screen reader announces (explicit, or derived by Qt from text/title)."""
    from PySide6.QtGui import QAccessible  # its enums cost ~2 ms, for tests and checks only

    iface = QAccessible.queryAccessibleInterface(widget)
    return iface.text(QAccessible.Text.Name) if iface is not None else ""


def unnamed_widgets(root: QWidget) -> list[str]:
    """Visible, non-decoration widgets under `root` (itself included) without a name."""
    missing = []
    for widget in [root, *root.findChildren(QWidget)]:
        if widget.isVisible() and not is_decoration(widget) and not accessible_name(widget).strip():
            missing.append(f"{widget.metaObject().className()} {widget.objectName()!r}")
    return missing

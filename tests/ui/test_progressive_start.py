"""The window a user starts (`start_window`, what `run_gui` runs before the event loop): the
section is painted before the features that do not shape the first screen are installed, and
those then arrive complete, with their docks where the last session left them."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QDockWidget

from reader.ui.application import create_window, start_window
from reader.ui.keyboard import mnemonic
from tests.ui.comfort_support import close, make_context


class PaintSpy(QObject):
    """Records, at the article's first paint, which features the window had."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window, self.at_first_paint = window, None

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint and self.at_first_paint is None:
            self.at_first_paint = {name: hasattr(self.window, name) for name in
                                   ("search_panel", "annotations", "updates", "printing")}
        return False


def mnemonic_clashes(menu) -> list[str]:
    """Entries without a mnemonic, or sharing one with an earlier entry of their menu."""
    bad, used = [], set()
    for action in (a for a in menu.actions() if not a.isSeparator()):
        letter = mnemonic(action.text())
        if letter is None or letter in used:
            bad.append(action.text())
        used.add(letter)
        if action.menu() is not None:
            bad += mnemonic_clashes(action.menu())
    return bad


def started(qtbot, data_dir, spy: bool = False):
    window = start_window(make_context(data_dir))
    qtbot.addWidget(window)
    paint_spy = None
    if spy:
        paint_spy = PaintSpy(window)
        window.article.viewport().installEventFilter(paint_spy)
    qtbot.waitUntil(lambda: getattr(window, "features_ready", False), timeout=10_000)
    return window, paint_spy


def test_first_paint_comes_before_the_later_features(qtbot, data_dir):
    window = start_window(make_context(data_dir))
    qtbot.addWidget(window)
    # Nothing has painted yet: the later features are not installed, the first screen's are.
    assert hasattr(window, "search_panel") and not hasattr(window, "annotations")
    spy = PaintSpy(window)
    window.article.viewport().installEventFilter(spy)
    qtbot.waitUntil(lambda: getattr(window, "features_ready", False), timeout=10_000)
    assert spy.at_first_paint == {"search_panel": True, "annotations": False, "updates": False,
                                  "printing": False}
    assert "Iran And Russia" in window.article.toPlainText()
    close(window)


def test_later_features_arrive_complete(qtbot, data_dir):
    window, _ = started(qtbot, data_dir)
    full = create_window(make_context(data_dir / "other"))  # every feature installed at once
    qtbot.addWidget(full)
    assert set(window.actions_by_name) == set(full.actions_by_name)
    full.restore(None)
    full.show()
    QApplication.processEvents()
    # Mnemonics are settled after the late entries as well as when all come at once (before
    # settling, ten entries clash; both windows leave only the Annotations toggle, whose text
    # Qt resets when the dock is shown).
    assert mnemonic_clashes(window.menuBar()) == mnemonic_clashes(full.menuBar())
    assert len(mnemonic_clashes(window.menuBar())) <= 1
    names = {d.objectName() for d in window.findChildren(QDockWidget)}
    assert names == {d.objectName() for d in full.findChildren(QDockWidget)}
    # The annotations feature sees the section already on screen: reading it marks it read.
    assert window.actions_by_name["toggle_read"].isEnabled()
    full.close()
    close(window)


def test_docks_and_toolbars_come_back_where_they_were(qtbot, data_dir):
    window, _ = started(qtbot, data_dir)
    window.annotations.dock.show()  # the reader opens the Annotations dock, then quits
    window.annotations.toolbar.hide()
    QApplication.processEvents()
    close(window)

    again, _ = started(qtbot, data_dir)
    QApplication.processEvents()
    assert again.annotations.dock.isVisible()  # restored though it was created after the paint
    assert not again.annotations.toolbar.isVisible()
    close(again)

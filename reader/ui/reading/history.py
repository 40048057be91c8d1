"""Back/forward history of where the reader has been (page + scroll position), like a browser.

`History` is plain Python; `Navigator` ties it to a window: it records the place being left
before every jump (`MainWindow.show_section` and in-page links call `leaving()`), restores
places (re-rendering only when the page differs), keeps the Back/Forward actions enabled
correctly and turns the mouse's back/forward buttons into the same commands. It also saves the
reading position per briefing so each briefing reopens where it was left: as you read, a moment
after scrolling or paging stops (so a session ended without a clean quit, even by SIGKILL,
reopens where it was), and when the window closes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QMouseEvent

if TYPE_CHECKING:
    from reader.ui.shell.main_window import MainWindow

LIMIT = 200  # places kept in each direction
SAVE_DELAY_MS = 700  # the position is written this long after scrolling or paging stops


@dataclass(frozen=True)
class Location:
    """A place in the library: the key of the page's section and how far down it is."""

    key: str
    fraction: float = 0.0


class History:
    """Two stacks; visiting somewhere new forgets the forward stack, as browsers do."""

    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        self.back_stack: list[Location] = []
        self.forward_stack: list[Location] = []

    def visit(self, leaving: Location) -> None:
        if self.back_stack and self.back_stack[-1] == leaving:
            return
        self.back_stack = [*self.back_stack, leaving][-self.limit:]
        self.forward_stack.clear()

    def back(self, here: Location) -> Location | None:
        if not self.back_stack:
            return None
        self.forward_stack.append(here)
        return self.back_stack.pop()

    def forward(self, here: Location) -> Location | None:
        if not self.forward_stack:
            return None
        self.back_stack.append(here)
        return self.forward_stack.pop()

    def clear(self) -> None:
        self.back_stack.clear()
        self.forward_stack.clear()


class Navigator(QObject):
    """Window-side history: records jumps, goes back/forward, handles mouse side buttons."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.history = History()
        self._restoring = False
        for widget in (window.article.viewport(), window.tree.viewport()):
            widget.installEventFilter(self)
        # Debounced: scrolling writes the settings file once it stops, not at every step.
        self._save_timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_now)
        window.article.verticalScrollBar().valueChanged.connect(self.schedule_save)
        window.section_shown.connect(self.schedule_save)

    def here(self) -> Location | None:
        w = self.window
        if w.current is None:
            return None
        return Location(w.current.key, w.article.scroll_fraction())

    def leaving(self) -> None:
        """Called before every jump: remember the place being left (unless going back/forward)."""
        here = self.here()
        if here is None:
            return
        self.save_position(here)
        if not self._restoring:
            self.history.visit(here)
            self.update_actions()

    def back(self) -> None:
        here = self.here()
        target = self.history.back(here) if here else None
        if target is not None:
            self.go(target)

    def forward(self) -> None:
        here = self.here()
        target = self.history.forward(here) if here else None
        if target is not None:
            self.go(target)

    def go(self, place: Location) -> bool:
        """Show a place without recording it as a new visit; False if it no longer exists."""
        w = self.window
        section = w.library.find(place.key)
        if section is None:
            w.statusBar().showMessage("That place is no longer in the library.", 5000)
            self.update_actions()
            return False
        self._restoring = True
        try:
            if section is not w.current:
                w.show_section(section)
            w.article.set_scroll_fraction(place.fraction)
        finally:
            self._restoring = False
        self.update_actions()
        return True

    def save_position(self, place: Location | None = None) -> None:
        """Remember where the reader is in this briefing (for reopening)."""
        place = place or self.here()
        w = self.window
        if place is not None and w.current is not None and w.current.briefing is not None:
            w.settings.set_position(w.current.briefing.id, place.key, place.fraction)

    def schedule_save(self, *_changed: object) -> None:
        """Save the position once the reader has stopped moving for SAVE_DELAY_MS."""
        self._save_timer.start()

    def save_now(self) -> None:
        """Write the position to disk now (the debounced save, closing, the session's end)."""
        self._save_timer.stop()
        self.save_position()
        self.window.settings.sync()

    def update_actions(self) -> None:
        actions = self.window.actions_by_name
        if "back" in actions:
            actions["back"].setEnabled(bool(self.history.back_stack))
            actions["forward"].setEnabled(bool(self.history.forward_stack))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The mouse's back/forward side buttons, over the article or the tree."""
        if event.type() == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            if event.button() == Qt.MouseButton.BackButton:
                self.back()
                return True
            if event.button() == Qt.MouseButton.ForwardButton:
                self.forward()
                return True
        return False

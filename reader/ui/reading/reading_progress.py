"""The reading-progress indicator in the status bar: "Section n of N · about m min left" and a
thin bar showing how much of the briefing lies before the section being read."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar

from reader.content import Section
from reader.content.page import reading_minutes, word_count
from reader.ui.kit.themes import mute


class ReadingProgress(QObject):
    def __init__(self, status_bar: QStatusBar) -> None:
        super().__init__(status_bar)
        self.label = QLabel()
        self.label.setAccessibleName("Reading position")
        mute(self.label)
        self.bar = QProgressBar()
        self.bar.setObjectName("ReadingProgress")
        self.bar.setAccessibleName("Reading progress")
        self.bar.setRange(0, 100)
        self.bar.setTextVisible(False)  # a quiet bar; the number is in its tooltip
        self.bar.setFixedSize(110, 8)
        self._value, self._title = 0, ""
        status_bar.addPermanentWidget(self.label)
        status_bar.addPermanentWidget(self.bar)

    def show(self, section: Section) -> None:
        """Show where `section` (the one at the top of the view) is in its briefing."""
        b = section.briefing
        if b is None:
            return
        order = list(b.sections())
        n = order.index(section)
        words = [word_count(s, include_children=False) for s in order]
        left = sum(words[n:])
        self.label.setText(
            f"Section {n + 1} of {len(order)} · about {reading_minutes(left)} min left"
        )
        self._value = round(100 * (1 - left / max(1, sum(words))))
        self._title = b.title
        # Deferred: QProgressBar.setValue repaints at once, which would paint other widgets
        # (annotation markers) mid page change, before they have heard of the new page.
        QTimer.singleShot(0, self, self._paint)

    def _paint(self) -> None:
        self.bar.setValue(self._value)
        read = f"{self._value} % of {self._title} read"
        self.bar.setToolTip(read)
        self.bar.setAccessibleDescription(read)

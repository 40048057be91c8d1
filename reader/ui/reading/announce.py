"""Tell a screen reader something that happened without moving its focus: the status bar shows
the sentence for the eye, an accessibility announcement speaks it (Qt 6.8's
`QAccessibleAnnouncementEvent`; nothing happens while no assistive technology listens)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStatusBar, QWidget


def announce(status: QStatusBar, source: QWidget, text: str, timeout_ms: int = 4000) -> None:
    """Show `text` in the status bar and announce it, as said by `source` (e.g. the article)."""
    from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent  # enums: ~2 ms, on use

    status.showMessage(text, timeout_ms)
    QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(source, text))

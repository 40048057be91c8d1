"""Files dropped on the window are imported: an event filter the updates feature installs on the
main window (the window itself needs no drop code). A drag of local files it can import
(briefing packs, documents to convert) is accepted; anything else is refused, so the cursor
says no before the reader lets go."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QWidget

PACK_SUFFIXES = (".md", ".zip")
FOLDER_SCAN_LIMIT = 2000  # entries looked at on a drag over a folder: the GUI thread waits for it


def importable(path: Path) -> bool:
    """A file or folder File ▸ Import takes. Cheap enough for a drag-enter: a file by its name
    (its content is checked on import, with a message), a folder by a bounded look inside."""
    from reader.convert import EXTENSIONS

    if path.is_file():
        return path.suffix.lower() in EXTENSIONS or path.suffix.lower() in PACK_SUFFIXES
    if path.is_dir():
        return _folder_has_documents(path)
    return False


def _folder_has_documents(folder: Path) -> bool:
    """A Markdown or HTML file somewhere inside; a folder too big to look through is let in (the
    import says what it found)."""
    seen = 0
    for _root, _dirs, files in os.walk(folder):
        for name in files:
            if name.lower().endswith((".md", ".markdown", ".html", ".htm", ".xhtml")):
                return True
        seen += len(files) + len(_dirs)
        if seen > FOLDER_SCAN_LIMIT:
            return True
    return False


def dropped_paths(mime: QMimeData) -> list[Path]:
    """The local files of a drag, in its order (no remote URLs, no text)."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]


class FileDropFilter(QObject):
    """Accepts drags of importable local files over `window` and hands a drop's files to
    `on_drop` (the importable ones, in order; `on_skipped` hears of the others)."""

    def __init__(self, window: QWidget, on_drop: Callable[[list[Path]], object],
                 on_skipped: Callable[[list[Path]], object] = lambda _paths: None) -> None:
        super().__init__(window)
        self.window = window
        self.on_drop, self.on_skipped = on_drop, on_skipped
        self._accept = False  # the answer to the drag in progress, given on its enter
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.window:
            return False
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and isinstance(event, QDragMoveEvent):
            self._answer(event)
            return True
        if kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
            paths = dropped_paths(event.mimeData())
            wanted = [p for p in paths if importable(p)]
            if not wanted:
                event.ignore()
                return True
            event.acceptProposedAction()
            skipped = [p for p in paths if p not in wanted]
            if skipped:
                self.on_skipped(skipped)
            self.on_drop(wanted)
            return True
        return False

    def _answer(self, event: QDragMoveEvent) -> None:
        """Accept when at least one dropped file can be imported (the others are named on the
        drop); else ignore, which shows the no-drop cursor."""
        if isinstance(event, QDragEnterEvent):  # moves reuse it: no look at the disk per pixel
            self._accept = any(importable(p) for p in dropped_paths(event.mimeData()))
        if self._accept:
            event.acceptProposedAction()
        else:
            event.ignore()

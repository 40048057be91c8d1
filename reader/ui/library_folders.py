"""File ▸ Open Content Folder… and File ▸ Open Recent: read another folder of briefings.

The chosen folder replaces the bundled briefings (briefings imported into the data folder stay),
is remembered for the next start and put first in the recent list. A folder with no readable
briefing is refused with a message naming the problems; the library in use stays open.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu

from reader.content import Library, load_library
from reader.paths import bundled_content

if TYPE_CHECKING:
    from reader.cli.context import Context
    from reader.ui.main_window import MainWindow
    from reader.ui.settings import Settings

log = logging.getLogger(__name__)


def folders_for(folder: str, data_dir: Path) -> list[Path]:
    """Content folders to load: the chosen one (or the bundled one) plus imported briefings."""
    dirs = [Path(folder) if folder else bundled_content()]
    imported = data_dir / "library"
    if imported.is_dir():
        dirs.append(imported)
    return dirs


def use_remembered_folder(ctx: Context, settings: Settings) -> None:
    """Start on the folder opened last time, unless `--content` names one or it is gone."""
    folder = settings.content_folder
    if ctx.args.content or not folder or "library" in ctx.__dict__:
        return
    if Path(folder).is_dir():
        ctx.args.content = folder
    else:
        log.warning("remembered content folder %s is gone; using the bundled briefings", folder)
        settings.content_folder = ""


class LibraryFolders(QObject):
    """Open a content folder, keep the recent list, and rebuild File ▸ Open Recent."""

    def __init__(self, window: MainWindow, recent_menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        self.recent_menu = recent_menu
        recent_menu.aboutToShow.connect(self.fill_recent)
        self.fill_recent()

    def choose(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # dialogs load their classes when used

        settings = self.window.settings
        start = settings.content_folder or str(Path.home())
        folder = QFileDialog.getExistingDirectory(self.window, "Open Content Folder", start)
        if folder:
            self.open(folder)

    def open(self, folder: str) -> bool:
        """Load a folder ("" = the bundled briefings) and show it; False if it had none."""
        w = self.window
        w.statusBar().showMessage(f"Loading {folder or 'the bundled briefings'}…")
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            library = load_library(folders_for(folder, w.ctx.paths.data))
        finally:
            QApplication.restoreOverrideCursor()
            w.statusBar().clearMessage()
        if not library.briefings:
            self._refuse(folder, library)
            return False
        w.settings.content_folder = folder
        if folder:
            w.settings.add_recent_folder(folder)
        w.ctx.args.content = folder or None
        w.set_library(library)
        w.statusBar().showMessage(f"{len(library.briefings)} briefing(s) from {folder or 'bundle'}",
                                  5000)
        return True

    def fill_recent(self) -> None:
        menu = self.recent_menu
        menu.clear()
        bundled = QAction("&Bundled Briefings", menu)
        bundled.triggered.connect(lambda: self.open(""))
        menu.addAction(bundled)
        folders = self.window.settings.recent_folders
        if folders:
            menu.addSeparator()
        for n, folder in enumerate(folders, start=1):
            escaped = folder.replace("&", "&&")  # a literal & in a path is not a mnemonic
            action = QAction(f"&{n} {escaped}" if n < 10 else escaped, menu)
            action.setToolTip(folder)
            action.triggered.connect(lambda _=False, f=folder: self.open(f))
            menu.addAction(action)

    def _refuse(self, folder: str, library: Library) -> None:
        details = "\n".join(str(p) for p in library.problems[:10])
        log.warning("no briefing in %s: %s", folder, details)
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, "No briefings found",
                          f"“{folder}” holds no briefing that could be opened. The current "
                          "library stays open.", QMessageBox.StandardButton.Ok, self.window)
        if details:
            box.setDetailedText(details)
        box.open()

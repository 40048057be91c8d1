"""File ▸ Open Content Folder… and File ▸ Open Recent: read another folder of briefings; and
`LibraryJobs`, which runs such loads (and pack imports) off the GUI thread.

The chosen folder replaces the bundled briefings (briefings imported into the data folder stay),
is remembered for the next start and put first in the recent list. A folder with no readable
briefing is refused with a message naming the problems; the library in use stays open. Loading
shows its progress in the status bar with a Cancel button; cancelled, nothing changes.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from reader.content import Library, load_library
from reader.session import content_folders

if TYPE_CHECKING:
    from reader.session import Context
    from reader.ui.kit.settings import Settings
    from reader.ui.library.library_jobs import JobControl, LibraryJobs
    from reader.ui.shell.main_window import MainWindow

log = logging.getLogger(__name__)
def load_folders(dirs: list[Path], job: JobControl) -> Library:
    """The library of `dirs`, loaded in a job's thread (plain Python: no Qt object is touched)."""
    return load_library(dirs, job.step)


def use_remembered_folder(ctx: Context, settings: Settings) -> None:
    """Start on the folder opened last time, unless `--content` names one or it is gone."""
    folder = settings.content_folder
    if ctx.session.content or not folder or ctx.session.loaded:
        return
    if Path(folder).is_dir():
        ctx.session.choose(folder)
    else:
        log.warning("remembered content folder %s is gone; using the bundled briefings", folder)
        settings.content_folder = ""


class LibraryFolders(QObject):
    """Open a content folder, keep the recent list, and rebuild File ▸ Open Recent."""

    def __init__(self, window: MainWindow, recent_menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        self.recent_menu = recent_menu
        self._jobs: LibraryJobs | None = None
        recent_menu.aboutToShow.connect(self.fill_recent)
        self.fill_recent()

    @property
    def jobs(self) -> LibraryJobs:
        """The runner of library loads and imports, made on first use (not at start-up)."""
        if self._jobs is None:
            from reader.ui.library.library_jobs import LibraryJobs  # its module too: off the first screen

            self._jobs = LibraryJobs(self.window)
        return self._jobs

    def choose(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # dialogs load their classes when used

        settings = self.window.settings
        start = settings.content_folder or str(Path.home())
        folder = QFileDialog.getExistingDirectory(self.window, "Open Content Folder", start)
        if folder:
            self.open(folder)

    def open(self, folder: str) -> bool:
        """Start loading a folder ("" = the bundled briefings) off the GUI thread; it is shown
        once loaded, or refused if it has no briefing. False if another load still runs."""
        dirs = content_folders(folder, self.window.ctx.paths.data)  # the one rule, as at start
        return self.jobs.start(f"loading {folder or 'the bundled briefings'}",
                               lambda job: load_folders(dirs, job),
                               lambda library: self._loaded(folder, library))

    def _loaded(self, folder: str, library: Library) -> None:
        w = self.window
        if not library.briefings:
            self._refuse(folder, library)
            return
        w.settings.content_folder = folder
        if folder:
            w.settings.add_recent_folder(folder)
        w.ctx.session.use(library, folder or None)
        w.set_library(library)
        w.statusBar().showMessage(f"{len(library.briefings)} briefing(s) from {folder or 'bundle'}",
                                  5000)

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

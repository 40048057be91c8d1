"""File ▸ Export Annotations… and File ▸ Import Annotations…: the command line's
`annotations export|import` (reader.annotations.exchange and the store's merge) from the window.

Export writes W3C Web Annotation JSON or Markdown, chosen by the file-type filter (or the
name's extension); import merges a W3C JSON file into the store (by id, the newer edit wins) and
says in the status bar how many came in and how many were skipped. A file that cannot be read is
refused whole before the store is touched, so a bad file loses nothing.

The file dialogs are the two `ask_*` attributes, so a test (or a script) can answer them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QWidget

from reader.annotations import StoreError
from reader.annotations.exchange import (
    ExchangeError,
    describe_section,
    export_json,
    export_markdown,
    read_json,
)
from reader.ui.reading.announce import announce
from reader.ui.shell.action_registry import ActionSpec

if TYPE_CHECKING:
    from reader.ui.features.annotations.feature import AnnotationsController

log = logging.getLogger(__name__)
JSON_FILTER = "W3C Web Annotations (*.json *.jsonld)"
MARKDOWN_FILTER = "Markdown (*.md *.markdown)"
SAVE_FILTERS = f"{JSON_FILTER};;{MARKDOWN_FILTER}"
OPEN_FILTERS = f"{JSON_FILTER};;All files (*)"
MESSAGE_MS = 10000

# (parent, caption, folder or default file, filters) -> (path or "", chosen filter)
AskPath = Callable[[QWidget, str, str, str], tuple[str, str]]


def _ask_save(parent: QWidget, caption: str, default: str, filters: str) -> tuple[str, str]:
    return QFileDialog.getSaveFileName(parent, caption, default, filters)


def _ask_open(parent: QWidget, caption: str, folder: str, filters: str) -> tuple[str, str]:
    return QFileDialog.getOpenFileName(parent, caption, folder, filters)


def export_target(name: str, chosen_filter: str) -> tuple[Path, str]:
    """The file to write and its format ("json" or "md"): a name's own extension decides, else
    the chosen filter (whose extension is then added)."""
    path = Path(name)
    suffix = path.suffix.lower()
    if suffix in (".md", ".markdown"):
        return path, "md"
    if suffix in (".json", ".jsonld"):
        return path, "json"
    if chosen_filter == MARKDOWN_FILTER:
        return path.with_name(path.name + ".md"), "md"
    return path.with_name(path.name + ".json"), "json"


class AnnotationExchange(QObject):
    """The two File menu commands; `folder` is where the next dialog opens (the last one used)."""

    ask_save_path: AskPath = staticmethod(_ask_save)
    ask_open_path: AskPath = staticmethod(_ask_open)

    def __init__(self, ctl: AnnotationsController) -> None:
        super().__init__(ctl)
        self.ctl, self.window = ctl, ctl.window
        self.folder = str(Path.home())
        r = self.window.registry
        r.declare(ActionSpec("export_annotations", "Export &Annotations…", "file", "import"),
                  self.export_annotations)
        self.import_action = r.declare(
            ActionSpec("import_annotations", "Import A&nnotations…", "file", "import"),
            self.import_annotations)
        self.import_action.setEnabled(not ctl.store.read_only)

    def _say(self, text: str) -> None:
        announce(self.window.statusBar(), self.window.article, text, MESSAGE_MS)

    def export_annotations(self) -> Path | None:
        """Ask for a file and write every annotation to it; the file written, or None."""
        default = str(Path(self.folder) / "annotations.json")
        name, chosen = self.ask_save_path(self.window, "Export Annotations", default, SAVE_FILTERS)
        if not name:
            return None
        path, fmt = export_target(name, chosen)
        library = self.window.library
        try:
            annotations = self.ctl.store.all()
            if fmt == "md":
                n = export_markdown(annotations, path, lambda key: describe_section(library, key))
            else:
                n = export_json(annotations, path)
        except (OSError, StoreError) as exc:
            log.warning("annotation export to %s failed: %s", path, exc)
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self._say(f"Could not export annotations to {path}: {why}.")
            return None
        self.folder = str(path.parent)
        kind = "Markdown" if fmt == "md" else "W3C JSON"
        self._say(f"Exported {n} annotation{'s' if n != 1 else ''} to {path} ({kind}).")
        return path

    def import_annotations(self) -> bool:
        """Ask for a W3C JSON file and merge it into the store; False when nothing came in
        because the file or the store could not be used (the status bar says why)."""
        name, _ = self.ask_open_path(self.window, "Import Annotations", self.folder, OPEN_FILTERS)
        if not name:
            return False
        path = Path(name)
        self.folder = str(path.parent)
        try:
            incoming = read_json(path)
        except ExchangeError as exc:
            log.warning("annotation import failed: %s", exc)
            self._say(f"Nothing imported: {exc}. Your annotations are unchanged.")
            return False
        try:
            report = self.ctl.store.merge(incoming)
        except StoreError as exc:  # read-only file, full disk: the merge was rolled back
            log.warning("annotation import into the store failed: %s", exc)
            self._say(f"Nothing imported: {exc}")
            return False
        came = report.added + report.updated
        self._say(f"Imported {came} annotation{'s' if came != 1 else ''} from {path.name} "
                  f"({report.added} new, {report.updated} updated); {report.unchanged} skipped "
                  "(already there, not newer).")
        return True

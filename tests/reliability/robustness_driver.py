"""The robustness run's child process: the real window, a seeded sequence of what users do, and
the invariants checked after every step (issue 14).

    QT_QPA_PLATFORM=offscreen python -X faulthandler tests/reliability/robustness_driver.py \
        --seed 1 --steps 300 --data-dir /tmp/d [--only a,b] [--skip a,b] [--include-broken]

A `random.Random(seed)` picks each action and its arguments, so a run is replayed by its seed and
step count (timers — the 800 ms "read" dwell, the search debounce — make the app's side only
nearly deterministic). Every step is printed before it runs, so a crash (faulthandler's traceback
on stderr) shows the steps that led to it. Modal dialogs are patched or driven: nothing blocks.

After every step: no Qt warning and no Python exception escaped into Qt; the annotation layer
painted on the page is exactly the stored highlights and notes of the page's sections (text and
theme colour); the tree's current row is the section at the top of the view; a tree filter never
changes the page. Text contrast (tests/ui/contrast.py) is measured every CONTRAST_EVERY steps and
after every theme change. The first broken invariant prints "BREAK ..." and exits 1; a run that
gets through prints its figures and "ok" last.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.ui.features_of import (
    annotations_of,
    find_bar_of,
    printing_of,
    search_indexer_of,
    search_panel_of,
    updates_of,
)

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QModelIndex, Qt, QtMsgType, qInstallMessageHandler  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QDialog,
    QDockWidget,
    QFileDialog,
    QMessageBox,
)

from reader.annotations import COLORS, Kind, service  # noqa: E402
from reader.content import section_plain_text  # noqa: E402
from reader.content.page import page_sections  # noqa: E402
from reader.ui.features.annotations.paint import LAYER  # noqa: E402
from reader.ui.reading.marks import Mark, MarkKind  # noqa: E402
from tests.ui.conftest import make_context  # noqa: E402
from tests.ui.top_level import visible_top_level  # noqa: E402
from tests.updates.helpers import make_pack, updated_text  # noqa: E402

CONTRAST_EVERY = 25
IGNORED_WARNINGS = ("This plugin does not support propagateSizeHints",
                    "This plugin does not support raise")
# Known bugs the run steps around unless --include-broken: an action name is left out of the
# draw; a behaviour name makes the driver avoid (or the invariant tolerate) just that behaviour.
# Empty: the six bugs the first runs found are fixed (tests/ui/shell/test_robustness_findings.py).
KNOWN_BROKEN: dict[str, str] = {}
NOTES = ["**Ask** the desk about _this_.", "- one\n- two\n\n`code` and [a link](https://x.org)",
         "# Heading\n\n> quoted\n\n1. first", "Ünïcödé — “quotes” ✓ 北京", "<b>not html</b> & co",
         "", "   ", "a" * 2000]
TAGS = ["", "follow-up", "a, b, c", " spaced , #hash ", "dup, dup", "ünï, 标签", ",,,"]
QUERIES = ["drone", "sanctions", "russia iran", "energy", "military cooperation", "\"joint research\"",
           "econ*", "drone~", "title:iran", "AND OR NOT", "(((", "\"unclosed", "ž", "satellite",
           "", "x" * 300, "notes", "the"]
FIND = ["the", "Russia", "a", "drone", "zzzz-none", "Iran", "  ", "’", "cooperation"]
FILTERS = ["", "", "iran", "co", "Economic", "zzz", "the", "e", "Global Impact", "Removed"]


class Break(Exception):
    """An invariant does not hold."""


class Run:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.rng = random.Random(args.seed)
        self.data_dir = Path(args.data_dir)
        self.work = Path(tempfile.mkdtemp(prefix="robustness-"))
        self.app = make_app_once()
        self.warnings: list[str] = []
        self.exceptions: list[str] = []
        self.counts: Counter[str] = Counter()
        self.breaks: list[str] = []
        self.picked_page_row = False
        self.window = None  # type: ignore[assignment]
        self.step = 0
        self.packs = self._make_packs()
        self.actions = self._choose_actions()
        qInstallMessageHandler(self._on_qt_message)
        sys.excepthook = self._on_exception
        self._patch_dialogs()

    # -- set-up ---------------------------------------------------------------------------------
    def _make_packs(self) -> dict[str, Path]:
        v2 = make_pack(self.work / "pack-v2", date="2026-11-26", version="2")
        v3 = self.work / "pack-v3"
        v3.mkdir()
        text = updated_text(date="2026-11-27", version="3").replace(
            "met for the first time this\nweek.", "met for the second time this\nweek, in Kazan.")
        (v3 / "iran-russia.md").write_text(text, encoding="utf-8")
        bad = self.work / "pack-bad"
        bad.mkdir()
        (bad / "iran-russia.md").write_text("---\ntitle: [unclosed\n---\n# ", encoding="utf-8")
        return {"v2": v2, "v3": v3, "bad": bad}

    def _choose_actions(self) -> list[tuple[str, int, Callable[[], str]]]:
        table = [(name[3:], weight, getattr(self, name)) for name, weight in WEIGHTS.items()]
        only = set(filter(None, self.args.only.split(","))) if self.args.only else None
        skip = set(filter(None, self.args.skip.split(",")))
        if not self.args.include_broken:
            skip |= set(KNOWN_BROKEN)
        self.avoided = set() if self.args.include_broken else set(KNOWN_BROKEN)
        return [(n, w, f) for n, w, f in table if (only is None or n in only) and n not in skip]

    def _on_qt_message(self, kind: QtMsgType, _context: object, message: str) -> None:
        if kind in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg):
            return
        if not any(message.startswith(ignored) for ignored in IGNORED_WARNINGS):
            self.warnings.append(f"{kind.name}: {message}")

    def _on_exception(self, kind: type, value: BaseException, tb: object) -> None:
        text = "".join(traceback.format_exception(kind, value, tb))  # type: ignore[arg-type]
        sys.stderr.write(text)
        self.exceptions.append(text.strip().splitlines()[-1])

    def _patch_dialogs(self) -> None:
        """Every dialog that would block (exec, static helpers) answers at once; those opened
        with open() are driven by the actions."""
        run = self
        QFileDialog.getSaveFileName = staticmethod(  # type: ignore[method-assign]
            lambda *a, **k: (str(run.work / f"export-{run.step}"), "PDF files (*.pdf)"))
        QFileDialog.getExistingDirectory = staticmethod(  # type: ignore[method-assign]
            lambda *a, **k: str(run.next_pack))
        QFileDialog.getOpenFileName = staticmethod(  # type: ignore[method-assign]
            lambda *a, **k: (str(run.next_pack / "iran-russia.md"), ""))
        QFileDialog.getOpenFileNames = staticmethod(  # type: ignore[method-assign]
            lambda *a, **k: ([str(run.next_pack / "iran-russia.md")], ""))
        for name in ("warning", "critical", "information", "question"):
            setattr(QMessageBox, name, staticmethod(
                lambda *a, _n=name, **k: run.note_box(_n, a) or QMessageBox.StandardButton.Ok))
        import PySide6.QtPrintSupport as print_support

        from reader.ui.features.printing.dialog import PrintOptionsDialog

        def drive_options(dialog: PrintOptionsDialog) -> int:
            from reader.content.print_job import Scope

            dialog.set_scope(run.rng.choice(list(Scope)))
            if dialog.scope() is Scope.CHOSEN and not dialog.sections():
                dialog.set_scope(Scope.SECTION)
            dialog.highlights.setChecked(run.rng.random() < 0.5)
            dialog.notes.setChecked(run.rng.random() < 0.5)
            if run.rng.random() < 0.1:
                dialog.reject()
                return QDialog.DialogCode.Rejected
            dialog.accept()
            return QDialog.DialogCode.Accepted

        PrintOptionsDialog.exec = drive_options  # type: ignore[method-assign,assignment]

        class PrintToFile:  # the platform print dialog, accepted: a PDF file stands in for paper
            def __init__(self, printer, _parent) -> None:  # type: ignore[no-untyped-def]
                printer.setOutputFormat(print_support.QPrinter.OutputFormat.PdfFormat)
                printer.setOutputFileName(str(run.work / "printed.pdf"))

            def exec(self) -> int:
                return 1

        print_support.QPrintDialog = PrintToFile  # type: ignore[misc,assignment]
        self.next_pack = self.packs["v2"]

    def note_box(self, kind: str, args: tuple) -> None:
        print(f"  message box {kind}: {' | '.join(str(a) for a in args[1:3])}", flush=True)

    # -- the window ---------------------------------------------------------------------------
    def open_window(self) -> None:
        """The driver runs outside pytest: its own opener, not tests/ui/conftest.py's fixture."""
        from reader.ui.app.application import create_window

        window = create_window(make_context(self.data_dir))
        window.resize(1200, 800)
        window.restore(None)
        window.show()
        window.activateWindow()
        self.window = window
        self.settle()

    def close_window(self) -> None:
        window, self.window = self.window, None
        window.close()
        window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()

    def settle(self, timeout: float = 60.0, close_dialogs: bool = True) -> None:
        """Let the event loop run until background work (imports, index builds, searches) is
        done and the zero-time timers (annotation refresh, scroll restore) have fired."""
        w = self.window
        deadline = time.monotonic() + timeout
        indexer = search_indexer_of(w)
        printing = getattr(printing_of(w), "tasks", None)  # prints run in the background
        while time.monotonic() < deadline:
            QApplication.processEvents()
            if not (w.folders.jobs.busy or indexer.indexing
                    or indexer.search_pool.activeThreadCount()
                    or indexer.start_timer.isActive() or (printing is not None and printing.busy)):
                break
            time.sleep(0.005)
        else:
            raise Break(f"still busy after {timeout:.0f} s (jobs {w.folders.jobs.what!r}, "
                        f"indexing {indexer.indexing})")
        for _ in range(3):
            QApplication.processEvents()
        # What the event loop does between events: objects given to deleteLater() go.
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        if close_dialogs:
            self.close_stray_dialogs()

    def close_stray_dialogs(self) -> None:
        box = getattr(updates_of(self.window), "message_box", None)
        if box is not None and box.isVisible():
            print(f"  message box: {box.text()} {box.informativeText()[:120]!r}", flush=True)
            box.accept()
            updates_of(self.window).message_box = None
        for w in visible_top_level(QDialog):
            print(f"  closing a dialog left open: {type(w).__name__} {w.windowTitle()!r}")
            w.reject()
        QApplication.processEvents()

    # -- helpers for actions --------------------------------------------------------------------
    @property
    def ctl(self):  # type: ignore[no-untyped-def]
        return annotations_of(self.window)

    def trigger(self, name: str) -> None:
        self.window.actions_by_name[name].trigger()

    def tree_rows(self) -> list[QModelIndex]:
        model, out, stack = self.window.tree.model(), [], [QModelIndex()]
        while stack:
            parent = stack.pop()
            for row in range(model.rowCount(parent)):
                index = model.index(row, 0, parent)
                out.append(index)
                stack.append(index)
        return out

    def select_text(self) -> str:
        """Select some text of the article, mostly inside one section's body."""
        article = self.window.article
        doc_len = article.document().characterCount() - 1
        cursor = QTextCursor(article.document())
        regions = self.ctl.page_map.regions if self.window.current is not None else []
        if regions and self.rng.random() < 0.85:
            r = self.rng.choice(regions)
            if not r.doc_idx:
                return "empty region"
            i = self.rng.randrange(len(r.doc_idx))
            j = min(len(r.doc_idx) - 1, i + self.rng.randint(0, 60))
            start, end = r.doc_idx[i], r.doc_idx[j] + 1
        else:
            start = self.rng.randrange(max(1, doc_len))
            end = min(doc_len, start + self.rng.randint(0, 400))
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        article.setTextCursor(cursor)
        return f"{start}-{end}"

    def some_annotation(self, kinds: tuple[Kind, ...] = tuple(Kind)):  # type: ignore[no-untyped-def]
        found = [a for a in self.ctl.store.all() if a.kind in kinds]
        return self.rng.choice(found) if found else None

    def wait_for(self, done: Callable[[], bool], timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            QApplication.processEvents()
            if done():
                return True
            time.sleep(0.005)
        return False

    # -- actions: each returns what it did, for the step line -----------------------------------
    def do_tree_click(self) -> str:
        rows = self.tree_rows()
        if not rows:
            return "no rows"
        index = self.rng.choice(rows)
        self.window.tree.setCurrentIndex(index)
        self.note_tree_pick()
        return f"row {index.data(Qt.ItemDataRole.AccessibleTextRole)!r}"

    def do_tree_keys(self) -> str:
        key = self.rng.choice([Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_Right, Qt.Key.Key_Left,
                               Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_PageDown])
        self.window.tree.setFocus()
        QTest.keyClick(self.window.tree, key)
        self.note_tree_pick()
        return key.name

    def note_tree_pick(self) -> None:
        """Remember a tree choice that landed on the shown page's own row (see KNOWN_BROKEN)."""
        w = self.window
        index = w.tree.currentIndex()
        row = w.model.section(index) if index.isValid() else None
        self.picked_page_row = row is not None and row is w.current

    def do_go(self) -> str:
        name = self.rng.choice(["next_section", "next_section", "previous_section",
                                "parent_section", "back", "forward"])
        self.trigger(name)
        return name

    def do_scroll(self) -> str:
        bar = self.window.article.verticalScrollBar()
        value = self.rng.choice([0, bar.maximum(), self.rng.randint(0, max(0, bar.maximum()))])
        bar.setValue(value)
        return f"to {value} of {bar.maximum()}"

    def do_search(self) -> str:
        panel = search_panel_of(self.window)
        query = self.rng.choice(QUERIES)
        self.trigger("search")
        shown = []
        panel.results_shown.connect(shown.append)
        panel.field.setText(query)
        if query.strip():
            self.wait_for(lambda: bool(shown) or "not" in panel.status.text(), 10)
        panel.results_shown.disconnect(shown.append)
        rows = panel.model.rowCount()
        if rows and self.rng.random() < 0.8:
            panel.view.setCurrentIndex(panel.model.index(self.rng.randrange(rows), 0))
            panel.field.setFocus()
            QTest.keyClick(panel.field, Qt.Key.Key_Return)
            return f"{query[:30]!r}: {rows} result(s), opened row {panel.view.currentIndex().row()}"
        if self.rng.random() < 0.3:
            QTest.keyClick(panel.field, Qt.Key.Key_Escape)
        return f"{query[:30]!r}: {rows} result(s)"

    def do_hit(self) -> str:
        name = self.rng.choice(["next_hit", "next_hit", "previous_hit"])
        self.trigger(name)
        return name

    def do_find(self) -> str:
        bar = find_bar_of(self.window)
        self.trigger("find_in_page")
        text = self.rng.choice(FIND)
        bar.field.setText(text)
        for _ in range(self.rng.randint(0, 4)):
            QTest.keyClick(bar.field, Qt.Key.Key_Return,
                           self.rng.choice([Qt.KeyboardModifier.NoModifier,
                                            Qt.KeyboardModifier.ShiftModifier]))
        if self.rng.random() < 0.2:
            bar.highlight_all.toggle()
        if self.rng.random() < 0.4 or "find-bar-left-open" in self.avoided:
            QTest.keyClick(bar.field, Qt.Key.Key_Escape)
            return f"{text!r} ({len(bar.matches)} matches), closed"
        return f"{text!r}: {bar.count.text()}"

    def do_highlight(self) -> str:
        where = self.select_text()
        color = self.rng.choice(COLORS)
        self.trigger(f"highlight_{color}")
        return f"{color} at {where}"

    def do_note(self) -> str:
        where = self.select_text()
        before = self.ctl.editor if hasattr(self.ctl, "editor") else None
        self.trigger("add_note")
        editor = getattr(self.ctl, "editor", None)
        if editor is None or editor is before or not editor.isVisible():
            return f"no editor at {where}"
        return f"at {where}: " + self.fill_editor(editor)

    def fill_editor(self, editor) -> str:  # type: ignore[no-untyped-def]
        editor.note.setPlainText(self.rng.choice(NOTES))
        editor.tags.setText(self.rng.choice(TAGS))
        editor.color.setCurrentText(self.rng.choice(COLORS))
        if self.rng.random() < 0.15:
            editor.reject()
            return "cancelled"
        editor.accept()
        return f"saved {editor.note.toPlainText()[:20]!r} tags {editor.tags.text()!r}"

    def do_edit(self) -> str:
        ann = self.some_annotation((Kind.HIGHLIGHT, Kind.NOTE))
        if ann is None:
            return "nothing to edit"
        editor = self.ctl.edit(ann.id)
        return f"{ann.id[:8]}: " + (self.fill_editor(editor) if editor else "no editor")

    def do_undo(self) -> str:
        name = self.rng.choice(["undo", "undo", "redo"])
        self.trigger(name)
        return name

    def click_for_annotation(self, button: str) -> tuple[Any, str]:
        """Select a random annotation in the Annotations panel and click `button`: (the
        annotation, "") or (None, why nothing was clicked)."""
        ann = self.some_annotation()
        if ann is None:
            return None, "no annotation"
        pane = self.ctl.dock.all
        if not pane.select(ann.id):
            return None, f"{ann.id[:8]} not in the list"
        pane.buttons[button].click()
        return ann, ""

    def do_delete(self) -> str:
        ann, why = self.click_for_annotation("Delete")
        return why or f"{ann.kind.value} {ann.id[:8]}"

    def do_jump(self) -> str:
        ann, why = self.click_for_annotation("Go to")
        return why or f"{ann.section_key}"

    def do_bookmark(self) -> str:
        self.trigger("bookmark")
        return self.window.statusBar().currentMessage()[:60]

    def do_read(self) -> str:
        name = self.rng.choice(["toggle_read", "toggle_read", "next_unread"])
        self.trigger(name)
        return name

    def do_theme(self) -> str:
        name = f"theme_{self.rng.choice(['light', 'dark', 'sepia', 'system'])}"
        self.trigger(name)
        self.contrast_due = True
        return name

    def do_typography(self) -> str:
        name = self.rng.choice(["zoom_in", "zoom_in", "zoom_out", "zoom_out", "zoom_reset",
                                "font_serif", "font_sans", "width_narrow", "width_medium",
                                "width_wide", "width_full"])
        self.trigger(name)
        return name

    def do_filter(self) -> str:
        text = self.rng.choice(FILTERS)
        before = self.window.current
        self.window.filter_box.setText(text)
        QApplication.processEvents()
        if self.window.current is not before:
            raise Break(f"typing {text!r} in the tree filter changed the page from "
                        f"{before.key if before else None} to {self.window.current.key}")
        return repr(text)

    def do_panels(self) -> str:
        name = self.rng.choice(["expand_all", "collapse_all", "annotations dock", "changes dock",
                                "contents dock", "resize"])
        w = self.window
        if name == "annotations dock":
            self.ctl.dock.toggleViewAction().trigger()
        elif name == "changes dock":
            updates_of(w).dock.toggleViewAction().trigger()
        elif name == "contents dock":
            w.contents_dock.toggleViewAction().trigger()
        elif name == "resize":
            w.resize(self.rng.randint(700, 1600), self.rng.randint(500, 1000))
        else:
            self.trigger(name)
        return name

    def do_import(self) -> str:
        name = self.rng.choice(["v2", "v2", "v3", "bad"])
        self.next_pack = self.packs[name]
        self.trigger(self.rng.choice(["import_briefing_folder", "import_briefing"]))
        self.settle()
        return f"pack {name}: {self.window.statusBar().currentMessage()[:80]!r}"

    def do_changes(self) -> str:
        upd = updates_of(self.window)
        name = self.rng.choice(["next_change", "next_change", "pick", "mark_all_seen", "dock"])
        if name == "pick":
            rows = upd.dock.model.rowCount()
            if not rows:
                return "pick: no changes listed"
            row = self.rng.randrange(rows)
            upd.dock.show()
            upd.dock.list.setCurrentIndex(upd.dock.model.index(row))
            upd.dock.list.activated.emit(upd.dock.model.index(row))  # as Enter on the row does
            return f"pick row {row} of {rows}"
        if name == "dock":
            upd.dock.toggleViewAction().trigger()
        else:
            self.trigger(name)
        return name

    def do_preview(self) -> str:
        from PySide6.QtPrintSupport import QPrintPreviewWidget

        printing = printing_of(self.window)
        before = printing.preview_dialog
        self.trigger("print_preview")
        self.settle(close_dialogs=False)  # laid out in the background, then the dialog opens
        dialog = printing.preview_dialog
        if dialog is None or dialog is before:
            return f"no preview: {self.window.statusBar().currentMessage()[:60]!r}"
        preview = dialog.findChild(QPrintPreviewWidget)
        self.wait_for(lambda: preview.pageCount() >= 1, 30)
        pages = preview.pageCount()
        dialog.close()
        QApplication.processEvents()
        if pages < 1:
            raise Break("print preview showed no page")
        return f"{pages} page(s)"

    def do_export(self) -> str:
        name = self.rng.choice(["export_pdf", "export_pdf", "print"])
        out = self.work / ("printed.pdf" if name == "print" else f"export-{self.step}.pdf")
        out.unlink(missing_ok=True)
        before = self.window.statusBar().currentMessage()
        self.trigger(name)
        self.settle()  # printing runs in the background
        message = self.window.statusBar().currentMessage()
        if message == before or "page(s)" not in message:
            return f"{name}: {message[:60]!r} (cancelled?)"
        data = out.read_bytes() if out.exists() else b""
        if not data.startswith(b"%PDF") or len(data) < 1000:
            raise Break(f"{name} said {message!r} but {out} holds {len(data)} bytes")
        out.unlink()
        return f"{name}: {message[:60]!r}"

    def do_reopen(self) -> str:
        before = self.window.visible_section()
        self.close_window()
        self.open_window()
        self.contrast_due = True
        after = self.window.visible_section()
        return f"at {before.key if before else None} -> {after.key if after else None}"

    def sabotage(self) -> str:
        """Paint a stray range on the annotation layer, as a repaint bug would (--sabotage-at):
        shows that the highlight invariant bites."""
        article = self.window.article
        stray = Mark(0, min(5, article.document().characterCount() - 1), MarkKind.HIGHLIGHT_YELLOW)
        article.set_marks(LAYER, [*article.marks(LAYER), stray])
        return "sabotaged: a stray highlight painted"

    def where(self) -> str:
        """[page, section at the top, tree row] after a step, for the step line."""
        w = self.window
        current, top = w.current, w.visible_section()
        index = w.tree.currentIndex()
        row = w.model.section(index) if index.isValid() else None

        def tail(s) -> str:  # type: ignore[no-untyped-def]
            return s.id if s is not None else "-"

        return f"[page {tail(current)} top {tail(top)} row {tail(row)}]"

    # -- invariants -----------------------------------------------------------------------------
    def check(self) -> None:
        if self.exceptions:
            raise Break(f"exception in a Qt callback: {self.exceptions[0]}")
        if self.warnings:
            raise Break(f"Qt warning: {self.warnings[0]}")
        self.check_highlights()
        self.check_tree()
        if self.contrast_due or self.step % CONTRAST_EVERY == 0:
            self.contrast_due = False
            bad = self.low_contrast()
            if bad:
                raise Break(f"low contrast in {self.window.themes.current.name}: {bad[:3]}")

    def low_contrast(self) -> list[str]:
        """tests/ui/contrast.py's low_contrast, leaving out a cut-off find bar if avoided."""
        from tests.ui import contrast

        w = self.window
        bar = find_bar_of(w)
        clipped = bar.isVisible() and (bar.x() < 0 or bar.geometry().right() > w.article.width())
        if not (clipped and "find-bar-clipped" in self.avoided):
            return contrast.low_contrast(w)
        widgets = [(n, x) for n, x in contrast.text_widgets(w) if not bar.isAncestorOf(x)]
        measured = [(n, contrast.painted_colours(x)) for n, x in widgets]
        measured += [(f"dock title {d.windowTitle()!r}", contrast.title_bar_colours(d))
                     for d in w.findChildren(QDockWidget) if d.isVisible() and not d.isFloating()]
        return [f"{n}: {fg.name()} on {bg.name()} = {contrast.ratio(bg, fg):.2f}"
                for n, (bg, fg) in ((n, c) for n, c in measured if c is not None)
                if contrast.ratio(bg, fg) < contrast.WCAG_AA]

    def check_highlights(self) -> None:
        w = self.window
        page = w.current
        if page is None or page.briefing is None:
            return
        stored = [a for a in self.ctl.store.all() if a.kind is not Kind.BOOKMARK]
        theme = w.themes.current
        want: Counter[tuple[str, str]] = Counter()
        for section in page_sections(page):
            anns = [a for a in stored if a.section_key == section.key]
            if not anns:
                continue
            anchors = service.anchors_in_section(section, anns)
            text = section_plain_text(section)
            for a in anns:
                at = anchors[a.id]
                if at.attached and at.end > at.start:
                    colour = theme.style(MarkKind.highlight(a.color)).background
                    want[(compact(text[at.start:at.end]), colour.name())] += 1
        # The kept marks, each in its kind's colour, and the view painting each of them.
        shown = {(sel.cursor.selectionStart(), sel.cursor.selectionEnd(),
                  sel.format.background().color().name()) for sel in w.article.extraSelections()}
        got: Counter[tuple[str, str]] = Counter()
        for m in w.article.marks(LAYER):
            if m.kind is MarkKind.NOTE:
                continue  # the underline over a note's fill
            colour = theme.style(m.kind).background.name()
            if (m.start, m.end, colour) not in shown:
                raise Break(f"a highlight mark on {page.key} is not painted: {m}")
            cursor = QTextCursor(w.article.document())
            cursor.setPosition(m.start)
            cursor.setPosition(m.end, QTextCursor.MoveMode.KeepAnchor)
            got[(compact(cursor.selectedText()), colour)] += 1
        if got != want:
            missing, extra = want - got, got - want
            raise Break(f"painted highlights on {page.key} differ from the stored ones: "
                        f"missing {short(missing)}, extra {short(extra)}")

    def check_tree(self) -> None:
        w = self.window
        at = w.visible_section()
        if at is None:
            return
        current = w.tree.currentIndex()
        row = w.model.section(current) if current.isValid() else None
        if row is not None and not w.library.contains(row):
            return  # a removed section's row: its text is in What Changed, the page stays
        if not w.model.index_of(at).isValid():
            return  # hidden by the tree filter: the tree cannot show it
        if row is not w.current:
            self.picked_page_row = False
        if row is not at and "tree-row-of-shown-page" in self.avoided and self.picked_page_row \
                and at in page_sections(w.current):
            return  # the page's row picked in the tree, the view left where it was
        if row is not at:
            raise Break(f"the tree's current row is {row.key if row else None}, the view shows "
                        f"{at.key} (page {w.current.key if w.current else None})")

    # -- the run --------------------------------------------------------------------------------
    def run(self) -> int:
        started = time.perf_counter()
        self.open_window()
        self.contrast_due = True
        names, weights = [a[0] for a in self.actions], [a[1] for a in self.actions]
        funcs = {a[0]: a[2] for a in self.actions}
        print(f"seed {self.args.seed}: {self.args.steps} steps of {', '.join(names)}", flush=True)
        try:
            self.check()
            for step in range(1, self.args.steps + 1):
                self.step = step
                name = self.rng.choices(names, weights)[0]
                print(f"step {self.step} {name}", end=" ", flush=True)
                did = funcs[name]()
                self.counts[name] += 1
                self.settle()
                if step == self.args.sabotage_at:
                    did += " · " + self.sabotage()
                print(f"· {did} {self.where()}", flush=True)
                try:
                    self.check()
                except Break as exc:
                    if not self.args.keep_going:
                        raise
                    self.breaks.append(f"step {self.step} {name}: {exc}")
                    print(f"BREAK seed {self.args.seed} step {self.step}: {exc}", flush=True)
                    self.warnings.clear()
                    self.exceptions.clear()
        except Break as exc:
            print(f"\nBREAK seed {self.args.seed} step {self.step}: {exc}", flush=True)
            print(f"replay: python -X faulthandler tests/reliability/robustness_driver.py "
                  f"--seed {self.args.seed} --steps {self.step} --data-dir NEW_EMPTY_DIR"
                  + (f" --only {self.args.only}" if self.args.only else ""), flush=True)
            return 1
        seconds = time.perf_counter() - started
        self.close_window()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"actions {dict(sorted(self.counts.items()))}")
        print(f"breaks {len(self.breaks)}")
        print(f"survived {self.args.steps} steps in {seconds:.1f} s "
              f"({self.args.steps / seconds:.2f} steps/s), peak rss {rss:.0f} MB")
        print("ok" if not self.breaks else "broken", flush=True)
        return 1 if self.breaks else 0


def compact(text: str) -> str:
    """Text without whitespace (the page and the plain text differ only there)."""
    return re.sub(r"[\s\ufffc]+", "", text)


def short(items: Counter[tuple[str, str]]) -> list[str]:
    return [f"{text[:40]!r} {colour} x{n}" for (text, colour), n in list(items.items())[:4]]


def make_app_once() -> QApplication:
    from reader.ui.app.application import make_app

    return make_app()


# action -> weight (relative frequency of what users do)
WEIGHTS = {
    "do_tree_click": 10, "do_tree_keys": 5, "do_go": 10, "do_scroll": 6, "do_search": 5,
    "do_hit": 4, "do_find": 4, "do_highlight": 8, "do_note": 4, "do_edit": 2, "do_undo": 5,
    "do_delete": 3, "do_jump": 2, "do_bookmark": 2, "do_read": 3, "do_theme": 2,
    "do_typography": 3, "do_filter": 3, "do_panels": 3, "do_import": 1, "do_changes": 3,
    "do_preview": 1, "do_export": 1, "do_reopen": 1,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--only", default="", help="comma-separated actions to draw from")
    parser.add_argument("--skip", default="", help="comma-separated actions to leave out")
    parser.add_argument("--include-broken", action="store_true",
                        help="also run the actions of KNOWN_BROKEN")
    parser.add_argument("--sabotage-at", type=int, default=0,
                        help="after this step paint a stray highlight (the run must break)")
    parser.add_argument("--keep-going", action="store_true",
                        help="report a broken invariant and go on (the bench counts them)")
    args = parser.parse_args()
    Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    return Run(args).run()


if __name__ == "__main__":
    sys.exit(main())

"""The print actions in the window: menu and shortcuts, the what-to-print dialog and its checkable
tree, Print Preview opened and closed offscreen, Export PDF, remembered page set-up, self-test.
Print, Preview and Export run in the background (tests/ui/features/printing/test_print_background.py),
so these wait for their outcome."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QPageLayout
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QFileDialog

from reader.content.print_job import PrintAnnotation, Scope
from reader.content.render import section_plain_text
from reader.ui.app.application import self_test_checks
from reader.ui.features.printing.dialog import CheckableSections, PrintOptionsDialog
from reader.ui.features.printing.feature import check_pdf_export
from reader.ui.kit.settings import Settings
from reader.ui.library.tree_model import SectionTreeModel
from tests.pdf_helpers import pdf_text
from tests.ui.features_of import printing_of


@pytest.fixture
def window(open_window):
    """Restored, never shown."""
    return open_window(size=None, show=False)


def test_file_menu_has_print_actions_with_shortcuts(window):
    acts = window.actions_by_name
    assert acts["print"].shortcut() == QKeySequence(QKeySequence.StandardKey.Print)
    assert acts["export_pdf"].shortcut() == QKeySequence("Ctrl+Shift+E")
    names = [a.objectName() for a in window.registry.menu("file").actions() if a.objectName()]
    assert names[-4:] == ["print", "print_preview", "export_pdf", "quit"]  # imports come first
    assert "PrintingFeature" in [name for name, _check in self_test_checks(window)]


def test_checkable_tree_model(qtmodeltester, window):
    briefing = window.library.briefings[0]
    model = CheckableSections(SectionTreeModel(window.library))
    qtmodeltester.check(model)
    looking = briefing.section("looking-ahead")
    index = model.index_of(looking)
    assert model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert [s.id for s in model.chosen()] == [
        "looking-ahead", "challenges-and-opportunities", "global-impact"]
    child = model.index_of(briefing.section("global-impact"))
    assert model.data(child, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    model.setData(child, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert [s.id for s in model.chosen()] == ["looking-ahead", "challenges-and-opportunities"]


def test_options_dialog_scopes_and_remembered_choices(qtbot, window):
    section = window.library.find("deepening-ties")
    dialog = PrintOptionsDialog(section, window.settings, "Print…", window)
    qtbot.addWidget(dialog)
    assert dialog.scope() is Scope.SUBTREE  # the default: what the page shows
    assert [s.id for s in dialog.sections()] == ["deepening-ties", "military-cooperation",
                                                 "economic-synergies"]
    dialog.set_scope(Scope.SECTION)
    assert [s.id for s in dialog.sections()] == ["deepening-ties"]
    dialog.set_scope(Scope.CHOSEN)
    assert dialog.tree.isEnabled()
    dialog.model.set_checked(list(section.walk()), False)
    assert not dialog.ok_button.isEnabled()  # nothing ticked: nothing to print
    dialog.model.set_checked([window.library.find("wrap-up"), window.library.find("iran-russia")])
    assert [s.id for s in dialog.sections()] == ["iran-russia", "wrap-up"]
    dialog.notes.setChecked(True)
    dialog.accept()
    again = PrintOptionsDialog(section, window.settings, "Print…", window)
    qtbot.addWidget(again)
    assert again.scope() is Scope.CHOSEN and again.notes.isChecked()
    again.set_scope(Scope.BRIEFING)
    assert len(again.sections()) == 11


# The offscreen platform plugin warns about this for every dialog it shows; not our doing.
@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_print_preview_opens_and_closes_offscreen(qtbot, window):
    chosen = [window.library.find("deepening-ties"), window.library.find("military-cooperation")]
    printing_of(window).ask = lambda verb: printing_of(window).job(chosen)
    window.actions_by_name["print_preview"].trigger()
    qtbot.waitUntil(lambda: printing_of(window).preview_dialog is not None)  # laid out off-thread
    dialog = printing_of(window).preview_dialog
    assert isinstance(dialog, QPrintPreviewDialog)
    qtbot.waitUntil(dialog.isVisible)
    preview = dialog.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: preview.pageCount() >= 1)
    assert preview.pageCount() == 2
    dialog.close()
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_export_pdf_action_writes_the_chosen_sections(qtbot, window, tmp_path, monkeypatch):
    target = tmp_path / "export"  # no suffix: the action adds .pdf
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF"))
    section = window.library.find("military-cooperation")
    note = "Which drones? Ask the desk."
    start = section_plain_text(section).index("drone technology")
    printing_of(window).annotation_source = lambda b: [
        PrintAnnotation(section.key, start, start + 16, "#ffe58a", note)]
    printing_of(window).ask = lambda verb: printing_of(window).job([section], highlights=True, notes=True)
    window.actions_by_name["export_pdf"].trigger()
    qtbot.waitUntil(lambda: "Exported" in window.statusBar().currentMessage())
    out = Path(str(target) + ".pdf")
    text = pdf_text(out)
    assert section.title in text and note in text and "Deepening Ties" not in text
    assert "Exported 1 page(s)" in window.statusBar().currentMessage()
    assert window.settings.print_folder == str(tmp_path)


def test_export_error_is_a_message_not_a_traceback(qtbot, window, tmp_path, monkeypatch):
    bad = tmp_path / "no" / "such" / "dir" / "x.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(bad), "PDF"))
    shown = []
    monkeypatch.setattr("reader.ui.features.printing.tasks.QMessageBox.warning",
                        lambda parent, title, text: shown.append(text))
    printing_of(window).ask = lambda verb: printing_of(window).job([window.library.find("wrap-up")])
    printing_of(window).export_pdf()
    qtbot.waitUntil(lambda: bool(shown))
    assert "cannot write" in shown[0] and not bad.parent.exists()


def test_page_setup_is_remembered_between_runs(window, data_dir):
    printer = printing_of(window).make_printer()
    assert printer.pageLayout().pageSize().key() == "A4"
    printer.setPageLayout(QPageLayout(printer.pageLayout()))
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageSize

    printer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    printer.setPageMargins(QMarginsF(10, 12, 14, 16), QPageLayout.Unit.Millimeter)
    printing_of(window).remember_layout(printer)
    window.settings.sync()
    fresh = Settings(window.ctx.paths.settings_file)
    assert fresh.print_page_size == "Letter" and fresh.print_landscape is True
    assert fresh.print_margins_mm == "10,12,14,16"
    again = printing_of(window).make_printer()
    layout = again.pageLayout()
    assert layout.pageSize().key() == "Letter"
    assert layout.orientation() == QPageLayout.Orientation.Landscape
    assert round(layout.margins(QPageLayout.Unit.Millimeter).left()) == 10


def test_bad_stored_margins_fall_back_to_defaults(window):
    window.settings.print_margins_mm = "lots,of,room"
    assert printing_of(window).options().margins_mm == (25.0, 16.0, 25.0, 16.0)


def test_print_sends_pages_to_the_printer(qtbot, window, tmp_path, monkeypatch):
    """The Print action with the print dialog accepted; a PDF-file QPrinter stands in for paper."""
    out = tmp_path / "printed.pdf"

    class AcceptingDialog:
        def __init__(self, printer: QPrinter, parent) -> None:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(out))

        def exec(self):
            return 1

    # print_actions imports QtPrintSupport on first print, so the dialog is patched at its source
    monkeypatch.setattr("PySide6.QtPrintSupport.QPrintDialog", AcceptingDialog)
    printing_of(window).ask = lambda verb: printing_of(window).job([window.library.find("wrap-up")])
    window.actions_by_name["print"].trigger()
    qtbot.waitUntil(lambda: "Sent" in window.statusBar().currentMessage())
    assert "That's a Wrap" in pdf_text(out)
    assert "Sent 1 page(s)" in window.statusBar().currentMessage()


def test_self_test_check_exports_a_pdf(window):
    report = check_pdf_export(window)
    assert "page(s)" in report and "Iran And Russia" in report

"""Notes print rendered: a real PDF shows a note's words, not its Markdown, and its bold as bold."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QPdfWriter

from reader.annotations import service
from reader.content.print_job import PrintJob
from reader.ui.shell.main_window import MainWindow
from tests.pdf_helpers import pdf_text
from tests.ui.features_of import annotations_of, printing_of

NOTE = "**revisionist** and _x_ <script>alert(1)</script>"


def job_with_note(window: MainWindow) -> PrintJob:
    section = window.library.find("military-cooperation")
    annotations_of(window).store.add(service.create_for_quote(section, "drone technology", note=NOTE))
    return printing_of(window).job([section], highlights=True, notes=True)


def test_a_printed_note_shows_its_words_without_markdown(open_window, tmp_path: Path) -> None:
    job = job_with_note(open_window(size=None))
    [a] = job.annotations
    assert a.note == "revisionist and x <script>alert(1)</script>"
    assert a.note_html == "<strong>revisionist</strong> and <em>x</em> &lt;script&gt;alert(1)&lt;/script&gt;"

    from reader.qtgui.printing import to_pdf

    to_pdf(tmp_path / "notes.pdf", job)
    text = pdf_text(tmp_path / "notes.pdf")
    assert "“drone technology” — revisionist and x <script>alert(1)</script>" in text
    assert "**" not in text and "_x_" not in text


def test_a_printed_note_is_rendered_bold(open_window, tmp_path: Path) -> None:
    job = job_with_note(open_window(size=None))
    from reader.qtgui.print_layout import document_html, number_notes
    from reader.qtgui.printing import layout_document

    html = document_html(job, number_notes(job))
    assert "<strong>revisionist</strong> and <em>x</em>" in html and "<script" not in html
    writer = QPdfWriter(str(tmp_path / "x.pdf"))
    doc = layout_document(writer, job)
    bold = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().fontWeight() >= QFont.Weight.Bold:
                bold.append(fragment.text())
            it += 1
        block = block.next()
    assert "revisionist" in bold  # laid out bold on the page, as the PDF prints it

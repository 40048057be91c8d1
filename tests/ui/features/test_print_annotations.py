"""The window prints the reader's own highlights and notes from the annotation store."""

from __future__ import annotations

from reader.annotations import service
from tests.pdf_helpers import pdf_text
from tests.ui.features_of import annotations_of, printing_of

NOTE = "Check this against the defence ministry's statement."


def test_window_prints_notes_from_the_store(open_window, tmp_path) -> None:
    window = open_window(size=None)
    section = window.library.find("military-cooperation")
    note = service.create_for_quote(section, "drone technology", note=NOTE)
    annotations_of(window).store.add(note)
    job = printing_of(window).job([section], highlights=True, notes=True)
    assert [a.note for a in job.annotations] == [NOTE]
    clean = printing_of(window).job([section])
    assert list(clean.annotations) == []

    from reader.qtgui.printing import to_pdf

    to_pdf(tmp_path / "notes.pdf", job)
    assert NOTE in pdf_text(tmp_path / "notes.pdf")

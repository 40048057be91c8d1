"""Hand the reader's highlights and notes to printing, anchored in the content being printed."""

from __future__ import annotations

from reader.annotations.model import COLOR_HEX, Kind
from reader.annotations.note_html import note_inline_html, note_text
from reader.annotations.service import anchors_in_library
from reader.annotations.store import AnnotationStore
from reader.content import Briefing, Library
from reader.content.print_job import DEFAULT_HIGHLIGHT, PrintAnnotation


def print_annotations(
    store: AnnotationStore, library: Library, briefing: Briefing | None = None
) -> list[PrintAnnotation]:
    """Every highlight and note that still anchors (exact, moved or fuzzy) in the current text.

    Orphans are left out: they have no place in the text to print.
    """
    annotations = [
        a for a in store.all()
        if a.kind is not Kind.BOOKMARK and (briefing is None or a.briefing_id == briefing.id)
    ]
    anchors = anchors_in_library(library, annotations)
    out = []
    for a in annotations:
        where = anchors.get(a.id)
        if where is None or not where.attached or where.end <= where.start:
            continue
        # the note rendered: as HTML where the print takes it, else as its plain text, never
        # as the Markdown typed (`**revisionist**` printed its asterisks)
        out.append(PrintAnnotation(a.section_key, where.start, where.end,
                                   color=COLOR_HEX.get(a.color, DEFAULT_HIGHLIGHT),
                                   note=note_text(a.note, one_line=False),
                                   note_html=note_inline_html(a.note)))
    return out

"""The tooltip shown over an annotated passage: its note, rendered."""

from __future__ import annotations

from reader.annotations import Annotation
from reader.annotations.note_html import note_html


def note_tooltip(annotation: Annotation) -> str:
    """The note as sanitised rich text, not the Markdown typed; "" when there is no note.

    Rendered HTML always opens with a tag, so QToolTip takes it as rich text (Qt.mightBeRichText)
    and wraps it, where a plain note of one long line ran across the screen."""
    return note_html(annotation.note)

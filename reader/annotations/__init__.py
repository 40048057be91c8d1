"""Qt-free annotations core: SQLite store, selectors, re-anchoring, import/export.

Highlights, notes and bookmarks point into `section_plain_text(section)` with a W3C-style quote +
position selector, so they can be re-anchored (exact / moved / fuzzy / orphaned) when a briefing
changes. The window and the command line use this package; it never imports Qt.
"""

from typing import TYPE_CHECKING

from reader.lazy import lazy_exports

if TYPE_CHECKING:  # for type checkers and readers; at run time names load lazily
    from reader.annotations.anchoring import Anchor, Status, anchor, anchor_all
    from reader.annotations.model import COLORS, Annotation, Kind, Selector
    from reader.annotations.store import (
        FILE_NAME,
        AnnotationStore,
        Change,
        MergeReport,
        ReadMark,
        SearchRecord,
        StoreError,
    )

_EXPORTS = {
    "Anchor": "anchoring",
    "Status": "anchoring",
    "anchor": "anchoring",
    "anchor_all": "anchoring",
    "COLORS": "model",
    "Annotation": "model",
    "Kind": "model",
    "Selector": "model",
    "FILE_NAME": "store",
    "AnnotationStore": "store",
    "Change": "store",
    "MergeReport": "store",
    "ReadMark": "store",
    "SearchRecord": "store",
    "StoreError": "store",
}
__getattr__ = lazy_exports("reader.annotations", _EXPORTS)

__all__ = [
    "COLORS", "FILE_NAME", "Anchor", "Annotation", "AnnotationStore", "Change", "Kind",
    "MergeReport", "ReadMark", "SearchRecord", "Selector", "Status", "StoreError", "anchor",
    "anchor_all",
]

"""A selection across the sections shown on one page, cut into one piece per section.

An annotation belongs to one section and counts characters of that section's plain text
(`reader.annotations`), so it cannot hold a range that runs over a sub-section's heading. A
highlight over such a selection is made of one highlight per section, created (and undone)
together; headings between them are left unpainted, as they are in no section's text.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.content import Section
    from reader.ui.features.annotations.mapping import PageMap


def pieces(page_map: PageMap, doc_start: int, doc_end: int) -> list[tuple[Section, int, int]]:
    """(section, start, end) in each section's plain text for the part of a document selection
    that lies in that section's body, in page order; whitespace-only parts are left out."""
    out = []
    for r in page_map.regions:
        a, b = max(doc_start, r.doc_start), min(doc_end, r.doc_end)
        if not r.doc_idx or a >= b:
            continue
        j = bisect.bisect_left(r.doc_idx, a)
        k = bisect.bisect_left(r.doc_idx, b) - 1
        if j < len(r.doc_idx) and k >= j:
            out.append((r.section, r.plain_idx[j], r.plain_idx[k] + 1))
    return out

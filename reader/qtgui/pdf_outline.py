"""The outline (bookmarks) and table-of-contents links of an exported PDF, added after Qt wrote it.

QPdfWriter writes neither an outline nor links inside the document, so `to_pdf` hands the
finished file here with where each section's heading landed: pypdf rewrites it with a bookmark
per section (nested as the sections are) and a link over each table-of-contents line. The file
is replaced atomically: a failure leaves the PDF Qt wrote, whole. Qt-free (pypdf only).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import Fit, IndirectObject


@dataclass(frozen=True)
class Mark:
    """A section heading in the PDF: 0-based page, `top` in PDF points from the page's bottom."""

    title: str
    level: int  # 1 = a top section; deeper sections nest under the entry before them
    page: int
    top: float


@dataclass(frozen=True)
class TocLink:
    """A clickable rectangle (PDF points: left, bottom, right, top) on `page` going to `target`."""

    page: int
    rect: tuple[float, float, float, float]
    target: Mark


def add_outline(path: Path, marks: list[Mark], links: Sequence[TocLink] = ()) -> None:
    """Rewrite the PDF at `path` with an outline of `marks` (in place of any it had) and the
    `links`; nothing to add, nothing rewritten."""
    if not marks and not links:
        return
    writer = PdfWriter(clone_from=PdfReader(str(path)))
    writer.root_object.pop("/Outlines", None)
    parents: list[tuple[int, IndirectObject]] = []  # (level, entry) of the open ancestors
    for mark in marks:
        while parents and parents[-1][0] >= mark.level:
            parents.pop()
        entry = writer.add_outline_item(title=mark.title, page_number=mark.page,
                                        parent=parents[-1][1] if parents else None,
                                        fit=Fit.xyz(top=mark.top), is_open=mark.level < 2)
        parents.append((mark.level, entry))
    for link in links:
        writer.add_annotation(link.page, Link(rect=link.rect, border=[0, 0, 0],  # no frame drawn
                                              target_page_index=link.target.page,
                                              fit=Fit.xyz(top=link.target.top)))
    writer.page_mode = "/UseOutlines"  # viewers open the bookmarks pane
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.outline")
    try:
        with temp.open("xb") as f:
            writer.write(f)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
